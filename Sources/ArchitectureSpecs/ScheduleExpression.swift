public import SimulationKernel

/// An EventBridge schedule expression: `rate(value unit)` or `cron(minutes hours day-of-month month
/// day-of-week year)`, evaluated on simulated time (the run starts at 2026-11-27T00:00:00Z, a Friday).
public enum ScheduleExpression: Sendable, Equatable {
    case rate(SimTime)
    case cron(CronSchedule)

    /// Parses an expression; the error is a sentence saying what was expected.
    public static func parse(_ text: String) throws(ScheduleError) -> ScheduleExpression {
        let trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("rate("), trimmed.hasSuffix(")") {
            let inner = trimmed.dropFirst(5).dropLast().split(separator: " ", omittingEmptySubsequences: true)
            guard inner.count == 2, let value = Int(inner[0]), value > 0 else {
                throw ScheduleError("rate expression must be 'rate(N unit)' with a positive whole N, got '\(text)'")
            }
            let unit: SimTime
            switch inner[1] {
            case "minute", "minutes": unit = 60
            case "hour", "hours": unit = 3_600
            case "day", "days": unit = 86_400
            default: throw ScheduleError("unknown rate unit '\(inner[1])'; expected one of: minute(s), hour(s), day(s)")
            }
            let plural = inner[1].hasSuffix("s")
            if (value == 1 && plural) || (value > 1 && !plural) {
                throw ScheduleError("rate unit must be singular for 1 and plural otherwise, got '\(text)'")
            }
            return .rate(SimTime(value) * unit * 1_000_000_000)
        }
        if trimmed.hasPrefix("cron("), trimmed.hasSuffix(")") {
            return .cron(try CronSchedule(String(trimmed.dropFirst(5).dropLast())))
        }
        throw ScheduleError("schedule must be 'rate(…)' or 'cron(…)', got '\(text)'")
    }

    /// The first firing time strictly after `time`, or nil if none within ten years.
    public func next(after time: SimTime) -> SimTime? {
        switch self {
        case .rate(let period): return (time / period + 1) * period
        case .cron(let cron): return cron.next(after: time)
        }
    }
}

/// The error of a schedule expression that cannot be parsed.
public struct ScheduleError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A six-field AWS cron schedule, minute resolution. Fields accept `*`, `?` (day fields), numbers, lists `a,b`,
/// ranges `a-b` and steps `*/n` or `a/n`; month and weekday names are not supported.
public struct CronSchedule: Sendable, Equatable {
    var minutes: Set<Int>, hours: Set<Int>, days: Set<Int>?, months: Set<Int>, weekdays: Set<Int>?, years: Set<Int>?

    init(_ text: String) throws(ScheduleError) {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 6 else {
            throw ScheduleError(
                "cron expression needs 6 fields (minutes hours day-of-month month day-of-week year), got \(fields.count)"
            )
        }
        minutes = try CronSchedule.field(fields[0], 0...59, "minutes")!
        hours = try CronSchedule.field(fields[1], 0...23, "hours")!
        days = try CronSchedule.field(fields[2], 1...31, "day-of-month", allowsQuestion: true)
        months = try CronSchedule.field(fields[3], 1...12, "month")!
        weekdays = try CronSchedule.field(fields[4], 1...7, "day-of-week", allowsQuestion: true)
        years = fields[5] == "*" ? nil : try CronSchedule.field(fields[5], 1970...2199, "year")
        if (fields[2] == "?") == (fields[4] == "?") {
            throw ScheduleError("exactly one of day-of-month and day-of-week must be '?'")
        }
    }

