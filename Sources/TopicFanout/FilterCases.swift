public import EventPatterns

/// The logic behind `eventsim filter`: one policy against one message, or a file of cases, one JSON object a line.
public enum FilterCases {
    /// The outcome of one case.
    public enum Outcome: Sendable, Equatable {
        /// The policy is valid; `match` tells whether the message passes it.
        case valid(match: Bool)
        /// The policy (or the case's message) is invalid.
        case invalid(error: String)
    }

    /// Evaluates one case line `{"id": …, "scope": …, "policy": …, "message": …}`.
    /// - Returns: the case's id (null when absent or unreadable) and its outcome. Never throws: a bad line is
    ///   reported as an invalid case.
    public static func evaluate(line: String) -> (id: JSONValue, outcome: Outcome) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(line)
        } catch {
            return (.null, .invalid(error: "the line is not valid JSON: \(error)"))
        }
        guard case .object(let object) = json else {
            return (.null, .invalid(error: "a case must be a JSON object, got \(json.kindName)"))
        }
        let id = object["id"] ?? .null
        do {
            let scope = try scope(object["scope"])
            guard let policyJSON = object["policy"] else {
                throw TopicFanoutError.policy("policy", "the case has no policy")
            }
            let policy = try FilterPolicy(json: policyJSON, scope: scope)
            let view = try messageView(object["message"] ?? .object(JSONObject([])))
            return (id, .valid(match: policy.matches(view)))
        } catch let error as TopicFanoutError {
            return (id, .invalid(error: error.pathAndMessage))
        } catch {
            return (id, .invalid(error: "\(error)"))
        }
    }

    /// Evaluates every non-blank line of a cases file, in order.
    /// - Returns: one output line per case: `{"id": …, "valid": true, "match": …}` or
    ///   `{"id": …, "valid": false, "error": …}`.
    public static func run(text: String) -> [String] {
        var output: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmingASCIIWhitespace()
            if trimmed.isEmpty { continue }
            let (id, outcome) = evaluate(line: String(trimmed))
            switch outcome {
            case .valid(let match):
                output.append("{\"id\": \(id.jsonText), \"valid\": true, \"match\": \(match)}")
            case .invalid(let error):
                output.append(
                    "{\"id\": \(id.jsonText), \"valid\": false, \"error\": \(JSONValue.string(error).jsonText)}")
            }
        }
        return output
    }

    /// Evaluates one policy text against one message text (`eventsim filter --policy --message`).
    ///
    /// The message file is either a case-style envelope (`{"attributes": …}`, `{"body": <JSON>}`, `{"body_raw":
    /// "<text>"}`, or several of those keys) or, in MessageBody scope, the body itself.
    /// - Throws: `TopicFanoutError` for an invalid policy or message.
    public static func matches(policyText: String, messageText: String, scope: FilterPolicyScope)
        throws(TopicFanoutError) -> Bool
    {
        let policy = try FilterPolicy(text: policyText, scope: scope)
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(messageText)
        } catch {
            if scope == .messageBody { return policy.matches(try MessageView(attributes: [], body: nil)) }
            throw .message("message", "the message is not valid JSON: \(error)")
        }
        if isEnvelope(parsed) { return policy.matches(try messageView(parsed)) }
        guard scope == .messageBody else {
            throw .message(
                "message",
                "expected {\"attributes\": {NAME: {\"Type\": …, \"Value\": …}}} for the "
                    + "MessageAttributes scope")
        }
        return policy.matches(try MessageView(attributes: [], body: parsed))
    }

    static func isEnvelope(_ json: JSONValue) -> Bool {
        guard case .object(let object) = json else { return false }
        let keys = object.members.map(\.key)
        return !keys.isEmpty && keys.allSatisfy { ["attributes", "body", "body_raw"].contains($0) }
    }

    static func scope(_ value: JSONValue?) throws(TopicFanoutError) -> FilterPolicyScope {
        guard let value else { return .messageAttributes }
        guard case .string(let name) = value, let scope = FilterPolicyScope(rawValue: name) else {
            throw .policy(
                "scope",
                "unknown filter policy scope \(value.jsonText); expected MessageAttributes or "
                    + "MessageBody")
        }
        return scope
    }

    /// Reads a case message: `attributes` (NAME → {"Type", "Value"}), `body` (JSON) and/or `body_raw` (text).
    static func messageView(_ json: JSONValue) throws(TopicFanoutError) -> MessageView {
        guard case .object(let object) = json else {
            throw .message("message", "the message must be a JSON object, got \(json.kindName)")
        }
        var attributes: [MessageAttribute] = []
        if let attributeJSON = object["attributes"] {
            guard case .object(let map) = attributeJSON else {
                throw .message("message.attributes", "must be an object of NAME: {\"Type\": …, \"Value\": …}")
            }
            for (name, spec) in map.members {
                guard case .object(let fields) = spec, case .string(let type)? = fields["Type"],
                    let value = fields["Value"]
                else { throw .message("message.attributes.\(name)", "must be {\"Type\": \"…\", \"Value\": \"…\"}") }
                let text: String
                if case .string(let string) = value { text = string } else { text = value.jsonText }
                attributes.append(MessageAttribute(name: name, dataType: type, value: text))
            }
        }
        var body: JSONValue?
        if let bodyJSON = object["body"] { body = bodyJSON }
        if case .string(let raw)? = object["body_raw"] { body = try? JSONParser.parse(raw) }
        return try MessageView(attributes: attributes, body: body)
    }
}

extension TopicFanoutError {
    /// `path: message`, without the `error:` prefix (for JSON output).
    public var pathAndMessage: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension Substring {
    func trimmingASCIIWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\r" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return result
    }
}
