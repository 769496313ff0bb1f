/* tool_binsig: `binsig` run as a process, as users and scripts run it:
 * --help of every subcommand, exit codes and bad usage, sign/verify agreeing
 * byte for byte with the `openssl` command line on random payloads that are
 * not in the vectors (every key type and key format), payload, explain naming
 * the mistake of every negative class of the vectors, vectors (exactly the
 * vector files' test count passes, and README.md / vectors/README.md state
 * that count, per file and in all, a tampered file fails) and errors.
 * Self-contained process runner. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "buf.h"

extern char **environ;

typedef struct proc { int status; buf_t out, err; } proc;

static char tmpdir[64];
static char binsig[4096], vdir[4096];

static void proc_free(proc *p) { buf_free(&p->out); buf_free(&p->err); }

static void slurp(const char *path, buf_t *b) {
    FILE *fp = fopen(path, "rb");
    char tmp[8192];
    size_t n;
    if (!fp) return;
    while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0) assert_int_equal(buf_append(b, tmp, n), 0);
    fclose(fp);
    assert_int_equal(buf_append(b, "", 0), 0);
}

static void write_file(const char *path, const void *data, size_t n) {
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* Run argv (NULL-terminated) with stdin from in_path (or /dev/null). */
static void run_in(proc *p, const char *in_path, const char *const *argv) {
    char out_path[128], err_path[128];
    snprintf(out_path, sizeof(out_path), "%s/stdout", tmpdir);
    snprintf(err_path, sizeof(err_path), "%s/stderr", tmpdir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in_path ? in_path : "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    assert_int_equal(rc, 0);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    memset(p, 0, sizeof(*p));
    p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    slurp(out_path, &p->out);
    slurp(err_path, &p->err);
}

#define RUN(p, ...) do { const char *argv_[] = {binsig, __VA_ARGS__, NULL}; run_in((p), NULL, argv_); } while (0)

static void trim(buf_t *b) {
    while (b->len && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == '\r')) b->data[--b->len] = '\0';
}

static int setup(void **state) {
    const char *bin = getenv("BC_BIN_DIR"), *src = getenv("BC_SOURCE_DIR");
    if (!bin || !src) { fprintf(stderr, "BC_BIN_DIR / BC_SOURCE_DIR not set\n"); return -1; }
    snprintf(binsig, sizeof(binsig), "%s/binsig", bin);
    snprintf(vdir, sizeof(vdir), "%s/vectors", src);
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/bc-binsig-XXXXXX");
    if (!mkdtemp(tmpdir) || access(binsig, X_OK) != 0) { fprintf(stderr, "no %s\n", binsig); return -1; }
    (void)state;
    return 0;
}

static int teardown(void **state) {
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    (void)state;
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- help and usage ---- */

static void test_help_every_subcommand(void **state) {
    static const char *cmds[] = {"sign", "verify", "payload", "explain", "vectors", "errors"};
    proc p;
    RUN(&p, "--help");
    assert_int_equal(p.status, 0);
    assert_non_null(strstr(buf_cstr(&p.out), "usage: binsig"));
    proc_free(&p);
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        char want[64];
        snprintf(want, sizeof(want), "usage: binsig %s", cmds[i]);
        RUN(&p, cmds[i], "--help");
        assert_int_equal(p.status, 0);
        assert_non_null(strstr(buf_cstr(&p.out), want));
        proc_free(&p);
    }
    (void)state;
}

