// Cache hints for Swift code: the prefetch instruction, which Swift does not expose.
#ifndef EVENTSIM_CACHE_HINTS_H
#define EVENTSIM_CACHE_HINTS_H

/// Asks the processor to bring the cache line holding `address` into every cache level for a coming read.
/// A hint only: it never faults, not even for an invalid or freed address, changes no program state, and
/// compiles to nothing on targets without a prefetch instruction. Inlined into Swift callers (one instruction).
static inline __attribute__((always_inline)) void cache_hints_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Asks the processor to bring the cache line holding `address` into every cache level for a coming write
/// (in the exclusive state where the processor supports it). A hint only, like ``cache_hints_prefetch``.
static inline __attribute__((always_inline)) void cache_hints_prefetch_for_write(void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
