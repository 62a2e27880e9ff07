#ifndef EVENTSIM_CGSL_SHIM_H
#define EVENTSIM_CGSL_SHIM_H

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sf_gamma.h>

/* GSL exposes its generator types as mutable globals (`gsl_rng_mt19937` and friends). Swift 6 rejects
   reading global mutable C state from arbitrary contexts, so these accessors hand out the (never
   mutated) type descriptors through functions instead. */
static inline const gsl_rng_type *eventsim_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *eventsim_gsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *eventsim_gsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }

/* Turns GSL's default error handler (which calls abort()) off; errors then come back as status codes
   and NaN results, which the Swift layer checks. Idempotent. */
static inline void eventsim_gsl_disable_abort(void) { gsl_set_error_handler_off(); }

/* A generator whose outputs the caller chooses, for reading GSL's own ziggurat tables through
   `gsl_ran_gaussian_ziggurat` (Stochastics' `ZigguratTables`): the first `gsl_rng_get` returns `first`, every
   later one `next`, and `gsl_rng_uniform` returns 0; `calls` counts them all. */
typedef struct {
    unsigned long first;
    unsigned long next;
    unsigned long calls;
} eventsim_probe_state;

static inline void eventsim_probe_set(void *state, unsigned long seed) { (void)state; (void)seed; }

static inline unsigned long eventsim_probe_get(void *state) {
    eventsim_probe_state *probe = (eventsim_probe_state *)state;
    probe->calls += 1;
    return probe->calls == 1 ? probe->first : probe->next;
}

static inline double eventsim_probe_get_double(void *state) {
    ((eventsim_probe_state *)state)->calls += 1;
    return 0.0;
}

/* `gsl_ran_gaussian_ziggurat(r, 1.0)` on the probe generator (a 32-bit range, like MT19937's); `*calls` is
   how many outputs it read. */
static inline double eventsim_ziggurat_probe(unsigned long first, unsigned long next, unsigned long *calls) {
    static const gsl_rng_type type = {
        "eventsim-probe", 0xffffffffUL, 0, sizeof(eventsim_probe_state), eventsim_probe_set, eventsim_probe_get,
        eventsim_probe_get_double};
    eventsim_probe_state state = {first, next, 0};
    gsl_rng generator = {&type, &state};
    double value = gsl_ran_gaussian_ziggurat(&generator, 1.0);
    *calls = state.calls;
    return value;
}

#endif
