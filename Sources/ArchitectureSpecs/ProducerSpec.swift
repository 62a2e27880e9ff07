public import EventPatterns
public import SimulationKernel
public import Stochastics

/// One source of load: a rate shaped by a profile, an arrival process, and what it produces.
public struct ProducerSpec: Sendable {
    /// Stable name; seeds the producer's random streams (common across architectures).
    public var name: String
    /// Base rate, events per second (≥ 0); the profile multiplies it.
    public var rate: Double
    public var profile: RateProfile
    public var arrivals: ArrivalProcess
    public var payload: PayloadSpec

    public init(
        name: String, rate: Double, profile: RateProfile = .constant, arrivals: ArrivalProcess = .poisson,
        payload: PayloadSpec
    ) {
        self.name = name
        self.rate = rate
        self.profile = profile
        self.arrivals = arrivals
        self.payload = payload
    }
}

/// How the rate varies over the run: a multiplier of the base rate as a function of time.
public enum RateProfile: Sendable, Equatable {
    /// Multiplier 1 throughout.
    case constant
    /// Piecewise constant: from each `at` on, the given multiplier (before the first step: 1).
    case steps([RateStep])
    /// A day-like cycle: 1 at the trough, `peakMultiplier` at `peakAt` (mod `period`), cosine-shaped.
    case diurnal(period: SimTime, peakMultiplier: Double, peakAt: SimTime)
    /// A flash sale: 1 until `start`, a linear ramp over `ramp` to `peakMultiplier`, held for `hold`,
    /// then a linear decay over `decay` back to 1.
    case flashSale(start: SimTime, ramp: SimTime, hold: SimTime, decay: SimTime, peakMultiplier: Double)

    /// The multiplier at time `time`. - Complexity: O(1); O(log n) for n steps, which must be in time order (the
    /// scenario reader checks it).
    public func multiplier(at time: SimTime) -> Double {
        switch self {
        case .constant: return 1
        case .steps(let steps):
            let count = Self.stepsStarted(steps, by: time)
            return count == 0 ? 1 : steps[count - 1].multiplier
        case .diurnal(let period, let peak, let peakAt):
            let phase = Double((time - peakAt) % period) / Double(period) * 2 * Double.pi
            return 1 + (peak - 1) * (1 + cosine(phase)) / 2
        case .flashSale(let start, let ramp, let hold, let decay, let peak):
            if time < start { return 1 }
            if time < start + ramp { return 1 + (peak - 1) * Double(time - start) / Double(max(ramp, 1)) }
            if time < start + ramp + hold { return peak }
            let end = start + ramp + hold
            if time < end + decay { return peak - (peak - 1) * Double(time - end) / Double(max(decay, 1)) }
            return 1
        }
    }

    /// An upper bound of the multiplier over the whole run (for thinning).
    public var maximumMultiplier: Double {
        switch self {
        case .constant: return 1
        case .steps(let steps): return steps.reduce(1) { Swift.max($0, $1.multiplier) }
        case .diurnal(_, let peak, _): return Swift.max(1, peak)
        case .flashSale(_, _, _, _, let peak): return Swift.max(1, peak)
        }
    }

    /// The piece of the run that starts at `time`: an upper bound of the multiplier from `time` up to `end`
    /// (exclusive), for thinning with a bound that follows the profile instead of its overall maximum.
    ///
    /// Exact where the profile is flat (a step, a flash sale's base and hold: the bound is the multiplier, so
    /// every thinning candidate is kept); a flash sale's ramp and decay are cut into ``linearPieces`` pieces,
    /// each bounded by the larger of its end values (the multiplier is linear, and monotone in its integer
    /// argument as computed, so no value inside exceeds them). A constant profile, and a diurnal one, are one
    /// piece bounded by ``maximumMultiplier``, so their arrivals are drawn exactly as with a global bound.
    /// Pieces follow each other: `bound(at: end)` gives the next one. - Complexity: O(1); O(log n) for n steps.
    public func bound(at time: SimTime) -> (multiplier: Double, end: SimTime) {
        switch self {
        case .constant, .diurnal: return (maximumMultiplier, .max)
        case .steps(let steps):
            let count = Self.stepsStarted(steps, by: time)
            return (count == 0 ? 1 : steps[count - 1].multiplier, count < steps.count ? steps[count].at : .max)
        case .flashSale(let start, let ramp, let hold, let decay, let peak):
            if time < start { return (1, start) }
            let top = start + ramp
            let end = top + hold
            let last = end + decay
            if time < top { return linearBound(at: time, from: start, to: top) }
            if time < end { return (peak, end) }
            if time < last { return linearBound(at: time, from: end, to: last) }
            return (1, .max)
        }
    }

