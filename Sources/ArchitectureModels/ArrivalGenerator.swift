import ArchitectureSpecs
import SimulationKernel
import Stochastics

/// Produces one producer's arrival times: a base rate shaped by its profile, under its arrival process.
///
/// Poisson arrivals follow the profile by thinning (Lewis–Shedler): candidates at the peak rate, each kept
/// with probability rate(t) / peak rate, which is exact for any bounded rate function.
struct ArrivalGenerator {
    let rate: Double
    let profile: RateProfile
    let process: ArrivalProcess
    let stream: RandomStream
    let peakRate: Double
    /// The mean gap between thinning candidates, 1 / `peakRate` (divided once, not per candidate).
    let meanGap: Double
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
        var peak = spec.rate * spec.profile.maximumMultiplier
        if case .bursty(let multiplier, let meanBurst, let meanCalm) = spec.arrivals {
            peak *= Swift.max(1, multiplier)
            bursts = (multiplier, meanBurst, meanCalm)
        } else {
            bursts = nil
        }
        peakRate = peak
        meanGap = 1 / peak
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
            guard peakRate > 0 else { return nil }
            var candidate = time
            while true {
                candidate += Swift.max(1, Time.nanoseconds(seconds: stream.exponential(mean: meanGap)))
                if candidate >= end { return nil }
                if stream.uniform() * peakRate <= currentRate(at: candidate) { return (candidate, nil) }
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
