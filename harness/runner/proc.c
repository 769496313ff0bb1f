/* proc: the two child processes of a run. The adapter (the client library
 * under test, speaking PROTOCOL.md over pipes, every answer bounded by a
 * timeout so a hung adapter cannot hang the run) and binance-mock (started
 * on 127.0.0.1:0; its stdout goes to a log file we poll for the one
 * "listening on" line). */
#define _GNU_SOURCE
#include "conform.h"
#include "json_guard.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long proc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait up to ms for pid to exit; 1 exited, 0 still running. *status: its
 * exit status (128 + signal when killed), -1 unknown; may be NULL. */
static int proc_reap_status(pid_t pid, int ms, int *status)
{
    long long end = proc_now_ms() + ms;
    if (status)
        *status = -1;
    do {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid && status)
            *status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
        if (r == pid || (r < 0 && errno == ECHILD))
            return 1;
        struct timespec ts = {0, 10 * 1000000};
        nanosleep(&ts, NULL);
    } while (proc_now_ms() < end);
    return 0;
}

static int proc_reap(pid_t pid, int ms)
{
    return proc_reap_status(pid, ms, NULL);
}

/* Stop pid (group: the whole process group it leads) with SIGTERM, then SIGKILL. */
static void proc_kill(pid_t pid, int group, int grace_ms)
{
    if (pid <= 0)
        return;
    kill(group ? -pid : pid, SIGTERM);
    if (!proc_reap(pid, grace_ms)) {
        kill(group ? -pid : pid, SIGKILL);
        proc_reap(pid, 2000);
    }
}

