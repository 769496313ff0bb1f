/* bcs_proc: spawn and stop binance-mock for a suite. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <civetweb.h>
#include "bcs.h"

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read the readiness line from fd within timeout. */
static int read_ready(int fd, char *line, size_t n, int timeout_ms)
{
    size_t len = 0;
    int64_t end = mono_ms() + timeout_ms;
    while (len + 1 < n) {
        struct pollfd p = { fd, POLLIN, 0 };
        int left = (int)(end - mono_ms());
        if (left <= 0 || poll(&p, 1, left) <= 0) return -1;
        ssize_t r = read(fd, line + len, 1);
        if (r <= 0) return -1;
        if (line[len] == '\n') { line[len] = 0; return 0; }
        len++;
    }
    return -1;
}

int bcs_slow(void)
{
    const char *v = getenv("BCS_SLOW");
    int n = v ? atoi(v) : 1;
    return n >= 1 && n <= 100 ? n : 1;
}

int bcs_mock_start(bcs_mock *m, const char *const *args)
{
    const char *bin = getenv("BINANCE_MOCK");
    const char *argv[64];
    size_t n = 0;
    int pfd[2];
    if (!bin) { fprintf(stderr, "bcs: BINANCE_MOCK not set\n"); return -1; }
    signal(SIGPIPE, SIG_IGN);              /* a server that closes must not kill the suite */
    memset(m, 0, sizeof *m);
    argv[n++] = bin;
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1:0";
    for (size_t i = 0; args && args[i] && n < 62; i++) {
        if (!strcmp(args[i], "--tls-cert")) m->tls = 1;
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    if (pipe(pfd) < 0) return -1;
    pid_t pid = fork();
    if (pid < 0) { close(pfd[0]); close(pfd[1]); return -1; }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);   /* never outlive a failed test */
        dup2(pfd[1], 1);
        close(pfd[0]);
        close(pfd[1]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(pfd[1]);
    char line[256];
    /* the ThreadSanitizer build starts its 2048 workers much slower */
    int rc = read_ready(pfd[0], line, sizeof line, 20000 * bcs_slow());
    close(pfd[0]);
    m->pid = pid;
    const char *p = rc == 0 ? strstr(line, "listening on ") : NULL;
    const char *colon = p ? strrchr(p, ':') : NULL;
    if (!p || !colon) {
        fprintf(stderr, "bcs: binance-mock did not become ready (line: %s)\n", rc == 0 ? line : "<none>");
        bcs_mock_stop(m);
        return -1;
    }
    snprintf(m->url, sizeof m->url, "%s", p + 13);
    m->port = atoi(colon + 1);
    if (m->tls) mg_init_library(MG_FEATURES_TLS);
    return 0;
}

int bcs_mock_alive(const bcs_mock *m)
{
    int st;
    return m->pid > 0 && waitpid(m->pid, &st, WNOHANG) == 0;
}

int bcs_mock_stop(bcs_mock *m)
{
    int st = 0;
    if (m->pid <= 0) return -1;
    kill(m->pid, SIGTERM);
    int64_t end = mono_ms() + 10000;
    pid_t r;
    while ((r = waitpid(m->pid, &st, WNOHANG)) == 0 && mono_ms() < end) {
        struct timespec ts = { 0, 10 * 1000000L };
        nanosleep(&ts, NULL);   /* polling a child's exit, not waiting on server timing */
    }
    if (r == 0) {
        kill(m->pid, SIGKILL);
        waitpid(m->pid, &st, 0);
        m->pid = 0;
        return -1;
    }
    m->pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *bcs_tmpdir(void)
{
    char tmpl[] = "/tmp/bcs-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}
