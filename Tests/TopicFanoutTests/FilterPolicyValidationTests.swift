import EventPatterns
import Testing
import TopicFanout

@Suite("Filter policy validation and the filter command's logic")
struct FilterPolicyValidationTests {
    func values(_ count: Int, _ stem: String = "v") -> String {
        (0..<count).map { "\"\(stem)\($0)\"" }.joined(separator: ", ")
    }

    func error(_ text: String, scope: FilterPolicyScope = .messageAttributes) -> TopicFanoutError? {
        do {
            _ = try FilterPolicy(text: text, scope: scope)
            return nil
        } catch {
            return error
        }
    }

    @Test("complexity limits at the documented boundaries")
    func complexityBoundaries() throws {
        #expect(try FilterPolicy(text: "{\"k\": [\(values(150))]}").complexity == 150)
        #expect(error("{\"k\": [\(values(151))]}")?.message.contains("151") == true)
        let nested75 = try FilterPolicy(text: "{\"a\": {\"b\": [\(values(75))]}}", scope: .messageBody)
        #expect(nested75.complexity == 150)
        #expect(error("{\"a\": {\"b\": [\(values(76))]}}", scope: .messageBody)?.message.contains("152") == true)
        let or150 = try FilterPolicy(text: "{\"$or\": [{\"a\": [\(values(75))]}, {\"b\": [\(values(75))]}]}")
        #expect(or150.complexity == 150)
        #expect(error("{\"$or\": [{\"a\": [\(values(76))]}, {\"b\": [\(values(75))]}]}") != nil)
    }

    @Test("the documented $or examples have complexity 7 and 32")
    func documentedOrComplexity() throws {
        let seven = try FilterPolicy(
            text: """
                {"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                 {"metricType": ["MetricType"], "$or": [{"metricId": [1234, 4321]}, {"spaceId": [1000, 2000, 3000]}]}]}
                """)
        #expect(seven.complexity == 7)
        let thirtyTwo = try FilterPolicy(
            text: """
                {"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                 {"namespace": ["AWS/EC2", "AWS/ES"]}], "detail": {"scope": ["Service"],
                 "$or": [{"source": ["aws.cloudwatch"]}, {"type": ["CloudWatch Alarm State Change"]}]}}
                """, scope: .messageBody)
        #expect(thirtyTwo.complexity == 32)
    }

