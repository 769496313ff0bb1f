/* vclock: virtual clock (offset, freeze, advance), one mutex. */
#include <stdint.h>
#include <time.h>
#include "vclock.h"

int64_t vclock_real_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void vclock_init(vclock *c, int64_t offset_us)
{
    pthread_mutex_init(&c->mu, NULL);
    c->offset_us = c->start_offset_us = offset_us;   /* --clock-offset-ms: within +-VCLOCK_MAX_MS */
    c->frozen = 0;
    c->frozen_us = 0;
    c->back_us = 0;
}

void vclock_destroy(vclock *c) { pthread_mutex_destroy(&c->mu); }

static int64_t now_locked(const vclock *c)
{
    return c->frozen ? c->frozen_us : vclock_real_us() + c->offset_us;
}

static int64_t sat_add(int64_t a, int64_t b)   /* b >= 0 */
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* After a change made under c->mu: a backward jump adds to back_us. */
static void note_jump(vclock *c, int64_t before)
{
    int64_t after = now_locked(c);
    if (after < before) c->back_us = sat_add(c->back_us, before - after);
}

int64_t vclock_mono_us(vclock *c)
{
    pthread_mutex_lock(&c->mu);
    int64_t t = sat_add(now_locked(c), c->back_us);
    pthread_mutex_unlock(&c->mu);
    return t;
}

int64_t vclock_now_us(vclock *c)
{
    pthread_mutex_lock(&c->mu);
    int64_t t = now_locked(c);
    pthread_mutex_unlock(&c->mu);
    return t;
}

static int64_t clamp_us(int64_t t)
{
    return t < 0 ? 0 : t > VCLOCK_MAX_US ? VCLOCK_MAX_US : t;
}

/* The offset that puts now at clamp(real + offset). Callers pass offsets
 * within +-VCLOCK_MAX_US (admin-checked), so the sums cannot overflow. */
static int64_t clamp_offset(int64_t offset_us)
{
    int64_t real = vclock_real_us();
    return clamp_us(real + offset_us) - real;
}

void vclock_set_offset(vclock *c, int64_t offset_us)
{
    pthread_mutex_lock(&c->mu);
    int64_t before = now_locked(c);
    c->offset_us = clamp_offset(offset_us);
    note_jump(c, before);
    pthread_mutex_unlock(&c->mu);
}

void vclock_freeze_at(vclock *c, int64_t at_us)
{
    pthread_mutex_lock(&c->mu);
    int64_t before = now_locked(c);
    c->frozen = 1;
    c->frozen_us = clamp_us(at_us);
    note_jump(c, before);
    pthread_mutex_unlock(&c->mu);
}

void vclock_unfreeze(vclock *c)
{
    pthread_mutex_lock(&c->mu);
    if (c->frozen) {
        c->offset_us = c->frozen_us - vclock_real_us();
        c->frozen = 0;
    }
    pthread_mutex_unlock(&c->mu);
}

void vclock_advance(vclock *c, int64_t delta_us)
{
    pthread_mutex_lock(&c->mu);
    int64_t before = now_locked(c);
    if (c->frozen)
        c->frozen_us = clamp_us(c->frozen_us + delta_us);
    else
        c->offset_us = clamp_offset(c->offset_us + delta_us);
    note_jump(c, before);
    pthread_mutex_unlock(&c->mu);
}

void vclock_reset(vclock *c)
{
    pthread_mutex_lock(&c->mu);
    int64_t before = now_locked(c);
    c->offset_us = c->start_offset_us;
    c->frozen = 0;
    note_jump(c, before);
    pthread_mutex_unlock(&c->mu);
}

cJSON *vclock_json(vclock *c)
{
    pthread_mutex_lock(&c->mu);
    int64_t now = now_locked(c);
    int64_t off = c->frozen ? now - vclock_real_us() : c->offset_us;
    int frozen = c->frozen;
    pthread_mutex_unlock(&c->mu);
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "nowMs", (double)(now / 1000));
    cJSON_AddNumberToObject(o, "offsetMs", (double)(off / 1000));
    cJSON_AddBoolToObject(o, "frozen", frozen);
    return o;
}
