/* lib_errors: the error catalogue (lib/errors.c, errors.def, me_msgs.def):
 * table invariants, lookups, template filling (never printf-interpreted),
 * JSON rendering, exact texts of the codes the auth pipeline emits, every
 * row against the oracle suites/data/binance_errors.json (literals from
 * Binance's errors.md, not from the catalogue), and
 * docs/errors.md == err_render_markdown() byte for byte.
 * `lib_errors --print-markdown > docs/errors.md` regenerates the docs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "errors.h"

static size_t count_placeholders(const char *t) {
    size_t n = 0;
    for (const char *p = strstr(t, "%s"); p; p = strstr(p + 2, "%s")) n++;
    return n;
}

static void test_table_invariants(void **state) {
    (void)state;
    static const int statuses[] = {400, 401, 403, 409, 418, 429, 500, 503};
    assert_int_equal(err_count(), ERR__COUNT - 1);
    for (size_t i = 0; i < err_count(); i++) {
        const err_def *d = err_at(i);
        assert_non_null(d);
        print_message("row %zu: ERR_%s\n", i, d->id_name);
        assert_int_equal(d->id, (err_id)(i + 1));
        assert_ptr_equal(err_get(d->id), d);
        /* Binance codes are negative; the market-stream control errors (STREAM_*) are 0..3 */
        int stream = strncmp(d->id_name, "STREAM_", 7) == 0;
        if (stream) assert_true(d->code >= 0 && d->code <= 3);
        else assert_true(d->code < 0);
        int ok = 0;
        for (size_t k = 0; k < sizeof(statuses) / sizeof(statuses[0]); k++) ok |= d->http_status == statuses[k];
        assert_true(ok);
        assert_true(count_placeholders(d->tmpl) <= 2);
        /* no other conversion than %s */
        for (const char *p = strchr(d->tmpl, '%'); p; p = strchr(p + 1, '%')) assert_int_equal(p[1], 's');
        assert_true(strlen(d->tmpl) > 0);
        assert_true(strlen(d->name) > 0);
        /* one code, one name */
        assert_string_equal(err_first_by_code(d->code)->name, d->name);
        /* id names unique */
        assert_ptr_equal(err_by_id_name(d->id_name), d);
        /* codes grouped in ascending order of absolute value; stream rows last */
        if (i) {
            const err_def *p = err_at(i - 1);
            int pstream = strncmp(p->id_name, "STREAM_", 7) == 0;
            if (stream == pstream) assert_true(abs(p->code) <= abs(d->code));
            else assert_true(stream && !pstream);
        }
    }
    assert_null(err_at(err_count()));
    assert_null(err_get(ERR_NONE));
    assert_null(err_get(ERR__COUNT));
    assert_null(err_get((err_id)-5));
    assert_null(err_by_id_name("NOPE"));
    assert_null(err_by_id_name(NULL));
    assert_null(err_first_by_code(-99999));
}

typedef struct text_case { err_id id; int code; int status; const char *a1, *a2; const char *msg; } text_case;

