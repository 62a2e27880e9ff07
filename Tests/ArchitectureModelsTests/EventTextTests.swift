import ArchitectureSpecs
import ChangeStreams
import EventPatterns
import Stochastics
import Testing

@testable import ArchitectureModels

@Suite("Event text")
struct EventTextTests {
    /// Every kind of template value, with keys and strings that need escapes, a repeated key, and integer
    /// ranges small and huge.
    static func template() throws -> EventTemplate {
        let detail = ValueTemplate.object([
            ("quoted \"key\"", .literal(.string("tab\there"))),
            ("choice", .choice([(.literal(.number(JSONNumber(text: "1e3"))), 1), (.uuid, 1), (.literal(.null), 1)])),
            ("integer", .integer(lower: -5_000, upper: 5_000)),
            ("huge", .integer(lower: -(1 << 40), upper: 1 << 40)),
            ("decimal", .decimal(lower: -1, upper: 1, digits: 3)),
            ("distributed", .distributed(try Distribution.makeExponential(mean: 250), digits: 2)),
            ("sequence", .sequence(prefix: "order-\u{1}é")),
            ("timestamp", .timestamp),
            (
                "lines",
                .array(.object([("sku", .uuid), ("qty", .integer(lower: 1, upper: 9))]), minCount: 0, maxCount: 3)
            ),
            (
                "repeated",
                .object([
                    ("a", .integer(lower: 0, upper: 9)), ("b", .uuid), ("a", .decimal(lower: 0, upper: 1, digits: 2)),
                ])
            ),
            ("empty", .object([])),
            ("list", .literal(.array([.bool(true), .string("é東😀")]))),
        ])
        return EventTemplate(
            source: .choice([(.literal(.string("shop")), 1), (.literal(.string("cart\\svc")), 1)]),
            detailType: .literal(.string("Order Placed")), detail: detail)
    }

    /// The factory writes exactly the `jsonText` of the event tree that evaluating the template directly builds
    /// (the generator before events became text), drawing the same random numbers, over times that cross
    /// seconds and days (the cached timestamp), and with a trace payload.
    @Test(arguments: [true, false]) func factoryWritesTheTextOfTheEventTree(expandingDetail: Bool) throws {
        let template = try Self.template()
        var factory = EventFactory(template: template, stream: RandomStream(seed: 7), expandingDetail: expandingDetail)
        var reference = ReferenceEvents(template: template, stream: RandomStream(seed: 7))
        var time: Int64 = 0
        for index in 0..<500 {
            let text = factory.makeText(at: time, detail: nil)
            let tree = reference.makeEvent(at: time, detail: nil)
            #expect(String(decoding: text, as: UTF8.self) == tree.jsonText, "event \(index)")
            time += 997_000_000 * Int64(index % 7) + 86_399_000_000_000 * Int64(index % 2)
        }
        guard !expandingDetail else { return }
        let payload = JSONValue.object(JSONObject([("a", .array([.bool(true)]))]))
        let traced = factory.makeText(at: time, detail: payload)
        #expect(String(decoding: traced, as: UTF8.self) == reference.makeEvent(at: time, detail: payload).jsonText)
    }

    /// A text too long for 16-bit offsets comes without a member table (a huge trace payload).
    @Test(arguments: [0, 0xffff_ffff, 0x0123_4567, 0x89ab_cdef, 0x9a9a_9a9a, 0x1_0000_000f] as [UInt64])
    func hexDigitsSpellTheLow32BitsLowestNibbleFirst(value: UInt64) {
        var word = CompiledTemplate.hexDigits(value)
        let spelled = String(decoding: withUnsafeBytes(of: &word) { Array($0) }, as: UTF8.self)
        let expected = (0..<8).map { String((value >> (4 * UInt64($0))) & 0xf, radix: 16) }.joined()
        #expect(spelled == expected)
    }

    @Test func aTextTooLongForTheTableComesAlone() throws {
        var factory = EventFactory(template: try Self.template(), stream: RandomStream(seed: 3), expandingDetail: false)
        let long = JSONValue.string(String(repeating: "x", count: JSONMemberLayout.maximumTextCount))
        let (event, textCount) = factory.makeEvent(at: 0, detail: long)
        #expect(textCount == event.count && textCount > JSONMemberLayout.maximumTextCount)
        #expect((try? JSONParser.parse(bytes: event)) != nil)
        let (short, shortCount) = factory.makeEvent(at: 0, detail: .string("x"))
        #expect(short.count == shortCount + factory.layout.tableBytes)
    }

