import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics
import Testing

@testable import ArchitectureModels

private let second: Int64 = 1_000_000_000

private func producer(rate: Double, profile: RateProfile, arrivals: ArrivalProcess = .poisson) -> ProducerSpec {
    ProducerSpec(
        name: "p", rate: rate, profile: profile, arrivals: arrivals,
        payload: .events(
            EventTemplate(source: .literal(.string("s")), detailType: .literal(.string("t")), detail: .object([]))))
}

/// Every arrival of a generator before `end`.
private func arrivals(_ spec: ProducerSpec, seed: UInt64, end: SimTime) -> [SimTime] {
    var generator = ArrivalGenerator(spec: spec, stream: RandomStream(seed: seed))
    var times: [SimTime] = []
    var last: SimTime = -1
    while let next = generator.next(after: last, end: end) {
        times.append(next.time)
        last = next.time
    }
    return times
}

/// Arrivals follow the rate profile: thinning under a bound that follows the profile piece by piece.
@Suite("Arrival generator")
struct ArrivalGeneratorTests {
    /// A profile's arrivals in each stretch of the run number what its rate integrates to there (within five
    /// standard deviations of a Poisson count), over several seeds.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func flashSaleArrivalsFollowTheRateInEveryStretch(seed: UInt64) {
        let sale = RateProfile.flashSale(
            start: 10 * second, ramp: 5 * second, hold: 10 * second, decay: 5 * second, peakMultiplier: 10)
        let times = arrivals(producer(rate: 300, profile: sale), seed: seed, end: 40 * second)
        // Expected counts: 300/s × (10 s base, 5 s ramp at 5.5×, 10 s hold at 10×, 5 s decay at 5.5×, 10 s base).
        let stretches: [(from: Int64, to: Int64, expected: Double)] = [
            (0, 10, 3_000), (10, 15, 8_250), (15, 25, 30_000), (25, 30, 8_250), (30, 40, 3_000),
        ]
        for stretch in stretches {
            let count = times.filter { $0 >= stretch.from * second && $0 < stretch.to * second }.count
            #expect(
                abs(Double(count) - stretch.expected) < 5 * stretch.expected.squareRoot(),
                "\(count) arrivals in \(stretch.from)–\(stretch.to) s, expected \(stretch.expected)")
        }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// A step to rate 0 produces nothing until the next step, and arrivals resume after it at its rate.
    @Test func aStepToZeroPausesArrivals() {
        let steps = RateProfile.steps([
            RateStep(at: 5 * second, multiplier: 0), RateStep(at: 8 * second, multiplier: 2),
            RateStep(at: 8 * second, multiplier: 0), RateStep(at: 12 * second, multiplier: 3),
        ])
        let times = arrivals(producer(rate: 1_000, profile: steps), seed: 9, end: 20 * second)
        #expect(times.filter { $0 >= 5 * second && $0 < 12 * second }.isEmpty)
        let before = times.filter { $0 < 5 * second }.count
        let after = times.filter { $0 >= 12 * second }.count
        #expect(abs(Double(before) - 5_000) < 5 * 5_000.0.squareRoot())
        #expect(abs(Double(after) - 24_000) < 5 * 24_000.0.squareRoot())
        // All steps to 0 to the end: the producer finishes.
        let stop = RateProfile.steps([RateStep(at: second, multiplier: 0)])
        let stopped = arrivals(producer(rate: 1_000, profile: stop), seed: 9, end: 20 * second)
        #expect(!stopped.isEmpty && stopped.allSatisfy { $0 < second })
    }

    /// One-piece profiles (constant, diurnal), with and without bursts, draw exactly what thinning under the
    /// profile's overall maximum draws: the same arrival times as that algorithm, written out here.
    @Test(arguments: [
        (RateProfile.constant, ArrivalProcess.poisson),
        (.constant, .bursty(burstMultiplier: 4, meanBurst: second, meanCalm: 3 * second)),
        (.diurnal(period: 20 * second, peakMultiplier: 3, peakAt: 5 * second), .poisson),
    ])
    func onePieceProfilesDrawAsTheGlobalBoundDid(profile: RateProfile, process: ArrivalProcess) {
        let spec = producer(rate: 500, profile: profile, arrivals: process)
        let end = 30 * second
        var peak = spec.rate * profile.maximumMultiplier
        var reference = ArrivalGenerator(spec: spec, stream: RandomStream(seed: 4))
        if case .bursty(let multiplier, _, _) = process { peak *= Swift.max(1, multiplier) }
        let meanGap = 1 / peak
        var expected: [SimTime] = []
        var candidate: SimTime = -1
        while true {
            candidate += Swift.max(1, Time.nanoseconds(seconds: reference.stream.exponential(mean: meanGap)))
            if candidate >= end { break }
            if reference.stream.uniform() * peak <= reference.currentRate(at: candidate) { expected.append(candidate) }
        }
        #expect(arrivals(spec, seed: 4, end: end) == expected)
    }
}