static void test_bad_usage_exits_2(void **state) {
    char key[4200], pub[4200], sec[4200];
    snprintf(key, sizeof(key), "%s/keys/ed25519.pem", vdir);
    snprintf(pub, sizeof(pub), "%s/keys/ed25519.pub.pem", vdir);
    snprintf(sec, sizeof(sec), "%s/keys/hmac.secret", vdir);
    proc p;
    const char *cases[][8] = {
        {"frobnicate", NULL},
        {"sign", "--payload", "x", NULL},                                  /* no key */
        {"sign", "--key", key, NULL},                                      /* no payload */
        {"sign", "--key", key, "--secret", "s", "--payload", "x", NULL},   /* two keys */
        {"sign", "--bogus", NULL},
        {"sign", "--key", "/nonexistent.pem", "--payload", "x", NULL},
        {"sign", "--key", pub, "--payload", "x", NULL},                    /* public key cannot sign */
        {"verify", "--secret-file", sec, "--payload", "x", NULL},          /* no --signature */
        {"sign", "--key", sec, "--payload", "x", NULL},                    /* --key wants a PEM */
        {"verify", "--key", key, "--signature", "%zz", "--payload", "x", NULL},
        {"verify", "--key", "/nonexistent.pem", "--signature", "AA==", "--payload", "x", NULL},
        {"payload", NULL},                                                 /* no request */
        {"payload", "--request", "/nonexistent", NULL},
        {"explain", "--request", "/nonexistent", "--key", key, NULL},
        {"errors", "extra", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *argv[10] = {binsig};
        for (size_t j = 0; cases[i][j]; j++) argv[j + 1] = cases[i][j];
        run_in(&p, NULL, argv);
        if (p.status != 2) fprintf(stderr, "case %zu (%s): exit %d\n", i, cases[i][0], p.status);
        assert_int_equal(p.status, 2);
        assert_true(p.err.len > 0);                      /* a message, on stderr */
        assert_null(strstr(buf_cstr(&p.err), "PRIVATE KEY"));
        proc_free(&p);
    }
    proc none;
    const char *argv0[] = {binsig, NULL};
    run_in(&none, NULL, argv0);
    assert_int_equal(none.status, 2);
    proc_free(&none);
    (void)state;
}

static void test_secret_never_printed(void **state) {
    proc p;
    RUN(&p, "sign", "--secret", "TopSecretValue123", "--payload", "a=1");
    assert_int_equal(p.status, 0);
    assert_null(strstr(buf_cstr(&p.out), "TopSecretValue123"));
    assert_null(strstr(buf_cstr(&p.err), "TopSecretValue123"));
    proc_free(&p);
    RUN(&p, "verify", "--secret", "TopSecretValue123", "--signature", "00", "--payload", "a=1");
    assert_int_equal(p.status, 1);
    assert_null(strstr(buf_cstr(&p.out), "TopSecretValue123"));
    assert_null(strstr(buf_cstr(&p.err), "TopSecretValue123"));
    proc_free(&p);
    (void)state;
}

/* ---- sign / verify against the openssl command line ---- */

typedef struct keycase {
    const char *file;          /* under vectors/keys */
    const char *opt;           /* --secret-file or --key */
    const char *pub;           /* public PEM for verify, or NULL */
    const char *passphrase;
    int hmac, ed25519;
} keycase;

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

/* Random payload: query-like ASCII, UTF-8, reserved and raw bytes (NUL, \n). */
static size_t random_payload(uint64_t *s, unsigned char *out, size_t cap) {
    static const char *pieces[] = {"symbol=BTCUSDT", "&", "=", "这是测试币", "１２３", "%E8%BF", "+", "/", " ",
                                   "timestamp=1766000000000", "\n", "\r\n", "\"", "~"};
    size_t n = 0, want = 1 + rng_next(s) % 400;
    while (n < want && n + 32 < cap) {
        uint64_t r = rng_next(s);
        if (r % 4 == 0) {
            out[n++] = (unsigned char)(rng_next(s) & 0xff);     /* any byte, NUL included */
        } else {
            const char *pc = pieces[r % (sizeof(pieces) / sizeof(pieces[0]))];
            memcpy(out + n, pc, strlen(pc));
            n += strlen(pc);
        }
    }
    return n;
}

static void openssl_sign(const keycase *kc, const char *payload_path, buf_t *out) {
    char cmd[8192], keypath[4200];
    snprintf(keypath, sizeof(keypath), "%s/keys/%s", vdir, kc->file);
    if (kc->hmac) {
        buf_t secret = BUF_INIT;
        slurp(keypath, &secret);
        trim(&secret);
        snprintf(cmd, sizeof(cmd), "openssl dgst -sha256 -hmac '%s' -r '%s' | cut -d' ' -f1",
                 buf_cstr(&secret), payload_path);
        buf_free(&secret);
    } else if (kc->ed25519) {
        snprintf(cmd, sizeof(cmd), "openssl pkeyutl -sign -rawin -inkey '%s' -in '%s' | openssl base64 -A",
                 keypath, payload_path);
    } else {
        snprintf(cmd, sizeof(cmd), "openssl dgst -sha256 -sign '%s' %s%s '%s' | openssl base64 -A", keypath,
                 kc->passphrase ? "-passin pass:" : "", kc->passphrase ? kc->passphrase : "", payload_path);
    }
    FILE *pp = popen(cmd, "r");
    assert_non_null(pp);
    char tmp[2048];
    size_t n = fread(tmp, 1, sizeof(tmp), pp);
    assert_int_equal(pclose(pp), 0);
    assert_int_equal(buf_append(out, tmp, n), 0);
    trim(out);
}

static void test_sign_verify_agree_with_openssl(void **state) {
    static const keycase keys[] = {
        {"hmac.secret", "--secret-file", NULL, NULL, 1, 0},
        {"rsa2048.pem", "--key", "rsa2048.pub.pem", NULL, 0, 0},
        {"rsa4096.pem", "--key", "rsa4096.pub.pem", NULL, 0, 0},
        {"ed25519.pem", "--key", "ed25519.pub.pem", NULL, 0, 1},
        {"rsa2048.pkcs1.pem", "--key", NULL, NULL, 0, 0},
        {"rsa2048.enc.pem", "--key", NULL, "binance-conformance", 0, 0},
        {"bob-ed25519.pem", "--key", "bob-ed25519.pub.pem", NULL, 0, 1},
    };
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    int checked = 0;
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        char keypath[4200], pubpath[4200];
        snprintf(keypath, sizeof(keypath), "%s/keys/%s", vdir, keys[k].file);
        snprintf(pubpath, sizeof(pubpath), "%s/keys/%s", vdir, keys[k].pub ? keys[k].pub : "");
        for (int i = 0; i < 5; i++) {
            unsigned char payload[600];
            size_t n = random_payload(&seed, payload, sizeof(payload));
            char ppath[128];
            snprintf(ppath, sizeof(ppath), "%s/payload.bin", tmpdir);
            write_file(ppath, payload, n);
            buf_t want = BUF_INIT;
            openssl_sign(&keys[k], ppath, &want);
            assert_true(want.len > 0);
            proc p;
            const char *sign_argv[] = {binsig, "sign", keys[k].opt, keypath, "--payload-file", ppath,
                                       keys[k].passphrase ? "--passphrase" : NULL, keys[k].passphrase, NULL};
            run_in(&p, NULL, sign_argv);
            assert_int_equal(p.status, 0);
            trim(&p.out);
            if (strcmp(buf_cstr(&p.out), buf_cstr(&want)) != 0)
                fprintf(stderr, "%s payload %d: binsig %s\nopenssl %s\n", keys[k].file, i, buf_cstr(&p.out), buf_cstr(&want));
            assert_string_equal(buf_cstr(&p.out), buf_cstr(&want));
            proc_free(&p);
            /* verify openssl's signature, with the private key and with the public half */
            const char *vkey = keys[k].pub ? pubpath : keypath;
            const char *ver_argv[] = {binsig, "verify", keys[k].opt, vkey, "--signature", want.data,
                                      "--payload-file", ppath, keys[k].passphrase && !keys[k].pub ? "--passphrase" : NULL,
                                      keys[k].passphrase, NULL};
            run_in(&p, NULL, ver_argv);
            assert_int_equal(p.status, 0);
            assert_string_equal(buf_cstr(&p.out), "valid\n");
            proc_free(&p);
            /* the signature as copied from a URL (percent-encoded) verifies too */
            if (!keys[k].hmac) {
                buf_t enc = BUF_INIT;
                for (size_t j = 0; j < want.len; j++) {
                    char ch = want.data[j];
                    if (ch == '+' || ch == '/' || ch == '=') assert_int_equal(buf_printf(&enc, "%%%02X", ch), 0);
                    else assert_int_equal(buf_putc(&enc, ch), 0);
                }
                ver_argv[5] = enc.data;
                run_in(&p, NULL, ver_argv);
                assert_int_equal(p.status, 0);
                proc_free(&p);
                ver_argv[5] = want.data;
                buf_free(&enc);
            }
            /* one changed payload byte: invalid, exit 1 */
            payload[n / 2] ^= 0x01;
            write_file(ppath, payload, n);
            run_in(&p, NULL, ver_argv);
            assert_int_equal(p.status, 1);
            assert_string_equal(buf_cstr(&p.out), "invalid\n");
            proc_free(&p);
            buf_free(&want);
            checked++;
        }
    }
    assert_int_equal(checked, 35);
    (void)state;
}

