internal import CGSL
import Foundation

/// A probability distribution of a non-negative or real quantity (a service time in seconds, a payload size,
/// an inter-arrival gap), validated on construction and sampled through a ``RandomStream``.
///
/// Construct through the static factory functions, which check every parameter in Swift before GSL ever sees
/// it (some bad GSL inputs return NaN silently). Sampling is O(1) except ``empirical(values:cumulative:)``,
/// which is O(log n) in the table size; no case allocates while sampling.
public enum Distribution: Sendable, Equatable {
    case constant(Double)
    case uniform(lower: Double, upper: Double)
    case exponential(mean: Double)
    /// Normal with optional truncation bounds (either may be infinite).
    case normal(mean: Double, sd: Double, lower: Double, upper: Double)
    /// exp(N(mu, sigma²)): `mu` and `sigma` are the parameters of the underlying normal.
    case lognormal(mu: Double, sigma: Double)
    case gamma(shape: Double, scale: Double)
    case weibull(shape: Double, scale: Double)
    case pareto(shape: Double, scale: Double)
    /// Piecewise-linear inverse CDF through (values[i], cumulative[i]); cumulative rises from 0 to 1.
    case empirical(values: [Double], cumulative: [Double])

    /// z such that Φ(z) = 0.99, used to fit a lognormal to a published p99.
    public static let z99 = 2.326_347_874_040_840_8

    // MARK: Validated factories

    public static func makeConstant(_ value: Double) throws(StochasticsError) -> Distribution {
        try requireFinite(value, "constant value")
        return .constant(value)
    }

    public static func makeUniform(lower: Double, upper: Double) throws(StochasticsError) -> Distribution {
        try requireFinite(lower, "uniform lower bound")
        try requireFinite(upper, "uniform upper bound")
        guard lower <= upper else {
            throw StochasticsError("uniform lower bound \(lower) must not exceed upper bound \(upper)")
        }
        return .uniform(lower: lower, upper: upper)
    }

    public static func makeExponential(mean: Double) throws(StochasticsError) -> Distribution {
        try requirePositive(mean, "exponential mean")
        return .exponential(mean: mean)
    }

    public static func makeNormal(
        mean: Double, sd: Double, lower: Double = -.infinity, upper: Double = .infinity
    ) throws(StochasticsError) -> Distribution {
        try requireFinite(mean, "normal mean")
        try requirePositive(sd, "normal standard deviation")
        guard !lower.isNaN, !upper.isNaN, lower < upper else {
            throw StochasticsError("normal truncation bounds must satisfy lower < upper, got [\(lower), \(upper)]")
        }
        let mass = gsl_cdf_gaussian_P(upper - mean, sd) - gsl_cdf_gaussian_P(lower - mean, sd)
        guard mass > 1e-12 else {
            throw StochasticsError("normal truncation [\(lower), \(upper)] leaves no probability mass")
        }
        return .normal(mean: mean, sd: sd, lower: lower, upper: upper)
    }

    /// A lognormal with the given arithmetic mean and standard deviation.
    public static func makeLognormal(mean: Double, sd: Double) throws(StochasticsError) -> Distribution {
        try requirePositive(mean, "lognormal mean")
        try requirePositive(sd, "lognormal standard deviation")
        let sigma2 = Foundation.log(1 + (sd * sd) / (mean * mean))
        return .lognormal(mu: Foundation.log(mean) - sigma2 / 2, sigma: sigma2.squareRoot())
    }

    /// A lognormal through a published median (p50) and 99th percentile (p99), as latency profiles are given.
    public static func makeLognormal(median: Double, p99: Double) throws(StochasticsError) -> Distribution {
        try requirePositive(median, "lognormal median")
        try requirePositive(p99, "lognormal p99")
        guard p99 > median else {
            throw StochasticsError("lognormal p99 (\(p99)) must be greater than its median (\(median))")
        }
        let mu = Foundation.log(median)
        return .lognormal(mu: mu, sigma: (Foundation.log(p99) - mu) / z99)
    }

    public static func makeGamma(shape: Double, scale: Double) throws(StochasticsError) -> Distribution {
        try requirePositive(shape, "gamma shape")
        try requirePositive(scale, "gamma scale")
        return .gamma(shape: shape, scale: scale)
    }

