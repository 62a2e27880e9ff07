/// Parses and validates one operator object of a value list (`{"prefix": "a"}`, `{"numeric": [">", 5]}`, …).
enum OperatorParser {
    static let operatorNames =
        "anything-but, cidr, equals-ignore-case, exactly, exists, numeric, prefix, suffix, wildcard"

    /// The condition, or nil for `{"exists": false}` (an absence test, handled by the caller).
    /// - Throws: ``PatternError`` at `errorPath` (plus the operator name) for any malformed operator.
    static func parse(_ object: JSONObject, errorPath: String) throws(PatternError) -> Condition? {
        guard object.count == 1, let (name, operand) = object.members.first else {
            throw PatternError(
                path: errorPath,
                message: object.isEmpty
                    ? "empty operator object; expected one of: \(operatorNames)"
                    : "an operator object must have exactly one key, found \(object.count): "
                        + object.members.map { "'\($0.key)'" }.joined(separator: ", "))
        }
        let path = errorPath + "." + name
        switch name {
        case "exactly":
            // event-ruler's `exactly` is a plain byte-for-byte match: unlike a bare string it never reads an IP
            // address (`{"exactly": "10.0.0.1"}` does not match "10.000.0.1").
            return .string(try string(operand, path: path, what: "exactly"))
        case "prefix", "suffix":
            let isPrefix = name == "prefix"
            if case .object(let inner) = operand, inner.count == 1, let value = inner["equals-ignore-case"] {
                let folded = CaseFoldedText(try string(value, path: path + ".equals-ignore-case", what: name))
                return isPrefix ? .prefixIgnoreCase(folded) : .suffixIgnoreCase(folded)
            }
            guard case .string(let text) = operand else {
                throw PatternError(
                    path: path,
                    message: "\(name) match pattern must be a string or {\"equals-ignore-case\": string}, "
                        + "found \(operand.article)")
            }
            return isPrefix ? .prefix(Array(text.utf8)) : .suffix(Array(text.utf8))
        case "equals-ignore-case":
            return .equalsIgnoreCase(CaseFoldedText(try string(operand, path: path, what: name)))
        case "wildcard":
            return .wildcard(try wildcard(try string(operand, path: path, what: name), path: path))
        case "anything-but":
            return try anythingBut(operand, path: path)
        case "numeric":
            return .numeric(try NumericParser.parse(operand, path: path))
        case "exists":
            guard case .bool(let flag) = operand else {
                throw PatternError(path: path, message: "exists takes true or false, found \(operand.article)")
            }
            return flag ? .exists : nil
        case "cidr":
            let text = try string(operand, path: path, what: name)
            do { return .cidr(try CIDRRange(text)) } catch { throw PatternError(path: path, message: error.message) }
        default:
            throw PatternError(path: path, message: "unknown operator '\(name)'; expected one of: \(operatorNames)")
        }
    }

    static func string(_ value: JSONValue, path: String, what: String) throws(PatternError) -> String {
        guard case .string(let text) = value else {
            throw PatternError(path: path, message: "\(what) match pattern must be a string, found \(value.article)")
        }
        return text
    }

    static func wildcard(_ text: String, path: String) throws(PatternError) -> WildcardPattern {
        do { return try WildcardPattern(text) } catch { throw PatternError(path: path, message: error.message) }
    }

    /// `anything-but` with a string, a number, a homogeneous list of either, or an inner string operator.
    private static func anythingBut(_ operand: JSONValue, path: String) throws(PatternError) -> Condition {
        switch operand {
        case .string(let text): return .anythingButStrings([text])
        case .number(let number): return .anythingButNumbers([NumberKey(number)])
        case .array(let list):
            guard !list.isEmpty else {
                throw PatternError(path: path, message: "anything-but list must not be empty")
            }
            if case .string = list[0] {
                var strings: Set<String> = []
                for (index, value) in list.enumerated() {
                    guard case .string(let text) = value else {
                        throw listError(value, path: "\(path)[\(index)]")
                    }
                    strings.insert(text)
                }
                return .anythingButStrings(strings)
            }
            var numbers: Set<NumberKey> = []
            for (index, value) in list.enumerated() {
                guard case .number(let number) = value else { throw listError(value, path: "\(path)[\(index)]") }
                numbers.insert(NumberKey(number))
            }
            return .anythingButNumbers(numbers)
        case .object(let inner):
            return try anythingButOperator(inner, path: path)
        default:
            throw PatternError(
                path: path,
                message: "anything-but takes a string, a number, a list of either, or an operator object, "
                    + "found \(operand.article)")
        }
    }

    private static func listError(_ value: JSONValue, path: String) -> PatternError {
        PatternError(
            path: path,
            message: "anything-but list must hold only strings or only numbers, found \(value.article)")
    }

    private static func anythingButOperator(_ inner: JSONObject, path: String) throws(PatternError) -> Condition {
        guard inner.count == 1, let (name, operand) = inner.members.first else {
            throw PatternError(path: path, message: "anything-but operator object must have exactly one key")
        }
        let innerPath = path + "." + name
        guard ["prefix", "suffix", "equals-ignore-case", "wildcard"].contains(name) else {
            throw PatternError(
                path: innerPath,
                message: "unsupported operator '\(name)' in anything-but; expected prefix, suffix, "
                    + "equals-ignore-case or wildcard")
        }
        var values: [String] = []
        switch operand {
        case .string(let text): values = [text]
        case .array(let list) where !list.isEmpty:
            for (index, value) in list.enumerated() {
                values.append(try string(value, path: "\(innerPath)[\(index)]", what: "anything-but \(name)"))
            }
        default:
            throw PatternError(
                path: innerPath,
                message: "anything-but \(name) takes a string or a non-empty list of strings, found \(operand.article)")
        }
        if (name == "prefix" || name == "suffix"), values.contains("") {
            throw PatternError(path: innerPath, message: "anything-but \(name) must not be empty")
        }
        switch name {
        case "prefix": return .anythingButPrefix(values.map { Array($0.utf8) })
        case "suffix": return .anythingButSuffix(values.map { Array($0.utf8) })
        case "equals-ignore-case": return .anythingButIgnoreCase(values.map(CaseFoldedText.init))
        default:
            var patterns: [WildcardPattern] = []
            for value in values { patterns.append(try wildcard(value, path: innerPath)) }
            return .anythingButWildcard(patterns)
        }
    }
}
