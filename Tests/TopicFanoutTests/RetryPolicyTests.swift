import EventPatterns
import Testing
import TopicFanout

@Suite("Delivery retry policies")
struct RetryPolicyTests {
    let second = RetryPolicy.second

    @Test("the AWS-managed policy has 100,015 retries in the documented phases")
    func awsManagedPhases() {
        let policy = RetryPolicy.awsManaged
        #expect(policy.retryCount == 100_015)
        let delays = policy.delays()
        #expect(delays.count == 100_015)
        #expect(Array(delays[0..<3]) == [0, 0, 0])
        #expect(Array(delays[3..<5]) == [second, second])
        #expect(Array(delays[5..<15]) == [1, 2, 4, 8, 16, 20, 20, 20, 20, 20].map { $0 * second })
        #expect(delays[15...].allSatisfy { $0 == 20 * second })
        #expect(policy.delay(beforeRetry: 100_016) == nil)
    }

    @Test("the AWS-managed policy spans about 23 days")
    func awsManagedDuration() {
        let days = Double(RetryPolicy.awsManaged.totalRetryDuration) / Double(86_400 * second)
        #expect(days > 23 && days < 23.2)
    }

    @Test("the customer-managed policy has 50 retries over more than 6 hours")
    func customerManagedPhases() {
        let policy = RetryPolicy.customerManaged
        #expect(policy.retryCount == 50)
        let delays = policy.delays()
        #expect(Array(delays[0..<2]) == [10 * second, 10 * second])
        #expect(Array(delays[2..<12]) == [10, 20, 40, 80, 160, 320, 600, 600, 600, 600].map { $0 * second })
        #expect(delays[12...].allSatisfy { $0 == 600 * second })
        #expect(delays.count == 50)
        #expect(policy.totalRetryDuration > 6 * 3600 * second)
    }

    @Test("the default HTTP/S policy retries 3 times 20 seconds apart")
    func httpDefault() {
        #expect(HTTPDeliveryPolicy.standard.retry.delays() == [20, 20, 20].map { $0 * second })
        #expect(
            RetryPolicy.httpDefault.attemptTimes(startingAt: 5) == [
                5, 5 + 20 * second, 5 + 40 * second,
                5 + 60 * second,
            ])
    }

    @Test("a custom HTTP/S policy runs its four phases in order", arguments: BackoffFunction.allCases)
    func customPhases(_ function: BackoffFunction) throws {
        let policy = try HTTPDeliveryPolicy(
            numRetries: 10, numNoDelayRetries: 2, numMinDelayRetries: 2, numMaxDelayRetries: 1,
            minDelayTarget: 5, maxDelayTarget: 80, backoffFunction: function)
        let delays = policy.retry.delays().map { Double($0) / Double(second) }
        #expect(delays.count == 10)
        #expect(Array(delays[0..<4]) == [0, 0, 5, 5])
        let backoff = Array(delays[4..<9])
        #expect(backoff.first == 5)
        #expect(backoff.last == 80)
        #expect(zip(backoff, backoff.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(delays[9] == 80)
    }

    @Test("the backoff functions follow their formulas")
    func backoffFormulas() throws {
        func backoff(_ function: BackoffFunction) throws -> [Double] {
            try HTTPDeliveryPolicy(numRetries: 5, minDelayTarget: 10, maxDelayTarget: 170, backoffFunction: function)
                .retry.delays().map { Double($0) / Double(second) }
        }
        #expect(try backoff(.linear) == [10, 50, 90, 130, 170])
        #expect(try backoff(.arithmetic) == [10, 20, 50, 100, 170])
        #expect(try backoff(.exponential) == [10, 20, 40, 80, 160])
        let geometric = try backoff(.geometric)
        #expect(geometric.first == 10 && geometric.last == 170)
        #expect(abs(geometric[2] - (10 * 17.0.squareRoot())).magnitude < 0.001)
    }

    @Test("a subscription's protocol selects its retry policy")
    func protocolSelectsPolicy() throws {
        #expect(SubscriptionConfiguration(deliveryProtocol: .sqs).retryPolicy() == .awsManaged)
        #expect(SubscriptionConfiguration(deliveryProtocol: .lambda).retryPolicy() == .awsManaged)
        #expect(SubscriptionConfiguration(deliveryProtocol: .firehose).retryPolicy() == .awsManaged)
        #expect(SubscriptionConfiguration(deliveryProtocol: .firehose).retryPolicy(throttled: true) == .customerManaged)
        #expect(SubscriptionConfiguration(deliveryProtocol: .sms).retryPolicy() == .customerManaged)
        #expect(SubscriptionConfiguration(deliveryProtocol: .email).retryPolicy() == .customerManaged)
        #expect(SubscriptionConfiguration(deliveryProtocol: .application).retryPolicy() == .customerManaged)
        #expect(SubscriptionConfiguration(deliveryProtocol: .https).retryPolicy() == .httpDefault)
        let custom = try HTTPDeliveryPolicy(numRetries: 1, minDelayTarget: 1, maxDelayTarget: 1)
        #expect(SubscriptionConfiguration(deliveryProtocol: .http).retryPolicy(topicPolicy: custom) == custom.retry)
    }

    @Test("HTTP/S policy limits are enforced with a message naming the parameter")
    func httpLimits() {
        #expect(throws: TopicFanoutError.self) { try HTTPDeliveryPolicy(numRetries: 101) }
        #expect(throws: TopicFanoutError.self) { try HTTPDeliveryPolicy(minDelayTarget: 0) }
        #expect(throws: TopicFanoutError.self) { try HTTPDeliveryPolicy(minDelayTarget: 30, maxDelayTarget: 20) }
        #expect(throws: TopicFanoutError.self) { try HTTPDeliveryPolicy(maxDelayTarget: 3601) }
        #expect(throws: TopicFanoutError.self) {
            try HTTPDeliveryPolicy(numRetries: 2, numNoDelayRetries: 2, numMinDelayRetries: 1)
        }
        do {
            _ = try HTTPDeliveryPolicy(numRetries: 100, minDelayTarget: 60, maxDelayTarget: 60)
            Issue.record("100 retries 60 s apart exceed the 3600-second total and must be rejected")
        } catch {
            #expect(error.description.contains("3600"))
        }
    }

    @Test("a delivery policy is read from the service's JSON")
    func readsJSON() throws {
        let json = try JSONParser.parse(
            """
            {"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 2, "maxDelayTarget": 16, "numRetries": 4,
             "backoffFunction": "exponential"}, "defaultThrottlePolicy": {"maxReceivesPerSecond": 10}}}
            """)
        let policy = try HTTPDeliveryPolicy(json: json)
        #expect(policy.maxReceivesPerSecond == 10)
        #expect(policy.retry.delays() == [2, 4, 8, 16].map { $0 * second })
        #expect(throws: TopicFanoutError.self) {
            try HTTPDeliveryPolicy(json: try JSONParser.parse(#"{"healthyRetryPolicy": {"backoffFunction": "cubic"}}"#))
        }
    }
}