    /// A gamma with the given mean and squared coefficient of variation cs² = variance / mean².
    public static func makeGamma(mean: Double, cs2: Double) throws(StochasticsError) -> Distribution {
        try requirePositive(mean, "gamma mean")
        try requirePositive(cs2, "gamma squared coefficient of variation")
        return .gamma(shape: 1 / cs2, scale: mean * cs2)
    }

    public static func makeWeibull(shape: Double, scale: Double) throws(StochasticsError) -> Distribution {
        try requirePositive(shape, "weibull shape")
        try requirePositive(scale, "weibull scale")
        return .weibull(shape: shape, scale: scale)
    }

    public static func makePareto(shape: Double, scale: Double) throws(StochasticsError) -> Distribution {
        try requirePositive(shape, "pareto shape")
        try requirePositive(scale, "pareto scale")
        return .pareto(shape: shape, scale: scale)
    }

    /// An empirical distribution that resamples between observed values (linear interpolation of the
    /// sorted samples' CDF). Needs at least one finite sample.
    public static func makeEmpirical(samples: [Double]) throws(StochasticsError) -> Distribution {
        guard !samples.isEmpty else { throw StochasticsError("empirical distribution needs at least one sample") }
        for sample in samples { try requireFinite(sample, "empirical sample") }
        let sorted = samples.sorted()
        if sorted.count == 1 { return .constant(sorted[0]) }
        let last = Double(sorted.count - 1)
        return .empirical(values: sorted, cumulative: sorted.indices.map { Double($0) / last })
    }

    /// An empirical distribution from a CDF table of (value, cumulative probability) points, both
    /// non-decreasing, the probabilities from 0 to 1 inclusive.
    public static func makeEmpirical(
        values: [Double], cumulative: [Double]
    ) throws(StochasticsError) -> Distribution {
        guard values.count == cumulative.count, values.count >= 2 else {
            throw StochasticsError("a CDF table needs at least two (value, probability) points of equal count")
        }
        for index in values.indices {
            try requireFinite(values[index], "CDF table value")
            guard cumulative[index] >= 0, cumulative[index] <= 1 else {
                throw StochasticsError("CDF table probability \(cumulative[index]) is outside [0, 1]")
            }
            if index > 0, values[index] < values[index - 1] || cumulative[index] < cumulative[index - 1] {
                throw StochasticsError("CDF table must be non-decreasing in value and probability (point \(index + 1))")
            }
        }
        guard cumulative.first == 0, cumulative.last == 1 else {
            throw StochasticsError("CDF table probabilities must start at 0 and end at 1")
        }
        return .empirical(values: values, cumulative: cumulative)
    }

    // MARK: Properties

    /// The distribution's expected value (`.infinity` for a Pareto with shape ≤ 1).
    public var mean: Double {
        switch self {
        case .constant(let value): return value
        case .uniform(let lower, let upper): return (lower + upper) / 2
        case .exponential(let mean): return mean
        case .normal(let mean, let sd, let lower, let upper):
            if lower == -.infinity, upper == .infinity { return mean }
            let alpha = (lower - mean) / sd, beta = (upper - mean) / sd
            let mass = gsl_cdf_ugaussian_P(beta) - gsl_cdf_ugaussian_P(alpha)
            return mean + sd * (gsl_ran_ugaussian_pdf(alpha) - gsl_ran_ugaussian_pdf(beta)) / mass
        case .lognormal(let mu, let sigma): return Foundation.exp(mu + sigma * sigma / 2)
        case .gamma(let shape, let scale): return shape * scale
        case .weibull(let shape, let scale): return scale * gsl_sf_gamma(1 + 1 / shape)
        case .pareto(let shape, let scale): return shape <= 1 ? .infinity : shape * scale / (shape - 1)
        case .empirical(let values, let cumulative):
            var total = 0.0
            for index in 1..<values.count {
                total += (cumulative[index] - cumulative[index - 1]) * (values[index] + values[index - 1]) / 2
            }
            return total
        }
    }