static void test_secret_file_strips_one_newline(void **state) {
    char f1[128], f2[128];
    snprintf(f1, sizeof(f1), "%s/s1", tmpdir);
    snprintf(f2, sizeof(f2), "%s/s2", tmpdir);
    write_file(f1, "abc\n", 4);
    write_file(f2, "abc\n\n", 5);
    proc a, b, c;
    RUN(&a, "sign", "--secret", "abc", "--payload", "timestamp=1");
    RUN(&b, "sign", "--secret-file", f1, "--payload", "timestamp=1");
    RUN(&c, "sign", "--secret-file", f2, "--payload", "timestamp=1");
    assert_int_equal(a.status, 0);
    assert_string_equal(buf_cstr(&a.out), buf_cstr(&b.out));          /* one newline stripped */
    assert_string_not_equal(buf_cstr(&a.out), buf_cstr(&c.out));      /* only one */
    proc_free(&a); proc_free(&b); proc_free(&c);
    (void)state;
}

static void test_hmac_verify_case_insensitive(void **state) {
    proc p;
    /* H4 of the fact sheet: docs secret, payload timestamp=1578963600000 */
    const char *sec = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    RUN(&p, "sign", "--secret", sec, "--payload", "timestamp=1578963600000");
    assert_string_equal(buf_cstr(&p.out), "d84e6641b1e328e7b418fff030caed655c266299c9355e36ce801ed14631eed4\n");
    proc_free(&p);
    RUN(&p, "verify", "--secret", sec, "--payload", "timestamp=1578963600000", "--signature",
        "D84E6641B1E328E7B418FFF030CAED655C266299C9355E36CE801ED14631EED4");
    assert_int_equal(p.status, 0);
    proc_free(&p);
    (void)state;
}

