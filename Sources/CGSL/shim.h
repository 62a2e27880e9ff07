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

#endif
