#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The figures of one `eventsim bench match` run.
public struct MatchBenchmarkResult: Sendable, Equatable {
    /// Rules compiled into the machine.
    public var rules: Int
    /// Events matched (lines × repeats).
    public var events: Int
    /// Total (event, rule) matches.
    public var matches: Int
    /// Wall-clock seconds spent matching (parsing the event text included, compiling excluded).
    public var seconds: Double
    /// CPU seconds of the matching thread over the same span (lower than `seconds` when the machine is shared).
    public var cpuSeconds: Double
    /// Seconds spent adding all rules to the machine.
    public var compileSeconds: Double
    /// The machine's structural size estimate divided by the rule count, in bytes.
    public var bytesPerRule: Double
    /// Growth of the process's resident memory while parsing and compiling the rules, per rule, in bytes.
    public var residentBytesPerRule: Double

    public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }

    /// The CSV header line.
    public static let csvHeader =
        "rules,events,matches,seconds,events_per_second,cpu_seconds,compile_seconds,bytes_per_rule,rss_bytes_per_rule"

    /// The CSV row (seconds to the microsecond, rates rounded to whole numbers).
    public var csvRow: String {
        func fixed(_ value: Double, _ digits: Int) -> String {
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            let scaled = (value * scale).rounded()
            let whole = Int(scaled / scale)
            let fraction = Int(abs(scaled) - abs(Double(whole)) * scale)
            guard digits > 0 else { return String(Int(scaled)) }
            let text = String(fraction)
            return "\(whole).\(String(repeating: "0", count: digits - text.count))\(text)"
        }
        return [
            String(rules), String(events), String(matches), fixed(seconds, 6), fixed(eventsPerSecond, 0),
            fixed(cpuSeconds, 6),
            fixed(compileSeconds, 6), fixed(bytesPerRule, 0), fixed(residentBytesPerRule, 0),
        ].joined(separator: ",")
    }
}

/// Runs the matcher benchmark: compile rules once, then match every event line `repeat` times.
public enum MatchBenchmark {
    /// Compiles `rulesText` (see ``RuleFile``) and matches each line of `events` (JSON lines, UTF-8).
    /// - Parameters:
    ///   - rulesText: the rules file's text.
    ///   - events: the events file's bytes; blank lines are skipped.
    ///   - repeat: how many passes over the events are timed (at least 1).
    /// - Throws: ``PatternError`` for a bad rule; ``JSONSyntaxError`` for a bad event, its line being the
    ///   event's line in the file.
    public static func run(
        rulesText: String, events: [UInt8], repeat repeats: Int = 1
    ) throws -> MatchBenchmarkResult {
        let residentBefore = residentBytes()
        let machine = RuleMachine()
        var ruleCount = 0
        let compileStart = now()
        do {
            let rules = try RuleFile.parse(rulesText)
            ruleCount = rules.count
            for (index, rule) in rules.enumerated() { machine.add(rule.pattern, id: index) }
        }
        let compileSeconds = now() - compileStart
        let residentAfter = residentBytes()
        let lines = lineRanges(events)
        var matches = 0
        var result: [Int] = []
        result.reserveCapacity(ruleCount)
        let start = now()
        let cpuStart = threadCPUTime()
        try events.withUnsafeBufferPointer { buffer in
            for _ in 0..<max(1, repeats) {
                for range in lines {
                    do throws(JSONSyntaxError) {
                        try machine.matches(json: UnsafeBufferPointer(rebasing: buffer[range]), into: &result)
                    } catch {
                        let line = events[..<range.lowerBound].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                        throw JSONSyntaxError(
                            message: error.message, offset: range.lowerBound + error.offset, line: line,
                            column: error.column)
                    }
                    matches += result.count
                }
            }
        }
        let seconds = now() - start
        let cpuSeconds = threadCPUTime() - cpuStart
        let perRule = Double(max(ruleCount, 1))
        return MatchBenchmarkResult(
            rules: ruleCount, events: lines.count * max(1, repeats), matches: matches, seconds: seconds,
            cpuSeconds: cpuSeconds,
            compileSeconds: compileSeconds, bytesPerRule: Double(machine.memoryBytes) / perRule,
            residentBytesPerRule: Double(max(0, residentAfter - residentBefore)) / perRule)
    }

    /// Byte ranges of the non-blank lines.
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A {
            let range = start..<index
            if bytes[range].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { ranges.append(range) }
            start = index + 1
        }
        return ranges
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// CPU seconds used by the calling thread.
    static func threadCPUTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The process's resident set size in bytes (Linux /proc/self/statm; 0 elsewhere).
    static func residentBytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0
        var resident = 0
        guard readTwoIntegers(file, &size, &resident) else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func readTwoIntegers(_ file: UnsafeMutablePointer<FILE>, _ first: inout Int, _ second: inout Int)
        -> Bool
    {
        var buffer = [CChar](repeating: 0, count: 128)
        guard fgets(&buffer, 128, file) != nil else { return false }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let parts = text.split(separator: " ")
        guard parts.count >= 2, let a = Int(parts[0]), let b = Int(parts[1]) else { return false }
        first = a
        second = b
        return true
    }
}