    /// The number of steps at or before `time`: the last of them is in force (steps are in time order; among
    /// equal times the last one). A binary search, for profiles of many steps. - Complexity: O(log n).
    private static func stepsStarted(_ steps: [RateStep], by time: SimTime) -> Int {
        var low = 0
        var high = steps.count
        while low < high {
            let middle = (low + high) / 2
            if steps[middle].at <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Pieces a flash sale's ramp and its decay are each cut into by ``bound(at:)``.
    public static let linearPieces: SimTime = 8

    /// The piece of the linear stretch `from ..< to` that holds `time`, bounded by its larger end value.
    private func linearBound(at time: SimTime, from start: SimTime, to end: SimTime) -> (
        multiplier: Double, end: SimTime
    ) {
        let width = Swift.max(1, (end - start + Self.linearPieces - 1) / Self.linearPieces)
        let pieceStart = start + (time - start) / width * width
        let pieceEnd = Swift.min(end, pieceStart + width)
        return (Swift.max(multiplier(at: time), multiplier(at: pieceEnd - 1)), pieceEnd)
    }

    /// The same shape with every multiplier scaled so that the peak is `factor` times higher
    /// (used by the capacity search, which scales the peak rate).
    public func scaledPeak(by factor: Double) -> RateProfile {
        switch self {
        case .constant: return self
        case .steps(let steps): return .steps(steps.map { RateStep(at: $0.at, multiplier: $0.multiplier * factor) })
        case .diurnal(let period, let peak, let peakAt):
            return .diurnal(period: period, peakMultiplier: peak * factor, peakAt: peakAt)
        case .flashSale(let start, let ramp, let hold, let decay, let peak):
            return .flashSale(start: start, ramp: ramp, hold: hold, decay: decay, peakMultiplier: peak * factor)
        }
    }
}

/// One step of a stepped profile.
public struct RateStep: Sendable, Equatable {
    public var at: SimTime
    public var multiplier: Double
    public init(at: SimTime, multiplier: Double) {
        self.at = at
        self.multiplier = multiplier
    }
}

/// cos(x) by its Taylor series after range reduction: deterministic on every platform, accurate to ~1e-12.
func cosine(_ x: Double) -> Double {
    var r = x.truncatingRemainder(dividingBy: 2 * Double.pi)
    if r > Double.pi { r -= 2 * Double.pi }
    if r < -Double.pi { r += 2 * Double.pi }
    let r2 = r * r
    var term = 1.0, sum = 1.0
    for n in stride(from: 2, through: 30, by: 2) {
        term *= -r2 / Double((n - 1) * n)
        sum += term
    }
    return sum
}

/// When events arrive, given the instantaneous rate.
public enum ArrivalProcess: Sendable, Equatable {
    /// Non-homogeneous Poisson (exponential gaps, thinned to follow the profile).
    case poisson
    /// Evenly spaced at the instantaneous rate.
    case constant
    /// A two-state Markov-modulated Poisson process: bursts at `burstMultiplier` × rate lasting
    /// Exp(`meanBurst`), separated by calm periods at the rate lasting Exp(`meanCalm`).
    case bursty(burstMultiplier: Double, meanBurst: SimTime, meanCalm: SimTime)
    /// A replayed trace: explicit offsets from the start (sorted), optionally with payloads (event details).
    case trace(times: [SimTime], payloads: [JSONValue?])
}

/// What a producer emits.
public enum PayloadSpec: Sendable {
    /// Events (PutEvents entries) from a template.
    case events(EventTemplate)
    /// Table writes, turned into stream records by the table's change stream.
    case writes(WriteTemplate)
}

/// A PutEvents entry template: source, detail-type and detail generate real JSON per event.
public struct EventTemplate: Sendable {
    public var source: ValueTemplate
    public var detailType: ValueTemplate
    public var detail: ValueTemplate
    public init(source: ValueTemplate, detailType: ValueTemplate, detail: ValueTemplate) {
        self.source = source
        self.detailType = detailType
        self.detail = detail
    }
}

/// Generates one JSON value per event.
public indirect enum ValueTemplate: Sendable {
    case literal(JSONValue)
    /// One of the options, chosen with probability proportional to its weight.
    case choice([(template: ValueTemplate, weight: Double)])
    /// A uniform integer in lower...upper.
    case integer(lower: Int, upper: Int)
    /// A uniform decimal in [lower, upper) with `digits` decimals.
    case decimal(lower: Double, upper: Double, digits: Int)
    /// A number drawn from a distribution, rounded to `digits` decimals.
    case distributed(Distribution, digits: Int)
    /// `prefix` followed by the producer's running event number.
    case sequence(prefix: String)
    /// A random RFC 4122-shaped identifier.
    case uuid
    /// The event's simulated timestamp, ISO 8601.
    case timestamp
    case object([(key: String, value: ValueTemplate)])
    /// An array of `minCount...maxCount` elements.
    case array(ValueTemplate, minCount: Int, maxCount: Int)
}

/// Table writes: which table, which keys, which mix of operations, how large the items are.
public struct WriteTemplate: Sendable {
    /// The table (a `StreamSpec` name in each architecture that consumes writes).
    public var table: String
    /// Number of distinct partition keys.
    public var keys: Int
    public var keyDistribution: KeyDistribution
    /// Relative weights of put (insert or replace), update and delete.
    public var putWeight: Double
    public var updateWeight: Double
    public var deleteWeight: Double
    /// Item payload size in bytes.
    public var itemSize: Distribution
    /// Extra attributes written with each item.
    public var attributes: ValueTemplate?

    public init(
        table: String, keys: Int, keyDistribution: KeyDistribution = .uniform, putWeight: Double = 1,
        updateWeight: Double = 0, deleteWeight: Double = 0, itemSize: Distribution = .constant(200),
        attributes: ValueTemplate? = nil
    ) {
        self.table = table
        self.keys = keys
        self.keyDistribution = keyDistribution
        self.putWeight = putWeight
        self.updateWeight = updateWeight
        self.deleteWeight = deleteWeight
        self.itemSize = itemSize
        self.attributes = attributes
    }
}

/// How write keys are chosen.
public enum KeyDistribution: Sendable, Equatable {
    case uniform
    /// Zipf with exponent `s` > 0 over the key ranks.
    case zipf(exponent: Double)
}
