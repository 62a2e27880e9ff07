import Foundation
import Testing

@testable import Stochastics

/// Sample-mean checks use a 5-sigma band: with fixed seeds the tests are deterministic, and the band makes
/// them robust to any seed (failure chance ≈ 6e-7 per assertion for a correct sampler).
private func expectMean(
    _ distribution: Distribution, _ expected: Double, sd: Double, n: Int = 20_000,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let stream = RandomStream(scenarioSeed: 42, name: "test/\(distribution)")
    var summary = Summary()
    for _ in 0..<n { summary.add(distribution.sample(stream)) }
    let band = 5 * sd / Double(n).squareRoot()
    #expect(
        abs(summary.mean - expected) <= band, "mean \(summary.mean) vs \(expected) ± \(band)",
        sourceLocation: sourceLocation)
}

@Suite("Distributions")
struct DistributionTests {
    @Test func exponentialHasItsMean() throws {
        expectMean(try .makeExponential(mean: 2), 2, sd: 2)
    }

    @Test func uniformHasItsMean() throws {
        expectMean(try .makeUniform(lower: 1, upper: 3), 2, sd: 2 / 12.0.squareRoot())
    }

    @Test func gammaByMeanAndCs2HasItsMoments() throws {
        let gamma = try Distribution.makeGamma(mean: 3, cs2: 0.25)
        #expect(abs(gamma.mean - 3) < 1e-12)
        expectMean(gamma, 3, sd: 1.5)
    }

    @Test func weibullAndParetoMeansMatchClosedForms() throws {
        let weibull = try Distribution.makeWeibull(shape: 2, scale: 1)
        #expect(abs(weibull.mean - 0.886_226_925_452_758) < 1e-9)
        expectMean(weibull, weibull.mean, sd: 0.5227)
        let pareto = try Distribution.makePareto(shape: 3, scale: 2)
        #expect(pareto.mean == 3)
        expectMean(pareto, 3, sd: 3.0.squareRoot(), n: 50_000)
    }

    @Test func lognormalFromMedianAndP99ReproducesBothQuantiles() throws {
        // EventBridge-style latency profile: p50 150 ms, p99 600 ms.
        let latency = try Distribution.makeLognormal(median: 0.150, p99: 0.600)
        let stream = RandomStream(scenarioSeed: 7, name: "latency")
        var samples = (0..<100_000).map { _ in latency.sample(stream) }
        samples.sort()
        #expect(abs(samples[50_000] / 0.150 - 1) < 0.02)
        #expect(abs(samples[99_000] / 0.600 - 1) < 0.05)
    }

    /// Kolmogorov–Smirnov against the lognormal CDF Φ((ln x − mu)/sigma): the whole shape, not only moments.
    /// 1.95/√n is the 0.1 % critical value of the statistic; the seeds are fixed, so the test is deterministic.
    @Test(arguments: [(-3.2, 0.7), (0.0, 1.0), (4.1, 2.5)])
    func lognormalSamplesFollowTheLognormalCdf(mu: Double, sigma: Double) {
        let stream = RandomStream(scenarioSeed: 11, name: "lognormal/\(mu)/\(sigma)")
        let n = 20_000
        let samples = (0..<n).map { _ in stream.lognormal(mu: mu, sigma: sigma) }.sorted()
        var largest = 0.0
        for (index, sample) in samples.enumerated() {
            let cdf = 0.5 * erfc(-(Foundation.log(sample) - mu) / (sigma * 2.0.squareRoot()))
            largest = max(largest, abs(cdf - Double(index) / Double(n)), abs(cdf - Double(index + 1) / Double(n)))
        }
        #expect(largest * Double(n).squareRoot() < 1.95, "KS statistic \(largest)")
    }

