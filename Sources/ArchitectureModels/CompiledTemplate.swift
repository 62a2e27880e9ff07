import ArchitectureSpecs
import EventPatterns
import Stochastics

/// A ``ValueTemplate`` prepared once per producer for generating many values: what does not depend on the
/// random draws is computed up front (literal sizes, choice weight totals, quoted key sizes, object shapes), and
/// small integer ranges keep every value already spelled.
///
/// Evaluating it draws exactly the random numbers the template's direct evaluation drew, in the same order, so
/// generated events are unchanged (the shipped reports test reruns every scenario byte for byte).
indirect enum CompiledTemplate {
    /// A constant and the size of its compact JSON text.
    case literal(JSONValue, bytes: Int)
    /// Weighted options; `total` is the sum of the weights, added in order.
    case choice([(template: CompiledTemplate, weight: Double)], total: Double)
    /// A uniform integer; `spelled[i]` is `lower + i` with its size, for ranges of at most
    /// ``largestSpelledRange`` values (empty otherwise).
    case integer(lower: Int, upper: Int, spelled: [(value: JSONValue, bytes: Int)])
    case decimal(lower: Double, upper: Double, digits: Int)
    case distributed(Distribution, digits: Int)
    case sequence(prefix: String)
    case uuid
    case timestamp
    /// An object: members with their quoted-key sizes; `fixedBytes` counts braces, commas, keys and colons.
    case object([(key: String, value: CompiledTemplate)], fixedBytes: Int)
    case array(CompiledTemplate, minCount: Int, maxCount: Int)

    /// Integer ranges up to this many values are spelled up front (4,096 values, about 100 KB at most).
    static let largestSpelledRange = 4_096

    init(_ template: ValueTemplate) {
        switch template {
        case .literal(let json): self = .literal(json, bytes: json.byteCount)
        case .choice(let options):
            self = .choice(
                options.map { (CompiledTemplate($0.template), $0.weight) },
                total: options.reduce(0) { $0 + $1.weight })
        case .integer(let lower, let upper):
            var spelled: [(value: JSONValue, bytes: Int)] = []
            // The span as the direct evaluation computes it; overflowing spans are not spelled.
            let (span, overflow) = upper.subtractingReportingOverflow(lower)
            if !overflow, span >= 0, span < Self.largestSpelledRange {
                spelled = (lower...upper).map { value in
                    let text = DecimalFormat.string(value)
                    return (.number(JSONNumber(text: text)), text.utf8.count)
                }
            }
            self = .integer(lower: lower, upper: upper, spelled: spelled)
        case .decimal(let lower, let upper, let digits): self = .decimal(lower: lower, upper: upper, digits: digits)
        case .distributed(let distribution, let digits): self = .distributed(distribution, digits: digits)
        case .sequence(let prefix): self = .sequence(prefix: prefix)
        case .uuid: self = .uuid
        case .timestamp: self = .timestamp
        case .object(let members):
            let fixed =
                2 + Swift.max(0, members.count - 1)
                + members.reduce(0) { $0 + JSONValue.quotedByteCount($1.key) + 1 }
            self = .object(members.map { ($0.key, CompiledTemplate($0.value)) }, fixedBytes: fixed)
        case .array(let element, let minCount, let maxCount):
            self = .array(CompiledTemplate(element), minCount: minCount, maxCount: maxCount)
        }
    }
}