/* ---- payload ---- */

static void test_payload_rest_and_ws(void **state) {
    char req[128], frame[128];
    snprintf(req, sizeof(req), "%s/req.http", tmpdir);
    snprintf(frame, sizeof(frame), "%s/frame.json", tmpdir);
    const char *http =
        "POST /api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC HTTP/1.1\r\n"
        "Host: api.binance.com\r\nX-MBX-APIKEY: k\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"
        "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77";
    write_file(req, http, strlen(http));
    proc p;
    RUN(&p, "payload", "--request", req);
    assert_int_equal(p.status, 0);
    assert_string_equal(buf_cstr(&p.out),
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559\n");
    proc_free(&p);
    const char *ws = "{\"id\":1,\"method\":\"order.place\",\"params\":{\"symbol\":\"１２３\",\"timestamp\":1645423376532,"
                     "\"apiKey\":\"k\",\"price\":52000.00,\"signature\":\"x\"}}";
    write_file(frame, ws, strlen(ws));
    const char *argv[] = {binsig, "payload", "--ws", "-", NULL};
    run_in(&p, frame, argv);                          /* stdin */
    assert_int_equal(p.status, 0);
    assert_string_equal(buf_cstr(&p.out), "apiKey=k&price=52000.00&symbol=１２３&timestamp=1645423376532\n");
    proc_free(&p);
    /* signature not last: payload printed, problem noted on stderr */
    const char *mid = "GET /api/v3/account?signature=abc&timestamp=1 HTTP/1.1\r\n\r\n";
    write_file(req, mid, strlen(mid));
    RUN(&p, "payload", "--request", req);
    assert_int_equal(p.status, 0);
    assert_string_equal(buf_cstr(&p.out), "timestamp=1\n");
    assert_non_null(strstr(buf_cstr(&p.err), "not the last"));
    proc_free(&p);
    (void)state;
}

/* ---- explain names the mistake of every negative class ---- */

static cJSON *load_json(const char *path) {
    buf_t b = BUF_INIT;
    slurp(path, &b);
    cJSON *j = cJSON_Parse(buf_cstr(&b));
    buf_free(&b);
    return j;
}

/* Write the group's key to a file binsig can read; returns the option. */
static const char *group_key(const cJSON *g, char *path, size_t n) {
    const char *secret = cJSON_GetStringValue(cJSON_GetObjectItem(g, "secret"));
    if (secret) {
        snprintf(path, n, "%s/group.secret", tmpdir);
        write_file(path, secret, strlen(secret));
        return "--secret-file";
    }
    snprintf(path, n, "%s/%s", vdir, cJSON_GetStringValue(cJSON_GetObjectItem(g, "keyFile")));
    return "--key";
}

static void explain_one(const cJSON *g, const cJSON *t, int ws, const char *mistake) {
    char keypath[4200], req[128];
    const char *opt = group_key(g, keypath, sizeof(keypath));
    snprintf(req, sizeof(req), "%s/explain.req", tmpdir);
    buf_t r = BUF_INIT;
    if (ws) {
        assert_int_equal(buf_puts(&r, cJSON_GetStringValue(cJSON_GetObjectItem(t, "frame"))), 0);
    } else {
        const char *q = cJSON_GetStringValue(cJSON_GetObjectItem(t, "query"));
        const char *b = cJSON_GetStringValue(cJSON_GetObjectItem(t, "body"));
        assert_int_equal(buf_printf(&r, "%s %s%s%s HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: %s\r\n"
                                    "Content-Type: application/x-www-form-urlencoded\r\n\r\n%s",
                                    cJSON_GetStringValue(cJSON_GetObjectItem(t, "method")),
                                    cJSON_GetStringValue(cJSON_GetObjectItem(t, "path")), *q ? "?" : "", q,
                                    cJSON_GetStringValue(cJSON_GetObjectItem(g, "apiKey")), b), 0);
    }
    write_file(req, r.data, r.len);
    buf_free(&r);
    proc p;
    char cand[4300];
    const char *cf = cJSON_GetStringValue(cJSON_GetObjectItem(t, "candidateKeyFile"));
    snprintf(cand, sizeof(cand), "--candidate-keys=%s/%s", vdir, cf ? cf : "");
    const char *argv[] = {binsig, "explain", cf ? cand : "--ws", ws ? "--ws" : opt, ws ? opt : keypath,
                          ws ? keypath : "--request", ws ? "--request" : req, ws ? req : NULL, NULL};
    if (!cf) memmove(&argv[2], &argv[3], 6 * sizeof argv[0]);   /* no candidates: as before */
    run_in(&p, NULL, argv);
    if (p.status != 1 || !strstr(buf_cstr(&p.out), mistake))
        fprintf(stderr, "explain tc %d: exit %d, want mistake %s:\n%s%s\n",
                cJSON_GetObjectItem(t, "tcId")->valueint, p.status, mistake, buf_cstr(&p.out), buf_cstr(&p.err));
    assert_int_equal(p.status, 1);
    assert_non_null(strstr(buf_cstr(&p.out), mistake));
    proc_free(&p);
}

static void test_explain_names_every_mistake(void **state) {
    static const char *files[] = {"rest_hmac_sha256.json", "rest_rsa.json", "rest_ed25519.json",
                                  "ws_hmac_sha256.json", "ws_rsa.json", "ws_ed25519.json"};
    char seen[4096] = "|";
    int runs = 0;
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s", vdir, files[f]);
        cJSON *root = load_json(path);
        assert_non_null(root);
        char local[2048] = "|";     /* one test per mistake per file */
        const cJSON *g, *t;
        cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups")) {
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
                const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(t, "mistake"));
                char key[80];
                if (!m) continue;
                snprintf(key, sizeof(key), "|%s|", m);
                if (strstr(local, key)) continue;
                explain_one(g, t, files[f][0] == 'w', m);
                runs++;
                strncat(local, key + 1, sizeof(local) - strlen(local) - 1);
                if (!strstr(seen, key)) strncat(seen, key + 1, sizeof(seen) - strlen(seen) - 1);
            }
        }
        cJSON_Delete(root);
    }
    static const char *classes[] = {"raw-utf8", "amp-between-query-and-body", "sorted-copy", "plus-as-space",
        "double-encoded", "signature-not-last", "hex-case-escapes", "case-flipped", "truncated",
        "wrong-key-type", "hmac-base64", "ws-percent-encoded", "ws-unsorted", "ws-missing-apikey",
        "ws-signature-encoded", "signature-twice", "secret-whitespace", "other-key", "encoding-mismatch",
        "timestamp-changed", "added-after-signing"};
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        char key[80];
        snprintf(key, sizeof(key), "|%s|", classes[i]);
        if (!strstr(seen, key)) fprintf(stderr, "no vector exercises %s\n", classes[i]);
        assert_non_null(strstr(seen, key));
    }
    assert_true(runs >= 40);
    (void)state;
}

