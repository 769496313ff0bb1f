/* bcs_test: cmocka glue shared by the server suites: a group setup that
 * starts one binance-mock per suite (state = bcs_mock *) and assertion
 * helpers for Binance error responses. */
#ifndef BC_BCS_TEST_H
#define BC_BCS_TEST_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "bcs.h"
#include "errors.h"

/* Start a mock with args (NULL-terminated) into *state. */
int bcs_group_start(void **state, const char *const *args);
int bcs_group_stop(void **state);
/* Default group setup: no extra args. */
int bcs_group_setup(void **state);

/* Assert status, code and the catalogue message of id (with a1/a2). */
#define bcs_assert_err(r, id, a1, a2) bcs_assert_err_((r), (id), (a1), (a2), __FILE__, __LINE__)
void bcs_assert_err_(const bcs_resp *r, err_id id, const char *a1, const char *a2,
                     const char *file, int line);
#endif
