import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics

/// Builds real JSON events from templates, with one producer's payload stream, as their compact JSON text
/// followed by its member table.
///
/// Events are wrapped in EventBridge's standard envelope (`version`, `id`, `detail-type`, `source`, `account`,
/// `time`, `region`, `resources`, `detail`), which is what rules' patterns match and what topics publish. The
/// text is exactly the `jsonText` of the event tree the templates describe; building it directly into one byte
/// array costs one allocation an event, where the tree took one per object, array and long string (building
/// and freeing trees were a quarter of a scenario run).
///
/// After the text comes its member table for ``layout`` (`JSONMemberTable`: where each envelope member's value,
/// and each of `detail`'s members when the template's `detail` is an object, starts and ends), written as the
/// values are: buses and topics go straight to the values they read instead of scanning the keys.
struct EventFactory {
    /// The template's three parts, compiled once, with the envelope's constant text.
    let program: CompiledTemplate
    let detailType: Int32
    let source: Int32
    let detail: Int32
    let envelope: Envelope
    let stream: RandomStream
    /// The members every event's table lists: the envelope's, then `detail`'s when it is expanded.
    let layout: JSONMemberLayout
    /// Whether `detail`'s members are in the layout (its template is an object with unique keys, and no trace
    /// payload replaces it).
    let expandsDetail: Bool
    let storage: EventTextStorage
    var sequence = 0
    var cachedSecond: Int64 = -1
    /// The envelope's `time` for `cachedSecond`, quoted.
    var cachedTime: [UInt8] = []

    /// The envelope's constant text between its generated values, in the program's byte pool, with where the
    /// constant values inside it start and end (relative to the text's start).
    struct Envelope {
        var beforeID: CompiledTemplate.Text
        var version: (start: Int, end: Int)
        var beforeDetailType: CompiledTemplate.Text
        var beforeSource: CompiledTemplate.Text
        var beforeTime: CompiledTemplate.Text
        var account: (start: Int, end: Int)
        var beforeDetail: CompiledTemplate.Text
        var region: (start: Int, end: Int)
        var resources: (start: Int, end: Int)
    }

    /// The envelope's keys, in order: members 0…8 of every layout.
    static let envelopeKeys = [
        "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail",
    ]

