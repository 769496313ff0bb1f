/* bcs_cli: the command line every suite executable shares, linked into each
 * one as an object. ctest sets BC_SOURCE_DIR, BC_BIN_DIR and BINANCE_MOCK;
 * run by hand, a suite gets the same values from the build (this file sets
 * only what the environment lacks). `--help` prints the usage; any other
 * argument is refused with exit 2 (cmocka's runner takes none).
 * A suite with an option of its own names it in bcs_cli_option (weak: most
 * suites have none), and the constructor lets that one through.
 * Runs as a constructor: glibc passes (argc, argv, envp) to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BC_SOURCE_DIR
#error "BC_SOURCE_DIR must be defined by the build"
#endif

extern const char bcs_cli_option[] __attribute__((weak));

static const char *bcs_cli_name(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    return slash ? slash + 1 : argv0 ? argv0 : "suite";
}

__attribute__((constructor)) static void bcs_cli(int argc, char **argv, char **envp)
{
    (void)envp;
    setenv("BC_SOURCE_DIR", BC_SOURCE_DIR, 0);
    setenv("BC_BIN_DIR", BC_BIN_DIR, 0);
    setenv("BINANCE_MOCK", BC_BIN_DIR "/binance-mock", 0);
    if (argc < 2 || !argv) return;
    if (bcs_cli_option && !strcmp(argv[1], bcs_cli_option)) return;
    const char *name = bcs_cli_name(argv[0]);
    int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
    FILE *f = help ? stdout : stderr;
    if (!help) fprintf(f, "%s: unknown argument '%s'\n", name, argv[1]);
    fprintf(f, "usage: %s\n"
               "A cmocka suite of binance-conformance (suites/%s.c). It takes no arguments:\n"
               "it runs every test and exits 0 iff all pass. ctest runs it as\n"
               "`ctest --test-dir build -R '^%s$'`; run by hand it uses\n"
               "  BC_SOURCE_DIR=%s\n  BINANCE_MOCK=%s/binance-mock\n"
               "unless those are set. CMOCKA_MESSAGE_OUTPUT=xml writes JUnit XML.\n",
            name, name, name, BC_SOURCE_DIR, BC_BIN_DIR);
    if (bcs_cli_option) fprintf(f, "Its own option: %s\n", bcs_cli_option);
    exit(help ? 0 : 2);
}
