import ArchitectureSpecs
import EventPatterns
import Stochastics

/// A ``ValueTemplate`` prepared once per producer for writing many values as compact JSON text: constants,
/// quoted keys and string prefixes are serialized up front, and choice weight totals added once.
///
/// Writing it draws exactly the random numbers the template's direct evaluation drew, in the same order, and
/// writes the `jsonText` of the value that evaluation built, so generated events are unchanged (tested; the
/// shipped reports test reruns every scenario byte for byte).
indirect enum CompiledTemplate {
    /// A constant's compact JSON text.
    case literal([UInt8])
    /// Weighted options; `total` is the sum of the weights, added in order.
    case choice([(template: CompiledTemplate, weight: Double)], total: Double)
    /// A uniform integer.
    case integer(lower: Int, upper: Int)
    case decimal(lower: Double, upper: Double, digits: Int)
    case distributed(Distribution, digits: Int)
    /// A sequence id: the text of the quoted prefix without its closing quote (escapes apply to the prefix only;
    /// the digits never need them).
    case sequence(openPrefix: [UInt8])
    case uuid
    case timestamp
    /// An object with unique keys: each member's `"key":` text and its value.
    case object([(key: [UInt8], value: CompiledTemplate)])
    /// An object whose template repeats keys: every member is evaluated in order (the random draws), and the
    /// object keeps each key once, at its first position, with its last value (as `JSONObject` does).
    /// `layout` lists the kept keys' `"key":` text with the index of the member whose value they take.
    case objectWithRepeatedKeys(members: [CompiledTemplate], layout: [(key: [UInt8], member: Int)])
    case array(CompiledTemplate, minCount: Int, maxCount: Int)

    init(_ template: ValueTemplate) {
        switch template {
        case .literal(let json): self = .literal(Array(json.jsonText.utf8))
        case .choice(let options):
            self = .choice(
                options.map { (CompiledTemplate($0.template), $0.weight) },
                total: options.reduce(0) { $0 + $1.weight })
        case .integer(let lower, let upper): self = .integer(lower: lower, upper: upper)
        case .decimal(let lower, let upper, let digits): self = .decimal(lower: lower, upper: upper, digits: digits)
        case .distributed(let distribution, let digits): self = .distributed(distribution, digits: digits)
        case .sequence(let prefix):
            self = .sequence(openPrefix: Array(JSONValue.string(prefix).jsonText.utf8.dropLast()))
        case .uuid: self = .uuid
        case .timestamp: self = .timestamp
        case .object(let members):
            let keys = members.map { Self.memberKey($0.key) }
            if Set(members.map(\.key)).count == members.count {
                self = .object(zip(keys, members).map { ($0, CompiledTemplate($1.value)) })
                return
            }
            var layout: [(key: [UInt8], member: Int)] = []
            for (index, member) in members.enumerated() {
                if let kept = layout.firstIndex(where: { members[$0.member].key == member.key }) {
                    layout[kept].member = index
                } else {
                    layout.append((keys[index], index))
                }
            }
            self = .objectWithRepeatedKeys(members: members.map { CompiledTemplate($0.value) }, layout: layout)
        case .array(let element, let minCount, let maxCount):
            self = .array(CompiledTemplate(element), minCount: minCount, maxCount: maxCount)
        }
    }

    /// A member's `"key":` text.
    static func memberKey(_ key: String) -> [UInt8] { Array(JSONValue.string(key).jsonText.utf8) + [UInt8(ascii: ":")] }
}
