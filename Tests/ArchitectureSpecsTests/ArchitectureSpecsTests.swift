import ArchitectureSpecs
import SimulationKernel
import Stochastics
import Testing

private let second: Int64 = 1_000_000_000

@Suite("Schedule expressions")
struct ScheduleExpressionTests {
    @Test func rateFiresOnItsPeriod() throws {
        let schedule = try ScheduleExpression.parse("rate(5 minutes)")
        #expect(schedule == .rate(300 * second))
        // Like a rule created at time 0, the first firing is one period later.
        #expect(schedule.next(after: -1) == 300 * second)
        #expect(schedule.next(after: 0) == 300 * second)
        #expect(schedule.next(after: 301 * second) == 600 * second)
    }

    @Test(arguments: [
        "rate(0 minutes)", "rate(5 minute)", "rate(1 minutes)", "rate(5 weeks)", "every 5 minutes",
        "cron(0 12 * * ? *", "cron(0 12 * * *)", "cron(0 25 * * ? *)", "cron(0 12 * * 2 *)",
    ])
    func malformedExpressionsAreRejected(_ text: String) {
        #expect(throws: ScheduleError.self) { try ScheduleExpression.parse(text) }
    }

    @Test func cronFindsTheNextMatchingMinute() throws {
        // Simulated time 0 is Friday 2026-11-27T00:00:00Z.
        let noonDaily = try ScheduleExpression.parse("cron(0 12 * * ? *)")
        #expect(noonDaily.next(after: 0) == 12 * 3_600 * second)
        let everyFifteen = try ScheduleExpression.parse("cron(0/15 * * * ? *)")
        #expect(everyFifteen.next(after: 0) == 15 * 60 * second)
        // Day-of-week 2 is Monday (1 = Sunday): Monday 2026-11-30 at 09:30.
        let mondays = try ScheduleExpression.parse("cron(30 9 ? * 2 *)")
        #expect(mondays.next(after: 0) == (3 * 86_400 + 9 * 3_600 + 30 * 60) * second)
    }
}

@Suite("Rate profiles and latency profiles")
struct ProfileTests {
    @Test func flashSaleRampsHoldsAndDecays() {
        let sale = RateProfile.flashSale(
            start: 60 * second, ramp: 10 * second, hold: 60 * second,
            decay: 20 * second, peakMultiplier: 10)
        #expect(sale.multiplier(at: 0) == 1)
        #expect(sale.multiplier(at: 65 * second) == 5.5)
        #expect(sale.multiplier(at: 100 * second) == 10)
        #expect(sale.multiplier(at: 140 * second) == 5.5)
        #expect(sale.multiplier(at: 200 * second) == 1)
        #expect(sale.maximumMultiplier == 10)
        #expect(sale.scaledPeak(by: 2).maximumMultiplier == 20)
    }

    @Test func diurnalPeaksAtItsHour() {
        let day = RateProfile.diurnal(period: 86_400 * second, peakMultiplier: 4, peakAt: 72_000 * second)
        #expect(abs(day.multiplier(at: 72_000 * second) - 4) < 1e-9)
        #expect(abs(day.multiplier(at: 28_800 * second) - 1) < 1e-9)
    }

    @Test func stepsApplyFromTheirTime() {
        let steps = RateProfile.steps([
            RateStep(at: 10 * second, multiplier: 3), RateStep(at: 20 * second, multiplier: 0.5),
        ])
        #expect(steps.multiplier(at: 5 * second) == 1)
        #expect(steps.multiplier(at: 10 * second) == 3)
        #expect(steps.multiplier(at: 25 * second) == 0.5)
    }

    /// Many steps, some at equal times: at every instant the multiplier is the last step's at or before it, in
    /// list order, as a scan of the steps defines it.
    @Test func manyStepsGiveTheLastStepAtOrBeforeTheTime() {
        let list = (0..<300).map { index in
            RateStep(at: Int64(index / 3) * 7 * second, multiplier: Double(index % 11) + 0.5)
        }
        let profile = RateProfile.steps(list)
        for time in stride(from: -second, through: 800 * second, by: Int(second / 2)) {
            var expected = 1.0
            for step in list where step.at <= time { expected = step.multiplier }
            #expect(profile.multiplier(at: time) == expected, "at \(time)")
        }
        #expect(RateProfile.steps([]).multiplier(at: 0) == 1)
    }

