internal import CGSL
import Foundation

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
///
/// For MT19937 the common draws (uniforms, raw outputs, bounded integers, exponential variates)
/// run here, inlined, on GSL's own generator state: the same outputs as GSL's functions, bit for bit (tested
/// against them), without two indirect calls per number. The other distributions call GSL on the same state,
/// so the two kinds of calls interleave exactly as before.
public final class RandomStream {
    private let generator: UnsafeMutablePointer<gsl_rng>
    /// MT19937 only: GSL's state, `unsigned long mt[624]` followed by `int mti` (``MersenneState``).
    /// Reachable from inlinable code: the common draws inline into other modules' loops (a call per draw
    /// was about a tenth of generating an event).
    @usableFromInline let mersenne: MersenneState?
    /// MT19937 only: GSL's ziggurat layers (``ZigguratTables``), for normal and lognormal variates taken inline
    /// when GSL would accept the output at once.
    @usableFromInline let ziggurat: UnsafePointer<ZigguratTables.Layer>?

    /// The seed given to GSL (after derivation), for diagnostics.
    public let seed: UInt64

    /// Creates a stream with an explicit GSL seed.
    /// - Parameters:
    ///   - seed: passed to `gsl_rng_set` (truncated to `unsigned long`, 64 bits on the supported platforms).
    ///   - kind: the generator algorithm.
    public convenience init(seed: UInt64, kind: GeneratorKind = .mt19937) {
        self.init(seed: seed, kind: kind, inlined: true)
    }

    /// - Parameter inlined: false sends every draw through GSL's functions (the reference in tests).
    init(seed: UInt64, kind: GeneratorKind, inlined: Bool) {
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
        mersenne = inlined && kind == .mt19937 ? MersenneState(gsl_rng_state(rng)) : nil
        ziggurat = mersenne != nil ? ZigguratTables.shared?.layers : nil
    }

    /// Creates the stream of component `name` under scenario seed `scenarioSeed`.
    public convenience init(scenarioSeed: UInt64, name: String, kind: GeneratorKind = .mt19937) {
        self.init(seed: StableHash.streamSeed(scenarioSeed: scenarioSeed, name: name), kind: kind)
    }

    deinit { gsl_rng_free(generator) }

    /// A uniform double in [0, 1) (`gsl_rng_uniform`: for MT19937, the output divided by 2^32).
    @inlinable @inline(__always) public func uniform() -> Double {
        guard let mersenne else { return gslUniform() }
        return Double(mersenne.next()) / 4_294_967_296.0
    }

    /// `gsl_rng_uniform` (generators other than MT19937, and the reference in tests).
    @usableFromInline func gslUniform() -> Double { gsl_rng_uniform(generator) }

    /// A uniform double in (0, 1): never exactly zero, for use in logarithms.
    public func uniformPositive() -> Double {
        guard mersenne != nil else { return gsl_rng_uniform_pos(generator) }
        var value = uniform()
        while value == 0 { value = uniform() }
        return value
    }

    /// The generator's next raw output (0 ..< 2^32 for mt19937 and taus2).
    @inlinable @inline(__always) public func nextRaw() -> UInt64 {
        guard let mersenne else { return gslNextRaw() }
        return UInt64(mersenne.next())
    }

    /// `gsl_rng_get`.
    @usableFromInline func gslNextRaw() -> UInt64 { UInt64(gsl_rng_get(generator)) }

    /// A uniform integer in 0..<bound, without modulo bias (`gsl_rng_uniform_int`: the output divided by
    /// ⌊(2^32 − 1) / bound⌋, redrawn while not below `bound`).
    /// - Precondition: 0 < bound < 2^32 (GSL's limit for 32-bit generators); callers validate user input.
    @inlinable @inline(__always) public func uniformInt(below bound: Int) -> Int {
        precondition(bound > 0 && bound < 1 << 32, "uniformInt bound out of range")
        guard let mersenne else { return gslUniformInt(below: bound) }
        let limit = UInt(bound)
        let scale = UInt(0xffff_ffff) / limit
        var value = mersenne.next() / scale
        while value >= limit { value = mersenne.next() / scale }
        return Int(value)
    }

    /// `gsl_rng_uniform_int`.
    @usableFromInline func gslUniformInt(below bound: Int) -> Int {
        Int(gsl_rng_uniform_int(generator, UInt(bound)))
    }

    /// An exponential variate with the given mean (GSL `gsl_ran_exponential`, inversion: −mean·log1p(−u)).
    public func exponential(mean: Double) -> Double {
        guard mersenne != nil else { return gsl_ran_exponential(generator, mean) }
        return -mean * Foundation.log1p(-uniform())
    }

