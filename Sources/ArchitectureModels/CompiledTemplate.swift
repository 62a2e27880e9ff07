import ArchitectureSpecs
import EventPatterns
import Stochastics

/// Event templates compiled once per producer into flat programs of write operations, for writing many events
/// as compact JSON text.
///
/// A program is a run of ``Op``s ending with an `end` op. Each op first copies its constant `prefix` from one
/// byte pool, then performs one generated value (a choice, a number, an identifier…). Every constant byte
/// between two generated values (keys, punctuation, literal values, a sequence's quoted prefix, the envelope's
/// constant members) is folded into the next op's prefix when compiling, so writing an event is one copy per
/// generated value and a loop over ops, not a recursive walk with a copy per key, comma and bracket. Choices
/// among literals pick a text; other choices, arrays' elements and repeated-key objects' members run
/// subprograms (further runs of ops in the same array).
///
/// Member tables: every value's start and end is at a constant offset from some op's prefix start (a value ends
/// where the next op's prefix starts), so running a program notes where each op's prefix starts (one store an
/// op), and an event's table is then its ``TableEntry`` list, in table order, read against those starts.
///
/// Writing draws exactly the random numbers the template's direct evaluation drew, in the same order, and writes
/// the `jsonText` of the value that evaluation built (tested; the shipped reports test reruns every scenario).
struct CompiledTemplate {
    enum Kind: UInt8 {
        /// The program's end, after its prefix.
        case end
        /// A choice among literal options: one of `texts`.
        case choiceText
        /// A choice among options some of which generate values: one of `options`' subprograms.
        case choice
        /// An integer drawn in `lower…` with ``UniformBound`` (spans 1…2^31 − 1, the usual).
        case smallInteger
        /// An integer drawn as `RandomStream` draws it for other spans.
        case integer
        /// `low + high × uniform` (`high` holds the width).
        case decimal
        case distributed
        /// The event's sequence number (its quoted prefix is in the op's prefix, the closing quote in the next).
        case sequence
        case uuid, timestamp
        /// `lower + bound.draw` runs (no draw when `bound.limit` is 1) of the element subprogram `start`,
        /// separated by commas (the brackets are constant).
        case array
        /// An object whose template repeats keys: every member is evaluated in order (the random draws), and the
        /// object keeps each key once, at its first position, with its last value (as `JSONObject` does).
        case objectWithRepeatedKeys
        /// The event's trace payload (``Context/payload``).
        case payload
    }

    /// A range of the byte pool.
    struct Text {
        var start: Int32
        var count: Int32
    }

    /// One operation; which fields mean what depends on `kind`. The fields every op reads come first.
    struct Op {
        var kind: Kind
        /// Written before the op's value.
        var prefix = Text(start: 0, count: 0)
        /// choiceText, choice: a range of `options`; array: the element subprogram (start); distributed: the
        /// index in `distributions` (start); objectWithRepeatedKeys: a range of `options` (the members'
        /// subprograms, in order).
        var start: Int32 = 0
        var count: Int32 = 0
        /// smallInteger, integer, array: the lowest value or count; integer: the span (upper − lower + 1).
        var lower = 0
        var upper = 0
        /// smallInteger, array: the draw.
        var bound = UniformBound(1)
        /// decimal: the lower bound and the width; choice, choiceText: the total weight (added in order).
        var low = 0.0
        var high = 0.0
        /// decimal, distributed: fraction digits.
        var digits = 0
        /// objectWithRepeatedKeys: the kept keys, a range of `layout`.
        var layoutStart: Int32 = 0
        var layoutCount: Int32 = 0
    }

    /// `RandomStream.uniformInt(below:)`'s draw for one bound, with its divisions done once: GSL divides each
    /// raw 32-bit output by ⌊(2^32 − 1) / bound⌋ and redraws while the quotient is not below the bound; the
    /// divisor is fixed per template, so the quotient is a multiply by its 64-bit reciprocal (exact for 32-bit
    /// dividends and divisors: Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019).
    /// The same quotients from the same raw outputs (tested against `uniformInt(below:)`).
    struct UniformBound {
        /// The bound: values are in 0..<limit.
        let limit: UInt64
        /// ⌈2^64 / scale⌉ for scale = ⌊(2^32 − 1) / limit⌋, or 0 when the scale is 1 (the quotient is the output).
        let reciprocal: UInt64