    static func field(
        _ text: String, _ range: ClosedRange<Int>, _ name: String,
        allowsQuestion: Bool = false
    ) throws(ScheduleError) -> Set<Int>? {
        if text == "?" {
            guard allowsQuestion else { throw ScheduleError("'?' is only allowed in day-of-month and day-of-week") }
            return nil
        }
        var values = Set<Int>()
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "/", maxSplits: 1)
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else {
                    throw ScheduleError("bad step in cron \(name) field '\(text)'")
                }
                step = parsed
            }
            var low = range.lowerBound, high = range.upperBound
            if pieces[0] != "*" {
                let bounds = pieces[0].split(separator: "-", maxSplits: 1)
                guard let first = Int(bounds[0]), range.contains(first) else {
                    throw ScheduleError(
                        "cron \(name) value '\(pieces[0])' is outside \(range.lowerBound)-\(range.upperBound)")
                }
                low = first
                high = pieces.count == 2 ? range.upperBound : first
                if bounds.count == 2 {
                    guard let last = Int(bounds[1]), range.contains(last), last >= first else {
                        throw ScheduleError("bad range '\(pieces[0])' in cron \(name) field")
                    }
                    high = last
                }
            }
            for value in stride(from: low, through: high, by: step) { values.insert(value) }
        }
        return values
    }

    /// The first matching minute strictly after `time`.
    func next(after time: SimTime) -> SimTime? {
        let minute: SimTime = 60_000_000_000
        var candidate = (time / minute + 1) * minute
        for _ in 0..<(10 * 366 * 24 * 60) {
            let civil = CivilTime(simulated: candidate)
            if matches(civil) { return candidate }
            // Skip whole hours or days when they cannot match.
            if !months.contains(civil.month) || !dayMatches(civil) || years.map({ !$0.contains(civil.year) }) == true {
                candidate += (1_440 - SimTime(civil.hour * 60 + civil.minute)) * minute
            } else if !hours.contains(civil.hour) {
                candidate += (60 - SimTime(civil.minute)) * minute
            } else {
                candidate += minute
            }
        }
        return nil
    }

    func dayMatches(_ civil: CivilTime) -> Bool {
        if let days { return days.contains(civil.day) }
        if let weekdays { return weekdays.contains(civil.weekday) }
        return true
    }

    func matches(_ civil: CivilTime) -> Bool {
        minutes.contains(civil.minute) && hours.contains(civil.hour) && months.contains(civil.month)
            && dayMatches(civil) && (years?.contains(civil.year) ?? true)
    }
}

/// Calendar fields of a simulated instant (UTC; simulated time 0 is 2026-11-27T00:00:00Z).
package struct CivilTime {
    /// Unix seconds of simulated time zero.
    package static let epoch: Int64 = 1_795_737_600
    package var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int
    /// 1 = Sunday … 7 = Saturday (AWS cron convention).
    package var weekday: Int

    package init(simulated time: SimTime) {
        let total = CivilTime.epoch + time / 1_000_000_000
        nanosecond = Int(time % 1_000_000_000)
        let days = Int(total / 86_400)
        let secondsOfDay = Int(total % 86_400)
        hour = secondsOfDay / 3_600
        minute = secondsOfDay % 3_600 / 60
        second = secondsOfDay % 60
        weekday = (days + 4) % 7 + 1  // 1970-01-01 was a Thursday
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// ISO 8601 with second resolution, as in the event envelope's `time`.
    package var iso8601: String {
        var text: [UInt8] = []
        appendISO8601(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``iso8601``'s text (`YYYY-MM-DDThh:mm:ssZ`; a year beyond four digits or before year 0 keeps its
    /// digits and sign). - Complexity: O(1), no allocation beyond `text`'s growth.
    package func appendISO8601(to text: inout [UInt8]) {
        func pad(_ value: Int, _ width: Int) {
            if value < 0 || value >= 10_000 {
                // Rare: as `String(value)` spells it, padded to the width.
                let digits = Array(String(value).utf8)
                text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - digits.count)))
                text.append(contentsOf: digits)
                return
            }
            var divisor = 1
            for _ in 1..<max(width, value >= 1_000 ? 4 : value >= 100 ? 3 : value >= 10 ? 2 : 1) { divisor *= 10 }
            while divisor > 0 {
                text.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / divisor % 10))
                divisor /= 10
            }
        }
        let fields: [(value: Int, width: Int, then: Unicode.Scalar)] = [
            (year, 4, "-"), (month, 2, "-"), (day, 2, "T"), (hour, 2, ":"), (minute, 2, ":"), (second, 2, "Z"),
        ]
        for field in fields {
            pad(field.value, field.width)
            text.append(UInt8(ascii: field.then))
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