/* The texts the auth pipeline and the suites rely on (fact sheet §4, §5, §11). */
static const text_case texts[] = {
    {ERR_TIMESTAMP_OUTSIDE_WINDOW, -1021, 400, NULL, NULL, "Timestamp for this request is outside of the recvWindow."},
    {ERR_TIMESTAMP_AHEAD, -1021, 400, NULL, NULL, "Timestamp for this request was 1000ms ahead of the server's time."},
    {ERR_INVALID_SIGNATURE, -1022, 400, NULL, NULL, "Signature for this request is not valid."},
    {ERR_MANDATORY_PARAM_NAMED, -1102, 400, "signature", NULL, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed."},
    {ERR_MANDATORY_PARAM_EITHER, -1102, 400, "origClientOrderId", "orderId", "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"},
    {ERR_PARAM_GREATER_THAN, -1102, 400, "recvWindow", "60000", "'recvWindow' contains unexpected value. Cannot be greater than 60000."},
    {ERR_DUPLICATE_PARAMETER, -1101, 400, NULL, NULL, "Duplicate values for a parameter detected."},
    {ERR_UNREAD_PARAMETERS_N, -1104, 400, "5", "6", "Not all sent parameters were read; read '5' parameter(s) but was sent '6'."},
    {ERR_BAD_PRECISION, -1111, 400, "recvWindow", NULL, "Parameter 'recvWindow' has too much precision."},
    {ERR_BAD_RECV_WINDOW, -1131, 400, NULL, NULL, "'recvWindow' must be less than 60000."},
    {ERR_BAD_API_KEY_FMT, -2014, 401, NULL, NULL, "API-key format invalid."},
    {ERR_REJECTED_MBX_KEY, -2015, 401, NULL, NULL, "Invalid API-key, IP, or permissions for action."},
    {ERR_TOO_MUCH_WEIGHT, -1003, 429, "6000", "1 MINUTE", "Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."},
    {ERR_IP_BANNED, -1003, 418, "1659146400000", NULL, "Way too much request weight used; IP banned until 1659146400000. Please use WebSocket Streams for live updates to avoid bans."},
    {ERR_TOO_MANY_ORDERS_LIMIT, -1015, 429, "50", "10 SECOND", "Too many new orders; current limit is 50 orders per 10 SECOND."},
    {ERR_FILTER_FAILURE, -1013, 400, "LOT_SIZE", NULL, "Filter failure: LOT_SIZE"},
    {ERR_BAD_SYMBOL, -1121, 400, NULL, NULL, "Invalid symbol."},
    {ERR_BAD_INTERVAL, -1120, 400, NULL, NULL, "Invalid interval."},
    {ERR_INVALID_CANCEL_RESTRICTIONS_WIRE, -1145, 400, NULL, NULL, "Invalid cancelRestrictions"},
    {ERR_NO_SUCH_ORDER, -2013, 400, NULL, NULL, "Order does not exist."},
    {ERR_CANCEL_REPLACE_PARTIAL, -2021, 409, NULL, NULL, "Order cancel-replace partially failed."},
    {ERR_CANCEL_REPLACE_FAILED, -2022, 400, NULL, NULL, "Order cancel-replace failed."},
    {ERR_CLIENT_ORDER_ID_INVALID, -2039, 400, NULL, NULL, "Client order ID is not correct for this order ID."},
    {ERR_INVALID_TIME_UNIT, -1194, 400, NULL, NULL, "Invalid value for time unit; expected either MICROSECOND or MILLISECOND."},
    {ERR_INVALID_LISTEN_KEY, -1125, 400, NULL, NULL, "This listenKey does not exist."},
    {ERR_SUBSCRIPTION_ACTIVE, -2035, 400, NULL, NULL, "User Data Stream subscription already active."},
    {ERR_WORKING_PARAM_REQUIRED, -1224, 400, "workingPrice", NULL, "Working order must include the 'workingPrice' tag."},
};

static void test_texts(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const text_case *c = &texts[i];
        const err_def *d = err_get(c->id);
        char msg[512];
        assert_non_null(d);
        assert_int_equal(d->code, c->code);
        assert_int_equal(d->http_status, c->status);
        size_t n = err_format(msg, sizeof(msg), c->id, c->a1, c->a2);
        assert_string_equal(msg, c->msg);
        assert_int_equal(n, strlen(c->msg));
    }
    assert_int_equal(err_first_by_code(-1021)->id, ERR_TIMESTAMP_OUTSIDE_WINDOW);
    assert_int_equal(err_by_code_status(-1003, 418)->id, ERR_IP_BANNED);
    assert_int_equal(err_by_code_status(-1003, 429)->id, ERR_TOO_MANY_REQUESTS);
    assert_int_equal(err_by_code_status(-1022, 503)->id, ERR_INVALID_SIGNATURE);
    assert_null(err_by_code_status(-99999, 400));
    assert_ptr_equal(err_by_id_name("TIMESTAMP_AHEAD"), err_get(ERR_TIMESTAMP_AHEAD));
    assert_string_equal(err_get(ERR_TIMESTAMP_AHEAD)->name, "INVALID_TIMESTAMP");
}

static void test_me_texts(void **state) {
    (void)state;
    assert_string_equal(me_text(ME_UNKNOWN_ORDER), "Unknown order sent.");
    assert_string_equal(me_text(ME_INSUFFICIENT_BALANCE), "Account has insufficient balance for requested action.");
    assert_string_equal(me_text(ME_CANCEL_RESTRICTED), "Order was not canceled due to cancel restrictions.");
    assert_string_equal(me_id_name(ME_UNKNOWN_ORDER), "UNKNOWN_ORDER");
    assert_string_equal(me_text(ME__COUNT), "");
    assert_string_equal(me_text((me_msg)-1), "");
    assert_string_equal(me_id_name(ME__COUNT), "");
    for (int m = 0; m < ME__COUNT; m++) {
        assert_true(strlen(me_text((me_msg)m)) > 0);
        assert_null(strchr(me_text((me_msg)m), '%'));
    }
    char msg[128];
    err_format(msg, sizeof(msg), ERR_CANCEL_REJECTED, me_text(ME_UNKNOWN_ORDER), NULL);
    assert_string_equal(msg, "Unknown order sent.");
}

