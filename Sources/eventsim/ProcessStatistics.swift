#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resource usage of this process, for benchmark rows.
enum ProcessStatistics {
    /// Peak resident set size in MiB (getrusage's ru_maxrss: KiB on Linux, bytes on macOS).
    static var peakResidentMegabytes: Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #endif
    }

    /// CPU seconds the whole process has used (user and system, all threads): on a shared machine the fair
    /// denominator for a single-core benchmark, since wall time also counts other processes' turns.
    static var cpuSeconds: Double {
        var spec = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec) == 0 else { return 0 }
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}