static void test_explain_valid_exits_0(void **state) {
    char req[128];
    snprintf(req, sizeof(req), "%s/ok.req", tmpdir);
    const char *http = "GET /api/v3/account?timestamp=1578963600000&signature=d84e6641b1e328e7b418fff030caed655c266299c9355e36ce801ed14631eed4 HTTP/1.1\r\n\r\n";
    write_file(req, http, strlen(http));
    proc p;
    RUN(&p, "explain", "--secret", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", "--request", req);
    assert_int_equal(p.status, 0);
    assert_non_null(strstr(buf_cstr(&p.out), "timestamp=1578963600000"));
    proc_free(&p);
    (void)state;
}

/* ---- vectors and errors ---- */

/* The vector files and, for each, its numberOfTests and invalid count read
 * from the file itself (not from binsig). */
static const char *const vector_files[] = {
    "rest_hmac_sha256.json", "rest_rsa.json", "rest_ed25519.json", "ws_hmac_sha256.json",
    "ws_rsa.json", "ws_ed25519.json", "canonical_payload.json", "timing.json",
};
#define N_VECTOR_FILES (sizeof vector_files / sizeof vector_files[0])

static void vector_counts(int per_file[N_VECTOR_FILES], int *total, int *invalid) {
    *total = *invalid = 0;
    for (size_t i = 0; i < N_VECTOR_FILES; i++) {
        char path[4200];
        buf_t b = BUF_INIT;
        snprintf(path, sizeof path, "%s/%s", vdir, vector_files[i]);
        slurp(path, &b);
        cJSON *root = cJSON_ParseWithLength(b.data ? b.data : "", b.len);
        if (!root) fail_msg("%s: missing or not JSON", path);
        int n = 0;
        const cJSON *g, *t;
        cJSON_ArrayForEach(g, cJSON_GetObjectItem(root, "testGroups"))
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(g, "tests")) {
                n++;
                *invalid += !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "result")), "invalid");
            }
        assert_int_equal(n, cJSON_GetObjectItem(root, "numberOfTests")->valueint);
        per_file[i] = n;
        *total += n;
        cJSON_Delete(root);
        buf_free(&b);
    }
}