    @Test("at most five keys per path; only top-level keys count for nested policies")
    func keyLimit() throws {
        #expect(
            error(#"{"a": [1], "b": [1], "c": [1], "d": [1], "e": [1], "f": [1]}"#)?.message.contains("6 keys") == true)
        #expect(error(#"{"a": [1], "b": [1], "c": [1], "d": [1], "$or": [{"e": [1]}, {"f": [1], "g": [1]}]}"#) != nil)
        _ = try FilterPolicy(text: #"{"a": [1], "b": [1], "c": [1], "d": [1], "$or": [{"e": [1]}, {"f": [1]}]}"#)
        _ = try FilterPolicy(
            text: #"{"a": {"x": [1], "y": [1], "z": [1]}, "b": [1], "c": [1], "d": [1], "e": [1]}"#,
            scope: .messageBody)
    }

    @Test("policies above 256 KB are rejected before parsing")
    func sizeLimit() {
        let big = "{\"k\": [\"" + String(repeating: "x", count: 262_144) + "\"]}"
        #expect(error(big)?.message.contains("256 KB") == true)
    }

    @Test(
        "each invalid operand gets a message naming its path",
        arguments: [
            (#"{"k": [{"prefix": 5}]}"#, "policy.k[0].prefix"),
            (#"{"k": [{"numeric": [">", 1, ">", 2]}]}"#, "policy.k[0].numeric"),
            (#"{"k": [{"numeric": ["=", "5"]}]}"#, "policy.k[0].numeric[1]"),
            (#"{"k": [{"numeric": [">", 5, "<", 5]}]}"#, "policy.k[0].numeric"),
            (#"{"k": [{"numeric": ["<", 1000000001]}]}"#, "policy.k[0].numeric[1]"),
            (#"{"k": [{"exists": "yes"}]}"#, "policy.k[0].exists"),
            (#"{"k": [{"cidr": "10.0.0.0"}]}"#, "policy.k[0].cidr"),
            (#"{"k": [{"cidr": "10.0.0.0/33"}]}"#, "policy.k[0].cidr"),
            (#"{"k": [{"cidr": "300.0.0.1/32"}]}"#, "policy.k[0].cidr"),
            (#"{"k": [{"anything-but": {"exists": false}}]}"#, "policy.k[0].anything-but"),
            (#"{"k": [{"contains": "x"}]}"#, "policy.k[0].contains"),
            (#"{"k": [{"prefix": "a", "suffix": "b"}]}"#, "policy.k[0]"),
            (#"{"k": []}"#, "policy.k"),
            (#"{"k": "v"}"#, "policy.k"),
            (#"{"k": {"n": ["v"]}}"#, "policy.k"),
        ])
    func operandErrors(_ text: String, _ path: String) {
        let failure = error(text)
        #expect(failure?.kind == .invalidPolicy)
        #expect(failure?.path == path, "\(failure?.description ?? "accepted")")
    }

    @Test("host CIDR masks that EventBridge rejects are accepted and match only that address")
    func hostMasks() throws {
        let v4 = try FilterPolicy(text: #"{"ip": [{"cidr": "192.168.1.7/32"}]}"#)
        let v6 = try FilterPolicy(text: #"{"ip": [{"cidr": "2001:db8::1/128"}]}"#)
        func view(_ ip: String) throws -> MessageView {
            try MessageView(attributes: [MessageAttribute(name: "ip", dataType: "String", value: ip)], body: nil)
        }
        #expect(v4.matches(try view("192.168.1.7")))
        #expect(!v4.matches(try view("192.168.1.8")))
        #expect(v6.matches(try view("2001:db8::1")))
        #expect(!v6.matches(try view("2001:db8::2")))
    }

    @Test("invalid attributes are rejected with the attribute's name")
    func invalidAttributes() {
        #expect(throws: TopicFanoutError.self) {
            try MessageView(attributes: [MessageAttribute(name: "n", dataType: "Number", value: "abc")], body: nil)
        }
        #expect(throws: TopicFanoutError.self) {
            try MessageView(
                attributes: [MessageAttribute(name: "a", dataType: "String.Array", value: "[[1]]")], body: nil)
        }
        #expect(throws: TopicFanoutError.self) {
            try MessageView(attributes: [MessageAttribute(name: "AWS.x", dataType: "String", value: "v")], body: nil)
        }
        #expect(throws: TopicFanoutError.self) {
            try MessageView(attributes: [MessageAttribute(name: "a", dataType: "Blob", value: "v")], body: nil)
        }
    }

    @Test("exists true ignores null and empty values; exists false needs a visible attribute")
    func existsRules() throws {
        let present = try FilterPolicy(text: #"{"k": [{"exists": true}]}"#, scope: .messageBody)
        #expect(!present.matches(try MessageView(attributes: [], bodyText: #"{"k": null}"#)))
        #expect(!present.matches(try MessageView(attributes: [], bodyText: #"{"k": ""}"#)))
        #expect(!present.matches(try MessageView(attributes: [], bodyText: #"{"k": {"x": 1}}"#)))
        #expect(present.matches(try MessageView(attributes: [], bodyText: #"{"k": [0]}"#)))
        let absent = try FilterPolicy(text: #"{"k": [{"exists": false}]}"#)
        let binary = MessageAttribute(name: "b", dataType: "Binary", value: "AAE=")
        let other = MessageAttribute(name: "o", dataType: "String", value: "x")
        #expect(!absent.matches(try MessageView(attributes: [binary], body: nil)))
        #expect(absent.matches(try MessageView(attributes: [binary, other], body: nil)))
    }

    @Test("the cases runner writes one result line per case and carries on past bad lines")
    func casesOutput() {
        let text = """
            {"id": "a", "scope": "MessageAttributes", "policy": {"k": ["v"]}, "message": {"attributes": {"k": {"Type": "String", "Value": "v"}}}}

            not json
            {"id": 7, "scope": "MessageBody", "policy": {"k": [{"numeric": [">", 1]}]}, "message": {"body": {"k": 0}}}
            {"id": "c", "policy": {"k": []}, "message": {}}
            {"id": "d", "scope": "Elsewhere", "policy": {"k": ["v"]}, "message": {}}
            """
        let lines = FilterCases.run(text: text)
        #expect(lines.count == 5)
        #expect(lines[0] == #"{"id": "a", "valid": true, "match": true}"#)
        #expect(lines[1].hasPrefix(#"{"id": null, "valid": false, "error": "#))
        #expect(lines[2] == #"{"id": 7, "valid": true, "match": false}"#)
        #expect(lines[3] == #"{"id": "c", "valid": false, "error": "policy.k: Empty arrays are not allowed"}"#)
        #expect(lines[4].contains("unknown filter policy scope"))
    }

    @Test("a message file may be an envelope or, in MessageBody scope, the body itself")
    func messageFiles() throws {
        let policy = #"{"k": ["v"]}"#
        #expect(try FilterCases.matches(policyText: policy, messageText: #"{"k": "v"}"#, scope: .messageBody))
        #expect(try FilterCases.matches(policyText: policy, messageText: #"{"body": {"k": "v"}}"#, scope: .messageBody))
        #expect(try !FilterCases.matches(policyText: policy, messageText: "plain text", scope: .messageBody))
        #expect(
            try FilterCases.matches(
                policyText: policy, messageText: #"{"attributes": {"k": {"Type": "String", "Value": "v"}}}"#,
                scope: .messageAttributes))
        #expect(throws: TopicFanoutError.self) {
            try FilterCases.matches(policyText: policy, messageText: #"{"k": "v"}"#, scope: .messageAttributes)
        }
        #expect(throws: TopicFanoutError.self) {
            try FilterCases.matches(policyText: "{", messageText: "{}", scope: .messageAttributes)
        }
    }
}