/* suites/data/binance_errors.json: the oracle, literals from Binance's docs. */
static cJSON *oracle_load(void) {
    const char *src = getenv("BC_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/suites/data/binance_errors.json", src ? src : ".");
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot read %s", path);
    static char text[1 << 18];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    assert_true(n < sizeof text);
    cJSON *root = cJSON_ParseWithLength(text, n);
    if (!root) fail_msg("%s is not JSON", path);
    return root;
}

static const char *jstr(const cJSON *o, const char *k) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* Every catalogue row equals its oracle row (code, name, HTTP status,
 * message template) and every oracle row is in the catalogue; same for the
 * matching-engine texts. A swapped word in one errors.def row fails here. */
static void test_catalogue_matches_oracle(void **state) {
    (void)state;
    cJSON *root = oracle_load();
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "errors"), *row;
    int n = 0, bad = 0;
    cJSON_ArrayForEach(row, rows) {
        const char *id = jstr(row, "id"), *name = jstr(row, "name"), *msg = jstr(row, "msg");
        assert_non_null(id);
        assert_non_null(name);
        assert_non_null(msg);
        const err_def *d = err_by_id_name(id);
        int code = cJSON_GetObjectItemCaseSensitive(row, "code")->valueint;
        int status = cJSON_GetObjectItemCaseSensitive(row, "status")->valueint;
        if (!d) { print_error("oracle row %s: not in lib/errors.def\n", id); bad++; continue; }
        if (d->code != code || strcmp(d->name, name) || d->http_status != status || strcmp(d->tmpl, msg)) {
            print_error("ERR_%s: catalogue %d %s %d \"%s\"\n            oracle    %d %s %d \"%s\"\n",
                        id, d->code, d->name, d->http_status, d->tmpl, code, name, status, msg);
            bad++;
        }
        n++;
    }
    if (bad) fail_msg("%d catalogue rows differ from suites/data/binance_errors.json", bad);
    assert_int_equal(n, (int)err_count());            /* no catalogue row without an oracle row */
    n = 0;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(root, "engine_msgs")) {
        const char *id = jstr(row, "id"), *msg = jstr(row, "msg");
        assert_non_null(id);
        assert_non_null(msg);
        int m = 0;
        while (m < ME__COUNT && strcmp(me_id_name((me_msg)m), id)) m++;
        if (m == ME__COUNT) fail_msg("oracle engine message %s: not in lib/me_msgs.def", id);
        if (strcmp(me_text((me_msg)m), msg))
            fail_msg("ME_%s: catalogue \"%s\", oracle \"%s\"", id, me_text((me_msg)m), msg);
        n++;
    }
    assert_int_equal(n, ME__COUNT);
    cJSON_Delete(root);
}

static void test_format_safety(void **state) {
    (void)state;
    char msg[256];
    /* user data is never a format string */
    err_format(msg, sizeof(msg), ERR_MANDATORY_PARAM_NAMED, "%s%n%x%%", NULL);
    assert_string_equal(msg, "Mandatory parameter '%s%n%x%%' was not sent, was empty/null, or malformed.");
    /* NULL arguments are empty; extra arguments are ignored */
    err_format(msg, sizeof(msg), ERR_MANDATORY_PARAM_EITHER, NULL, NULL);
    assert_string_equal(msg, "Param '' or '' must be sent, but both were empty/null!");
    err_format(msg, sizeof(msg), ERR_INVALID_SIGNATURE, "x", "y");
    assert_string_equal(msg, "Signature for this request is not valid.");
    /* truncation */
    size_t n = err_format(msg, 10, ERR_INVALID_SIGNATURE, NULL, NULL);
    assert_int_equal(n, 9);
    assert_string_equal(msg, "Signature");
    msg[0] = 'x';
    assert_int_equal(err_format(msg, 1, ERR_INVALID_SIGNATURE, NULL, NULL), 0);
    assert_string_equal(msg, "");
    assert_int_equal(err_format(msg, 0, ERR_INVALID_SIGNATURE, NULL, NULL), 0);
    /* unknown ids */
    assert_int_equal(err_format(msg, sizeof(msg), ERR_NONE, "a", "b"), 0);
    assert_string_equal(msg, "");
    assert_int_equal(err_format(msg, sizeof(msg), ERR__COUNT, NULL, NULL), 0);
    /* a long argument */
    char big[2000];
    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    buf_t b = BUF_INIT;
    assert_int_equal(err_format_buf(&b, ERR_PARAM_EMPTY_NAMED, big, NULL), 0);
    assert_int_equal(b.len, strlen("Parameter '' was empty.") + sizeof(big) - 1);
    buf_free(&b);
}

