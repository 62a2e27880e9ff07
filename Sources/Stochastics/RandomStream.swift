internal import CGSL

/// The underlying generator algorithm of a ``RandomStream``; GSL's names.
public enum GeneratorKind: String, Sendable, CaseIterable {
    /// Mersenne Twister MT19937 (GSL's default, period 2^19937 − 1). GSL maps seed 0 to 4357.
    case mt19937
    /// Tausworthe (L'Ecuyer 1996) maximally equidistributed combined generator; small state, fast.
    case taus2
}

/// An independent, reproducible source of random numbers for one simulated component, backed by GSL.
///
/// Each component gets its own stream, seeded from the scenario seed and the component's stable name
/// (``StableHash/streamSeed(scenarioSeed:name:)``), so runs are reproducible and adding a component does not
/// shift the draws of the others. Not `Sendable`: a stream belongs to one simulation run on one thread.
public final class RandomStream {
    private let generator: UnsafeMutablePointer<gsl_rng>

    /// The seed given to GSL (after derivation), for diagnostics.
    public let seed: UInt64

    /// Creates a stream with an explicit GSL seed.
    /// - Parameters:
    ///   - seed: passed to `gsl_rng_set` (truncated to `unsigned long`, 64 bits on the supported platforms).
    ///   - kind: the generator algorithm.
    public init(seed: UInt64, kind: GeneratorKind = .mt19937) {
        GSLRuntime.prepare()
        let type: UnsafePointer<gsl_rng_type>
        switch kind {
        case .mt19937: type = eventsim_gsl_rng_mt19937()
        case .taus2: type = eventsim_gsl_rng_taus2()
        }
        guard let rng = gsl_rng_alloc(type) else {
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        generator = rng
        self.seed = seed
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed))
    }

    /// Creates the stream of component `name` under scenario seed `scenarioSeed`.
    public convenience init(scenarioSeed: UInt64, name: String, kind: GeneratorKind = .mt19937) {
        self.init(seed: StableHash.streamSeed(scenarioSeed: scenarioSeed, name: name), kind: kind)
    }

    deinit { gsl_rng_free(generator) }

    /// A uniform double in [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(generator) }

    /// A uniform double in (0, 1): never exactly zero, for use in logarithms.
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(generator) }

    /// The generator's next raw output (0 ..< 2^32 for mt19937 and taus2).
    public func nextRaw() -> UInt64 { UInt64(gsl_rng_get(generator)) }

    /// A uniform integer in 0..<bound, without modulo bias.
    /// - Precondition: 0 < bound < 2^32 (GSL's limit for 32-bit generators); callers validate user input.
    public func uniformInt(below bound: Int) -> Int {
        precondition(bound > 0 && bound < 1 << 32, "uniformInt bound out of range")
        return Int(gsl_rng_uniform_int(generator, UInt(bound)))
    }

    /// An exponential variate with the given mean (GSL `gsl_ran_exponential`, inversion).
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(generator, mean) }

    /// A standard normal variate (GSL's ziggurat).
    public func standardNormal() -> Double { gsl_ran_gaussian_ziggurat(generator, 1.0) }

    /// A gamma variate with shape `a` and scale `b` (Marsaglia–Tsang in GSL).
    public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(generator, shape, scale) }

    /// A Weibull variate with scale `a` and shape `b`, GSL's parameter order.
    public func weibull(scale: Double, shape: Double) -> Double { gsl_ran_weibull(generator, scale, shape) }

    /// A Pareto variate with shape `a` and scale (minimum) `b`.
    public func pareto(shape: Double, scale: Double) -> Double { gsl_ran_pareto(generator, shape, scale) }

    /// A lognormal variate: exp(N(mu, sigma²)).
    public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(generator, mu, sigma) }

    /// A Poisson count with the given mean.
    public func poisson(mean: Double) -> Int { Int(gsl_ran_poisson(generator, mean)) }

    /// A Bernoulli trial: true with probability `p`.
    public func bernoulli(_ p: Double) -> Bool { gsl_rng_uniform(generator) < p }
}

/// One-time GSL set-up: turns the abort-on-error handler off so bad parameters surface as Swift errors.
enum GSLRuntime {
    /// Runs once per process (Swift guarantees thread-safe lazy initialisation of globals).
    private static let prepared: Bool = {
        eventsim_gsl_disable_abort()
        return true
    }()

    static func prepare() { _ = prepared }
}
