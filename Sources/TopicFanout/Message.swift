public import EventPatterns

/// A message attribute as published: a name, a data type (`String`, `Number`, `String.Array`, `Binary`, each
/// optionally followed by `.label` except `String.Array`) and the value as text (base64 for Binary).
public struct MessageAttribute: Sendable, Equatable {
    public var name: String
    public var dataType: String
    public var value: String

    public init(name: String, dataType: String, value: String) {
        self.name = name
        self.dataType = dataType
        self.value = value
    }
}

/// A message published to a topic.
public struct Message: Sendable, Equatable {
    /// The body (`Message`), any text; MessageBody-scope policies need a JSON object.
    public var body: String
    /// The message attributes.
    public var attributes: [MessageAttribute]
    /// `MessageGroupId`: mandatory on FIFO topics, forbidden on standard ones.
    public var messageGroupId: String?
    /// `MessageDeduplicationId`: FIFO topics only; overrides content-based deduplication.
    public var messageDeduplicationId: String?

    public init(
        body: String, attributes: [MessageAttribute] = [], messageGroupId: String? = nil,
        messageDeduplicationId: String? = nil
    ) {
        self.body = body
        self.attributes = attributes
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }

    /// The size SNS counts against the 256 KiB limit: the body plus every attribute's name, type and value, bytes.
    public var size: Int {
        attributes.reduce(body.utf8.count) { $0 + $1.name.utf8.count + $1.dataType.utf8.count + $1.value.utf8.count }
    }

    /// The largest message, bytes (256 KiB, attributes included).
    public static let maximumSize = 262_144
}

/// The JSON views of a message that filter policies look at: the attributes as one JSON object (String →
/// string, Number → number, String.Array → array; Binary left out) and the body when it is a JSON object.
public struct MessageView: Sendable {
    /// The largest magnitude of a `Number` attribute's value (and of a policy's numbers): 10⁹.
    public static var numberLimit: Double { PolicyParser.numberLimit }

    /// The visible attributes as a JSON object.
    public let attributes: JSONValue
    /// The number of visible (non-Binary) attributes.
    public let attributeCount: Int
    /// The body, when it parses as a JSON object; nil otherwise (then MessageBody policies match nothing).
    public let body: JSONValue?

    /// Builds the views of a message.
    /// - Throws: `TopicFanoutError` (`.invalidMessage`) for an invalid attribute name, type or value.
    /// - Complexity: O(message size).
    public init(_ message: Message) throws(TopicFanoutError) {
        try self.init(attributes: message.attributes, bodyText: message.body)
    }

    /// Builds the views from attributes and a body text (nil: no body).
    public init(attributes: [MessageAttribute], bodyText: String?) throws(TopicFanoutError) {
        let body = bodyText.flatMap { try? JSONParser.parse($0) }
        try self.init(attributes: attributes, body: body)
    }

    /// Builds the views from attributes and an already parsed body (kept only when it is a JSON object).
    public init(attributes: [MessageAttribute], body: JSONValue?) throws(TopicFanoutError) {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(attributes.count)
        for (index, attribute) in attributes.enumerated() {
            try Self.checkName(attribute.name, repeated: attributes[..<index].contains { $0.name == attribute.name })
            if let value = try Self.filterValue(attribute) {
                members.append((attribute.name, value))
            }
        }
        self.attributes = .object(JSONObject(members))
        self.attributeCount = members.count
        if case .object? = body { self.body = body } else { self.body = nil }
    }

    /// Builds the views from attribute values already in JSON form, as a simulator derives them from an event's
    /// fields: a string is a `String` attribute, a number a `Number`, an array a `String.Array`, a Boolean the
    /// `String` `"true"` or `"false"`; `null` and objects are left out. The checks of ``init(attributes:body:)``
    /// apply (names, duplicates, the `Number` range, scalar `String.Array` elements), and the views are equal to
    /// those of the same attributes given as text, without formatting values to text and parsing them back.
    /// - Throws: `TopicFanoutError` (`.invalidMessage`) for an invalid name, a duplicate or an invalid value.
    public init(jsonAttributes: [(name: String, value: JSONValue)], body: JSONValue?) throws(TopicFanoutError) {
        try self.init(jsonAttributes: jsonAttributes, body: body, namesChecked: false)
    }

    /// ``init(jsonAttributes:body:)`` for attributes whose names passed ``checkAttributeNames(_:)`` (a topic that
    /// derives the same attributes from every message checks their names once, not per message); values are
    /// still checked.
    /// - Throws: `TopicFanoutError` (`.invalidMessage`) for an invalid value.
    public init(checkedNames jsonAttributes: [(name: String, value: JSONValue)], body: JSONValue?)
        throws(TopicFanoutError)
    {
        try self.init(jsonAttributes: jsonAttributes, body: body, namesChecked: true)
    }

    /// Checks attribute names as ``init(jsonAttributes:body:)`` does: each valid, none repeated.
    /// - Throws: `TopicFanoutError` (`.invalidMessage`) naming the first invalid or repeated name.
    public static func checkAttributeNames(_ names: [String]) throws(TopicFanoutError) {
        for (index, name) in names.enumerated() { try checkName(name, repeated: names[..<index].contains(name)) }
    }

