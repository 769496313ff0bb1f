/* healthcheck: the --healthcheck probe (healthcheck.c). */
#ifndef BC_HEALTHCHECK_H
#define BC_HEALTHCHECK_H
/* 0 healthy, 1 not, 2 bad URL. url NULL = http://127.0.0.1:8080/api/v3/ping */
int healthcheck_run(const char *url);
#endif
