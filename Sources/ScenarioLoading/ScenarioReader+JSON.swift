import EventPatterns
import Yams

/// YAML to JSON: mappings become objects (key order kept), sequences arrays; plain `true`, `false` and `null`
/// (also `~` and an empty value) become JSON literals, plain numbers become JSON numbers keeping their literal
/// text (parsed by `JSONParser`, so exact-number semantics are those of the matcher); every other scalar, and every
/// quoted or block scalar, is a string.
extension ScenarioReader {
    /// Converts a node to JSON; nil after reporting a problem inside it.
    func json(_ node: Node) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            return jsonScalar(node, scalar)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            var failed = false
            for element in sequence {
                if let value = json(element) { elements.append(value) } else { failed = true }
            }
            return failed ? nil : .array(elements)
        case .mapping(let mapping):
            var members: [(key: String, value: JSONValue)] = []
            var failed = false
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.scalarText else {
                    error(keyNode, "JSON object keys must be strings, got \(keyNode.summary)")
                    failed = true
                    continue
                }
                if let value = json(valueNode) { members.append((key, value)) } else { failed = true }
            }
            return failed ? nil : .object(JSONObject(members))
        case .alias:
            error(node, "unexpected alias")
            return nil
        }
    }

    private func jsonScalar(_ node: Node, _ scalar: Node.Scalar) -> JSONValue? {
        guard scalar.style == .plain else { return .string(scalar.string) }
        let text = scalar.string
        if node.isNull { return .null }
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let first = text.unicodeScalars.first, first == "-" || ("0"..."9").contains(first),
            case .number(let number)? = try? JSONParser.parse(text)
        {
            return .number(number)
        }
        // YAML numbers start with a sign, a digit or a dot; only those need the (regular-expression) resolver.
        if let first = text.unicodeScalars.first, "+-.0123456789".unicodeScalars.contains(first),
            !text.contains(":"),  // `12:30` (YAML 1.1 base 60) stays a string
            [.int, .float].contains(Resolver.default.resolveTag(of: node))
        {
            error(
                node,
                "the number '\(text)' is not written as JSON (e.g. 1000, -2.5, 1e-3); "
                    + "write it in JSON form or quote it to keep it a string")
            return nil
        }
        return .string(text)
    }

    /// A JSON document given either as YAML (a mapping or sequence) or as a string holding JSON text.
    /// - Parameter what: What the document is, for messages ("pattern", "filter policy").
    func jsonDocument(_ node: Node, _ what: String) -> JSONValue? {
        if case .scalar(let scalar) = node, !node.isNull {
            do {
                return try JSONParser.parse(scalar.string)
            } catch {
                self.error(
                    node,
                    "\(what) is not valid JSON: \(error.message) (line \(error.line), column "
                        + "\(error.column) of the JSON text)")
                return nil
            }
        }
        guard case .mapping = node else {
            error(node, "expected a mapping or a string of JSON for '\(what)', got \(node.summary)")
            return nil
        }
        return json(node)
    }
}
