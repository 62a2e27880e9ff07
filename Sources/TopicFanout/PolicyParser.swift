import EventPatterns

/// Reads a filter policy into a `PolicyNode` tree, enforcing SNS's structural and operand rules; the value
/// conditions of each key are then compiled by EventPatterns, which checks the operator grammar once more.
struct PolicyParser {
    let scope: FilterPolicyScope

    /// The operator names SNS accepts inside a value list.
    static let operators: Set<String> = [
        "prefix", "suffix", "anything-but", "numeric", "exists", "cidr", "equals-ignore-case", "wildcard",
    ]
    /// The numbers SNS accepts in a policy: -10^9 ... 10^9.
    static let numberLimit = 1_000_000_000.0

    init(scope: FilterPolicyScope) {
        self.scope = scope
    }

    mutating func parseRoot(_ json: JSONValue) throws(TopicFanoutError) -> PolicyNode {
        guard case .object(let object) = json else {
            throw .policy("policy", "a filter policy must be a JSON object, got \(json.kindName)")
        }
        return try parseObject(object, path: "policy", allowEmpty: true)
    }

    private mutating func parseObject(_ object: JSONObject, path: String, allowEmpty: Bool = false)
        throws(TopicFanoutError) -> PolicyNode
    {
        let members = object.members
        if members.isEmpty && !allowEmpty { throw .policy(path, "a nested policy object must not be empty") }
        let node = PolicyNode()
        for (key, value) in members {
            let keyPath = "\(path).\(key)"
            if key == "$or", let branches = Self.orBranches(value) {
                var group: [PolicyNode] = []
                for (index, branch) in branches.enumerated() {
                    group.append(try parseObject(branch, path: "\(keyPath)[\(index)]"))
                }
                node.alternatives.append(group)
                continue
            }
            switch value {
            case .array(let entries):
                node.fields.append((key, .leaf(try parseValueList(entries, path: keyPath))))
            case .object(let child):
                guard scope == .messageBody else {
                    throw .policy(
                        keyPath, "Filter policy scope MessageAttributes does not support nested filter policy")
                }
                node.fields.append((key, .nested(try parseObject(child, path: keyPath))))
            default:
                throw .policy(
                    keyPath,
                    "the value of a policy key must be an array of match values"
                        + (scope == .messageBody ? " or a nested object" : "") + ", got \(value.kindName)")
            }
        }
        return node
    }

    /// The branches when `value` is a real `$or` (an array of at least two objects none of which uses an
    /// operator keyword as a key); nil when `$or` is an ordinary key name.
    static func orBranches(_ value: JSONValue) -> [JSONObject]? {
        guard case .array(let elements) = value, elements.count >= 2 else { return nil }
        var branches: [JSONObject] = []
        for element in elements {
            guard case .object(let object) = element else { return nil }
            if object.members.contains(where: { operators.contains($0.key) }) { return nil }
            branches.append(object)
        }
        return branches
    }

    private func parseValueList(_ entries: [JSONValue], path: String) throws(TopicFanoutError) -> KeyCondition {
        guard !entries.isEmpty else { throw .policy(path, "Empty arrays are not allowed") }
        let condition = KeyCondition()
        condition.entries = entries.count
        for (index, entry) in entries.enumerated() {
            let entryPath = "\(path)[\(index)]"
            switch entry {
            case .string, .bool, .null:
                condition.matchValues.append(entry)
            case .number:
                try Self.checkNumber(entry, path: entryPath)
                condition.matchValues.append(entry)
            case .array:
                throw .policy(
                    entryPath,
                    "match values are strings, numbers, true, false, null or operator objects, "
                        + "not arrays")
            case .object(let object):
                let members = object.members
                guard members.count == 1, let (name, operand) = members.first else {
                    throw .policy(
                        entryPath,
                        members.isEmpty
                            ? "an operator object must have one key, got an empty object"
                            : "Only one key allowed in match expression, got "
                                + members.map { "'\($0.key)'" }.joined(separator: ", ")
                    )
                }
                let operatorPath = "\(entryPath).\(name)"
                switch name {
                case "exists":
                    guard case .bool(let flag) = operand else {
                        throw .policy(
                            operatorPath, "exists match pattern must be either true or false, got \(operand.jsonText)")
                    }
                    if flag { condition.existsTrue = true } else { condition.existsFalse = true }
                default:
                    condition.matchValues.append(try parseOperator(name, operand, entry: entry, path: operatorPath))
                }
            }
        }
        if !condition.matchValues.isEmpty {
            let pattern = JSONValue.object(JSONObject([(key: "v", value: .array(condition.matchValues))]))
            do {
                condition.use(try EventPattern(json: pattern))
            } catch {
                throw .policy(path, "invalid match value: \(error.message)")
            }
        }
        return condition
    }

    /// Checks one operator object and returns the EventBridge match value that implements it.
    private func parseOperator(_ name: String, _ operand: JSONValue, entry: JSONValue, path: String)
        throws(TopicFanoutError) -> JSONValue
    {
        switch name {
        case "prefix", "suffix", "equals-ignore-case", "wildcard":
            guard case .string = operand else {
                throw .policy(path, "\(name) match pattern must be a string, got \(operand.kindName)")
            }
            return entry
        case "numeric":
            try Self.checkNumeric(operand, path: path)
            return entry
        case "cidr":
            return try Self.cidrMatchValue(operand, path: path)
        case "anything-but":
            try Self.checkAnythingBut(operand, path: path)
            return entry
        default:
            throw .policy(
                path,
                "unrecognized match type '\(name)'; expected one of: "
                    + Self.operators.sorted().joined(separator: ", "))
        }
    }