    /// Thinning bounds: walking the pieces of ``RateProfile/bound(at:)`` from before the run to past its end,
    /// every piece is non-empty, starts where the last ended, and bounds the multiplier at its ends and at many
    /// times inside; flat stretches (steps, a flash sale's base and hold) are bounded exactly.
    @Test(arguments: [
        RateProfile.flashSale(
            start: 60 * second, ramp: 10 * second, hold: 60 * second, decay: 20 * second, peakMultiplier: 10),
        .flashSale(start: 3, ramp: 5, hold: 0, decay: 3, peakMultiplier: 7),  // pieces of a nanosecond or two
        .flashSale(start: 10 * second, ramp: 0, hold: 5 * second, decay: 7 * second + 3, peakMultiplier: 0.25),
        .steps([
            RateStep(at: 10 * second, multiplier: 3), RateStep(at: 10 * second, multiplier: 0),
            RateStep(at: 20 * second, multiplier: 0.5), RateStep(at: 21 * second, multiplier: 8),
        ]),
        .diurnal(period: 100 * second, peakMultiplier: 4, peakAt: 30 * second), .constant,
    ])
    func boundsCoverTheMultiplierPieceByPiece(profile: RateProfile) {
        var time: SimTime = -5 * second
        var pieces = 0
        while time < 400 * second {
            let (bound, end) = profile.bound(at: time)
            #expect(end > time, "empty piece at \(time)")
            #expect(bound <= profile.maximumMultiplier)
            let last = end == .max ? time + 400 * second : end - 1
            var probes: [SimTime] = [time, last, time + (last - time) / 2]
            for index in 1..<64 { probes.append(time + (last - time) / 64 * SimTime(index)) }
            for probe in probes { #expect(profile.multiplier(at: probe) <= bound, "at \(probe) in \(time)..<\(end)") }
            if case .steps = profile { #expect(bound == profile.multiplier(at: time)) }
            pieces += 1
            if end == .max { break }
            time = end
        }
        #expect(pieces < 40)
        if case .flashSale(let start, let ramp, let hold, _, let peak) = profile, hold > 0 {
            #expect(profile.bound(at: start - 1) == (1, start))
            #expect(profile.bound(at: start + ramp) == (peak, start + ramp + hold))
        }
    }

    @Test func namedLatencyProfilesReproduceTheirPublishedMedians() {
        for profile in LatencyProfiles.all {
            guard case .lognormal(mu: let mu, sigma: let sigma) = profile.distribution else {
                Issue.record("\(profile.name) is not lognormal")
                continue
            }
            #expect(abs((mu).exponentialForTesting / profile.p50 - 1) < 1e-9)
            #expect(abs((mu + 2.326_347_874_040_840_8 * sigma).exponentialForTesting / profile.p99 - 1) < 1e-9)
        }
        #expect(LatencyProfiles.named("eventbridge-classic")?.p50 == 0.395)
        #expect(LatencyProfiles.named("nope") == nil)
    }
}

extension Double {
    /// e^self by the standard library's generic pow-free route: the test avoids Foundation on purpose.
    var exponentialForTesting: Double {
        var term = 1.0, sum = 1.0
        let n = (self / 0.693_147_180_559_945_3).rounded()
        let r = self - n * 0.693_147_180_559_945_3
        for k in 1...30 {
            term *= r / Double(k)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(n), significand: 1)
    }
}

@Suite("Civil time")
struct CivilTimeTests {
    /// The ISO 8601 text written digit by digit is each field padded as `String(value)` would be: around the
    /// epoch, on a leap day, at the end of a century and near both ends of the simulated clock (years 1684 and
    /// 2255).
    @Test(arguments: [
        Int64(0), 59 * second + 999_999_999, -1, -second, 951_782_400 * second, 4_102_444_799 * second,
        9_000_000_000 * second, -9_000_000_000 * second,
    ])
    func iso8601PadsEveryField(time: Int64) {
        let civil = CivilTime(simulated: time)
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let expected =
            "\(pad(civil.year, 4))-\(pad(civil.month))-\(pad(civil.day))T\(pad(civil.hour)):"
            + "\(pad(civil.minute)):\(pad(civil.second))Z"
        #expect(civil.iso8601 == expected)
    }
}