/* The integer written right before `after` in text (first occurrence), or -1. */
static int number_before(const char *text, const char *after) {
    const char *p = strstr(text, after);
    if (!p) return -1;
    const char *q = p;
    while (q > text && q[-1] >= '0' && q[-1] <= '9') q--;
    return q == p ? -1 : atoi(q);
}

static void test_vectors_pass_exact_count(void **state) {
    int per_file[N_VECTOR_FILES], total, invalid;
    vector_counts(per_file, &total, &invalid);
    proc p;
    RUN(&p, "vectors");
    if (p.status != 0) fprintf(stderr, "%s", buf_cstr(&p.out));
    assert_int_equal(p.status, 0);
    const char *last = strstr(buf_cstr(&p.out), " passed, ");
    assert_non_null(last);
    while (last > p.out.data && last[-1] >= '0' && last[-1] <= '9') last--;
    int passed = -1, failed = -1;
    assert_int_equal(sscanf(last, "%d passed, %d failed", &passed, &failed), 2);
    assert_int_equal(passed, total);     /* every test of every file, none skipped */
    assert_int_equal(failed, 0);
    proc_free(&p);
    (void)state;
}

/* README.md and vectors/README.md state the real counts: in all, invalid,
 * and per file (the table rows "| `file` | N |"). */