static void test_render_json(void **state) {
    (void)state;
    buf_t b = BUF_INIT;
    assert_int_equal(err_render_json(&b, ERR_INVALID_SIGNATURE, NULL, NULL), 0);
    assert_string_equal(b.data, "{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}");
    /* hostile argument: quotes, backslash, control bytes, UTF-8 */
    buf_reset(&b);
    const char *evil = "a\"b\\c\nd\x01\xef\xbc\x91";
    assert_int_equal(err_render_json(&b, ERR_MANDATORY_PARAM_NAMED, evil, NULL), 0);
    cJSON *j = cJSON_Parse(b.data);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "code")->valueint, -1102);
    char want[256];
    snprintf(want, sizeof(want), "Mandatory parameter '%s' was not sent, was empty/null, or malformed.", evil);
    assert_string_equal(cJSON_GetObjectItem(j, "msg")->valuestring, want);
    cJSON_Delete(j);
    /* appends */
    buf_reset(&b);
    buf_puts(&b, "[");
    assert_int_equal(err_render_json(&b, ERR_BAD_SYMBOL, NULL, NULL), 0);
    assert_string_equal(b.data, "[{\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
    /* every row renders to valid JSON with its code */
    for (size_t i = 0; i < err_count(); i++) {
        buf_reset(&b);
        assert_int_equal(err_render_json(&b, err_at(i)->id, "x", "y"), 0);
        j = cJSON_Parse(b.data);
        assert_non_null(j);
        assert_int_equal(cJSON_GetObjectItem(j, "code")->valueint, err_at(i)->code);
        cJSON_Delete(j);
    }
    buf_free(&b);
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf_t b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

static void test_markdown(void **state) {
    (void)state;
    buf_t md = BUF_INIT;
    assert_int_equal(err_render_markdown(&md), 0);
    /* one table row per catalogue row and per ME message */
    size_t rows = 0;
    for (const char *p = md.data; (p = strstr(p, "\n| ")); p++) rows++;
    assert_int_equal(rows, err_count() + ME__COUNT + 2);     /* + the two header rows */
    assert_non_null(strstr(md.data, "| -1021 | INVALID_TIMESTAMP | 400 | `Timestamp for this request was 1000ms ahead of the server's time.` | `ERR_TIMESTAMP_AHEAD` |"));
    /* backticks inside a message get a longer fence */
    assert_non_null(strstr(md.data, "``Invalid `X-MBX-SBE` header; expected `<SCHEMA_ID>:<VERSION>`.``"));

    const char *src = getenv("BC_SOURCE_DIR");
    assert_non_null(src);
    char path[4096];
    snprintf(path, sizeof(path), "%s/docs/errors.md", src);
    size_t len = 0;
    char *doc = read_file(path, &len);
    if (!doc) fail_msg("cannot read %s; regenerate: lib_errors --print-markdown > docs/errors.md", path);
    if (len != md.len || memcmp(doc, md.data, len) != 0)
        fail_msg("docs/errors.md is out of date; regenerate: lib_errors --print-markdown > docs/errors.md");
    free(doc);
    buf_free(&md);
}

const char bcs_cli_option[] = "--print-markdown";   /* see suites/cli/bcs_cli.c */

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--print-markdown") == 0) {
        buf_t md = BUF_INIT;
        if (err_render_markdown(&md) < 0) return 1;
        fwrite(buf_cstr(&md), 1, md.len, stdout);
        buf_free(&md);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_invariants),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_me_texts),
        cmocka_unit_test(test_catalogue_matches_oracle),
        cmocka_unit_test(test_format_safety),
        cmocka_unit_test(test_render_json),
        cmocka_unit_test(test_markdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
