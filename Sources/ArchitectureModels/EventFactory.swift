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
    /// The template's three parts, compiled once, with the envelope's constant text.
    let program: CompiledTemplate
    let detailType: Int32
    let source: Int32
    let detail: Int32
    let envelope: Envelope
    let stream: RandomStream
    let storage = EventTextStorage()
    var sequence = 0
    var cachedSecond: Int64 = -1
    /// The envelope's `time` for `cachedSecond`, quoted.
    var cachedTime: [UInt8] = []

    /// The envelope's constant text between its generated values, in the program's byte pool.
    struct Envelope {
        var beforeID: CompiledTemplate.Text
        var beforeDetailType: CompiledTemplate.Text
        var beforeSource: CompiledTemplate.Text
        var beforeTime: CompiledTemplate.Text
        var beforeDetail: CompiledTemplate.Text
    }

    init(template: EventTemplate, stream: RandomStream) {
        self.stream = stream
        var program = CompiledTemplate()
        detailType = program.add(template.detailType)
        source = program.add(template.source)
        detail = program.add(template.detail)
        func text(_ value: JSONValue) -> String { value.jsonText }
        func add(_ text: String) -> CompiledTemplate.Text { program.add(text: Array(text.utf8)) }
        envelope = Envelope(
            beforeID: add(#"{"version":"# + text(Self.version) + #","id":"#),
            beforeDetailType: add(#","detail-type":"#),
            beforeSource: add(#","source":"#),
            beforeTime: add(#","account":"# + text(Self.account) + #","time":"#),
            beforeDetail: add(
                #","region":"# + text(Self.region) + #","resources":"# + text(Self.resources) + #","detail":"#))
        self.program = program
    }

    /// The compact JSON text of the next event at simulated time `time` (`detail` overrides the template's: trace
    /// payloads).
    /// - Complexity: O(size of the event).
    mutating func makeEvent(at time: SimTime, detail payload: JSONValue?) -> [UInt8] {
        sequence += 1
        let secondIndex = time / 1_000_000_000
        if secondIndex != cachedSecond {
            cachedSecond = secondIndex
            cachedTime = Array(JSONValue.string(CivilTime(simulated: time).iso8601).jsonText.utf8)
        }
        var writer = EventTextWriter(storage)
        let (program, envelope, stream, sequence) = (self.program, self.envelope, self.stream, self.sequence)
        let (detailType, source, detail) = (self.detailType, self.source, self.detail)
        cachedTime.withUnsafeBufferPointer { time in
            program.withPointers { pointers in
                let context = CompiledTemplate.Context(stream: stream, sequence: sequence, time: time)
                writer.append(pointers.text(envelope.beforeID))
                CompiledTemplate.writeUUID(stream, into: &writer)
                writer.append(pointers.text(envelope.beforeDetailType))
                program.write(detailType, pointers, context: context, into: &writer)
                writer.append(pointers.text(envelope.beforeSource))
                program.write(source, pointers, context: context, into: &writer)
                writer.append(pointers.text(envelope.beforeTime))
                writer.append(time)
                writer.append(pointers.text(envelope.beforeDetail))
                if let payload {
                    writer.append(Array(payload.jsonText.utf8))
                } else {
                    program.write(detail, pointers, context: context, into: &writer)
                }
                writer.append(UInt8(ascii: "}"))
            }
        }
        return writer.finish()
    }

    // The envelope's constant values.
    static let version = JSONValue.string("0")
    static let account = JSONValue.string("123456789012")
    static let region = JSONValue.string("us-east-1")
    static let resources = JSONValue.array([])
}

extension JSONValue {
    /// The components of a dotted path: `detail.cart.id` → `["detail", "cart", "id"]`.
    static func pathComponents(_ path: String) -> [String] {
        path.split(separator: ".").map(String.init)
    }
}