    @Test func tailQuantilesAreTheInverseCdfsAndShowOverflow() throws {
        let exponential = try Distribution.makeExponential(mean: 2).tailQuantiles(1e-12)
        #expect(abs(exponential.upper - 2 * Foundation.log(1e12)) < 1e-9)
        #expect(abs(exponential.lower - 2e-12) < 1e-20)
        let lognormal = Distribution.lognormal(mu: 1, sigma: 0.5).tailQuantiles(0.01)
        #expect(abs(lognormal.upper - Foundation.exp(1 + 0.5 * Distribution.z99)) < 1e-9)
        #expect(abs(lognormal.lower - Foundation.exp(1 - 0.5 * Distribution.z99)) < 1e-9)
        let truncated = try Distribution.makeNormal(mean: 0, sd: 1, lower: -1, upper: 30).tailQuantiles(1e-12)
        #expect(truncated.lower == -1 && abs(truncated.upper - 7.034_483_825) < 1e-6)
        #expect(try Distribution.makePareto(shape: 0.01, scale: 1).tailQuantiles(1e-12).upper == .infinity)
        #expect(try Distribution.makeUniform(lower: -1e308, upper: 1e308).tailQuantiles(1e-12).upper == .infinity)
        #expect(abs(try Distribution.makePareto(shape: 2, scale: 1).tailQuantiles(1e-12).upper / 1e6 - 1) < 1e-9)
    }

    @Test func lognormalFromMeanAndSdHasThatMean() throws {
        let distribution = try Distribution.makeLognormal(mean: 10, sd: 5)
        #expect(abs(distribution.mean - 10) < 1e-9)
        expectMean(distribution, 10, sd: 5)
    }

    @Test func truncatedNormalStaysInsideItsBounds() throws {
        let normal = try Distribution.makeNormal(mean: 0, sd: 1, lower: 0.5, upper: 1.0)
        let stream = RandomStream(seed: 3)
        for _ in 0..<10_000 {
            let value = normal.sample(stream)
            #expect(value >= 0.5 && value <= 1.0)
        }
        expectMean(normal, normal.mean, sd: 0.15)
    }

    @Test func empiricalFromSamplesStaysInRangeAndKeepsTheMean() throws {
        let empirical = try Distribution.makeEmpirical(samples: [4, 1, 3, 2])
        #expect(empirical.mean == 2.5)
        let stream = RandomStream(seed: 5)
        for _ in 0..<1_000 {
            let value = empirical.sample(stream)
            #expect(value >= 1 && value <= 4)
        }
    }

    @Test func empiricalCdfTableInvertsLinearly() throws {
        let table = try Distribution.makeEmpirical(values: [0, 10, 20], cumulative: [0, 0.5, 1])
        #expect(Distribution.inverse(values: [0, 10, 20], cumulative: [0, 0.5, 1], at: 0.25) == 5)
        #expect(table.mean == 10)
    }

    @Test(
        arguments: [
            { try Distribution.makeExponential(mean: -1) },
            { try Distribution.makeExponential(mean: .nan) },
            { try Distribution.makeUniform(lower: 2, upper: 1) },
            { try Distribution.makeLognormal(median: 0.2, p99: 0.1) },
            { try Distribution.makeGamma(shape: 0, scale: 1) },
            { try Distribution.makeNormal(mean: 0, sd: 1, lower: 50, upper: 51) },
            { try Distribution.makeEmpirical(samples: []) },
            { try Distribution.makeEmpirical(values: [0, 1], cumulative: [0.2, 1]) },
            { try Distribution.makePareto(shape: 1, scale: -2) },
        ] as [@Sendable () throws -> Distribution])
    func invalidParametersThrowInsteadOfTrapping(_ make: @Sendable () throws -> Distribution) {
        #expect(throws: StochasticsError.self) { try make() }
    }

    @Test func errorMessagesNameTheParameter() {
        #expect(throws: StochasticsError("exponential mean must be positive and finite, got -1.0")) {
            try Distribution.makeExponential(mean: -1)
        }
    }
}
