import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics

/// Builds real JSON events from templates, with one producer's payload stream.
///
/// Events are wrapped in EventBridge's standard envelope (`version`, `id`, `detail-type`, `source`, `account`,
/// `time`, `region`, `resources`, `detail`), which is what rules' patterns match and what topics publish.
struct EventFactory {
    /// The template's three parts, compiled once.
    let detailType: CompiledTemplate
    let source: CompiledTemplate
    let detail: CompiledTemplate
    let stream: RandomStream
    var sequence = 0
    var cachedSecond: Int64 = -1
    var cachedTimeText = ""
    /// `cachedTimeText`'s quoted byte count.
    var cachedTimeBytes = 2

    /// Whether every object in the template has unique keys (always, for templates read from YAML, which
    /// rejects duplicate keys), so generated objects can skip the duplicate check.
    let uniqueKeys: Bool

    init(template: EventTemplate, stream: RandomStream) {
        self.stream = stream
        detailType = CompiledTemplate(template.detailType)
        source = CompiledTemplate(template.source)
        detail = CompiledTemplate(template.detail)
        uniqueKeys = [template.detailType, template.source, template.detail].allSatisfy(Self.hasUniqueKeys)
    }

    /// Whether every object template inside `value` has unique keys.
    static func hasUniqueKeys(_ value: ValueTemplate) -> Bool {
        switch value {
        case .object(let members):
            Set(members.map(\.key)).count == members.count && members.allSatisfy { hasUniqueKeys($0.value) }
        case .choice(let options): options.allSatisfy { hasUniqueKeys($0.template) }
        case .array(let element, _, _): hasUniqueKeys(element)
        case .literal, .integer, .decimal, .distributed, .sequence, .uuid, .timestamp: true
        }
    }

    /// The next event at simulated time `time` (`detail` overrides the template's: trace payloads), and in `size`
    /// the byte count of its compact JSON text (`jsonText`), counted while it is built: billing chunks and quotas
    /// need a size per event, and a second walk over the event cost 9% of a scenario run.
    /// Invariant: `size == event.byteCount` (tested).
    mutating func makeEvent(at time: SimTime, detail: JSONValue?, size: inout Int) -> JSONValue {
        sequence += 1
        let id = uuid()
        size += Self.envelopeFixedBytes
        let detailType = evaluate(self.detailType, at: time, size: &size)
        let source = evaluate(self.source, at: time, size: &size)
        let timeValue = timeText(at: time)
        size += cachedTimeBytes
        let detailValue: JSONValue
        if let detail {
            detailValue = detail
            size += detail.byteCount
        } else {
            detailValue = evaluate(self.detail, at: time, size: &size)
        }
        let envelope: [(key: String, value: JSONValue)] = [
            ("version", Self.version),
            ("id", .string(id)),
            ("detail-type", detailType),
            ("source", source),
            ("account", Self.account),
            ("time", .string(timeValue)),
            ("region", Self.region),
            ("resources", Self.resources),
            ("detail", detailValue),
        ]
        return .object(JSONObject(uniqueMembers: envelope))
    }

    // The envelope's constant values.
    static let version = JSONValue.string("0")
    static let account = JSONValue.string("123456789012")
    static let region = JSONValue.string("us-east-1")
    static let resources = JSONValue.array([])