    /// A standard normal variate: `gsl_ran_gaussian_ziggurat(r, 1.0)`, bit for bit. For MT19937 the output GSL
    /// accepts at once (about 98.8 % of draws) is taken here (``ZigguratTables``); any other goes to GSL, which
    /// reads that same output first.
    public func standardNormal() -> Double {
        if let mersenne, let ziggurat {
            let output = mersenne.peek()
            let layer = ziggurat[Int(output & 0x7f)]
            let j = (output >> 8) & 0xff_ffff
            if j < layer.threshold {
                mersenne.skip()
                let x = Double(j) * layer.width
                return output & 0x80 != 0 ? x : -x
            }
        }
        return gsl_ran_gaussian_ziggurat(generator, 1.0)
    }

    /// A gamma variate with shape `a` and scale `b` (Marsaglia–Tsang in GSL).
    public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(generator, shape, scale) }

    /// A Weibull variate with scale `a` and shape `b`, GSL's parameter order.
    public func weibull(scale: Double, shape: Double) -> Double { gsl_ran_weibull(generator, scale, shape) }

    /// A Pareto variate with shape `a` and scale (minimum) `b`.
    public func pareto(shape: Double, scale: Double) -> Double { gsl_ran_pareto(generator, shape, scale) }

    /// A lognormal variate: exp(mu + sigma·Z), Z a standard normal from GSL's ziggurat
    /// (`gsl_ran_gaussian_ziggurat`: Marsaglia and Tsang's method, one 32-bit output per draw in 98.8 % of
    /// cases). `gsl_ran_lognormal` draws Z by the polar Box–Muller method instead: about 2.5 uniforms, a log
    /// and a square root per variate, and a lognormal per function call and per routed copy made it a tenth of a
    /// scenario run.
    public func lognormal(mu: Double, sigma: Double) -> Double {
        Foundation.exp(sigma * standardNormal() + mu)
    }

    /// A Poisson count with the given mean.
    public func poisson(mean: Double) -> Int { Int(gsl_ran_poisson(generator, mean)) }

    /// A Bernoulli trial: true with probability `p`.
    @inlinable public func bernoulli(_ p: Double) -> Bool { uniform() < p }
}

/// GSL's MT19937 state (`mt_state_t` in GSL's `rng/mt.c`: `unsigned long mt[624]; int mti;`), advanced in place
/// exactly as GSL's `mt_get` advances it.
@usableFromInline struct MersenneState {
    @usableFromInline static var n: Int { 624 }
    static let m = 397
    @usableFromInline let words: UnsafeMutablePointer<UInt>
    @usableFromInline let index: UnsafeMutablePointer<Int32>

    init(_ state: UnsafeMutableRawPointer) {
        words = state.assumingMemoryBound(to: UInt.self)
        index = (state + MemoryLayout<UInt>.stride * Self.n).assumingMemoryBound(to: Int32.self)
    }

    /// The next output, 0 ..< 2^32.
    @inlinable @inline(__always) func next() -> UInt {
        var position = Int(index.pointee)
        if position >= Self.n {
            regenerate()
            position = 0
        }
        var k = words[position]
        k ^= k >> 11
        k ^= (k << 7) & 0x9d2c_5680
        k ^= (k << 15) & 0xefc6_0000
        k ^= k >> 18
        index.pointee = Int32(position + 1)
        return k
    }

    /// The output ``next()`` would return, without taking it (GSL's next `mt_get` returns it too).
    @inlinable @inline(__always) func peek() -> UInt {
        var position = Int(index.pointee)
        if position >= Self.n {
            // What GSL's next call would do first; the state is the same either way.
            regenerate()
            position = 0
            index.pointee = 0
        }
        var k = words[position]
        k ^= k >> 11
        k ^= (k << 7) & 0x9d2c_5680
        k ^= (k << 15) & 0xefc6_0000
        k ^= k >> 18
        return k
    }

    /// Takes the output ``peek()`` returned.
    @inlinable @inline(__always) func skip() { index.pointee += 1 }

    /// Generates the next 624 words at once.
    @usableFromInline @inline(never) func regenerate() {
        let (n, m) = (Self.n, Self.m)
        @inline(__always) func twisted(_ current: Int, _ next: Int, _ far: Int) -> UInt {
            let y = (words[current] & 0x8000_0000) | (words[next] & 0x7fff_ffff)
            return words[far] ^ (y >> 1) ^ (y & 1 != 0 ? 0x9908_b0df : 0)
        }
        for k in 0..<(n - m) { words[k] = twisted(k, k + 1, k + m) }
        for k in (n - m)..<(n - 1) { words[k] = twisted(k, k + 1, k + m - n) }
        words[n - 1] = twisted(n - 1, 0, m - 1)
    }
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
