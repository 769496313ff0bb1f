/* binsig: sign, verify and explain Binance API signatures offline, derive
 * canonical payloads, and run the known-answer vectors. This file is only
 * the dispatcher and the top-level help; each subcommand has its own file. */
#include "bc_version.h"
#include "tool.h"
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} cmds[] = {
    {"sign", cmd_sign, "sign a payload (HMAC -> hex, RSA/Ed25519 -> base64)"},
    {"verify", cmd_verify, "verify a signature (exit 0 valid, 1 invalid, 2 bad usage/key)"},
    {"payload", cmd_payload, "raw HTTP request or WS JSON frame -> canonical payload"},
    {"explain", cmd_explain, "why a request's signature fails, and which known mistake made it"},
    {"vectors", cmd_vectors, "run the known-answer vectors (default: every vectors/*.json)"},
    {"errors", cmd_errors, "print the error catalogue (--markdown for a table)"},
};

static void usage(FILE *fp) {
    fputs("usage: binsig <command> [options]   (binsig <command> --help for details)\n"
          "       binsig --version\n\n"
          "  binsig sign    (--secret S | --secret-file F | --key PEM) (--payload P | --payload-file F)\n"
          "  binsig verify  (--secret S | --secret-file F | --key PEM) --signature SIG (--payload P | --payload-file F)\n"
          "  binsig payload [--ws] (--request FILE | -)\n"
          "  binsig explain [--ws] (--secret S | --secret-file F | --key PEM) [--candidate-keys F,..] (--request FILE | -)\n"
          "  binsig vectors [--verbose] [FILE...]\n"
          "  binsig errors  [--markdown]\n\ncommands:\n", fp);
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        fprintf(fp, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
}

int main(int argc, char **argv) {
    if (argc < 2) { usage(stderr); return TOOL_USAGE; }
    if (!strcmp(argv[1], "--version")) {
        printf("binsig %s (git %s)\n", BC_VERSION, BC_GIT_REV);
        return TOOL_OK;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return TOOL_OK;
    }
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(argv[1], cmds[i].name)) return cmds[i].fn(argc - 1, argv + 1);
    tool_err("unknown command '%s'", argv[1]);
    usage(stderr);
    return TOOL_USAGE;
}