        /// - Precondition: 0 < bound < 2^32.
        init(_ bound: Int) {
            precondition(bound > 0 && bound < 1 << 32, "uniformInt bound out of range")
            limit = UInt64(bound)
            let scale = 0xffff_ffff / limit
            reciprocal = scale == 1 ? 0 : UInt64.max / scale + 1
        }

        /// The next value in 0..<limit from `stream`'s raw outputs (32-bit generators).
        @inline(__always) func draw(_ stream: RandomStream) -> Int {
            while true {
                let raw = stream.nextRaw()
                let quotient = reciprocal == 0 ? raw : raw.multipliedFullWidth(by: reciprocal).high
                if quotient < limit { return Int(quotient) }
            }
        }
    }

    /// Where a member's value starts or ends: `delta` bytes after the prefix start of op `op` (an index in
    /// `ops`). A program's table lists them in member-table order: each member's start, then its end.
    struct TableEntry {
        var op: Int32
        var delta: Int32
    }

    /// A weighted choice option: its text (choiceText) or subprogram (choice).
    struct Option {
        var weight: Double
        var text: Text
        var program: Int32
    }

    /// A kept member of an object with repeated keys: its `"key":` text and the index (among the object's
    /// members) of the member whose value it takes.
    struct Kept {
        var key: Text
        var member: Int32
    }

    private(set) var ops: [Op] = []
    /// The constant texts, followed by ``padding`` zero bytes (``EventTextWriter/appendShort(_:)`` reads whole
    /// words).
    private(set) var bytes: [UInt8] = []
    private(set) var options: [Option] = []
    private(set) var layout: [Kept] = []
    private(set) var distributions: [Distribution] = []
    /// The member tables' entries of the programs that have one (``finishWithTable(_:)``).
    private(set) var tables: [TableEntry] = []

    /// Bytes past the end of any text that may be read (not written) when copying it.
    static var padding: Int { EventTextWriter.overrun }

    /// A program being compiled: its ops so far, and the constant text waiting for the next op.
    struct Builder {
        var ops: [Op] = []
        var pending: [UInt8] = []
        /// Member-table entries noted so far: (entry, op index in `ops`, delta).
        var entries: [(entry: Int, op: Int, delta: Int)] = []

        /// Adds constant text.
        mutating func append(_ text: [UInt8]) { pending += text }
        mutating func append(_ text: String) { pending += Array(text.utf8) }

        /// Notes member-table entry `entry` (`2 × member` for a value's start, `2 × member + 1` for its end) at
        /// the current position.
        mutating func record(_ entry: Int) { entries.append((entry, ops.count, pending.count)) }
    }

    /// Ends `builder`'s op with `op`'s action, its prefix the pending text.
    mutating func emit(_ op: Op, in builder: inout Builder) {
        var op = op
        op.prefix = add(text: builder.pending)
        builder.ops.append(op)
        builder.pending = []
    }

    /// Ends a program and adds it; returns the index of its first op.
    mutating func finish(_ builder: Builder) -> Int32 { finishWithTable(builder).start }

    /// Ends a program and adds it; returns the index of its first op and its member table's entries (a range of
    /// `tables`), in table order (entry `i` is the one recorded as `i`).
    /// - Precondition: the builder recorded entries 0, 1, … each once.
    mutating func finishWithTable(_ builder: Builder) -> (start: Int32, table: Text) {
        var builder = builder
        emit(Op(kind: .end), in: &builder)
        let start = Int32(ops.count)
        ops += builder.ops
        let sorted = builder.entries.sorted { $0.entry < $1.entry }
        precondition(sorted.map(\.entry) == Array(0..<sorted.count), "member-table entries missing or repeated")
        let table = Text(start: Int32(tables.count), count: Int32(sorted.count))
        tables += sorted.map { TableEntry(op: start + Int32($0.op), delta: Int32($0.delta)) }
        return (start, table)
    }

