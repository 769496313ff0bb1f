/* fuzz_ws_api: the WebSocket API (/ws-api/v3) in-process - frame parsing,
 * params, ws_auth (API key, signatures, session logon), the WS-only methods
 * (session.*, userDataStream.*) and every route's handler, through
 * ws_inproc (the same handlers civetweb calls). Input: "?<url query>" line
 * (returnRateLimits, timeUnit), then request frames separated by 0x1E; a
 * url line starting with '!' logs on as alice (Ed25519) first.
 * Oracles: every reply is valid UTF-8 and one JSON value; ASan/UBSan. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int logon = size && data[0] == '!';
    fz_ws("/ws-api/v3", (const char *)data + logon, size - (size_t)logon, logon);
    fz_srv_tick(5000);
    return 0;
}
