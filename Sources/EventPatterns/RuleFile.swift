/// Reads a rules file for `eventsim bench match`.
///
/// Accepted forms: one JSON object `{name: pattern, …}`; or JSON lines, each `{"name": …, "pattern": …}` or a bare
/// pattern (named by its 1-based line number). A file holding a single object is read as the `{name: pattern}`
/// map when every member is an object that is a valid pattern, otherwise as a single line.
public enum RuleFile {
    /// The named patterns of `text`, in file order.
    /// - Throws: ``PatternError`` whose path starts with the rule's name or line (`line 3: …`).
    public static func parse(_ text: String) throws(PatternError) -> [(name: String, pattern: EventPattern)] {
        if let whole = try? JSONParser.parse(text), case .object(let object) = whole, !object.isEmpty,
            let rules = map(object)
        {
            return rules
        }
        var rules: [(name: String, pattern: EventPattern)] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let number = offset + 1
            let value: JSONValue
            do { value = try JSONParser.parse(String(line)) } catch {
                throw PatternError(path: "", message: "line \(number): not valid JSON: \(error)")
            }
            do {
                if case .object(let object) = value, let pattern = object["pattern"], object["name"] != nil {
                    let name = object["name"].map { if case .string(let s) = $0 { s } else { $0.jsonText } } ?? ""
                    if case .string(let text) = pattern {
                        rules.append((name, try EventPattern(text: text)))
                    } else {
                        rules.append((name, try EventPattern(json: pattern)))
                    }
                } else {
                    rules.append((String(number), try EventPattern(json: value)))
                }
            } catch {
                throw PatternError(path: error.path, message: "line \(number): \(error.message)")
            }
        }
        return rules
    }

    private static func map(_ object: JSONObject) -> [(name: String, pattern: EventPattern)]? {
        var rules: [(name: String, pattern: EventPattern)] = []
        for (name, value) in object.members {
            guard case .object = value, let pattern = try? EventPattern(json: value) else { return nil }
            rules.append((name, pattern))
        }
        return rules
    }
}