int adapter_start(adapter *a, const char *cmd, const char *log_path, int timeout_ms,
                  char *err, size_t errlen)
{
    int in[2], out[2], rc;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
    memset(a, 0, sizeof *a);
    a->exit_status = -1;
    buf_init(&a->rbuf);
    a->timeout_ms = timeout_ms;
    a->cmd = strdup(cmd);
    a->log_path = log_path ? strdup(log_path) : NULL;
    if (!a->cmd || pipe2(in, O_CLOEXEC) != 0)
        return snprintf(err, errlen, "pipe: %s", strerror(errno)), -1;
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        return snprintf(err, errlen, "pipe: %s", strerror(errno)), -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, log_path ? log_path : "/dev/null",
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    /* Own process group: wrappers (shims, npx, sh) spawn the real adapter as
     * a child, and stopping a hung adapter must stop all of them. */
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    rc = posix_spawn(&a->pid, "/bin/sh", &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (rc != 0) {
        close(in[1]);
        close(out[0]);
        a->pid = 0;
        return snprintf(err, errlen, "spawn adapter: %s", strerror(rc)), -1;
    }
    a->to_fd = in[1];
    a->from_fd = out[0];
    return 0;
}

int adapter_alive(const adapter *a)
{
    return a->pid > 0 && a->to_fd >= 0;
}

static void adapter_close(adapter *a)
{
    if (a->to_fd > 0)
        close(a->to_fd);
    if (a->from_fd > 0)
        close(a->from_fd);
    a->to_fd = a->from_fd = -1;
}

/* Read one line into line (caller frees) before deadline. 0 ok, -1 timeout, -2 EOF. */
static int adapter_read_line(adapter *a, long long deadline, char **line)
{
    for (;;) {
        char *nl = a->rbuf.len ? memchr(a->rbuf.data, '\n', a->rbuf.len) : NULL;
        char tmp[8192];
        if (nl) {
            size_t n = (size_t)(nl - a->rbuf.data);
            *line = strndup(a->rbuf.data, n);
            memmove(a->rbuf.data, nl + 1, a->rbuf.len - n - 1);
            a->rbuf.len -= n + 1;
            a->rbuf.data[a->rbuf.len] = '\0';
            return *line ? 0 : -2;
        }
        long long left = deadline - proc_now_ms();
        if (left <= 0)
            return -1;
        struct pollfd p = {a->from_fd, POLLIN, 0};
        int pr = poll(&p, 1, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            return -1;
        ssize_t r = read(a->from_fd, tmp, sizeof tmp);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -2;
        if (a->rbuf.len + (size_t)r > (64u << 20) || buf_append(&a->rbuf, tmp, (size_t)r) != 0)
            return -2;
    }
}

static int adapter_write_all(adapter *a, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(a->to_fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

cJSON *adapter_call(adapter *a, const char *op, cJSON *params, char *err, size_t errlen)
{
    cJSON *req = cJSON_CreateObject();
    long id = ++a->next_id;
    long long deadline = proc_now_ms() + a->timeout_ms;
    char *text;
    if (!adapter_alive(a)) {
        cJSON_Delete(params);
        cJSON_Delete(req);
        snprintf(err, errlen, "adapter is not running");
        return NULL;
    }
    cJSON_AddNumberToObject(req, "id", (double)id);
    cJSON_AddStringToObject(req, "op", op);
    if (params)
        cJSON_AddItemToObject(req, "params", params);
    text = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    if (!text || adapter_write_all(a, text, strlen(text)) != 0 || adapter_write_all(a, "\n", 1) != 0) {
        free(text);
        adapter_stop(a);
        if (a->exit_status >= 0)
            snprintf(err, errlen, "adapter exited (status %d) while answering '%s'", a->exit_status, op);
        else
            snprintf(err, errlen, "adapter closed its stdin (exited?) before '%s'", op);
        return NULL;
    }
    free(text);
    for (;;) {
        char *line = NULL;
        int r = adapter_read_line(a, deadline, &line);
        cJSON *resp, *rid;
        if (r != 0) {
            adapter_stop(a);
            if (r == -1)
                snprintf(err, errlen, "adapter timeout: no answer to '%s' within %d ms", op,
                         a->timeout_ms);
            else if (a->exit_status >= 0)
                snprintf(err, errlen, "adapter exited (status %d) while answering '%s'",
                         a->exit_status, op);
            else
                snprintf(err, errlen, "adapter exited while answering '%s'", op);
            return NULL;
        }
        resp = line[0] == '{' ? json_guard_parse_str(line) : NULL;
        free(line);
        if (!resp)
            continue;   /* not a protocol line: ignored (PROTOCOL.md: logs go to stderr) */
        rid = cJSON_GetObjectItemCaseSensitive(resp, "id");
        if (cJSON_IsNumber(rid) && (long)rid->valuedouble == id)
            return resp;
        cJSON_Delete(resp);   /* a late answer to an earlier request */
    }
}

int adapter_hello(adapter *a, char *err, size_t errlen)
{
    cJSON *p = cJSON_CreateObject(), *r, *d;
    int saved = a->timeout_ms;
    cJSON_AddNumberToObject(p, "protocol", CONFORM_PROTOCOL);
    a->timeout_ms = saved * 2;   /* cold start of a VM / interpreter + library load */
    r = adapter_call(a, "hello", p, err, errlen);
    a->timeout_ms = saved;
    if (!r)
        return -1;
    d = cJSON_GetObjectItemCaseSensitive(r, "data");
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")) || !cJSON_IsObject(d)) {
        snprintf(err, errlen, "adapter answered hello without ok:true and a data object");
        cJSON_Delete(r);
        return -1;
    }
    cJSON_Delete(a->hello);
    a->hello = cJSON_DetachItemViaPointer(r, d);
    cJSON_Delete(r);
    return 0;
}

static int adapter_list_has(const cJSON *arr, const char *s)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
        if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
            return 1;
    return 0;
}

int adapter_has(const adapter *a, const char *cap)
{
    return adapter_list_has(cJSON_GetObjectItemCaseSensitive(a->hello, "capabilities"), cap) ||
           adapter_list_has(cJSON_GetObjectItemCaseSensitive(a->hello, "keyTypes"), cap);
}

void adapter_stop(adapter *a)
{
    if (a->pid > 0) {
        adapter_close(a);
        if (!proc_reap_status(a->pid, 1000, &a->exit_status))
            proc_kill(a->pid, 1, 1000);
        else
            kill(-a->pid, SIGKILL);   /* leftovers of the adapter's group, if any */
        a->pid = 0;
    }
    adapter_close(a);
}

int mock_start(mock_proc *m, const char *path, const char *log_path, char *err, size_t errlen)
{
    posix_spawn_file_actions_t fa;
    char *argv[] = {(char *)path, "--listen", "127.0.0.1:0", NULL};
    long long deadline = proc_now_ms() + 15000;
    int rc;
    memset(m, 0, sizeof *m);
    m->log_path = strdup(log_path);
    if (!m->log_path)
        return snprintf(err, errlen, "out of memory"), -1;
    unlink(log_path);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    rc = posix_spawn(&m->pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        m->pid = 0;
        return snprintf(err, errlen, "cannot start %s: %s", path, strerror(rc)), -1;
    }
    while (proc_now_ms() < deadline) {
        size_t n = 0;
        char *log = read_file(log_path, &n), *l;
        int st;
        if (log && (l = strstr(log, "listening on ")) != NULL && strchr(l, '\n')) {
            size_t ul = strcspn(l + 13, "\r\n");
            if (ul < sizeof m->url) {
                memcpy(m->url, l + 13, ul);
                m->url[ul] = '\0';
            }
            free(log);
            return 0;
        }
        free(log);
        if (waitpid(m->pid, &st, WNOHANG) == m->pid) {
            m->pid = 0;
            return snprintf(err, errlen, "%s exited before listening (log: %s)", path, log_path), -1;
        }
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
    mock_stop(m);
    return snprintf(err, errlen, "%s did not print 'listening on' within 15 s", path), -1;
}

int mock_alive(mock_proc *m)
{
    int st;
    if (m->pid <= 0)
        return 1;   /* not ours (--server): assume alive */
    if (waitpid(m->pid, &st, WNOHANG) == m->pid) {
        m->pid = 0;
        return 0;
    }
    return 1;
}

void mock_stop(mock_proc *m)
{
    if (m->pid > 0)
        proc_kill(m->pid, 0, 3000);
    m->pid = 0;
    free(m->log_path);
    m->log_path = NULL;
}

/* A failed start / hello: one block on stderr (stdout flushed first, so it
 * never lands in the middle of a progress line), naming the file that holds
 * the adapter's stderr and quoting its last lines. */
void adapter_report_failure(const adapter *a, const char *what, const char *err)
{
    size_t n = 0, i, lines = 0;
    char *log = a->log_path ? read_file(a->log_path, &n) : NULL;
    fflush(stdout);
    fprintf(stderr, "binance-conform: adapter: %s: %s\n", what, err);
    if (!a->log_path) {
        free(log);
        return;
    }
    if (!log || n == 0) {
        fprintf(stderr, "binance-conform: adapter stderr saved in %s (empty)\n", a->log_path);
        free(log);
        return;
    }
    while (n > 0 && (log[n - 1] == '\n' || log[n - 1] == '\r'))
        log[--n] = '\0';
    for (i = n; i > 0 && lines < 10; i--)   /* start of the last 10 lines */
        if (log[i - 1] == '\n' && ++lines == 10)
            break;
    fprintf(stderr, "binance-conform: adapter stderr saved in %s; last lines:\n", a->log_path);
    for (char *l = log + i, *save = NULL, *t = strtok_r(l, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
        fprintf(stderr, "  | %.300s\n", t);
    fflush(stderr);
    free(log);
}
