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
}
