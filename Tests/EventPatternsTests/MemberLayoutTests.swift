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

    /// Members only `numeric` conditions read are classed: any two number texts of one class match the same
    /// rules in the member's place (so a cache keyed by classes returns what matching would), other members and
    /// texts that are not one number are not classed, and a stale plan classes nothing.
    @Test func valuesOfANumericClassMatchTheSameRules() throws {
        let machine = RuleMachine()
        let patterns = [
            #"{"detail": {"amount": [{"numeric": [">", 0]}]}}"#,
            #"{"detail": {"amount": [{"numeric": [">=", 10, "<", 20]}], "region": ["eu"]}}"#,
            #"{"detail": {"amount": [{"numeric": ["=", 50]}, {"exists": true}]}}"#,
            #"{"detail": {"amount": [{"numeric": ["<=", -1e-3]}]}}"#,
            #"{"detail": {"region": [{"anything-but": "us"}], "total": [{"numeric": [">", 5]}, "x"]}}"#,
        ]
        for (id, text) in patterns.enumerated() { machine.add(try EventPattern(text: text), id: id) }
        let amounts = [
            "0", "-0", "0.0", "1", "9.99", "10", "10.0", "1e1", "15", "19.999", "20", "50", "5e1", "50.000", "-1",
            "-0.001", "-1e-3", "-0.0009", "12345678901234567", "1e400", "0.1", "100.25", "99999999999999999999",
        ]
        var byClass: [Int: [Int]] = [:]
        var classes = Set<Int>()
        for amount in amounts {
            let event: [(String, JSONValue)] = [
                ("source", .string("shop")),
                (
                    "detail",
                    .object(
                        JSONObject([
                            ("amount", .number(JSONNumber(text: amount))), ("region", .string("eu")),
                            ("total", .number(JSONNumber(text: "7"))),
                        ]))
                ),
            ]
            let (text, layout, table) = Self.written(event, expanded: ["detail"])
            let plan = machine.plan(for: layout)
            let keys = plan.members.map { layout.members[Int($0)].key }
            #expect(machine.numericallyClassed(plan) == keys.map { $0 == "amount" })
            let position = try #require(keys.firstIndex(of: "amount"))
            let member = Int(plan.members[position])
            let start = Int(table[2 * member])
            let end = Int(table[2 * member + 1])
            let result: [Int] = try text.withUnsafeBufferPointer { bytes in
                let value = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let numericClass = try #require(machine.numericClass(of: value, plan: plan, member: position))
                classes.insert(numericClass)
                var result: [Int] = []
                try table.withUnsafeBytes { raw in
                    try Result { () throws(JSONSyntaxError) in
                        try machine.matches(
                            json: bytes, members: JSONMemberTable(raw.baseAddress!), plan: plan, into: &result)
                    }.get()
                }
                if let earlier = byClass[numericClass] {
                    #expect(earlier == result, "\(amount) in class \(numericClass)")
                } else {
                    byClass[numericClass] = result
                }
                // Not one number: not classed.
                for other in ["\"12\"", "12 ", "[12]", "true", "1.", "--1"] {
                    let bytes = Array(other.utf8)
                    bytes.withUnsafeBufferPointer {
                        #expect(machine.numericClass(of: $0, plan: plan, member: position) == nil, "\(other)")
                    }
                }
                return result
            }
            _ = result
        }
        // Ranges split the amounts into several classes (not one class for all), with different outcomes.
        #expect(classes.count >= 6)
        #expect(Set(byClass.values).count >= 4)
        // A stale plan classes nothing.
        let (text, layout, table) = Self.written(
            [("detail", .object(JSONObject([("amount", .number(JSONNumber(text: "15")))])))], expanded: ["detail"])
        let plan = machine.plan(for: layout)
        machine.add(try EventPattern(text: #"{"detail": {"amount": [{"numeric": ["<", 3]}]}}"#), id: 9)
        text.withUnsafeBufferPointer { bytes in
            let member = Int(plan.members[0])
            let value = UnsafeBufferPointer(rebasing: bytes[Int(table[2 * member])..<Int(table[2 * member + 1])])
            #expect(machine.numericClass(of: value, plan: plan, member: 0) == nil)
        }
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
