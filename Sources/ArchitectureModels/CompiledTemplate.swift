import ArchitectureSpecs
import EventPatterns
import Stochastics

/// Value templates compiled once per producer into flat arrays for writing many values as compact JSON text:
/// nodes refer to their children, members and options by index, constants, quoted keys and string prefixes are
/// serialized up front into one byte pool, and choice weight totals are added once.
///
/// Writing a value (``write(_:_:context:into:)``) walks the arrays through buffer pointers: no reference
/// counting per node, where the recursive enum this replaced retained and released every node's payload. It
/// draws exactly the random numbers the template's direct evaluation drew, in the same order, and writes the
/// `jsonText` of the value that evaluation built (tested; the shipped reports test reruns every scenario).
struct CompiledTemplate {
    enum Kind: UInt8 {
        case literal, choice, integer, decimal, distributed, sequence, uuid, timestamp, object
        /// An object whose template repeats keys: every member is evaluated in order (the random draws), and the
        /// object keeps each key once, at its first position, with its last value (as `JSONObject` does).
        case objectWithRepeatedKeys
        case array
    }

    /// A range of the byte pool.
    struct Text {
        var start: Int32
        var count: Int32
    }

    /// One value template; which fields mean what depends on `kind`.
    struct Node {
        var kind: Kind
        /// literal: the constant's text; sequence: the quoted prefix without its closing quote (escapes apply to
        /// the prefix only; digits never need them).
        var text = Text(start: 0, count: 0)
        /// object, objectWithRepeatedKeys: the members; choice: the options; array: the element node (start);
        /// distributed: the index in `distributions` (start).
        var start: Int32 = 0
        var count: Int32 = 0
        /// objectWithRepeatedKeys: the kept keys in `layout`, each naming the member whose value it takes.
        var layoutStart: Int32 = 0
        var layoutCount: Int32 = 0
        /// integer: the bounds; array: the element counts.
        var lower = 0
        var upper = 0
        /// decimal: the bounds; choice: the total weight (added in order).
        var low = 0.0
        var high = 0.0
        /// decimal, distributed: fraction digits.
        var digits = 0
    }

    /// An object member: its `"key":` text and value node (or, in `layout`, the index of the member among the
    /// object's members).
    struct Member {
        var key: Text
        var node: Int32
    }

    struct Option {
        var node: Int32
        var weight: Double
    }

    private(set) var nodes: [Node] = []
    private(set) var bytes: [UInt8] = []
    private(set) var members: [Member] = []
    private(set) var options: [Option] = []
    private(set) var layout: [Member] = []
    private(set) var distributions: [Distribution] = []

    /// Adds constant text to the byte pool.
    mutating func add(text: [UInt8]) -> Text {
        let start = Int32(bytes.count)
        bytes.append(contentsOf: text)
        return Text(start: start, count: Int32(text.count))
    }

    /// Compiles a template (its children first) and returns its node.
    mutating func add(_ template: ValueTemplate) -> Int32 {
        var node = Node(kind: .literal)
        switch template {
        case .literal(let json): node.text = add(text: Array(json.jsonText.utf8))
        case .choice(let compiled):
            let children = compiled.map { Option(node: add($0.template), weight: $0.weight) }
            node = Node(kind: .choice, start: Int32(options.count), count: Int32(children.count))
            node.low = compiled.reduce(0) { $0 + $1.weight }
            options.append(contentsOf: children)
        case .integer(let lower, let upper): node = Node(kind: .integer, lower: lower, upper: upper)
        case .decimal(let lower, let upper, let digits):
            node = Node(kind: .decimal, low: lower, high: upper, digits: digits)
        case .distributed(let distribution, let digits):
            node = Node(kind: .distributed, start: Int32(distributions.count), digits: digits)
            distributions.append(distribution)
        case .sequence(let prefix):
            node = Node(kind: .sequence, text: add(text: Array(JSONValue.string(prefix).jsonText.utf8.dropLast())))
        case .uuid: node = Node(kind: .uuid)
        case .timestamp: node = Node(kind: .timestamp)
        case .object(let templates):
            let children = templates.map { Member(key: add(text: Self.memberKey($0.key)), node: add($0.value)) }
            node = Node(kind: .object, start: Int32(members.count), count: Int32(children.count))
            if Set(templates.map(\.key)).count != templates.count {
                node.kind = .objectWithRepeatedKeys
                var kept: [Member] = []
                for (index, member) in templates.enumerated() {
                    if let first = kept.firstIndex(where: { templates[Int($0.node)].key == member.key }) {
                        kept[first].node = Int32(index)
                    } else {
                        kept.append(Member(key: children[index].key, node: Int32(index)))
                    }
                }
                node.layoutStart = Int32(layout.count)
                node.layoutCount = Int32(kept.count)
                layout.append(contentsOf: kept)
            }
            members.append(contentsOf: children)
        case .array(let element, let minCount, let maxCount):
            node = Node(kind: .array, start: add(element), lower: minCount, upper: maxCount)
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    /// A member's `"key":` text.
    static func memberKey(_ key: String) -> [UInt8] { Array(JSONValue.string(key).jsonText.utf8) + [UInt8(ascii: ":")] }

    /// The arrays as buffer pointers, valid only inside ``withPointers(_:)``.
    struct Pointers {
        let nodes: UnsafeBufferPointer<Node>
        let bytes: UnsafeBufferPointer<UInt8>
        let members: UnsafeBufferPointer<Member>
        let options: UnsafeBufferPointer<Option>
        let layout: UnsafeBufferPointer<Member>

        @inline(__always) func text(_ text: Text) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: bytes.baseAddress! + Int(text.start), count: Int(text.count))
        }
    }

