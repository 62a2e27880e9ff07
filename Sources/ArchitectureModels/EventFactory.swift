import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics

/// Builds real JSON events from templates, with one producer's payload stream.
///
/// Events are wrapped in EventBridge's standard envelope (`version`, `id`, `detail-type`, `source`, `account`,
/// `time`, `region`, `resources`, `detail`), which is what rules' patterns match and what topics publish.
struct EventFactory {
    let template: EventTemplate
    let stream: RandomStream
    var sequence = 0

    init(template: EventTemplate, stream: RandomStream) {
        self.template = template
        self.stream = stream
    }

    /// The next event at simulated time `time`; `detail` overrides the template's (trace payloads).
    mutating func makeEvent(at time: SimTime, detail: JSONValue? = nil) -> JSONValue {
        sequence += 1
        let id = uuid()
        let envelope: [(key: String, value: JSONValue)] = [
            ("version", .string("0")),
            ("id", .string(id)),
            ("detail-type", evaluate(template.detailType, at: time)),
            ("source", evaluate(template.source, at: time)),
            ("account", .string("123456789012")),
            ("time", .string(CivilTime(simulated: time).iso8601)),
            ("region", .string("us-east-1")),
            ("resources", .array([])),
            ("detail", detail ?? evaluate(template.detail, at: time)),
        ]
        return .object(JSONObject(envelope))
    }

    /// Evaluates a value template. - Complexity: O(size of the generated value).
    mutating func evaluate(_ value: ValueTemplate, at time: SimTime) -> JSONValue {
        switch value {
        case .literal(let json): return json
        case .choice(let options):
            let total = options.reduce(0) { $0 + $1.weight }
            var pick = stream.uniform() * total
            for option in options {
                pick -= option.weight
                if pick < 0 { return evaluate(option.template, at: time) }
            }
            return evaluate(options[options.count - 1].template, at: time)
        case .integer(let lower, let upper):
            let span = upper - lower + 1
            let offset = span < 1 << 31 ? stream.uniformInt(below: span) : Int(stream.uniform() * Double(span))
            return .number(JSONNumber(text: String(lower + offset)))
        case .decimal(let lower, let upper, let digits):
            return .number(JSONNumber(text: DecimalFormat.string(lower + (upper - lower) * stream.uniform(),
                                                                 digits: digits)))
        case .distributed(let distribution, let digits):
            return .number(JSONNumber(text: DecimalFormat.string(distribution.sample(stream), digits: digits)))
        case .sequence(let prefix): return .string(prefix + String(sequence))
        case .uuid: return .string(uuid())
        case .timestamp: return .string(CivilTime(simulated: time).iso8601)
        case .object(let members):
            return .object(JSONObject(members.map { (key: $0.key, value: evaluate($0.value, at: time)) }))
        case .array(let element, let minCount, let maxCount):
            let count = minCount + (maxCount > minCount ? stream.uniformInt(below: maxCount - minCount + 1) : 0)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(evaluate(element, at: time)) }
            return .array(elements)
        }
    }

    /// An RFC 4122 version-4-shaped identifier from the payload stream.
    mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var characters: [Character] = []
        characters.reserveCapacity(36)
        for index in 0..<4 {
            var word = stream.nextRaw()
            for _ in 0..<8 {
                characters.append(hex[Int(word & 0xf)])
                word >>= 4
            }
            if index < 3 { characters.append("-") }
        }
        // 8-8-8-8 with dashes → re-cut into 8-4-4-4-12.
        let plain = characters.filter { $0 != "-" }
        let cuts = [8, 4, 4, 4, 12]
        var text = ""
        var position = 0
        for (index, length) in cuts.enumerated() {
            if index > 0 { text.append("-") }
            text.append(contentsOf: plain[position..<position + length])
            position += length
        }
        return text
    }
}

extension JSONValue {
    /// The value at a dotted path (`detail.cart.id`) inside nested objects, or nil.
    func value(atPath path: String) -> JSONValue? {
        var current = self
        for component in path.split(separator: ".") {
            guard case .object(let object) = current, let next = object[String(component)] else { return nil }
            current = next
        }
        return current
    }

    /// Size of the compact JSON text in bytes (for billing chunks and quotas).
    var byteCount: Int { jsonText.utf8.count }
}