    static func checkNumber(_ value: JSONValue, path: String) throws(TopicFanoutError) {
        guard case .number(let number) = value, let double = number.exactDouble else {
            throw .policy(path, "\(value.jsonText) is not a number this filter can compare")
        }
        guard abs(double) <= numberLimit else {
            throw .policy(path, "the number \(number.text) is outside the supported range -1000000000 to 1000000000")
        }
    }

    static func checkNumeric(_ operand: JSONValue, path: String) throws(TopicFanoutError) {
        guard case .array(let terms) = operand, !terms.isEmpty else {
            throw .policy(
                path,
                "numeric match pattern must be a non-empty array such as [\">\", 0, \"<=\", 5], got "
                    + operand.jsonText)
        }
        guard terms.count == 2 || terms.count == 4 else {
            throw .policy(
                path,
                "numeric match pattern must be [operator, number] or [>|>=, number, <|<=, number], "
                    + "got \(terms.count) element\(terms.count == 1 ? "" : "s")")
        }
        for index in stride(from: 0, to: terms.count, by: 2) {
            guard case .string(let op) = terms[index], ["=", "<", "<=", ">", ">="].contains(op) else {
                throw .policy(
                    "\(path)[\(index)]",
                    "unrecognized numeric operator \(terms[index].jsonText); expected "
                        + "one of =, <, <=, >, >=")
            }
            guard case .number = terms[index + 1] else {
                throw .policy(
                    "\(path)[\(index + 1)]",
                    "numeric operand must be an unquoted number, got "
                        + terms[index + 1].jsonText)
            }
            try checkNumber(terms[index + 1], path: "\(path)[\(index + 1)]")
        }
        if terms.count == 4 {
            guard case .string(let low) = terms[0], low == ">" || low == ">=",
                case .string(let high) = terms[2], high == "<" || high == "<="
            else {
                throw .policy(
                    path, "a numeric range must be a lower bound (> or >=) followed by an upper bound (< or <=)")
            }
            guard case .number(let bottom) = terms[1], case .number(let top) = terms[3],
                let b = bottom.exactDouble, let t = top.exactDouble, b < t
            else { throw .policy(path, "the lower bound of a numeric range must be below its upper bound") }
        }
    }

    static func checkAnythingBut(_ operand: JSONValue, path: String) throws(TopicFanoutError) {
        switch operand {
        case .string: return
        case .number: try checkNumber(operand, path: path)
        case .array(let values):
            guard !values.isEmpty else { throw .policy(path, "anything-but list must not be empty") }
            for (index, value) in values.enumerated() {
                switch value {
                case .string: continue
                case .number: try checkNumber(value, path: "\(path)[\(index)]")
                default:
                    throw .policy(
                        "\(path)[\(index)]",
                        "anything-but values must be strings or numbers, got "
                            + value.jsonText)
                }
            }
        case .object(let object):
            let members = object.members
            guard members.count == 1, let (name, inner) = members.first else {
                throw .policy(path, "anything-but object must have exactly one key (prefix, suffix or wildcard)")
            }
            guard ["prefix", "suffix", "wildcard"].contains(name) else {
                throw .policy(path, "Unsupported anything-but pattern: \(name)")
            }
            guard case .string(let text) = inner, !text.isEmpty else {
                throw .policy("\(path).\(name)", "anything-but \(name) needs a non-empty string, got \(inner.jsonText)")
            }
        default:
            throw .policy(
                path,
                "anything-but needs a string, a number, a list of them or an object, got "
                    + operand.jsonText)
        }
    }

    /// SNS accepts host masks (/32, /128) that EventBridge rejects; those become an exact address match, which
    /// EventPatterns compares as an IP address. The address is checked by compiling a one-bit-shorter block.
    static func cidrMatchValue(_ operand: JSONValue, path: String) throws(TopicFanoutError) -> JSONValue {
        guard case .string(let block) = operand else {
            throw .policy(path, "cidr match pattern must be a string such as \"10.0.0.0/24\", got \(operand.kindName)")
        }
        let parts = block.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .policy(path, "Malformed CIDR, one / required, got \"\(block)\"") }
        let isIPv6 = parts[0].contains(":")
        let width = isIPv6 ? 128 : 32
        guard parts[1].allSatisfy(\.isASCIIDigit), let mask = Int(parts[1]), mask <= width else {
            throw .policy(path, "the CIDR mask must be an integer from 0 to \(width), got \"\(parts[1])\"")
        }
        let cidr = JSONValue.object(JSONObject([(key: "cidr", value: .string(block))]))
        guard mask == width else { return cidr }
        let probe = JSONValue.object(JSONObject([(key: "cidr", value: .string("\(parts[0])/\(width - 1)"))]))
        do {
            _ = try EventPattern(json: .object(JSONObject([(key: "v", value: .array([probe]))])))
        } catch {
            throw .policy(path, "invalid CIDR \"\(block)\": \(error.message)")
        }
        return .string(String(parts[0]))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension JSONValue {
    /// A short name of the value's JSON type, for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
