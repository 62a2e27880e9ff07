/// The `eventsim match --cases` engine: one JSON answer line per input line, in order.
public enum MatchCases {
    /// Answers one input line: `{"id":…,"valid":true,"match":…}` or `{"id":…,"valid":false,"error":"…"}`.
    ///
    /// The line holds `pattern` (an object, or a string of pattern text) and `event` (an object); `id` is echoed
    /// when present, other keys are ignored. A line without an event checks the pattern alone and answers
    /// `{"id":…,"valid":true}` or the pattern's error. A line that is not a JSON object answers
    /// `{"valid":false,…}`.
    public static func answer(line: String) -> String {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(line) } catch {
            return reply(id: nil, ["valid": .bool(false), "error": .string("line is not valid JSON: \(error)")])
        }
        guard case .object(let object) = parsed else {
            return reply(id: nil, ["valid": .bool(false), "error": .string("line must be a JSON object")])
        }
        let id = object["id"]
        func invalid(_ message: String) -> String {
            reply(id: id, ["valid": .bool(false), "error": .string(message)])
        }
        let pattern: EventPattern
        do {
            switch object["pattern"] {
            case .string(let text)?: pattern = try EventPattern(text: text)
            case let value?: pattern = try EventPattern(json: value)
            case nil: return invalid("the line has no \"pattern\"")
            }
        } catch {
            return invalid(error.description)
        }
        guard let event = object["event"] else { return reply(id: id, ["valid": .bool(true)]) }
        guard case .object = event else { return invalid("an event must be a JSON object, not \(event.article)") }
        let machine = RuleMachine()
        machine.add(pattern, id: 0)
        return reply(id: id, ["valid": .bool(true), "match": .bool(!machine.matches(event).isEmpty)])
    }

    /// Answers every non-empty line of `text`.
    public static func answers(text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.allSatisfy(\.isWhitespace) }
            .map { answer(line: String($0)) }
    }

    private static func reply(id: JSONValue?, _ fields: KeyValuePairs<String, JSONValue>) -> String {
        var object = JSONObject()
        if let id { object["id"] = id }
        for (key, value) in fields { object[key] = value }
        return JSONValue.object(object).jsonText
    }
}
