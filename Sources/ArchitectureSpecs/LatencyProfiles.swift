public import Stochastics

/// Named latency profiles: lognormal distributions (seconds) fitted through published p50 and p99.
///
/// σ = ln(p99/p50) / 2.326 with the median at p50 (shared/reference/figures.md §8, fitted to
/// bitesizedserverless.com "Serverless Messaging: Latency Compared", eu-west-1, 2022-09 and 2023-02).
/// Every figure is end to end into the consumer Lambda.
public enum LatencyProfiles {
    /// A profile: its name, published p50 and p99 in seconds, and where they come from.
    public struct Profile: Sendable {
        public let name: String
        public let p50: Double
        public let p99: Double
        public let source: String

        public var distribution: Distribution {
            // Published p99 > p50 for every entry below, so the factory cannot fail.
            (try? Distribution.makeLognormal(median: p50, p99: p99)) ?? .constant(p50)
        }
    }

    /// Every named profile, in a stable order.
    public static let all: [Profile] = [
        Profile(
            name: "eventbridge-classic", p50: 0.395, p99: 0.794,
            source:
                "bitesizedserverless.com, EventBridge to async Lambda, measured 2022-09 (before the Feb 2023 upgrade)"),
        Profile(
            name: "eventbridge-2024", p50: 0.148, p99: 0.387,
            source: "bitesizedserverless.com, EventBridge to async Lambda, re-measured after the 2023-02-17 upgrade"),
        Profile(
            name: "sns-standard", p50: 0.073, p99: 0.225,
            source: "bitesizedserverless.com, SNS standard to async Lambda, 2022-09"),
        Profile(
            name: "sns-fifo", p50: 0.0401, p99: 0.497,
            source: "bitesizedserverless.com, SNS FIFO via SQS FIFO and Lambda ESM, 2022-09"),
        Profile(
            name: "sqs", p50: 0.0162, p99: 0.105,
            source: "bitesizedserverless.com, SQS standard to Lambda ESM, 2022-09"),
        Profile(
            name: "sqs-fifo", p50: 0.0281, p99: 0.645,
            source: "bitesizedserverless.com, SQS FIFO to Lambda ESM, 2022-09"),
        Profile(
            name: "dynamodb-streams", p50: 0.213, p99: 0.552,
            source: "bitesizedserverless.com, DynamoDB Streams to Lambda ESM, 2022-09"),
        Profile(
            name: "lambda-cold-start", p50: 0.25, p99: 1.5,
            source: "figures.md §8 assumption inside AWS's '<100 ms to >1 s' (lambda-runtime-environment.html)"),
    ]

    /// The profile called `name`, or nil.
    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }

    /// The names, for error messages ("expected one of: …").
    public static var names: [String] { all.map(\.name) }
}