    /// Adds constant text to the byte pool (keeping the padding at the end).
    mutating func add(text: [UInt8]) -> Text {
        if bytes.count >= Self.padding { bytes.removeLast(Self.padding) }
        let start = Int32(bytes.count)
        bytes.append(contentsOf: text)
        bytes.append(contentsOf: repeatElement(0, count: Self.padding))
        return Text(start: start, count: Int32(text.count))
    }

    /// A subprogram writing `template`'s values.
    mutating func program(_ template: ValueTemplate) -> Int32 {
        var builder = Builder()
        add(template, to: &builder)
        return finish(builder)
    }

    /// Compiles a template's value into `builder`'s program. With `members`, an object template with unique
    /// keys also records where each member's value starts and ends, as member `members`, `members + 1`…
    mutating func add(_ template: ValueTemplate, to builder: inout Builder, members: Int? = nil) {
        switch template {
        case .literal(let json): builder.append(Array(json.jsonText.utf8))
        case .choice(let choices):
            let total = choices.reduce(0) { $0 + $1.weight }
            // A choice among literals only picks a text; any other choice runs the picked option's program.
            let literals = choices.compactMap { option -> JSONValue? in
                if case .literal(let json) = option.template { json } else { nil }
            }
            let literal = literals.count == choices.count
            let compiled = choices.indices.map { index in
                literal
                    ? Option(
                        weight: choices[index].weight, text: add(text: Array(literals[index].jsonText.utf8)),
                        program: 0)
                    : Option(
                        weight: choices[index].weight, text: Text(start: 0, count: 0),
                        program: program(choices[index].template))
            }
            let op = Op(kind: literal ? .choiceText : .choice, start: Int32(options.count), count: Int32(choices.count))
            options += compiled
            emit(with(op) { $0.low = total }, in: &builder)
        case .integer(let lower, let upper):
            let span = upper - lower + 1
            let small = span > 0 && span < 1 << 31
            emit(
                Op(
                    kind: small ? .smallInteger : .integer, lower: lower, upper: span,
                    bound: UniformBound(small ? span : 1)),
                in: &builder)
        case .decimal(let lower, let upper, let digits):
            emit(Op(kind: .decimal, low: lower, high: upper - lower, digits: digits), in: &builder)
        case .distributed(let distribution, let digits):
            emit(Op(kind: .distributed, start: Int32(distributions.count), digits: digits), in: &builder)
            distributions.append(distribution)
        case .sequence(let prefix):
            builder.append(Array(JSONValue.string(prefix).jsonText.utf8.dropLast()))
            emit(Op(kind: .sequence), in: &builder)
            builder.append("\"")
        case .uuid: emit(Op(kind: .uuid), in: &builder)
        case .timestamp: emit(Op(kind: .timestamp), in: &builder)
        case .object(let templates) where Set(templates.map(\.key)).count == templates.count:
            builder.append("{")
            for (index, member) in templates.enumerated() {
                if index > 0 { builder.append(",") }
                builder.append(Self.memberKey(member.key))
                if let members { builder.record(2 * (members + index)) }
                add(member.value, to: &builder)
                if let members { builder.record(2 * (members + index) + 1) }
            }
            builder.append("}")
        case .object(let templates):
            var kept: [Kept] = []
            for (index, member) in templates.enumerated() {
                if let first = kept.firstIndex(where: { templates[Int($0.member)].key == member.key }) {
                    kept[first].member = Int32(index)
                } else {
                    kept.append(Kept(key: add(text: Self.memberKey(member.key)), member: Int32(index)))
                }
            }
            let programs = templates.map {
                Option(weight: 0, text: Text(start: 0, count: 0), program: program($0.value))
            }
            var op = Op(kind: .objectWithRepeatedKeys, start: Int32(options.count), count: Int32(programs.count))
            (op.layoutStart, op.layoutCount) = (Int32(layout.count), Int32(kept.count))
            options += programs
            layout += kept
            emit(op, in: &builder)
        case .array(let element, let minCount, let maxCount):
            builder.append("[")
            if maxCount > minCount || minCount > 0 {
                let bound = UniformBound(maxCount > minCount ? maxCount - minCount + 1 : 1)
                emit(Op(kind: .array, start: program(element), lower: minCount, bound: bound), in: &builder)
            }
            builder.append("]")
        }
    }

