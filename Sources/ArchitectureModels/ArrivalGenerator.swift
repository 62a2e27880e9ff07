import ArchitectureSpecs
import SimulationKernel
import Stochastics

/// Produces one producer's arrival times: a base rate shaped by its profile, under its arrival process.
///
/// Poisson arrivals follow the profile by thinning (Lewis–Shedler) under a piecewise-constant bound: on each
/// piece of ``RateProfile/bound(at:)``, candidates come at the piece's bound rate and each is kept with
/// probability rate(t) / bound, which is exact for any bounded rate function; a candidate past the piece's end
/// is dropped and the draws start again at the end under the next piece's bound (exact too, exponential gaps
/// being memoryless). With one bound for the whole run (the profile's maximum), a flash sale at ten times the
/// base rate drew ten candidates per arrival outside the sale, and a thousandfold one a thousand; now flat
/// stretches keep every candidate. Constant and diurnal profiles are one piece: their draws are those of the
/// global bound.
struct ArrivalGenerator {
    let rate: Double
    let profile: RateProfile
    let process: ArrivalProcess
    let stream: RandomStream
    /// The bursts' factor on the bound (1 without bursts).
    let burstBound: Double
    /// The current piece: the candidates' rate (base rate × the piece's bound × `burstBound`), its reciprocal
    /// (the mean gap, divided once per piece, not per candidate), and where the piece ends (exclusive).
    /// `pieceEnd == .min` before the first piece is looked up.
    var pieceRate = 0.0
    var meanGap = 0.0
    var pieceEnd: SimTime = .min
    /// MMPP parameters (bursty arrivals only), read per candidate without matching the process's payload.
    let bursts: (multiplier: Double, meanBurst: SimTime, meanCalm: SimTime)?
    /// MMPP state: whether in a burst, and when the state flips.
    var bursting = true  // the first state flip at time 0 starts a calm period
    var stateEnds: SimTime = 0
    /// Position in a trace.
    var traceIndex = 0

    init(spec: ProducerSpec, stream: RandomStream) {
        rate = spec.rate
        profile = spec.profile
        process = spec.arrivals
        self.stream = stream
        if case .bursty(let multiplier, let meanBurst, let meanCalm) = spec.arrivals {
            burstBound = Swift.max(1, multiplier)
            bursts = (multiplier, meanBurst, meanCalm)
        } else {
            burstBound = 1
            bursts = nil
        }
    }

    /// Enters the piece of the profile that starts at `time`.
    private mutating func enterPiece(at time: SimTime) {
        let (multiplier, end) = profile.bound(at: time)
        // The same products, in the same order, as the former global bound (rate × maximum, × burst factor; a
        // factor of 1 without bursts changes no bit), so that one-piece profiles draw bit for bit as before.
        let bound = rate * multiplier * burstBound
        pieceRate = bound
        meanGap = 1 / bound
        pieceEnd = end
    }

    /// The next arrival strictly after `time`, or nil when the producer is done (beyond `end`).
    /// Also returns the trace payload index for traces.
    mutating func next(after time: SimTime, end: SimTime) -> (time: SimTime, traceIndex: Int?)? {
        switch process {
        case .trace(let times, _):
            while traceIndex < times.count, times[traceIndex] < time { traceIndex += 1 }
            guard traceIndex < times.count, times[traceIndex] < end else { return nil }
            traceIndex += 1
            return (times[traceIndex - 1], traceIndex - 1)
        case .constant:
            guard rate > 0 else { return nil }
            let current = rate * profile.multiplier(at: time)
            let gap = Time.nanoseconds(seconds: 1 / Swift.max(current, rate * 1e-6))
            let next = time + Swift.max(gap, 1)
            return next < end ? (next, nil) : nil
        case .poisson, .bursty:
            guard rate > 0 else { return nil }
            // Candidates are strictly after `candidate`; the piece holds `candidate + 1` on.
            var candidate = time
            if pieceEnd == .min || candidate >= pieceEnd - 1 { enterPiece(at: candidate + 1) }
            while true {
                if candidate >= end { return nil }
                guard pieceRate > 0 else {
                    // A piece at rate 0 (a step to 0): nothing until it ends.
                    guard pieceEnd != .max else { return nil }
                    candidate = pieceEnd - 1
                    enterPiece(at: pieceEnd)
                    continue
                }
                let next = candidate + Swift.max(1, Time.nanoseconds(seconds: stream.exponential(mean: meanGap)))
                if next >= pieceEnd {
                    // Past the piece: start again at its end under the next piece's bound.
                    candidate = pieceEnd - 1
                    enterPiece(at: pieceEnd)
                    continue
                }
                candidate = next
                if candidate >= end { return nil }
                if stream.uniform() * pieceRate <= currentRate(at: candidate) { return (candidate, nil) }
            }
        }
    }

    /// The instantaneous rate, advancing the MMPP state to `time`.
    @inline(__always) mutating func currentRate(at time: SimTime) -> Double {
        var value = rate * profile.multiplier(at: time)
        if let (multiplier, meanBurst, meanCalm) = bursts {
            while stateEnds <= time {
                bursting.toggle()
                let mean = bursting ? meanBurst : meanCalm
                stateEnds += Swift.max(1, Time.nanoseconds(seconds: stream.exponential(mean: Time.seconds(mean))))
            }
            if bursting { value *= multiplier }
        }
        return value
    }
}
