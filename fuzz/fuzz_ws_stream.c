/* fuzz_ws_stream: market streams in-process - the stream URL (/ws/<names>,
 * /stream?streams=..: name validation and splitting) and the control
 * protocol (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET/GET_PROPERTY and
 * its serde-style errors), through ws_inproc. Input: the URL line, then
 * control frames separated by 0x1E.
 * Oracles: every frame sent is valid UTF-8 and one JSON value; ASan/UBSan. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_ws(NULL, (const char *)data, size, 0);
    fz_srv_tick(5000);
    return 0;
}