    /// The member table after each event's text gives, for every member of the factory's layout, the range of
    /// the member's value that a lookup by path finds in the text: the envelope's members, and the detail's
    /// when the factory expands it (escaped keys, objects with repeated keys, empty objects and arrays alike).
    @Test(arguments: [true, false]) func memberTablesGiveTheRangesOfTheMembersValues(expandingDetail: Bool) throws {
        var factory = EventFactory(
            template: try Self.template(), stream: RandomStream(seed: 11), expandingDetail: expandingDetail)
        let layout = factory.layout
        #expect(layout.count == (expandingDetail ? 9 + 12 : 9))
        for index in 0..<200 {
            let (event, textCount) = factory.makeEvent(at: Int64(index) * 700_000_000, detail: nil)
            #expect(event.count == textCount + layout.tableBytes)
            event.withUnsafeBufferPointer { bytes in
                let text = UnsafeBufferPointer(rebasing: bytes[..<textCount])
                let table = JSONMemberTable(UnsafeRawPointer(bytes.baseAddress! + textCount))
                for (member, entry) in layout.members.enumerated() {
                    let path = entry.parent < 0 ? [entry.key] : [layout.members[Int(entry.parent)].key, entry.key]
                    #expect(table.start(member)..<table.end(member) == JSONValue.textRange(atPath: path, inJSON: text))
                }
            }
        }
    }

    /// Values read from the text by path are the values of the parsed document at that path.
    @Test func valuesAtPathsInTheTextAreThoseOfTheTree() throws {
        var factory = EventFactory(template: try Self.template(), stream: RandomStream(seed: 9))
        let paths: [[String]] = [
            [], ["source"], ["detail-type"], ["id"], ["detail"], ["detail", "quoted \"key\""], ["detail", "choice"],
            ["detail", "lines"], ["detail", "repeated", "a"], ["detail", "empty"], ["detail", "list"],
            ["detail", "missing"], ["detail", "integer", "below a number"], ["resources", "0"], ["nothing"],
        ]
        for index in 0..<50 {
            let text = factory.makeText(at: Int64(index) * 1_000_000_000, detail: nil)
            let tree = try JSONParser.parse(bytes: text)
            for path in paths {
                let fromText = text.withUnsafeBufferPointer { JSONValue.value(atPath: path, inJSON: $0) }
                #expect(fromText == tree.value(atPath: path), "\(path)")
            }
            // All at once, in one pass, in any order.
            for order in [paths, paths.reversed(), [["detail", "lines"], ["source"], ["detail", "repeated", "b"]]] {
                let together = text.withUnsafeBufferPointer { JSONTextPaths(order).values(inJSON: $0) }
                #expect(together == order.map { tree.value(atPath: $0) }, "\(order)")
            }
        }
        // Spaces between tokens, escaped keys, and canonically equivalent keys (the Kelvin sign is K).
        let spaced = Array(#" { "a" : 1 , "k\u0065y" : { "\u212A" : [ 2 ] } } "#.utf8)
        spaced.withUnsafeBufferPointer { bytes in
            #expect(JSONValue.value(atPath: ["a"], inJSON: bytes) == .number(JSONNumber(text: "1")))
            #expect(JSONValue.value(atPath: ["key", "K"], inJSON: bytes) == .array([.number(JSONNumber(text: "2"))]))
            #expect(JSONValue.value(atPath: ["key", "k"], inJSON: bytes) == nil)
        }
        spaced.withUnsafeBufferPointer { bytes in
            let values = JSONTextPaths([["key", "K"], ["a"], ["key", "k"], ["key"], ["a", "b"]]).values(inJSON: bytes)
            #expect(values[0] == .array([.number(JSONNumber(text: "2"))]))
            #expect(values[1] == .number(JSONNumber(text: "1")) && values[2] == nil && values[4] == nil)
            #expect(values[3] == JSONValue.value(atPath: ["key"], inJSON: bytes))
        }
        Array("{\"a\":".utf8).withUnsafeBufferPointer {
            #expect(JSONValue.value(atPath: ["a"], inJSON: $0) == nil)
            #expect(JSONTextPaths([["a"]]).values(inJSON: $0) == [nil])
        }
    }

    /// A stream record's bus event written directly is the text of the event built as a value, for every kind of
    /// record, sequence numbers short and long, times around the epoch and table names that need escapes.
    @Test(arguments: ["orders", "odd \"name\"\\", "é\u{1}"])
    func streamRecordEventTextIsTheEventsText(table: String) {
        let key = ItemKey(partition: .s("k1"))
        for (index, name) in EventName.allCases.enumerated() {
            for sequence: UInt64 in [1, 42, 1 << 40, .max - 7] {
                let record = StreamRecord(
                    eventName: name, keys: key, newImage: nil, oldImage: nil,
                    sequenceNumber: SequenceNumber(rawValue: sequence), sizeBytes: 17 + index * 1_000,
                    approximateCreationTime: Int64(sequence % 5_000) * 1_000_000_007 - 3_600_000_000_000)
                let text = ArchitectureSimulation.eventText(for: record, table: table)
                #expect(text == ArchitectureSimulation.event(for: record, table: table).jsonBytes)
            }
        }
    }
}

/// The event generator as it was before events became text: it builds the tree, drawing from the stream in the
/// same order. The reference for ``EventTextTests``.
private struct ReferenceEvents {
    let template: EventTemplate
    let stream: RandomStream
    var sequence = 0