    /// The values that a fraction `tail` (0 < tail < 0.5) of samples fall below and above: the `tail` and
    /// `1 − tail` quantiles, from GSL's inverse CDFs. Bounded distributions give their bounds, with uniform's
    /// upper one computed as its sampler computes values, so that a span that overflows shows as infinite.
    /// Non-finite results mean that samples overflow a `Double`; used to reject such parameters for generated
    /// JSON numbers, which cannot be infinite.
    public func tailQuantiles(_ tail: Double) -> (lower: Double, upper: Double) {
        switch self {
        case .constant(let value): return (value, value)
        case .uniform(let lower, let upper): return (lower, lower + (upper - lower))
        case .exponential(let mean):
            return (gsl_cdf_exponential_Pinv(tail, mean), gsl_cdf_exponential_Qinv(tail, mean))
        case .normal(let mean, let sd, let lower, let upper):
            let z = gsl_cdf_ugaussian_Qinv(tail)
            return (Swift.max(lower, mean - z * sd), Swift.min(upper, mean + z * sd))
        case .lognormal(let mu, let sigma):
            return (gsl_cdf_lognormal_Pinv(tail, mu, sigma), gsl_cdf_lognormal_Qinv(tail, mu, sigma))
        case .gamma(let shape, let scale):
            return (gsl_cdf_gamma_Pinv(tail, shape, scale), gsl_cdf_gamma_Qinv(tail, shape, scale))
        case .weibull(let shape, let scale):
            return (gsl_cdf_weibull_Pinv(tail, scale, shape), gsl_cdf_weibull_Qinv(tail, scale, shape))
        case .pareto(let shape, let scale):
            return (gsl_cdf_pareto_Pinv(tail, shape, scale), gsl_cdf_pareto_Qinv(tail, shape, scale))
        case .empirical(let values, _): return (values[0], values[values.count - 1])
        }
    }

    // MARK: Sampling

    /// Draws one value.
    /// - Complexity: O(1); O(log n) for an empirical table of n points.
    @inlinable @inline(__always)
    public func sample(_ stream: RandomStream) -> Double {
        switch self {
        case .constant(let value): return value
        case .uniform(let lower, let upper): return lower + (upper - lower) * stream.uniform()
        case .exponential(let mean): return stream.exponential(mean: mean)
        case .normal(let mean, let sd, let lower, let upper):
            return Distribution.sampleNormal(stream, mean: mean, sd: sd, lower: lower, upper: upper)
        case .lognormal(let mu, let sigma): return stream.lognormal(mu: mu, sigma: sigma)
        case .gamma(let shape, let scale): return stream.gamma(shape: shape, scale: scale)
        case .weibull(let shape, let scale): return stream.weibull(scale: scale, shape: shape)
        case .pareto(let shape, let scale): return stream.pareto(shape: shape, scale: scale)
        case .empirical(let values, let cumulative):
            return Distribution.inverse(values: values, cumulative: cumulative, at: stream.uniform())
        }
    }

    @usableFromInline
    static func sampleNormal(_ stream: RandomStream, mean: Double, sd: Double, lower: Double, upper: Double) -> Double {
        if lower == -.infinity, upper == .infinity { return mean + sd * stream.standardNormal() }
        // Inversion over the truncated CDF range: exact, and never loops however thin the range.
        let low = gsl_cdf_gaussian_P(lower - mean, sd), high = gsl_cdf_gaussian_P(upper - mean, sd)
        let u = low + (high - low) * stream.uniformPositive()
        let value = mean + gsl_cdf_gaussian_Pinv(u, sd)
        return Swift.min(Swift.max(value, lower), upper)
    }

    @usableFromInline
    static func inverse(values: [Double], cumulative: [Double], at u: Double) -> Double {
        var low = 0, high = cumulative.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if cumulative[middle] <= u { low = middle } else { high = middle }
        }
        let span = cumulative[high] - cumulative[low]
        if span <= 0 { return values[high] }
        return values[low] + (values[high] - values[low]) * (u - cumulative[low]) / span
    }

    // MARK: Checks

    private static func requireFinite(_ value: Double, _ name: String) throws(StochasticsError) {
        guard value.isFinite else { throw StochasticsError("\(name) must be a finite number, got \(value)") }
    }

    private static func requirePositive(_ value: Double, _ name: String) throws(StochasticsError) {
        guard value.isFinite, value > 0 else {
            throw StochasticsError("\(name) must be positive and finite, got \(value)")
        }
    }
}
