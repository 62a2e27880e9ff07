import Testing

@testable import EventPatterns

/// Texts written with a member layout and their member tables: matching and attribute lookups that go straight
/// to the members find what reading the whole text finds.
@Suite("Member layouts")
struct MemberLayoutTests {
    /// A text written member by member from `members` (a member whose key is in `expanded` and whose value is an
    /// object is listed with its own members), with its layout and table (start, end pairs).
    static func written(_ members: [(String, JSONValue)], expanded: Set<String>) -> (
        text: [UInt8], layout: JSONMemberLayout, table: [UInt16]
    ) {
        var text: [UInt8] = []
        var layout: [JSONMemberLayout.Member] = []
        var table: [UInt16] = []
        func object(_ members: [(String, JSONValue)], parent: Int32) {
            text.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { text.append(UInt8(ascii: ",")) }
                text += Array(JSONValue.string(key).jsonText.utf8) + [UInt8(ascii: ":")]
                let slot = layout.count
                table += [UInt16(text.count), 0]
                if parent < 0, expanded.contains(key), case .object(let inner) = value {
                    layout.append(.init(parent: parent, key: key, expanded: true))
                    object(inner.members, parent: Int32(slot))
                } else {
                    layout.append(.init(parent: parent, key: key))
                    text += Array(value.jsonText.utf8)
                }
                table[2 * slot + 1] = UInt16(text.count)
            }
            text.append(UInt8(ascii: "}"))
        }
        object(members, parent: -1)
        return (text, JSONMemberLayout(layout), table)
    }

    static func events() throws -> [[(String, JSONValue)]] {
        func value(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }
        return [
            [
                ("version", .string("0")), ("source", .string("shop.orders")), ("detail-type", .string("OrderPlaced")),
                ("detail", try value(#"{"amount": 12.5, "region": "eu", "items": [{"sku": 3}, {"sku": 9}]}"#)),
            ],
            [
                ("source", .string("shop.cart")), ("a.b", .string("dotted")),
                ("quoted \"k\"", .number(JSONNumber(text: "1"))),
                ("detail", try value(#"{"amount": -1, "items": [], "region": null, "nested": {"deep": [1, "x"]}}"#)),
            ],
            [("detail", try value(#"{}"#)), ("source", .string("other"))],
            // Not finite numbers as written by the generator: a named one is malformed, an unnamed one skipped.
            [
                ("source", .string("shop.x")),
                ("detail", .object(JSONObject([("total", .number(JSONNumber(text: "nan")))]))),
            ],
            [
                ("source", .string("shop.x")),
                ("detail", .object(JSONObject([("amount", .number(JSONNumber(text: "inf")))]))),
            ],
        ]
    }

    static let patterns = [
        #"{"source": ["shop.orders"], "detail": {"amount": [{"numeric": [">", 0]}]}}"#,
        #"{"source": [{"prefix": "shop."}]}"#,
        #"{"detail": {"region": [{"exists": false}]}}"#,
        #"{"detail": {"items": {"sku": [3]}}}"#,
        #"{"a": {"b": ["dotted"]}}"#,
        #"{"quoted \"k\"": [1]}"#,
        #"{"detail": {"nested": {"deep": ["x"]}}}"#,
        #"{"detail-type": [{"anything-but": "OrderPaid"}]}"#,
    ]

    /// Whether the text matches the same rules walked whole and through its member table, with the detail
    /// listed member by member or not, and after the rules changed (a stale plan walks the text).
    @Test func matchingThroughTheMemberTableEqualsTheWalk() throws {
        let machine = RuleMachine()
        for (id, text) in Self.patterns.enumerated() { machine.add(try EventPattern(text: text), id: id) }
        for event in try Self.events() {
            for expanded in [Set<String>(), ["detail"]] {
                let (text, layout, table) = Self.written(event, expanded: expanded)
                var plan = machine.plan(for: layout)
                func viaTable() -> Result<[Int], JSONSyntaxError> {
                    text.withUnsafeBufferPointer { bytes in
                        table.withUnsafeBytes { raw in
                            var result: [Int] = [99]
                            return Result { () throws(JSONSyntaxError) in
                                try machine.matches(
                                    json: bytes, members: JSONMemberTable(raw.baseAddress!), plan: plan, into: &result)
                                return result
                            }
                        }
                    }
                }
                func walked() -> Result<[Int], JSONSyntaxError> {
                    text.withUnsafeBufferPointer { bytes in
                        var result: [Int] = []
                        return Result { () throws(JSONSyntaxError) in
                            try machine.matches(json: bytes, into: &result)
                            return result
                        }
                    }
                }
                let expected = try? walked().get()
                #expect((try? viaTable().get()) == expected, "\(String(decoding: text, as: UTF8.self))")
                machine.add(try EventPattern(text: #"{"version": ["0"]}"#), id: 50)
                #expect((try? viaTable().get()) == (try? walked().get()), "stale plan")
                plan = machine.plan(for: layout)
                #expect((try? viaTable().get()) == (try? walked().get()), "new plan")
                machine.remove(id: 50)
            }
        }
        // The named non-finite number is malformed either way; the unnamed one is skipped either way.
        let events = try Self.events()
        #expect((try? Self.matchWalking(machine, Self.written(events[3], expanded: ["detail"]).text)) != nil)
        #expect((try? Self.matchWalking(machine, Self.written(events[4], expanded: ["detail"]).text)) == nil)
    }

    /// A plan names the members it reads; it stops being current when the rules change.
    @Test func aPlanNamesTheMembersItReadsAndIsCurrentUntilTheRulesChange() throws {
        let machine = RuleMachine()
        for (id, text) in Self.patterns.enumerated() { machine.add(try EventPattern(text: text), id: id) }
        let (_, layout, _) = Self.written(try Self.events()[0], expanded: ["detail"])
        let plan = machine.plan(for: layout)
        // version is named by no rule; source, detail-type and detail's amount, region and items are.
        #expect(
            plan.members.map { layout.members[Int($0)].key } == ["source", "detail-type", "amount", "region", "items"])
        #expect(machine.isCurrent(plan))
        machine.add(try EventPattern(text: #"{"version": ["0"]}"#), id: 50)
        #expect(!machine.isCurrent(plan))
        #expect(machine.plan(for: layout).members.first.map { layout.members[Int($0)].key } == "version")
    }

    static func matchWalking(_ machine: RuleMachine, _ text: [UInt8]) throws -> [Int] {
        var result: [Int] = []
        try text.withUnsafeBufferPointer { bytes in
            try Result { () throws(JSONSyntaxError) in try machine.matches(json: bytes, into: &result) }.get()
        }
        return result
    }

    /// Attribute paths read through the member table find the ranges one pass over the text finds; paths the
    /// layout cannot answer make `slots(in:)` nil.
    @Test func pathRangesThroughTheMemberTableEqualThoseOfTheScan() throws {
        let answerable: [[String]] = [
            ["source"], ["detail-type"], ["detail"], ["detail", "amount"], ["detail", "region"], ["missing"],
            ["detail", "missing"], ["a.b"], ["quoted \"k\""],
        ]
        for event in try Self.events() {
            let (text, layout, table) = Self.written(event, expanded: ["detail"])
            let paths = JSONTextPaths(answerable)
            let slots = try #require(paths.slots(in: layout))
            var scanned: [Range<Int>?] = []
            var read: [Range<Int>?] = [0..<1]
            text.withUnsafeBufferPointer { paths.ranges(inJSON: $0, into: &scanned) }
            table.withUnsafeBytes { paths.ranges(members: JSONMemberTable($0.baseAddress!), slots: slots, into: &read) }
            #expect(read == scanned)
            let flat = Self.written(event, expanded: [])
            #expect(JSONTextPaths([["detail", "amount"]]).slots(in: flat.layout) == nil)
            #expect(JSONTextPaths([["source"], []]).slots(in: flat.layout) == nil)
            #expect(JSONTextPaths([["detail", "amount", "x"]]).slots(in: layout) == nil || event.count == 2)
        }
    }
}