    mutating func makeEvent(at time: Int64, detail: JSONValue?) -> JSONValue {
        sequence += 1
        let id = uuid()
        let detailType = evaluate(template.detailType, at: time)
        let source = evaluate(template.source, at: time)
        let detail = detail ?? evaluate(template.detail, at: time)
        return .object(
            JSONObject([
                ("version", .string("0")), ("id", .string(id)), ("detail-type", detailType), ("source", source),
                ("account", .string("123456789012")), ("time", .string(CivilTime(simulated: time).iso8601)),
                ("region", .string("us-east-1")), ("resources", .array([])), ("detail", detail),
            ]))
    }

    mutating func evaluate(_ value: ValueTemplate, at time: Int64) -> JSONValue {
        switch value {
        case .literal(let json): return json
        case .choice(let options):
            var pick = stream.uniform() * options.reduce(0) { $0 + $1.weight }
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
            return .number(
                JSONNumber(text: DecimalFormat.string(lower + (upper - lower) * stream.uniform(), digits: digits)))
        case .distributed(let distribution, let digits):
            return .number(JSONNumber(text: DecimalFormat.string(distribution.sample(stream), digits: digits)))
        case .sequence(let prefix): return .string(prefix + String(sequence))
        case .uuid: return .string(uuid())
        case .timestamp: return .string(CivilTime(simulated: time).iso8601)
        case .object(let members):
            var evaluated: [(key: String, value: JSONValue)] = []
            for member in members { evaluated.append((member.key, evaluate(member.value, at: time))) }
            return .object(JSONObject(evaluated))
        case .array(let element, let minCount, let maxCount):
            let count = minCount + (maxCount > minCount ? stream.uniformInt(below: maxCount - minCount + 1) : 0)
            return .array((0..<count).map { _ in evaluate(element, at: time) })
        }
    }

    mutating func uuid() -> String {
        var text = ""
        for _ in 0..<4 {
            var bits = stream.nextRaw()
            for _ in 0..<8 {
                if [8, 13, 18, 23].contains(text.count) { text += "-" }
                text += String(bits & 0xf, radix: 16)
                bits >>= 4
            }
        }
        return text
    }
}

extension JSONValue {
    /// The value at a path inside nested objects of the tree, member by member, or nil (the reference for
    /// ``JSONValue/value(atPath:inJSON:)``).
    func value(atPath path: [String]) -> JSONValue? {
        var current = self
        for component in path {
            guard case .object(let object) = current, let next = object[component] else { return nil }
            current = next
        }
        return current
    }
}

extension EventFactory {
    /// The next event's text alone, without its member table.
    mutating func makeText(at time: Int64, detail: JSONValue?) -> [UInt8] {
        let made = makeEvent(at: time, detail: detail)
        return Array(made.event.prefix(made.textCount))
    }
}
