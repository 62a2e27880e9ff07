#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The CPU time the calling thread has used, for benchmarks on machines whose cores are shared: wall time
/// counts the time other processes run, CPU time does not.
enum ThreadClock {
    /// The thread's CPU time in seconds, or `nil` where the platform has no thread clock.
    static func seconds() -> Double? {
        #if canImport(Glibc) || canImport(Darwin)
            var spec = timespec()
            guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return nil }
            return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
        #else
            return nil
        #endif
    }
}
