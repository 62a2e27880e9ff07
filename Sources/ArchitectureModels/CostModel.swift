/// Prices in US dollars, each a parameter with its source and date (shared/reference/figures.md; us-east-1).
public struct CostModel: Sendable, Equatable {
    /// $1.00 per million custom events, per 64 KB chunk (aws.amazon.com/eventbridge/pricing; cloudburn.io 2026-03).
    public var busEventPerMillion = 1.00
    /// $0.50 per million standard publishes, per 64 KB chunk (factualminds.com, 2026-06).
    public var topicPublishPerMillion = 0.50
    /// $0.30 per million FIFO publishes (factualminds.com, 2026-06; payload charge not modelled).
    public var fifoPublishPerMillion = 0.30
    /// $0.60 per million HTTP/S deliveries (factualminds.com, 2026-06).
    public var httpDeliveryPerMillion = 0.60
    /// $2.00 per 100,000 email deliveries (factualminds.com, 2026-06).
    public var emailDeliveryPerMillion = 20.00
    /// $0.50 per million mobile-push and other customer-endpoint deliveries (factualminds.com, 2026-06).
    public var otherDeliveryPerMillion = 0.50
    /// $0.20 per million function requests (aws.amazon.com/lambda/pricing via api-evangelist, 2026-09-20).
    public var functionRequestPerMillion = 0.20
    /// $0.0000166667 per GB-second, x86 first tier (aws.amazon.com/lambda/pricing via artillery 2.0.28).
    public var functionGigabyteSecond = 0.000_016_666_7
    /// $0.40 per million standard queue requests, per 64 KB chunk (cloudburn.io, 2026-03).
    public var queueRequestPerMillion = 0.40
    /// $0.02 per 100,000 GetRecords calls; free when read by Lambda (figures.md §5.3).
    public var streamReadPerMillion = 0.0

    public init() {}

    /// The cost of `usage` in dollars (free tiers ignored: peak-day sizing is about marginal cost).
    public func cost(of usage: UsageCounters) -> Double {
        let perMillion = 1e-6
        return Double(usage.busEventChunks) * busEventPerMillion * perMillion
            + Double(usage.topicPublishChunks) * topicPublishPerMillion * perMillion
            + Double(usage.fifoPublishChunks) * fifoPublishPerMillion * perMillion
            + Double(usage.httpDeliveries) * httpDeliveryPerMillion * perMillion
            + Double(usage.emailDeliveries) * emailDeliveryPerMillion * perMillion
            + Double(usage.otherDeliveries) * otherDeliveryPerMillion * perMillion
            + Double(usage.functionRequests) * functionRequestPerMillion * perMillion
            + usage.functionGigabyteSeconds * functionGigabyteSecond
            + Double(usage.queueRequests) * queueRequestPerMillion * perMillion
            + Double(usage.streamReads) * streamReadPerMillion * perMillion
    }
}
