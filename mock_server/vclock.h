/* vclock: the server's virtual clock. now = real clock + offset, or a frozen
 * instant; the admin API moves it. Everything in the server reads time here. */
#ifndef BC_VCLOCK_H
#define BC_VCLOCK_H
#include <pthread.h>
#include <stdint.h>
#include <cjson/cJSON.h>

/* The clock's range: 0 .. 9999-12-31T23:59:59.999Z. The admin API refuses
 * values outside it, and moves that would leave it stop at its ends, so no
 * time arithmetic in the server can overflow. */
#define VCLOCK_MAX_MS INT64_C(253402300799999)
#define VCLOCK_MAX_US (VCLOCK_MAX_MS * 1000)

typedef struct vclock {
    pthread_mutex_t mu;
    int64_t offset_us;        /* added to the real clock when not frozen */
    int frozen;
    int64_t frozen_us;        /* the instant when frozen */
    int64_t start_offset_us;  /* configured offset, restored by reset */
    int64_t back_us;          /* sum of the admin's backward jumps (saturating) */
} vclock;

void vclock_init(vclock *c, int64_t offset_us);
void vclock_destroy(vclock *c);
int64_t vclock_real_us(void);
int64_t vclock_now_us(vclock *c);
/* A clock that moves with the virtual clock's forward moves only: now plus
 * every backward jump made so far. Timers that must neither fire nor stall
 * when the clock is set into the past (WS pings, pong timeout, lifetime)
 * measure elapsed time on it. */
int64_t vclock_mono_us(vclock *c);
/* offset, freeze and advance clamp the resulting instant to [0, VCLOCK_MAX_US]. */
void vclock_set_offset(vclock *c, int64_t offset_us);
void vclock_freeze_at(vclock *c, int64_t at_us);
void vclock_unfreeze(vclock *c);         /* keeps the current instant: offset adjusted */
void vclock_advance(vclock *c, int64_t delta_us);
void vclock_reset(vclock *c);
/* {"nowMs":..,"offsetMs":..,"frozen":bool} */
cJSON *vclock_json(vclock *c);
#endif
