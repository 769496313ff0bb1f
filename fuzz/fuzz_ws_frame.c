/* fuzz_ws_frame: the pure WebSocket text-frame parsers (mock_server/ws/
 * ws_frame.c): WS API requests, raw member spans, stream control frames,
 * connection URL options and the ms -> µs event rewrite.
 * Oracles: a parsed request has a method, a params span inside the frame
 * and an id the error/result renderers turn into valid JSON; a parsed
 * control frame has a method and as many params as it says. */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "fuzz.h"
#include "ws/ws_frame.h"

static void check_request(const char *s, size_t n)
{
    wsf_request r;
    wsf_status st = wsf_parse_request(s, n, &r);
    if (strlen(r.id_raw) >= sizeof r.id_raw) abort();
    if (st != WSF_OK) return;
    if (!r.method[0]) abort();
    if (r.params && (r.params < s || r.params + r.params_len > s + n)) abort();
    buf_t b = BUF_INIT;
    if (wsf_render_error(&b, r.id_raw, 400, ERR_UNSUPPORTED_OPERATION, NULL, NULL, NULL, NULL) == 0)
        fz_assert_json("rendered error", b.data, b.len);
    buf_free(&b);
}

static void check_control(const char *s, size_t n)
{
    wsc_request r;
    wsc_status st = wsc_parse(s, n, 4, &r);   /* small bound: WSC_TOO_MANY_PARAMS is reachable */
    if (st == WSC_OK && (r.method == WSC_NONE || (r.nparams && !r.params))) abort();
    for (size_t i = 0; i < r.nparams; i++)
        if (!r.params[i]) abort();
    (void)wsc_status_code(st);
    (void)wsc_status_err_name(st);
    wsc_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check_request(s, size);
    check_control(s, size);

    char *z = fz_strndup(s, size);
    cJSON *j = cJSON_ParseWithLength(s, size);
    if (cJSON_IsObject(j)) {
        const char *v;
        size_t vl;
        static const char *const names[] = { "id", "method", "params", "" };
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (wsf_member_span(s, size, names[i], &v, &vl) && (v < s || v + vl > s + size)) abort();
        char *t = wsf_event_text_to_us(z);
        cJSON_free(t);
    }
    cJSON_Delete(j);
    int rrl, tu;
    (void)wsf_url_options(z, &rrl, &tu);
    (void)wsf_time_unit(z);
    (void)wsf_bool(z);
    free(z);
    return 0;
}
