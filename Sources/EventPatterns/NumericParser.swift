/// Parses a `numeric` operand: `[op, n]` with op in `=`, `<`, `<=`, `>`, `>=`, or a two-sided range
/// `[">" | ">=", low, "<" | "<=", high]` with low strictly below high.
///
/// Numbers must be exactly a double (see ``JSONNumber/exactDouble``), like event-ruler's "Cannot compare number".
enum NumericParser {
    static func parse(_ operand: JSONValue, path: String) throws(PatternError) -> NumericRange {
        guard case .array(let terms) = operand else {
            throw PatternError(path: path, message: "numeric expression must be an array, found \(operand.article)")
        }
        guard !terms.isEmpty else { throw PatternError(path: path, message: "numeric expression must not be empty") }
        guard terms.count == 2 || terms.count == 4 else {
            throw PatternError(
                path: path,
                message: "numeric expression must be [operator, number] or [>|>=, low, <|<=, high]; "
                    + "found \(terms.count) elements")
        }
        let first = try term(terms, 0, path: path)
        var range = NumericRange(lower: nil, lowerInclusive: false, upper: nil, upperInclusive: false)
        switch first.op {
        case "=":
            range = NumericRange(lower: first.value, lowerInclusive: true, upper: first.value, upperInclusive: true)
        case ">", ">=": range.lower = first.value; range.lowerInclusive = first.op == ">="
        default: range.upper = first.value; range.upperInclusive = first.op == "<="
        }
        guard terms.count == 4 else { return range }
        guard range.lower != nil, first.op != "=" else {
            throw PatternError(path: "\(path)[0]", message: "a numeric range must start with '>' or '>='")
        }
        let second = try term(terms, 2, path: path)
        guard second.op == "<" || second.op == "<=" else {
            throw PatternError(path: "\(path)[2]", message: "a numeric range must end with '<' or '<='")
        }
        guard let lower = range.lower, lower < second.value else {
            throw PatternError(path: path, message: "numeric range lower bound must be below the upper bound")
        }
        range.upper = second.value
        range.upperInclusive = second.op == "<="
        return range
    }

    private static func term(
        _ terms: [JSONValue], _ index: Int, path: String
    ) throws(PatternError) -> (op: String, value: Double) {
        guard case .string(let op) = terms[index] else {
            throw PatternError(
                path: "\(path)[\(index)]",
                message: "expected a numeric operator (=, <, <=, >, >=), found \(terms[index].article)")
        }
        guard ["=", "<", "<=", ">", ">="].contains(op) else {
            throw PatternError(
                path: "\(path)[\(index)]", message: "unknown numeric operator '\(op)'; expected =, <, <=, >, >=")
        }
        guard case .number(let number) = terms[index + 1] else {
            throw PatternError(
                path: "\(path)[\(index + 1)]",
                message: "numeric operand must be a number, found \(terms[index + 1].article)")
        }
        guard let value = number.exactDouble else {
            throw PatternError(
                path: "\(path)[\(index + 1)]",
                message: "cannot compare number \(number.text): it is not exactly representable as a double")
        }
        return (op, value)
    }
}
