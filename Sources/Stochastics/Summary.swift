internal import CGSL
import Foundation

/// Running mean and variance by Welford's algorithm: numerically stable, O(1) memory, mergeable.
public struct Summary: Sendable, Equatable {
    /// Number of observations.
    public private(set) var count: Int = 0
    /// Mean of the observations (0 when empty).
    public private(set) var mean: Double = 0
    private var m2: Double = 0
    /// Smallest and largest observation (±infinity when empty).
    public private(set) var minimum: Double = .infinity
    public private(set) var maximum: Double = -.infinity

    public init() {}

    /// Creates a summary of `values`.
    public init(_ values: some Sequence<Double>) {
        for value in values { add(value) }
    }

    /// Adds one observation. - Complexity: O(1).
    @inlinable
    public mutating func add(_ value: Double) {
        _add(value)
    }

    @usableFromInline
    mutating func _add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        m2 += delta * (value - mean)
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
    }

    /// Merges another summary (Chan et al. parallel update); the order of merges changes only rounding.
    public mutating func merge(_ other: Summary) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = count + other.count
        let delta = other.mean - mean
        mean += delta * Double(other.count) / Double(total)
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / Double(total)
        count = total
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// Unbiased sample variance (n − 1 denominator); 0 with fewer than two observations.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }

    /// Sample standard deviation.
    public var standardDeviation: Double { variance.squareRoot() }

    /// Student-t confidence interval for the mean at the given confidence level (e.g. 0.95).
    ///
    /// With fewer than two observations the half-width is infinite: one replication says nothing about
    /// its own precision.
    public func confidenceInterval(level: Double = 0.95) -> ConfidenceInterval {
        guard count > 1 else { return ConfidenceInterval(mean: mean, halfWidth: .infinity, level: level) }
        let t = StudentT.quantile(probability: 1 - (1 - level) / 2, degreesOfFreedom: Double(count - 1))
        return ConfidenceInterval(
            mean: mean, halfWidth: t * standardDeviation / Double(count).squareRoot(), level: level)
    }
}

/// A symmetric confidence interval `mean ± halfWidth`.
public struct ConfidenceInterval: Sendable, Equatable {
    public let mean: Double
    public let halfWidth: Double
    /// The confidence level in (0, 1).
    public let level: Double

    public init(mean: Double, halfWidth: Double, level: Double) {
        self.mean = mean
        self.halfWidth = halfWidth
        self.level = level
    }

    public var lower: Double { mean - halfWidth }
    public var upper: Double { mean + halfWidth }

    /// Whether `value` lies inside the closed interval.
    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
}

/// Student's t distribution, through GSL's CDF routines.
public enum StudentT {
    /// The p-quantile of Student's t with `degreesOfFreedom` (> 0) degrees of freedom.
    public static func quantile(probability: Double, degreesOfFreedom: Double) -> Double {
        GSLRuntime.prepare()
        return gsl_cdf_tdist_Pinv(probability, degreesOfFreedom)
    }
}
