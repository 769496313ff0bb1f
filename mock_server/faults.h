/* faults: scripted failures (admin API, contract E). A rule matches a route
 * ("POST /api/v3/order", a bare path = any method, "*" = every route) and
 * applies to its next `count` requests: an error (code + HTTP status), a real
 * delay, a dropped connection, and for 5xx "execution status unknown" whether
 * the request is really executed. */
#ifndef BC_FAULTS_H
#define BC_FAULTS_H
#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#define FAULT_MAX_DELAY_MS 30000

typedef struct fault {
    char route[160];
    int64_t count;           /* remaining */
    int status;              /* 0: none (or catalogue status of code) */
    int code;                /* 0: no error */
    char msg[256];           /* "" = catalogue message of code */
    int64_t delay_ms;
    int drop;
    int execute;             /* run the request, then answer with the error */
} fault;

typedef struct faults {
    pthread_mutex_t mu;
    fault *v;
    size_t n, cap;
} faults;

void faults_init(faults *f);
void faults_destroy(faults *f);
/* Parse and append a rule. 0 ok, -1 (message in err). */
int faults_add_json(faults *f, const cJSON *in, char *err, size_t errlen);
/* Take one use of the first rule matching method+path; 1 found (copied to out). */
int faults_take(faults *f, const char *method, const char *path, fault *out);
cJSON *faults_json(faults *f);
void faults_clear(faults *f);
#endif