    func withPointers<Result>(_ body: (Pointers) -> Result) -> Result {
        nodes.withUnsafeBufferPointer { nodes in
            bytes.withUnsafeBufferPointer { bytes in
                members.withUnsafeBufferPointer { members in
                    options.withUnsafeBufferPointer { options in
                        layout.withUnsafeBufferPointer { layout in
                            body(
                                Pointers(nodes: nodes, bytes: bytes, members: members, options: options, layout: layout)
                            )
                        }
                    }
                }
            }
        }
    }

    /// What writing a value needs besides the template: the payload stream, the event's sequence number and
    /// the envelope's time text.
    struct Context {
        let stream: RandomStream
        let sequence: Int
        /// The event's time, quoted.
        let time: UnsafeBufferPointer<UInt8>
    }

    /// Writes the compact JSON text of a value of node `index`.
    /// - Complexity: O(size of the generated value).
    func write(_ index: Int32, _ program: Pointers, context: Context, into writer: inout EventTextWriter) {
        let node = program.nodes[Int(index)]
        let stream = context.stream
        switch node.kind {
        case .literal: writer.append(program.text(node.text))
        case .choice:
            var pick = stream.uniform() * node.low
            let last = Int(node.start + node.count) - 1
            for option in Int(node.start)...last {
                pick -= program.options[option].weight
                if pick < 0 { return write(program.options[option].node, program, context: context, into: &writer) }
            }
            write(program.options[last].node, program, context: context, into: &writer)
        case .integer:
            let span = node.upper - node.lower + 1
            let offset = span < 1 << 31 ? stream.uniformInt(below: span) : Int(stream.uniform() * Double(span))
            writer.appendNumber(node.lower + offset)
        case .decimal:
            writer.appendNumber(node.low + (node.high - node.low) * stream.uniform(), digits: node.digits)
        case .distributed:
            writer.appendNumber(distributions[Int(node.start)].sample(stream), digits: node.digits)
        case .sequence:
            writer.append(program.text(node.text))
            writer.appendNumber(context.sequence)
            writer.append(UInt8(ascii: "\""))
        case .uuid: Self.writeUUID(stream, into: &writer)
        case .timestamp: writer.append(context.time)
        case .object: writeObject(node, program, context: context, into: &writer, offsets: nil)
        case .objectWithRepeatedKeys:
            // Rare (templates built in code): each member's text on its own, then the kept ones.
            var texts: [[UInt8]] = []
            for member in Int(node.start)..<Int(node.start + node.count) {
                var memberWriter = EventTextWriter(EventTextStorage(capacity: 64))
                write(program.members[member].node, program, context: context, into: &memberWriter)
                texts.append(memberWriter.finish())
            }
            writer.append(UInt8(ascii: "{"))
            for kept in Int(node.layoutStart)..<Int(node.layoutStart + node.layoutCount) {
                if kept > node.layoutStart { writer.append(UInt8(ascii: ",")) }
                writer.append(program.text(program.layout[kept].key))
                writer.append(texts[Int(program.layout[kept].node)])
            }
            writer.append(UInt8(ascii: "}"))
        case .array:
            let (minCount, maxCount) = (node.lower, node.upper)
            let count = minCount + (maxCount > minCount ? stream.uniformInt(below: maxCount - minCount + 1) : 0)
            writer.append(UInt8(ascii: "["))
            for element in 0..<count {
                if element > 0 { writer.append(UInt8(ascii: ",")) }
                write(node.start, program, context: context, into: &writer)
            }
            writer.append(UInt8(ascii: "]"))
        }
    }

