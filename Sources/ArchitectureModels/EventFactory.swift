import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics

/// Builds real JSON events from templates, with one producer's payload stream, as their compact JSON text.
///
/// Events are wrapped in EventBridge's standard envelope (`version`, `id`, `detail-type`, `source`, `account`,
/// `time`, `region`, `resources`, `detail`), which is what rules' patterns match and what topics publish. The
/// text is exactly the `jsonText` of the event tree the templates describe; building it directly into one byte
/// array costs one allocation an event, where the tree took one per object, array and long string (building
/// and freeing trees were a quarter of a scenario run).
struct EventFactory {
    /// The template's three parts, compiled once.
    let detailType: CompiledTemplate
    let source: CompiledTemplate
    let detail: CompiledTemplate
    let stream: RandomStream
    let storage = EventTextStorage()
    var sequence = 0
    var cachedSecond: Int64 = -1
    /// The envelope's `time` for `cachedSecond`, quoted.
    var cachedTime: [UInt8] = []

    init(template: EventTemplate, stream: RandomStream) {
        self.stream = stream
        detailType = CompiledTemplate(template.detailType)
        source = CompiledTemplate(template.source)
        detail = CompiledTemplate(template.detail)
    }

    /// The compact JSON text of the next event at simulated time `time` (`detail` overrides the template's: trace
    /// payloads).
    /// - Complexity: O(size of the event).
    mutating func makeEvent(at time: SimTime, detail: JSONValue?) -> [UInt8] {
        sequence += 1
        var writer = EventTextWriter(storage)
        writer.append(Self.envelope.beforeID)
        writeUUID(to: &writer)
        writer.append(Self.envelope.beforeDetailType)
        evaluate(self.detailType, at: time, into: &writer)
        writer.append(Self.envelope.beforeSource)
        evaluate(self.source, at: time, into: &writer)
        writer.append(Self.envelope.beforeTime)
        writeTime(at: time, to: &writer)
        writer.append(Self.envelope.beforeDetail)
        if let detail {
            writer.append(Array(detail.jsonText.utf8))
        } else {
            evaluate(self.detail, at: time, into: &writer)
        }
        writer.append(UInt8(ascii: "}"))
        return writer.finish()
    }

    /// The envelope's constant text between its generated values.
    struct Envelope {
        var beforeID: [UInt8]
        var beforeDetailType: [UInt8]
        var beforeSource: [UInt8]
        var beforeTime: [UInt8]
        var beforeDetail: [UInt8]
    }

    static let envelope: Envelope = {
        func text(_ value: JSONValue) -> String { value.jsonText }
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        return Envelope(
            beforeID: bytes(#"{"version":"# + text(version) + #","id":"#),
            beforeDetailType: bytes(#","detail-type":"#),
            beforeSource: bytes(#","source":"#),
            beforeTime: bytes(#","account":"# + text(account) + #","time":"#),
            beforeDetail: bytes(
                #","region":"# + text(region) + #","resources":"# + text(resources) + #","detail":"#))
    }()

    // The envelope's constant values.
    static let version = JSONValue.string("0")
    static let account = JSONValue.string("123456789012")
    static let region = JSONValue.string("us-east-1")
    static let resources = JSONValue.array([])

    /// Writes the compact JSON text of a value of a compiled template.
    /// - Complexity: O(size of the generated value).
    mutating func evaluate(_ value: CompiledTemplate, at time: SimTime, into writer: inout EventTextWriter) {
        switch value {
        case .literal(let text): writer.append(text)
        case .choice(let options, let total):
            var pick = stream.uniform() * total
            for option in options {
                pick -= option.weight
                if pick < 0 { return evaluate(option.template, at: time, into: &writer) }
            }
            evaluate(options[options.count - 1].template, at: time, into: &writer)
        case .integer(let lower, let upper):
            let span = upper - lower + 1
            let offset = span < 1 << 31 ? stream.uniformInt(below: span) : Int(stream.uniform() * Double(span))
            writer.appendNumber(lower + offset)
        case .decimal(let lower, let upper, let digits):
            writer.appendNumber(lower + (upper - lower) * stream.uniform(), digits: digits)
        case .distributed(let distribution, let digits):
            writer.appendNumber(distribution.sample(stream), digits: digits)
        case .sequence(let openPrefix):
            writer.append(openPrefix)
            writer.appendNumber(sequence)
            writer.append(UInt8(ascii: "\""))
        case .uuid: writeUUID(to: &writer)
        case .timestamp: writeTime(at: time, to: &writer)
        case .object(let members):
            writer.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { writer.append(UInt8(ascii: ",")) }
                writer.append(member.key)
                evaluate(member.value, at: time, into: &writer)
            }
            writer.append(UInt8(ascii: "}"))
        case .objectWithRepeatedKeys(let members, let layout):
            // Rare (templates built in code): each member's text on its own, then the kept ones.
            var texts: [[UInt8]] = []
            for member in members {
                var memberWriter = EventTextWriter(EventTextStorage(capacity: 64))
                evaluate(member, at: time, into: &memberWriter)
                texts.append(memberWriter.finish())
            }
            writer.append(UInt8(ascii: "{"))
            for (index, kept) in layout.enumerated() {
                if index > 0 { writer.append(UInt8(ascii: ",")) }
                writer.append(kept.key)
                writer.append(texts[kept.member])
            }
            writer.append(UInt8(ascii: "}"))
        case .array(let element, let minCount, let maxCount):
            let count = minCount + (maxCount > minCount ? stream.uniformInt(below: maxCount - minCount + 1) : 0)
            writer.append(UInt8(ascii: "["))
            for index in 0..<count {
                if index > 0 { writer.append(UInt8(ascii: ",")) }
                evaluate(element, at: time, into: &writer)
            }
            writer.append(UInt8(ascii: "]"))
        }
    }

    /// Writes an RFC 4122-shaped identifier (8-4-4-4-12 hex digits), quoted, from the payload stream's raw
    /// 32-bit outputs.
    mutating func writeUUID(to writer: inout EventTextWriter) {
        let stream = self.stream
        writer.appendUninitialized(38) { buffer in
            buffer[0] = UInt8(ascii: "\"")
            buffer[37] = UInt8(ascii: "\"")
            var position = 1
            for _ in 0..<4 {
                var bits = stream.nextRaw()
                for _ in 0..<8 {
                    if position == 9 || position == 14 || position == 19 || position == 24 {
                        buffer[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    buffer[position] = Self.hexDigit(bits & 0xf)
                    bits >>= 4
                    position += 1
                }
            }
        }
    }

    @inline(__always) static func hexDigit(_ nibble: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: nibble < 10 ? 48 + nibble : 87 + nibble)
    }

    /// Writes the envelope's `time` text, quoted, recomputed only when the simulated second changes.
    mutating func writeTime(at time: SimTime, to writer: inout EventTextWriter) {
        let secondIndex = time / 1_000_000_000
        if secondIndex != cachedSecond {
            cachedSecond = secondIndex
            cachedTime = Array(JSONValue.string(CivilTime(simulated: time).iso8601).jsonText.utf8)
        }
        writer.append(cachedTime)
    }
}

extension JSONValue {
    /// The components of a dotted path: `detail.cart.id` → `["detail", "cart", "id"]`.
    static func pathComponents(_ path: String) -> [String] {
        path.split(separator: ".").map(String.init)
    }
}