    private func with(_ op: Op, _ change: (inout Op) -> Void) -> Op {
        var op = op
        change(&op)
        return op
    }

    /// A member's `"key":` text.
    static func memberKey(_ key: String) -> [UInt8] { Array(JSONValue.string(key).jsonText.utf8) + [UInt8(ascii: ":")] }

    /// The arrays as buffer pointers (a ``Program``'s).
    struct Pointers {
        let ops: UnsafeBufferPointer<Op>
        let bytes: UnsafeBufferPointer<UInt8>
        let options: UnsafeBufferPointer<Option>
        let layout: UnsafeBufferPointer<Kept>
        let distributions: UnsafeBufferPointer<Distribution>
        let tables: UnsafeBufferPointer<TableEntry>

        /// The text; ``padding`` more bytes after it may be read.
        @inline(__always) func text(_ text: Text) -> UnsafePointer<UInt8> {
            bytes.baseAddress.unsafelyUnwrapped + Int(text.start)
        }
    }

    /// A compiled template's arrays copied into memory of its own, for writing events: its ``pointers`` stay
    /// valid while it lives, so an event costs no closure and no reference counting per array.
    final class Program {
        let pointers: Pointers

        init(_ template: CompiledTemplate) {
            pointers = Pointers(
                ops: Self.copy(template.ops), bytes: Self.copy(template.bytes), options: Self.copy(template.options),
                layout: Self.copy(template.layout), distributions: Self.copy(template.distributions),
                tables: Self.copy(template.tables))
        }

        private static func copy<Element>(_ array: [Element]) -> UnsafeBufferPointer<Element> {
            let memory = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(array.count, 1))
            array.withUnsafeBufferPointer { memory.initialize(from: $0.baseAddress!, count: $0.count) }
            return UnsafeBufferPointer(start: memory, count: array.count)
        }

        private static func free<Element>(_ buffer: UnsafeBufferPointer<Element>) {
            let memory = UnsafeMutablePointer(mutating: buffer.baseAddress.unsafelyUnwrapped)
            memory.deinitialize(count: buffer.count)
            memory.deallocate()
        }

        deinit {
            Self.free(pointers.ops)
            Self.free(pointers.bytes)
            Self.free(pointers.options)
            Self.free(pointers.layout)
            Self.free(pointers.distributions)
            Self.free(pointers.tables)
        }
    }

    /// What writing an event needs besides the program.
    struct Context {
        let stream: RandomStream
        let sequence: Int
        /// The event's time, quoted.
        let time: UnsafeBufferPointer<UInt8>
        /// Where each op's prefix starts in the text, by op index (room for every op), for the member table.
        let starts: UnsafeMutablePointer<Int32>
        /// The trace payload's text, for `payload` ops.
        let payload: UnsafeBufferPointer<UInt8>
    }
}

extension CompiledTemplate.Pointers {
    typealias Op = CompiledTemplate.Op
    typealias Context = CompiledTemplate.Context