    /// Writes an object node's text (kind `object`: unique keys); with `offsets`, also where each member's value
    /// starts and ends in the writer's text, two `UInt32`s per member in order (a member table's entries).
    func writeObject(
        _ node: Node, _ program: Pointers, context: Context, into writer: inout EventTextWriter,
        offsets: UnsafeMutablePointer<UInt32>?
    ) {
        writer.append(UInt8(ascii: "{"))
        for member in Int(node.start)..<Int(node.start + node.count) {
            if member > node.start { writer.append(UInt8(ascii: ",")) }
            writer.append(program.text(program.members[member].key))
            let start = writer.count
            write(program.members[member].node, program, context: context, into: &writer)
            if let offsets {
                let slot = 2 &* (member &- Int(node.start))
                offsets[slot] = UInt32(truncatingIfNeeded: start)
                offsets[slot &+ 1] = UInt32(truncatingIfNeeded: writer.count)
            }
        }
        writer.append(UInt8(ascii: "}"))
    }

    /// Writes an RFC 4122-shaped identifier (8-4-4-4-12 hex digits), quoted, from the stream's raw 32-bit
    /// outputs: four outputs, each spelled as eight lowercase hex digits from its lowest nibble up.
    /// - Complexity: O(1): each output's digits are made at once in a 64-bit word (``hexDigits(_:)``) and stored
    ///   in at most two writes, where choosing a digit and a dash position per character cost about 700
    ///   instructions per identifier.
    static func writeUUID(_ stream: RandomStream, into writer: inout EventTextWriter) {
        writer.appendUninitialized(38) { buffer in
            let raw = UnsafeMutableRawPointer(buffer)
            let digits = (
                hexDigits(stream.nextRaw()), hexDigits(stream.nextRaw()), hexDigits(stream.nextRaw()),
                hexDigits(stream.nextRaw())
            )
            raw.storeBytes(of: UInt8(ascii: "\""), toByteOffset: 0, as: UInt8.self)
            raw.storeBytes(of: digits.0.littleEndian, toByteOffset: 1, as: UInt64.self)
            raw.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 9, as: UInt8.self)
            raw.storeBytes(of: UInt32(truncatingIfNeeded: digits.1).littleEndian, toByteOffset: 10, as: UInt32.self)
            raw.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 14, as: UInt8.self)
            raw.storeBytes(
                of: UInt32(truncatingIfNeeded: digits.1 >> 32).littleEndian, toByteOffset: 15, as: UInt32.self)
            raw.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 19, as: UInt8.self)
            raw.storeBytes(of: UInt32(truncatingIfNeeded: digits.2).littleEndian, toByteOffset: 20, as: UInt32.self)
            raw.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 24, as: UInt8.self)
            raw.storeBytes(
                of: UInt32(truncatingIfNeeded: digits.2 >> 32).littleEndian, toByteOffset: 25, as: UInt32.self)
            raw.storeBytes(of: digits.3.littleEndian, toByteOffset: 29, as: UInt64.self)
            raw.storeBytes(of: UInt8(ascii: "\""), toByteOffset: 37, as: UInt8.self)
        }
    }

    /// The eight lowercase hex digits of the low 32 bits of `value`, lowest nibble first, as ASCII bytes packed
    /// into a word, the first digit in its lowest byte.
    @inline(__always) static func hexDigits(_ value: UInt64) -> UInt64 {
        // Spread the nibbles one a byte: halves, then bytes, then nibbles move up to their lanes.
        var nibbles = value & 0xffff_ffff
        nibbles = (nibbles | nibbles << 16) & 0x0000_ffff_0000_ffff
        nibbles = (nibbles | nibbles << 8) & 0x00ff_00ff_00ff_00ff
        nibbles = (nibbles | nibbles << 4) & 0x0f0f_0f0f_0f0f_0f0f
        // 1 in the lanes holding 10…15, whose digits are letters: 'a' is 39 past '0' + 10.
        let letters = ((nibbles &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        return nibbles &+ 0x3030_3030_3030_3030 &+ letters &* 39
    }
}
