/* healthcheck: `binance-mock --healthcheck [URL]` - one GET of URL (default
 * http://127.0.0.1:8080/api/v3/ping) over a plain socket, exit 0 iff the
 * answer is HTTP 200 within 3 s. For container HEALTHCHECKs: the image has
 * no curl. Only http:// URLs with a numeric or resolvable host. */
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "healthcheck.h"

#define HC_TIMEOUT_MS 3000

static int hc_split(const char *url, char *host, size_t hl, char *port, size_t pl, const char **path)
{
    if (strncmp(url, "http://", 7)) return -1;
    const char *h = url + 7, *slash = strchr(h, '/'), *end = slash ? slash : h + strlen(h);
    const char *colon = memchr(h, ':', (size_t)(end - h));
    size_t n = (size_t)((colon ? colon : end) - h);
    if (n == 0 || n >= hl) return -1;
    memcpy(host, h, n);
    host[n] = 0;
    snprintf(port, pl, "%.*s", colon ? (int)(end - colon - 1) : 2, colon ? colon + 1 : "80");
    *path = slash ? slash : "/";
    return 0;
}

static int hc_wait(int fd, short ev)
{
    struct pollfd p = { fd, ev, 0 };
    return poll(&p, 1, HC_TIMEOUT_MS) == 1 ? 0 : -1;
}

int healthcheck_run(const char *url)
{
    char host[256], port[16], req[1024], resp[64] = "";
    const char *path;
    struct addrinfo hints, *ai = NULL;
    if (!url) url = "http://127.0.0.1:8080/api/v3/ping";
    if (hc_split(url, host, sizeof host, port, sizeof port, &path) < 0) {
        fprintf(stderr, "binance-mock --healthcheck: not an http:// URL: %s\n", url);
        return 2;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai) {
        fprintf(stderr, "binance-mock --healthcheck: cannot resolve %s\n", host);
        return 1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM, 0), ok = 0;
    if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
        if (n > 0 && (size_t)n < sizeof req && write(fd, req, (size_t)n) == n && hc_wait(fd, POLLIN) == 0) {
            ssize_t got = read(fd, resp, sizeof resp - 1);
            if (got > 0) resp[got] = 0;
            ok = !strncmp(resp, "HTTP/1.1 200", 12) || !strncmp(resp, "HTTP/1.0 200", 12);
        }
    }
    if (fd >= 0) close(fd);
    freeaddrinfo(ai);
    if (!ok) fprintf(stderr, "binance-mock --healthcheck: %s: %s\n", url, resp[0] ? "not 200" : "no answer");
    return ok ? 0 : 1;
}