    /// Bytes of the envelope's fixed part: braces, commas, the nine quoted keys with their colons, the constant
    /// values and the quoted 36-character id.
    static let envelopeFixedBytes: Int = {
        let keys = ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]
        let constants = [version, account, region, resources].reduce(0) { $0 + $1.byteCount }
        return 2 + (keys.count - 1) + keys.reduce(0) { $0 + JSONValue.quotedByteCount($1) + 1 } + constants + 38
    }()

    /// Evaluates a compiled value template and adds the byte count of its compact JSON text to `size`.
    /// - Complexity: O(size of the generated value).
    mutating func evaluate(_ value: CompiledTemplate, at time: SimTime, size: inout Int) -> JSONValue {
        switch value {
        case .literal(let json, let bytes):
            size += bytes
            return json
        case .choice(let options, let total):
            var pick = stream.uniform() * total
            for option in options {
                pick -= option.weight
                if pick < 0 { return evaluate(option.template, at: time, size: &size) }
            }
            return evaluate(options[options.count - 1].template, at: time, size: &size)
        case .integer(let lower, let upper, let spelled):
            let span = upper - lower + 1
            let offset = span < 1 << 31 ? stream.uniformInt(below: span) : Int(stream.uniform() * Double(span))
            if offset < spelled.count {
                size += spelled[offset].bytes
                return spelled[offset].value
            }
            return number(DecimalFormat.string(lower + offset), size: &size)
        case .decimal(let lower, let upper, let digits):
            return number(DecimalFormat.string(lower + (upper - lower) * stream.uniform(), digits: digits), size: &size)
        case .distributed(let distribution, let digits):
            return number(DecimalFormat.string(distribution.sample(stream), digits: digits), size: &size)
        case .sequence(let prefix):
            let text = DecimalFormat.string(sequence, after: prefix)
            size += JSONValue.quotedByteCount(text)
            return .string(text)
        case .uuid:
            size += 38
            return .string(uuid())
        case .timestamp:
            let text = timeText(at: time)
            size += cachedTimeBytes
            return .string(text)
        case .object(let members, let fixedBytes):
            size += fixedBytes
            var evaluated: [(key: String, value: JSONValue)] = []
            evaluated.reserveCapacity(members.count)
            for member in members {
                evaluated.append((key: member.key, value: evaluate(member.value, at: time, size: &size)))
            }
            return .object(uniqueKeys ? JSONObject(uniqueMembers: evaluated) : JSONObject(evaluated))
        case .array(let element, let minCount, let maxCount):
            let count = minCount + (maxCount > minCount ? stream.uniformInt(below: maxCount - minCount + 1) : 0)
            size += 2 + Swift.max(0, count - 1)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(evaluate(element, at: time, size: &size)) }
            return .array(elements)
        }
    }

    private func number(_ text: String, size: inout Int) -> JSONValue {
        size += text.utf8.count
        return .number(JSONNumber(text: text))
    }

    /// An RFC 4122-shaped identifier (8-4-4-4-12 hex digits) from the payload stream's raw 32-bit outputs.
    mutating func uuid() -> String {
        let hex = EventFactory.hexDigits
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            for word in 0..<4 {
                var bits = stream.nextRaw()
                for _ in 0..<8 {
                    if position == 8 || position == 13 || position == 18 || position == 23 {
                        buffer[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    buffer[position] = hex[Int(bits & 0xf)]
                    bits >>= 4
                    position += 1
                }
                _ = word
            }
            return position
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The envelope's `time` text, recomputed only when the simulated second changes.
    mutating func timeText(at time: SimTime) -> String {
        let secondIndex = time / 1_000_000_000
        if secondIndex != cachedSecond {
            cachedSecond = secondIndex
            cachedTimeText = CivilTime(simulated: time).iso8601
            cachedTimeBytes = JSONValue.quotedByteCount(cachedTimeText)
        }
        return cachedTimeText
    }
}

extension JSONValue {
    /// The components of a dotted path: `detail.cart.id` → `["detail", "cart", "id"]`.
    static func pathComponents(_ path: String) -> [String] {
        path.split(separator: ".").map(String.init)
    }

    /// The value at a path (``pathComponents(_:)``) inside nested objects, or nil.
    /// - Complexity: O(path length × members per object).
    func value(atPath path: [String]) -> JSONValue? {
        var current = self
        for component in path {
            guard case .object(let object) = current, let next = object[component] else { return nil }
            current = next
        }
        return current
    }

    /// Size in bytes of the compact JSON text (`jsonText`), counted without building it: billing chunks and
    /// quotas need a size per event, and serialising every event only to measure it doubled the cost of a put.
    /// - Complexity: O(n) in the size of the value, no allocation.
    var byteCount: Int {
        switch self {
        case .null: return 4
        case .bool(let flag): return flag ? 4 : 5
        case .number(let number): return number.text.utf8.count
        case .string(let string): return Self.quotedByteCount(string)
        case .array(let elements):
            var total = 2 + Swift.max(0, elements.count - 1)
            for element in elements { total += element.byteCount }
            return total
        case .object(let object):
            var total = 2 + Swift.max(0, object.count - 1)
            for member in object.members { total += Self.quotedByteCount(member.key) + 1 + member.value.byteCount }
            return total
        }
    }

    /// Bytes of `string` as a quoted JSON literal, escaped as `jsonText` escapes it.
    static func quotedByteCount(_ string: String) -> Int {
        var copy = string  // shares storage; withUTF8 needs a var
        return copy.withUTF8 { bytes in
            var total = 2 + bytes.count
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                switch byte {
                case 0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x08, 0x0C: total += 1
                default: total += 5
                }
            }
            return total
        }
    }
}