    /// Runs the program starting at op `start`: writes its text, and notes where each op's prefix starts.
    /// Op fields are read through a pointer (copying the whole op cost more than the fields it uses); the rare
    /// kinds run out of line (``runRare(_:context:into:)``) so that the loop stays small.
    /// - Complexity: O(size of the generated text).
    func run(_ start: Int32, context: Context, into writer: inout EventTextWriter) {
        let stream = context.stream
        let base = ops.baseAddress.unsafelyUnwrapped
        var index = Int(start)
        while true {
            let op = base + index
            context.starts[index] = Int32(truncatingIfNeeded: writer.count)
            writer.appendShort(text(op.pointee.prefix), count: Int(op.pointee.prefix.count))
            switch op.pointee.kind {
            case .end: return
            case .choiceText:
                let option = options.baseAddress.unsafelyUnwrapped + pick(op, stream)
                writer.appendShort(text(option.pointee.text), count: Int(option.pointee.text.count))
            case .smallInteger: writer.appendNumber(op.pointee.lower &+ op.pointee.bound.draw(stream))
            case .decimal:
                writer.appendNumber(op.pointee.low + op.pointee.high * stream.uniform(), digits: op.pointee.digits)
            case .sequence: writer.appendNumber(context.sequence)
            case .uuid: CompiledTemplate.writeUUID(stream, into: &writer)
            case .timestamp: writer.append(context.time)
            case .array:
                let count = op.pointee.lower &+ (op.pointee.bound.limit > 1 ? op.pointee.bound.draw(stream) : 0)
                for element in 0..<count {
                    if element > 0 { writer.append(UInt8(ascii: ",")) }
                    run(op.pointee.start, context: context, into: &writer)
                }
            case .choice, .integer, .distributed, .objectWithRepeatedKeys, .payload:
                runRare(op, context: context, into: &writer)
            }
            index &+= 1
        }
    }

    /// The values of the kinds that scenarios rarely generate per event.
    @inline(never)
    private func runRare(
        _ op: UnsafePointer<Op>, context: Context, into writer: inout EventTextWriter
    ) {
        let stream = context.stream
        switch op.pointee.kind {
        case .choice:
            run(options[pick(op, stream)].program, context: context, into: &writer)
        case .integer:
            let span = op.pointee.upper
            let offset = span < 1 << 31 ? stream.uniformInt(below: span) : Int(stream.uniform() * Double(span))
            writer.appendNumber(op.pointee.lower + offset)
        case .distributed:
            writer.appendNumber(distributions[Int(op.pointee.start)].sample(stream), digits: op.pointee.digits)
        case .objectWithRepeatedKeys: writeObjectWithRepeatedKeys(op.pointee, context: context, into: &writer)
        case .payload: writer.append(context.payload)
        default: preconditionFailure("not a rare op")
        }
    }

    /// The option a choice op picks: a uniform draw times the total weight, less each option's weight in turn
    /// until negative (the last option when rounding leaves it non-negative).
    @inline(__always) func pick(_ op: UnsafePointer<Op>, _ stream: RandomStream) -> Int {
        var pick = stream.uniform() * op.pointee.low
        let first = Int(op.pointee.start)
        let last = first + Int(op.pointee.count) - 1
        var option = options.baseAddress.unsafelyUnwrapped + first
        for index in first..<last {
            pick -= option.pointee.weight
            if pick < 0 { return index }
            option += 1
        }
        return last
    }

    /// Rare (templates built in code): each member's text on its own, then the kept ones.
    private func writeObjectWithRepeatedKeys(
        _ op: Op, context: Context, into writer: inout EventTextWriter
    ) {
        var texts: [[UInt8]] = []
        for member in Int(op.start)..<Int(op.start + op.count) {
            let storage = EventTextStorage(capacity: 64)
            var memberWriter = EventTextWriter(storage)
            run(options[member].program, context: context, into: &memberWriter)
            texts.append(withExtendedLifetime(storage) { memberWriter.finish() })
        }
        writer.append(UInt8(ascii: "{"))
        for kept in Int(op.layoutStart)..<Int(op.layoutStart + op.layoutCount) {
            if kept > op.layoutStart { writer.append(UInt8(ascii: ",")) }
            let key = layout[kept].key
            writer.append(UnsafeBufferPointer(start: text(key), count: Int(key.count)))
            writer.append(texts[Int(layout[kept].member)])
        }
        writer.append(UInt8(ascii: "}"))
    }
}

extension CompiledTemplate {
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