    /// - Parameter expandingDetail: whether the member table may list `detail`'s members (false when trace
    ///   payloads can replace the template's detail).
    init(template: EventTemplate, stream: RandomStream, expandingDetail: Bool = true) {
        self.stream = stream
        var program = CompiledTemplate()
        detailType = program.add(template.detailType)
        source = program.add(template.source)
        detail = program.add(template.detail)
        var members = Self.envelopeKeys.enumerated().map { JSONMemberLayout.Member(parent: -1, key: $0.element) }
        var expands = false
        if expandingDetail, case .object(let detailMembers) = template.detail,
            Set(detailMembers.map(\.key)).count == detailMembers.count
        {
            expands = true
            members[8].expanded = true
            members += detailMembers.map { JSONMemberLayout.Member(parent: 8, key: $0.key) }
        }
        expandsDetail = expands
        layout = JSONMemberLayout(members)
        storage = EventTextStorage(members: members.count)
        // Constant texts made of parts; `value` gives a part's place relative to the text's start.
        var parts: [UInt8] = []
        func part(_ text: String) { parts += Array(text.utf8) }
        func value(_ json: JSONValue) -> (start: Int, end: Int) {
            let start = parts.count
            parts += Array(json.jsonText.utf8)
            return (start, parts.count)
        }
        func take() -> CompiledTemplate.Text {
            defer { parts = [] }
            return program.add(text: parts)
        }
        part(#"{"version":"#)
        let version = value(Self.version)
        part(#","id":"#)
        let beforeID = take()
        part(#","detail-type":"#)
        let beforeDetailType = take()
        part(#","source":"#)
        let beforeSource = take()
        part(#","account":"#)
        let account = value(Self.account)
        part(#","time":"#)
        let beforeTime = take()
        part(#","region":"#)
        let region = value(Self.region)
        part(#","resources":"#)
        let resources = value(Self.resources)
        part(#","detail":"#)
        let beforeDetail = take()
        envelope = Envelope(
            beforeID: beforeID, version: version, beforeDetailType: beforeDetailType, beforeSource: beforeSource,
            beforeTime: beforeTime, account: account, beforeDetail: beforeDetail, region: region,
            resources: resources)
        self.program = program
    }

    /// The compact JSON text of the next event at simulated time `time` (`detail` overrides the template's: trace
    /// payloads), followed by its member table for ``layout`` when the text is at most
    /// `JSONMemberLayout.maximumTextCount` bytes (otherwise the array is the text alone), with the text's length.
    /// - Complexity: O(size of the event).
    mutating func makeEvent(at time: SimTime, detail payload: JSONValue?) -> (event: [UInt8], textCount: Int) {
        sequence += 1
        let secondIndex = time / 1_000_000_000
        if secondIndex != cachedSecond {
            cachedSecond = secondIndex
            cachedTime = Array(JSONValue.string(CivilTime(simulated: time).iso8601).jsonText.utf8)
        }
        var writer = EventTextWriter(storage)
        let (program, envelope, stream, sequence) = (self.program, self.envelope, self.stream, self.sequence)
        let (detailType, source, detail) = (self.detailType, self.source, self.detail)
        let offsets = storage.offsets
        let expandsDetail = self.expandsDetail
        // The table lists the template's detail members: no payload may replace them.
        precondition(payload == nil || !expandsDetail, "a trace payload for a factory that expands detail")
        @inline(__always) func record(_ member: Int, _ start: Int, _ end: Int) {
            offsets[2 &* member] = UInt32(truncatingIfNeeded: start)
            offsets[2 &* member &+ 1] = UInt32(truncatingIfNeeded: end)
        }
        cachedTime.withUnsafeBufferPointer { time in
            program.withPointers { pointers in
                let context = CompiledTemplate.Context(stream: stream, sequence: sequence, time: time)
                writer.append(pointers.text(envelope.beforeID))
                record(0, envelope.version.start, envelope.version.end)
                var start = writer.count
                CompiledTemplate.writeUUID(stream, into: &writer)
                record(1, start, writer.count)
                writer.append(pointers.text(envelope.beforeDetailType))
                start = writer.count
                program.write(detailType, pointers, context: context, into: &writer)
                record(2, start, writer.count)
                writer.append(pointers.text(envelope.beforeSource))
                start = writer.count
                program.write(source, pointers, context: context, into: &writer)
                record(3, start, writer.count)
                start = writer.count
                writer.append(pointers.text(envelope.beforeTime))
                record(4, start + envelope.account.start, start + envelope.account.end)
                start = writer.count
                writer.append(time)
                record(5, start, writer.count)
                start = writer.count
                writer.append(pointers.text(envelope.beforeDetail))
                record(6, start + envelope.region.start, start + envelope.region.end)
                record(7, start + envelope.resources.start, start + envelope.resources.end)
                start = writer.count
                if let payload {
                    writer.append(Array(payload.jsonText.utf8))
                } else if expandsDetail {
                    program.writeObject(
                        pointers.nodes[Int(detail)], pointers, context: context, into: &writer, offsets: offsets + 18)
                } else {
                    program.write(detail, pointers, context: context, into: &writer)
                }
                record(8, start, writer.count)
                writer.append(UInt8(ascii: "}"))
            }
        }
        // Offsets are UInt16s: a longer text (a huge trace payload) goes without its table.
        let textCount = writer.count
        if textCount <= JSONMemberLayout.maximumTextCount { writer.appendTable(offsets, count: 2 * layout.count) }
        return (writer.finish(), textCount)
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
