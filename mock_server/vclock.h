/* vclock: the server's virtual clock. now = real clock + offset, or a frozen
 * instant; the admin API moves it. Everything in the server reads time here. */
#ifndef BC_VCLOCK_H
#define BC_VCLOCK_H
#include <pthread.h>
#include <stdint.h>
#include <cjson/cJSON.h>

typedef struct vclock {
    pthread_mutex_t mu;
    int64_t offset_us;        /* added to the real clock when not frozen */
    int frozen;
    int64_t frozen_us;        /* the instant when frozen */
    int64_t start_offset_us;  /* configured offset, restored by reset */
} vclock;

void vclock_init(vclock *c, int64_t offset_us);
void vclock_destroy(vclock *c);
int64_t vclock_real_us(void);
int64_t vclock_now_us(vclock *c);
void vclock_set_offset(vclock *c, int64_t offset_us);
void vclock_freeze_at(vclock *c, int64_t at_us);
void vclock_unfreeze(vclock *c);         /* keeps the current instant: offset adjusted */
void vclock_advance(vclock *c, int64_t delta_us);
void vclock_reset(vclock *c);
/* {"nowMs":..,"offsetMs":..,"frozen":bool} */
cJSON *vclock_json(vclock *c);
#endif