    private init(jsonAttributes: [(name: String, value: JSONValue)], body: JSONValue?, namesChecked: Bool)
        throws(TopicFanoutError)
    {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(jsonAttributes.count)
        for attribute in jsonAttributes {
            switch attribute.value {
            case .null, .object: continue  // Left out before any check, as the text path never sees them.
            default:
                if !namesChecked {
                    try Self.checkName(attribute.name, repeated: members.contains { $0.key == attribute.name })
                }
            }
            let value: JSONValue
            switch attribute.value {
            case .null, .object: continue
            case .string: value = attribute.value
            case .bool(let flag): value = .string(flag ? "true" : "false")
            case .number(let number): value = try Self.checkedNumber(number, attribute: attribute.name)
            case .array(let elements):
                for element in elements {
                    switch element {
                    case .array:
                        throw .message("attribute '\(attribute.name)'", "String.Array elements must not be arrays")
                    case .object:
                        throw .message("attribute '\(attribute.name)'", "String.Array elements must not be objects")
                    case .number(let number) where JSONNumber(validating: number.text) == nil:
                        // The text path would fail to parse the array.
                        throw .message(
                            "attribute '\(attribute.name)'",
                            "String.Array value must be a JSON array, got \"\(attribute.value.jsonText)\"")
                    default: break
                    }
                }
                value = attribute.value
            }
            members.append((attribute.name, value))
        }
        self.attributes = .object(JSONObject(uniqueMembers: members))
        self.attributeCount = members.count
        if case .object? = body { self.body = body } else { self.body = nil }
    }

    /// A Number attribute's value: a valid JSON number literal that is an exact double within ±10⁹.
    private static func checkedNumber(_ number: JSONNumber, attribute: String) throws(TopicFanoutError) -> JSONValue {
        guard JSONNumber(validating: number.text) != nil, let double = number.exactDouble else {
            throw .message("attribute '\(attribute)'", "Number value \"\(number.text)\" is not a number")
        }
        guard abs(double) <= PolicyParser.numberLimit else {
            throw .message(
                "attribute '\(attribute)'", "Number value \(number.text) is outside -1000000000 to 1000000000")
        }
        return .number(number)
    }

    /// Checks an attribute's name (``checkName(_:)``) and that it did not appear earlier in the message.
    static func checkName(_ name: String, repeated: Bool) throws(TopicFanoutError) {
        try checkName(name)
        if repeated { throw .message("attribute '\(name)'", "the attribute appears more than once") }
    }

    /// The JSON value of an attribute for filtering, or nil for Binary attributes (invisible to filters).
    /// Errors name the attribute as `attribute 'NAME'` unless `path` says otherwise; the text is built only on
    /// failure (it used to be built for every attribute of every message).
    static func filterValue(
        _ attribute: MessageAttribute, path customPath: String? = nil
    ) throws(TopicFanoutError) -> JSONValue? {
        let type = attribute.dataType
        // The exact names first: the common case needs no substring.
        let base: Substring =
            type == "String" || type == "Number" || type == "Binary" || type == "String.Array"
            ? Substring(type) : type.prefix { $0 != "." }
        var path: String { customPath ?? "attribute '\(attribute.name)'" }
        switch base {
        case "String":
            return .string(attribute.value)
        case "Binary":
            return nil
        case "Number":
            guard let parsed = try? JSONParser.parse(attribute.value), case .number(let number) = parsed,
                let double = number.exactDouble
            else { throw .message(path, "Number value \"\(attribute.value)\" is not a number") }
            guard abs(double) <= PolicyParser.numberLimit else {
                throw .message(path, "Number value \(attribute.value) is outside -1000000000 to 1000000000")
            }
            return parsed
        case "String.Array":
            guard let parsed = try? JSONParser.parse(attribute.value), case .array(let elements) = parsed else {
                throw .message(path, "String.Array value must be a JSON array, got \"\(attribute.value)\"")
            }
            for element in elements {
                if case .array = element { throw .message(path, "String.Array elements must not be arrays") }
                if case .object = element { throw .message(path, "String.Array elements must not be objects") }
            }
            return parsed
        default:
            throw .message(
                path,
                "unknown data type '\(type)'; expected String, Number, String.Array or Binary "
                    + "(optionally with a .label suffix)")
        }
    }

    /// Attribute names: 1-256 characters from letters, digits, `_`, `-`, `.`; no leading, trailing or double
    /// dot; no `AWS.` or `Amazon.` prefix.
    /// - Complexity: O(name length), no allocation for valid names.
    static func checkName(_ name: String) throws(TopicFanoutError) {
        func fail(_ text: String) -> TopicFanoutError { .message("attribute '\(name)'", text) }
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= 256 else { throw fail("attribute names must be 1 to 256 characters long") }
        var previous: UInt8 = 0
        var hasDot = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                break
            case UInt8(ascii: "."):
                if previous == UInt8(ascii: ".") { throw fail("attribute names must not contain '..'") }
                hasDot = true
            default:
                throw fail("attribute names may only contain letters, digits, '_', '-' and '.'")
            }
            previous = byte
        }
        guard bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: ".") else {
            throw fail("attribute names must not start or end with '.'")
        }
        // Both reserved prefixes end in a dot; compared without allocating (the name is ASCII by now).
        if hasDot, Self.hasPrefixIgnoringCase(bytes, "aws.") || Self.hasPrefixIgnoringCase(bytes, "amazon.") {
            throw fail("attribute names must not start with 'AWS.' or 'Amazon.'")
        }
    }

    /// Whether ASCII `bytes` start with the lowercase ASCII `prefix`, ignoring letter case.
    private static func hasPrefixIgnoringCase(_ bytes: String.UTF8View, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        var index = bytes.startIndex
        for offset in 0..<prefix.utf8CodeUnitCount {
            let byte = bytes[index]
            let expected = prefix.utf8Start[offset]
            let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if folded != expected { return false }
            index = bytes.index(after: index)
        }
        return true
    }
}
