import EventPatterns
import Testing
import TopicFanout

@Suite("Message views from JSON attribute values")
struct MessageViewJSONTests {
    /// The same attributes as JSON values and as typed text attributes.
    static let cases: [[(name: String, value: JSONValue, type: String, text: String)]] = [
        [],
        [("store", .string("web"), "String", "web")],
        [("amount", .number(JSONNumber(text: "12.50")), "Number", "12.50"), ("member", .bool(true), "String", "true")],
        [
            ("tags", .array([.string("a"), .number(JSONNumber(text: "1")), .null]), "String.Array", #"["a",1,null]"#),
            ("n", .number(JSONNumber(text: "-1e9")), "Number", "-1e9"),
        ],
    ]

    @Test("the views equal those of the same attributes given as text", arguments: cases.indices)
    func viewsEqualTextAttributes(index: Int) throws {
        let attributes = Self.cases[index]
        let body: JSONValue = .object(JSONObject([("k", .string("v"))]))
        let fromJSON = try MessageView(jsonAttributes: attributes.map { ($0.name, $0.value) }, body: body)
        let fromText = try MessageView(
            attributes: attributes.map { MessageAttribute(name: $0.name, dataType: $0.type, value: $0.text) },
            body: body)
        #expect(fromJSON.attributes == fromText.attributes)
        #expect(fromJSON.attributeCount == fromText.attributeCount)
        #expect(fromJSON.body == fromText.body)
        // Names checked once up front give the same view.
        try MessageView.checkAttributeNames(attributes.map(\.name))
        let checked = try MessageView(checkedNames: attributes.map { ($0.name, $0.value) }, body: body)
        #expect(checked.attributes == fromJSON.attributes)
        #expect(checked.attributeCount == fromJSON.attributeCount)
        #expect(checked.body == fromJSON.body)
    }

    @Test("names checked up front are checked as per message: each valid, none repeated")
    func namesCheckedUpFront() throws {
        for names in [["AWS.x", "b"], ["a", "a..b"], ["a", "b", "a"], [""], [".a"], ["a b"]] {
            #expect(throws: TopicFanoutError.self) { try MessageView.checkAttributeNames(names) }
            #expect(throws: TopicFanoutError.self) {
                try MessageView(jsonAttributes: names.map { ($0, .string("v")) }, body: nil)
            }
        }
        try MessageView.checkAttributeNames(["eventType", "source", "a.b", "x-y_z"])
        // Values are still checked.
        #expect(throws: TopicFanoutError.self) {
            try MessageView(checkedNames: [("n", .number(JSONNumber(text: "2e9")))], body: nil)
        }
    }

    @Test("null and object values are left out before their names are checked, as the text path never sees them")
    func nullAndObjectsAreLeftOut() throws {
        let view = try MessageView(
            jsonAttributes: [
                ("a", .null), ("b", .object(JSONObject())), ("c", .string("x")), ("AWS.reserved", .null),
                ("c", .object(JSONObject())),
            ], body: nil)
        #expect(view.attributeCount == 1)
        #expect(view.attributes == .object(JSONObject([("c", .string("x"))])))
    }

    @Test("number text that is not a JSON number is rejected, at the top level and inside arrays")
    func invalidNumberTextIsRejected() {
        for text in ["nan", "inf", "-inf", "+1", "1e400"] {
            #expect(throws: TopicFanoutError.self) {
                try MessageView(jsonAttributes: [("n", .number(JSONNumber(text: text)))], body: nil)
            }
            if JSONNumber(validating: text) == nil {
                #expect(throws: TopicFanoutError.self) {
                    try MessageView(jsonAttributes: [("l", .array([.number(JSONNumber(text: text))]))], body: nil)
                }
                // The text path agrees: the array's text does not parse.
                #expect(throws: TopicFanoutError.self) {
                    try MessageView(
                        attributes: [MessageAttribute(name: "l", dataType: "String.Array", value: "[\(text)]")],
                        body: nil)
                }
            }
        }
    }

    @Test("invalid names, duplicates, out-of-range numbers and nested arrays are rejected as for text attributes")
    func invalidAttributesAreRejected() {
        let invalid: [[(name: String, value: JSONValue)]] = [
            [("AWS.x", .string("v"))], [("amazon.Y", .string("v"))], [("a..b", .string("v"))],
            [("a", .string("v")), ("a", .string("w"))], [("n", .number(JSONNumber(text: "1000000001")))],
            [("l", .array([.array([])]))], [("l", .array([.object(JSONObject())]))],
        ]
        for attributes in invalid {
            #expect(throws: TopicFanoutError.self) { try MessageView(jsonAttributes: attributes, body: nil) }
        }
    }

    @Test("names that only look like the reserved prefixes are accepted")
    func nearReservedNamesAreAccepted() throws {
        for name in ["amount", "awsome.x", "Amazonian.y", "AWS", "aws_x"] {
            let view = try MessageView(jsonAttributes: [(name, .string("v"))], body: nil)
            #expect(view.attributeCount == 1)
        }
    }
}
