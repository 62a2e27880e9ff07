public import EventPatterns

/// The customisable delivery policy of HTTP/S subscriptions: a retry policy in four phases plus an optional
/// per-subscription throttle.
///
/// Limits (hard, as SNS enforces them): `numRetries` 0...100; the no-delay, min-delay and max-delay counts are
/// non-negative and sum to at most `numRetries` (the backoff phase gets the rest); `minDelayTarget` at least 1 s;
/// `maxDelayTarget` at most 3,600 s and not below the minimum; the whole schedule's retry time at most 3,600 s.
public struct HTTPDeliveryPolicy: Sendable, Equatable {
    /// The retry schedule.
    public let retry: RetryPolicy
    /// `maxReceivesPerSecond`: deliveries per second to the subscription, or nil for no throttle.
    public let maxReceivesPerSecond: Int?

    /// The default policy: 3 retries 20 s apart, no throttle.
    public static let standard = HTTPDeliveryPolicy(checked: .httpDefault, maxReceivesPerSecond: nil)

    init(checked retry: RetryPolicy, maxReceivesPerSecond: Int?) {
        self.retry = retry
        self.maxReceivesPerSecond = maxReceivesPerSecond
    }

    /// Creates a validated policy from SNS's parameters (delays in whole seconds).
    /// - Throws: `TopicFanoutError` (`.invalidConfiguration`) naming the parameter that breaks a limit.
    public init(
        numRetries: Int = 3, numNoDelayRetries: Int = 0, numMinDelayRetries: Int = 0, numMaxDelayRetries: Int = 0,
        minDelayTarget: Int = 20, maxDelayTarget: Int = 20, backoffFunction: BackoffFunction = .linear,
        maxReceivesPerSecond: Int? = nil
    ) throws(TopicFanoutError) {
        func fail(_ field: String, _ text: String) -> TopicFanoutError {
            .configuration("deliveryPolicy.\(field)", text)
        }
        guard (0...100).contains(numRetries) else {
            throw fail("numRetries", "must be between 0 and 100, got \(numRetries)")
        }
        for (name, value) in [
            ("numNoDelayRetries", numNoDelayRetries), ("numMinDelayRetries", numMinDelayRetries),
            ("numMaxDelayRetries", numMaxDelayRetries),
        ] where value < 0 {
            throw fail(name, "must be zero or greater, got \(value)")
        }
        let fixed = numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries
        guard fixed <= numRetries else {
            throw fail(
                "numRetries",
                "must be at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries "
                    + "(\(fixed)), got \(numRetries)")
        }
        guard minDelayTarget >= 1 else {
            throw fail("minDelayTarget", "must be at least 1 second, got \(minDelayTarget)")
        }
        guard maxDelayTarget <= 3600 else {
            throw fail("maxDelayTarget", "must be at most 3600 seconds, got \(maxDelayTarget)")
        }
        guard minDelayTarget <= maxDelayTarget else {
            throw fail("minDelayTarget", "must not exceed maxDelayTarget (\(maxDelayTarget)), got \(minDelayTarget)")
        }
        if let rate = maxReceivesPerSecond, rate < 1 {
            throw fail("throttlePolicy.maxReceivesPerSecond", "must be at least 1, got \(rate)")
        }
        let policy = RetryPolicy(
            immediateRetries: numNoDelayRetries, preBackoffRetries: numMinDelayRetries,
            backoffRetries: numRetries - fixed, postBackoffRetries: numMaxDelayRetries,
            minDelay: Int64(minDelayTarget) * RetryPolicy.second, maxDelay: Int64(maxDelayTarget) * RetryPolicy.second,
            backoffFunction: backoffFunction)
        let total = policy.totalRetryDuration
        guard total <= 3600 * RetryPolicy.second else {
            throw fail(
                "healthyRetryPolicy",
                "the total retry time is \(total / RetryPolicy.second) seconds, "
                    + "more than the 3600-second limit")
        }
        self.init(checked: policy, maxReceivesPerSecond: maxReceivesPerSecond)
    }

    /// Reads a subscription-level policy (`{"healthyRetryPolicy": {…}, "throttlePolicy": {…}}`) or a topic-level
    /// one (`{"http": {"defaultHealthyRetryPolicy": {…}, "defaultThrottlePolicy": {…}}}`). Missing fields take
    /// their defaults; unknown fields are ignored like the service's request and content-type settings.
    /// - Throws: `TopicFanoutError` (`.invalidConfiguration`) for a wrong type or a broken limit.
    public init(json: JSONValue) throws(TopicFanoutError) {
        var root = json
        if case .object(let object) = json, let http = object["http"] { root = http }
        guard case .object(let object) = root else {
            throw .configuration("deliveryPolicy", "must be a JSON object")
        }
        let retry = object["healthyRetryPolicy"] ?? object["defaultHealthyRetryPolicy"] ?? .object(JSONObject([]))
        let throttle = object["throttlePolicy"] ?? object["defaultThrottlePolicy"]
        guard case .object(let fields) = retry else {
            throw .configuration("deliveryPolicy.healthyRetryPolicy", "must be a JSON object")
        }
        func integer(_ name: String, _ fallback: Int, in object: JSONObject, at path: String) throws(TopicFanoutError)
            -> Int
        {
            guard let value = object[name] else { return fallback }
            guard case .number(let number) = value, let double = number.exactDouble, double == double.rounded(),
                abs(double) < 1e9
            else { throw .configuration("\(path).\(name)", "must be a whole number, got \(value.jsonText)") }
            return Int(double)
        }
        let path = "deliveryPolicy.healthyRetryPolicy"
        var function = BackoffFunction.linear
        if let value = fields["backoffFunction"] {
            guard case .string(let name) = value, let parsed = BackoffFunction(rawValue: name.lowercased()) else {
                throw .configuration(
                    "\(path).backoffFunction",
                    "must be one of linear, arithmetic, geometric, exponential; got \(value.jsonText)")
            }
            function = parsed
        }
        var rate: Int?
        if let throttle {
            guard case .object(let throttleFields) = throttle else {
                throw .configuration("deliveryPolicy.throttlePolicy", "must be a JSON object")
            }
            if throttleFields["maxReceivesPerSecond"] != nil {
                rate = try integer("maxReceivesPerSecond", 0, in: throttleFields, at: "deliveryPolicy.throttlePolicy")
            }
        }
        try self.init(
            numRetries: try integer("numRetries", 3, in: fields, at: path),
            numNoDelayRetries: try integer("numNoDelayRetries", 0, in: fields, at: path),
            numMinDelayRetries: try integer("numMinDelayRetries", 0, in: fields, at: path),
            numMaxDelayRetries: try integer("numMaxDelayRetries", 0, in: fields, at: path),
            minDelayTarget: try integer("minDelayTarget", 20, in: fields, at: path),
            maxDelayTarget: try integer("maxDelayTarget", 20, in: fields, at: path),
            backoffFunction: function, maxReceivesPerSecond: rate)
    }
}
