/// Turns a pattern's JSON into alternatives of field tests, validating as it goes.
struct PatternCompiler {
    /// Words that may not be field names inside an `$or` branch (event-ruler's reserved list).
    static let reservedInOr: Set<String> = [
        "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr",
        "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after",
        "date-on-or-after", "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range",
        "ip-address-not-in-range",
    ]

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// Compiles an object level: fields ANDed, each `$or` a disjunction, the result in disjunctive normal form.
    mutating func compileObject(
        _ object: JSONObject, fieldPrefix: String, errorPath: String, insideOr: Bool
    ) throws(PatternError) -> [[FieldTest]] {
        guard !object.isEmpty else {
            throw PatternError(path: errorPath, message: "empty object; a pattern level needs at least one field")
        }
        var result: [[FieldTest]] = [[]]
        for (key, value) in object.members {
            let memberPath = Self.join(errorPath, key)
            var alternatives: [[FieldTest]]
            if key == "$or", case .array(let branches) = value,
                let compiled = try compileOr(
                    branches, fieldPrefix: fieldPrefix, errorPath: memberPath)
            {
                alternatives = compiled
            } else {
                if insideOr && Self.reservedInOr.contains(key) {
                    throw PatternError(
                        path: memberPath, message: "'\(key)' is an operator keyword and cannot be a field name in $or")
                }
                let fieldPath = Self.join(fieldPrefix, key)
                switch value {
                case .object(let nested):
                    alternatives = try compileObject(
                        nested, fieldPrefix: fieldPath, errorPath: memberPath, insideOr: insideOr)
                case .array(let list):
                    alternatives = try compileValueList(list, fieldPath: fieldPath, errorPath: memberPath)
                default:
                    throw PatternError(
                        path: memberPath,
                        message: "expected an object or an array of match values, found \(value.article)")
                }
            }
            result = try Self.product(result, alternatives, errorPath: memberPath)
        }
        return result
    }

    /// An `$or` array: nil when event-ruler's legacy fallback treats `$or` as a plain field (not all objects).
    private mutating func compileOr(
        _ branches: [JSONValue], fieldPrefix: String, errorPath: String
    ) throws(PatternError) -> [[FieldTest]]? {
        guard branches.count >= 2 else {
            throw PatternError(path: errorPath, message: "$or needs an array of at least two pattern objects")
        }
        var union: [[FieldTest]] = []
        for (index, branch) in branches.enumerated() {
            guard case .object(let object) = branch else { return nil }
            union += try compileObject(
                object, fieldPrefix: fieldPrefix, errorPath: "\(errorPath)[\(index)]", insideOr: true)
            if union.count > EventPattern.maximumAlternatives { throw Self.tooComplex(errorPath) }
        }
        return union
    }

    static func tooComplex(_ path: String) -> PatternError {
        PatternError(
            path: path, message: "pattern expands to more than \(EventPattern.maximumAlternatives) alternatives")
    }

    static func product(
        _ left: [[FieldTest]], _ right: [[FieldTest]], errorPath: String
    ) throws(PatternError) -> [[FieldTest]] {
        guard left.count * right.count <= EventPattern.maximumAlternatives else { throw tooComplex(errorPath) }
        var result: [[FieldTest]] = []
        result.reserveCapacity(left.count * right.count)
        for prefix in left {
            for suffix in right { result.append(prefix + suffix) }
        }
        return result
    }

    /// A leaf's array of match values: one positive test with the ORed conditions and/or one absence test.
    private mutating func compileValueList(
        _ list: [JSONValue], fieldPath: String, errorPath: String
    ) throws(PatternError) -> [[FieldTest]] {
        guard !list.isEmpty else {
            throw PatternError(path: errorPath, message: "empty array; a field needs at least one match value")
        }
        var conditions: [Condition] = []
        var absence = false
        for (index, value) in list.enumerated() {
            let valuePath = "\(errorPath)[\(index)]"
            var condition: Condition?
            switch value {
            case .string(let string): condition = Self.exactString(string)
            case .number(let number): condition = .number(NumberKey(number))
            case .bool(let flag): condition = .boolean(flag)
            case .null: condition = .null
            case .array:
                throw PatternError(
                    path: valuePath,
                    message: "nested array; match values are strings, numbers, booleans, null or operator objects")
            case .object(let operatorObject):
                condition = try OperatorParser.parse(operatorObject, errorPath: valuePath)
                if condition == nil { absence = true }
            }
            if let condition, !conditions.contains(condition) { conditions.append(condition) }
        }
        var alternatives: [[FieldTest]] = []
        if !conditions.isEmpty {
            alternatives.append([FieldTest(path: fieldPath, conditions: conditions, isAbsence: false)])
        }
        if absence { alternatives.append([FieldTest(path: fieldPath, conditions: [], isAbsence: true)]) }
        return alternatives
    }

    /// An exact string; a string holding an IP address is compared as an address, like event-ruler.
    static func exactString(_ string: String) -> Condition {
        if let first = string.utf8.first,
            first == UInt8(ascii: ":") || (first >= 48 && first <= 57)
                || (first | 0x20 >= 97 && first | 0x20 <= 102), let address = IPAddress(string)
        {
            return .ipAddress(CIDRRange(address: address))
        }
        return .string(string)
    }
}
