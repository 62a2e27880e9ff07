import EventPatterns
import Testing
import TopicFanout

@Suite("Numeric endpoints of attribute filters")
struct NumericEndpointsTests {
    @Test func numericTestsGiveTheirSortedDistinctEnds() throws {
        let policy = try FilterPolicy(
            text: #"{"price": [{"numeric": [">=", 10, "<", 900]}, 25, {"numeric": ["=", 10]}], "type": ["a"]}"#)
        #expect(policy.numericEndpoints(ofAttribute: "price") == [10, 25, 900])
        // `type` is tested with a string: its value's text decides, not a numeric class.
        #expect(policy.numericEndpoints(ofAttribute: "type") == nil)
        // Not tested at all: every valid number is alike.
        #expect(policy.numericEndpoints(ofAttribute: "other") == [])
    }

    @Test func everyOrBranchCountsAndExistsIsNeutral() throws {
        let policy = try FilterPolicy(
            text: #"{"$or": [{"price": [{"numeric": ["<", 5]}]}, {"price": [{"exists": true}], "tier": ["gold"]}]}"#)
        #expect(policy.numericEndpoints(ofAttribute: "price") == [5])
        let mixed = try FilterPolicy(
            text: #"{"$or": [{"price": [{"numeric": ["<", 5]}]}, {"price": [{"anything-but": [7]}]}]}"#)
        #expect(mixed.numericEndpoints(ofAttribute: "price") == nil)
        let body = try FilterPolicy(text: #"{"price": [{"numeric": ["<", 5]}]}"#, scope: .messageBody)
        #expect(body.numericEndpoints(ofAttribute: "price") == nil)
    }

    /// The property the topic's match cache relies on: valid Number values of one slot among a topic's endpoints
    /// reach the same subscriptions, through the real subscription index, whatever their spelling.
    @Test(arguments: [1, 2, 3])
    func valuesOfOneSlotReachTheSameSubscriptions(seed: UInt64) throws {
        let texts = [
            #"{"price": [{"numeric": [">=", 10, "<", 900]}]}"#,
            #"{"price": [25, {"numeric": [">", 899.5]}], "type": ["a"]}"#,
            #"{"$or": [{"price": [{"numeric": ["<=", 0]}]}, {"price": [{"exists": false}]}]}"#,
            #"{"price": [{"numeric": ["=", -3.25]}]}"#,
            #"{"type": ["b"]}"#,
        ]
        let policies = try texts.map { try FilterPolicy(text: $0) }
        let topic = try Topic(name: "prices", filterPolicyQuota: .max)
        for policy in policies {
            _ = try topic.subscribe(SubscriptionConfiguration(deliveryProtocol: .sqs, filterPolicy: policy))
        }
        var values: [Double] = []
        for policy in policies { values += policy.numericEndpoints(ofAttribute: "price") ?? [] }
        let endpoints = Array(Set(values)).sorted()
        #expect(endpoints == [-3.25, 0, 10, 25, 899.5, 900])
        var state = seed &* 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        // Endpoints themselves, their neighbours, and random values, in several spellings.
        var candidates: [String] = []
        for endpoint in endpoints {
            candidates += [
                "\(endpoint)", "\(endpoint.nextUp)", "\(endpoint.nextDown)", "\(endpoint + 0.5)", "\(endpoint - 0.5)",
            ]
        }
        for _ in 0..<300 { candidates.append("\(Double(Int(next() % 400_000)) / 100 - 1_000)") }
        candidates += ["25", "25.0", "2.5e1", "250e-1", "-0", "0", "0.0", "900", "9e2", "-3.25", "-325e-2"]
        var outcomes: [Int: [Int]] = [:]
        for type in ["a", "b"] {
            outcomes = [:]
            for text in candidates {
                let bytes = Array(text.utf8)
                let slot = bytes.withUnsafeBufferPointer {
                    NumericClass.slot(ofNumber: $0, among: endpoints, limit: MessageView.numberLimit)
                }
                guard let slot else { continue }
                let value = try JSONParser.parse(text)
                let view = try MessageView(
                    jsonAttributes: [(name: "price", value: value), (name: "type", value: .string(type))], body: nil)
                var matched: [Int] = []
                topic.matchingSubscriptions(view, into: &matched)
                if let seen = outcomes[slot] {
                    #expect(seen == matched, "slot \(slot), value \(text), type \(type)")
                } else {
                    outcomes[slot] = matched
                }
            }
            // Every slot of the six endpoints was reached (2 × 6 + 1).
            #expect(outcomes.count == 13)
        }
    }

    @Test func onlyValidNumbersHaveASlot() {
        func slot(_ text: String) -> Int? {
            Array(text.utf8).withUnsafeBufferPointer {
                NumericClass.slot(ofNumber: $0, among: [1, 2], limit: MessageView.numberLimit)
            }
        }
        #expect(slot("1") == 1 && slot("1.5") == 2 && slot("0") == 0 && slot("3") == 4)
        #expect(slot(#""1""#) == nil)  // a string
        #expect(slot("0.12345678901234567891") == nil)  // more digits than any double's shortest form
        #expect(slot("0.1") == 0)  // a double's shortest form
        #expect(slot("2e9") == nil)  // beyond a Number attribute's range
        #expect(slot("1 ") == nil && slot("[1]") == nil && slot("") == nil && slot("01") == nil)
    }
}
