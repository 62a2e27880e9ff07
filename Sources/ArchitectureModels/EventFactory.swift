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
    /// The event's program (``CompiledTemplate``): the envelope's constant text folded around the template's
    /// generated values.
    let program: CompiledTemplate.Program
    /// The program writing events with the template's detail, and its member table's entries.
    let main: Int32
    let mainTable: CompiledTemplate.Text
    /// The program writing events whose detail is a trace payload, and its table's entries (nil and empty when
    /// the factory expands detail).
    let traced: Int32?
    let tracedTable: CompiledTemplate.Text
    let stream: RandomStream
    /// The members every event's table lists: the envelope's, then `detail`'s when it is expanded.
    let layout: JSONMemberLayout
    /// Whether `detail`'s members are in the layout (its template is an object with unique keys, and no trace
    /// payload replaces it).
    let expandsDetail: Bool
    let storage: EventTextStorage
    /// `program`'s pointers and `storage`'s op starts, kept here: reading them costs no class access per event.
    let pointers: CompiledTemplate.Pointers
    let starts: UnsafeMutablePointer<Int32>
    var sequence = 0
    var cachedSecond: Int64 = -1
    /// The envelope's `time` for `cachedSecond`, quoted.
    var cachedTime: [UInt8] = []

    /// The envelope's keys, in order: members 0…8 of every layout.
    static let envelopeKeys = [
        "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail",
    ]

    /// - Parameter expandingDetail: whether the member table may list `detail`'s members (false when trace
    ///   payloads can replace the template's detail).
    init(template: EventTemplate, stream: RandomStream, expandingDetail: Bool = true) {
        self.stream = stream
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
        var program = CompiledTemplate()
        (main, mainTable) = Self.compile(template, traced: false, expandingDetail: expands, into: &program)
        if expands {
            (traced, tracedTable) = (nil, CompiledTemplate.Text(start: 0, count: 0))
        } else {
            (traced, tracedTable) = Self.compile(template, traced: true, expandingDetail: false, into: &program)
        }
        storage = EventTextStorage(ops: program.ops.count)
        self.program = CompiledTemplate.Program(program)
        pointers = self.program.pointers
        starts = storage.starts
    }

    /// Compiles the envelope around the template's values (or, `traced`, a trace payload as detail), recording
    /// where each envelope member's value starts and ends (and each of `detail`'s, `expandingDetail`).
    private static func compile(
        _ template: EventTemplate, traced: Bool, expandingDetail: Bool, into program: inout CompiledTemplate
    ) -> (start: Int32, table: CompiledTemplate.Text) {
        var builder = CompiledTemplate.Builder()
        for (member, key) in envelopeKeys.enumerated() {
            builder.append(member == 0 ? "{" : ",")
            builder.append(CompiledTemplate.memberKey(key))
            builder.record(2 * member)
            switch key {
            case "version": builder.append(Array(version.jsonText.utf8))
            case "id": program.emit(CompiledTemplate.Op(kind: .uuid), in: &builder)
            case "detail-type": program.add(template.detailType, to: &builder)
            case "source": program.add(template.source, to: &builder)
            case "account": builder.append(Array(account.jsonText.utf8))
            case "time": program.emit(CompiledTemplate.Op(kind: .timestamp), in: &builder)
            case "region": builder.append(Array(region.jsonText.utf8))
            case "resources": builder.append(Array(resources.jsonText.utf8))
            default:
                if traced {
                    program.emit(CompiledTemplate.Op(kind: .payload), in: &builder)
                } else {
                    program.add(template.detail, to: &builder, members: expandingDetail ? envelopeKeys.count : nil)
                }
            }
            builder.record(2 * member + 1)
        }
        builder.append("}")
        return program.finishWithTable(builder)
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
        // The table lists the template's detail members: no payload may replace them.
        precondition(payload == nil || !expandsDetail, "a trace payload for a factory that expands detail")
        var writer = EventTextWriter(storage)
        let (program, starts) = (pointers, self.starts)
        let (start, table) = payload == nil ? (main, mainTable) : (traced.unsafelyUnwrapped, tracedTable)
        let payloadText = payload.map { Array($0.jsonText.utf8) } ?? []
        cachedTime.withUnsafeBufferPointer { time in
            payloadText.withUnsafeBufferPointer { payload in
                let context = CompiledTemplate.Context(
                    stream: stream, sequence: sequence, time: time, starts: starts, payload: payload)
                program.run(start, context: context, into: &writer)
            }
        }
        // Offsets are UInt16s: a longer text (a huge trace payload) goes without its table.
        let textCount = writer.count
        if textCount <= JSONMemberLayout.maximumTextCount {
            let entries = UnsafeBufferPointer(
                rebasing: program.tables[Int(table.start)..<Int(table.start + table.count)])
            writer.appendTable(entries, starts: starts)
        }
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
