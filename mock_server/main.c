/* main: binance-mock. Parses the flags, builds the server context, starts
 * civetweb, prints the one readiness line and waits for SIGINT/SIGTERM
 * (blocked in every thread, taken with sigwait: no signal handler, no
 * global state), then stops cleanly. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <openssl/rand.h>
#include "srv_core.h"
#include "healthcheck.h"

int main(int argc, char **argv)
{
    srv_config cfg;
    char err[512] = "";
    if (argc >= 2 && !strcmp(argv[1], "--healthcheck"))
        return healthcheck_run(argc >= 3 ? argv[2] : NULL);
    config_defaults(&cfg);
    int rc = config_parse(&cfg, argc, argv, err, sizeof err);
    if (rc == 1) return 0;
    if (rc < 0) {
        fprintf(stderr, "binance-mock: %s\n", err);
        return 2;
    }
    char token[65];
    if (!cfg.admin_token && !config_listen_is_loopback(&cfg)) {
        unsigned char r[24];
        if (RAND_bytes(r, sizeof r) != 1) {
            fprintf(stderr, "binance-mock: cannot make an admin token\n");
            return 1;
        }
        for (size_t i = 0; i < sizeof r; i++) snprintf(token + 2 * i, 3, "%02x", r[i]);
        cfg.admin_token = token;
        fprintf(stderr, "binance-mock: listening off loopback: /__admin needs "
                "'Authorization: Bearer %s' (set your own with --admin-token or "
                "BINANCE_MOCK_ADMIN_TOKEN)\n", token);
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct srv *s = srv_new(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "binance-mock: %s\n", err);
        return 1;
    }
    if (srv_start(s, err, sizeof err) < 0) {
        fprintf(stderr, "binance-mock: %s\n", err);
        srv_free(s);
        return 1;
    }
    printf("listening on %s\n", srv_url(s));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    srv_free(s);
    return 0;
}