static void test_readme_counts(void **state) {
    int per_file[N_VECTOR_FILES], total, invalid;
    vector_counts(per_file, &total, &invalid);
    char path[4200];
    buf_t top = BUF_INIT, vr = BUF_INIT;
    snprintf(path, sizeof path, "%s/../README.md", vdir);
    slurp(path, &top);
    snprintf(path, sizeof path, "%s/README.md", vdir);
    slurp(path, &vr);
    assert_non_null(top.data);
    assert_non_null(vr.data);
    assert_int_equal(number_before(top.data, " known-answer vectors pin"), total);
    assert_int_equal(number_before(top.data, " Wycheproof-style vectors"), total);
    assert_int_equal(number_before(vr.data, " tests in all; "), total);
    assert_int_equal(number_before(vr.data, " are invalid."), invalid);
    for (size_t i = 0; i < N_VECTOR_FILES; i++) {
        char row[128];
        snprintf(row, sizeof row, "| `%s` | ", vector_files[i]);
        const char *r = strstr(vr.data, row);
        if (!r) fail_msg("vectors/README.md has no row for %s", vector_files[i]);
        if (atoi(r + strlen(row)) != per_file[i])
            fail_msg("vectors/README.md: %s has %d tests, README says %d", vector_files[i], per_file[i],
                     atoi(r + strlen(row)));
    }
    buf_free(&top);
    buf_free(&vr);
    (void)state;
}

static void test_vectors_tampered_file_fails(void **state) {
    char src[4200], dst[128];
    snprintf(src, sizeof(src), "%s/timing.json", vdir);
    snprintf(dst, sizeof(dst), "%s/timing.json", tmpdir);
    cJSON *root = load_json(src);
    assert_non_null(root);
    cJSON *t0 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "testGroups"), 0), "tests"), 2);
    cJSON *e = cJSON_GetObjectItem(t0, "error");
    assert_non_null(e);
    cJSON_ReplaceItemInObject(e, "msg", cJSON_CreateString("Timestamp for this request is outside of the recvWindow"));
    char *text = cJSON_Print(root);
    write_file(dst, text, strlen(text));
    free(text);
    cJSON_Delete(root);
    proc p;
    RUN(&p, "vectors", dst);
    assert_int_equal(p.status, 1);
    assert_non_null(strstr(buf_cstr(&p.out), "FAIL timing.json tcId 3"));
    assert_non_null(strstr(buf_cstr(&p.out), " passed, 1 failed"));
    proc_free(&p);
    (void)state;
}

static void test_errors_catalogue(void **state) {
    proc p;
    RUN(&p, "errors");
    assert_int_equal(p.status, 0);
    assert_non_null(strstr(buf_cstr(&p.out), "-1022\tINVALID_SIGNATURE\t400"));
    proc_free(&p);
    RUN(&p, "errors", "--markdown");
    assert_int_equal(p.status, 0);
    assert_non_null(strstr(buf_cstr(&p.out), "|"));
    assert_non_null(strstr(buf_cstr(&p.out), "-1021"));
    proc_free(&p);
    (void)state;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_every_subcommand),
        cmocka_unit_test(test_bad_usage_exits_2),
        cmocka_unit_test(test_secret_never_printed),
        cmocka_unit_test(test_sign_verify_agree_with_openssl),
        cmocka_unit_test(test_secret_file_strips_one_newline),
        cmocka_unit_test(test_hmac_verify_case_insensitive),
        cmocka_unit_test(test_payload_rest_and_ws),
        cmocka_unit_test(test_explain_names_every_mistake),
        cmocka_unit_test(test_explain_valid_exits_0),
        cmocka_unit_test(test_vectors_pass_exact_count),
        cmocka_unit_test(test_readme_counts),
        cmocka_unit_test(test_vectors_tampered_file_fails),
        cmocka_unit_test(test_errors_catalogue),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
