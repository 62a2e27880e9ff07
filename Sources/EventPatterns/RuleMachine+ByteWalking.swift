extension RuleMachine {
    /// Matches an event given as UTF-8 JSON text without building a tree: members no rule names are skipped
    /// (scanned for structure only), and only named leaves are recorded.
    ///
    /// Parts of the event under named paths are checked strictly; skipped parts only for balanced structure,
    /// so some malformed events are matched rather than rejected (never a crash).
    /// - Throws: ``JSONSyntaxError`` when the text is not a JSON object or is malformed where it was read.
    /// - Complexity: O(n) in the event's bytes plus index hits and candidate verification.
    public func matches(json bytes: UnsafeBufferPointer<UInt8>, into result: inout [Int]) throws(JSONSyntaxError) {
        result.removeAll(keepingCapacity: true)
        var reader = JSONReader(bytes)
        reader.skipWhitespace()
        guard reader.current == UInt8(ascii: "{") else { throw reader.error("an event must be a JSON object") }
        beginEvent()
        try walkObject(&reader, node: 0, depth: 1)
        reader.skipWhitespace()
        if reader.position < bytes.count { throw reader.error("unexpected text after the JSON value") }
        finishEvent(into: &result)
    }

    /// Matches an event given as JSON text (see ``matches(json:into:)``).
    public func matches(jsonText: String) throws(JSONSyntaxError) -> [Int] {
        var text = jsonText
        var result: [Int] = []
        try text.withUTF8 { buffer in
            Result { () throws(JSONSyntaxError) in try matches(json: buffer, into: &result) }
        }.get()
        return result
    }

    private func walkObject(_ reader: inout JSONReader, node: Int32, depth: Int) throws(JSONSyntaxError) {
        guard depth <= JSONParser.maximumDepth else {
            throw reader.error("nesting is deeper than \(JSONParser.maximumDepth)")
        }
        reader.position += 1
        reader.skipWhitespace()
        if reader.current == UInt8(ascii: "}") { reader.position += 1; return }
        while true {
            reader.skipWhitespace()
            guard reader.current == UInt8(ascii: "\"") else {
                throw reader.error("expected a string key in the object")
            }
            let child = try keyChild(&reader, node: node)
            reader.skipWhitespace()
            guard reader.current == UInt8(ascii: ":") else { throw reader.error("expected ':' after the object key") }
            reader.position += 1
            reader.skipWhitespace()
            if let child { try visit(&reader, node: child, depth: depth) } else { try reader.skipValue() }
            reader.skipWhitespace()
            guard let byte = reader.current else { throw reader.error("unterminated object; expected ',' or '}'") }
            reader.position += 1
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else {
                throw reader.error("expected ',' or '}' in the object", at: reader.position - 1)
            }
        }
    }

    /// Reads a key and returns the trie child it leads to (nil when no rule names anything below).
    private func keyChild(_ reader: inout JSONReader, node: Int32) throws(JSONSyntaxError) -> Int32? {
        let start = reader.position + 1
        var index = start
        let bytes = reader.bytes
        // One pass finds the closing quote and hashes the key; dots and escapes take the general path.
        var hash = ByteTable.seed(node)
        var plain = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: ".") {
                plain = false
                break
            }
            hash = ByteTable.mix(hash, byte)
            index &+= 1
        }
        if plain, index < bytes.count {
            reader.position = index + 1
            return segments.find(
                node, UnsafeBufferPointer(rebasing: bytes[start..<index]), hash: ByteTable.finish(hash))
        }
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            reader.position = index + 1
            return childNode(node, UnsafeBufferPointer(rebasing: bytes[start..<index]))
        }
        var key = try reader.readString()
        return key.withUTF8 { childNode(node, $0) }
    }

    /// Records the leaves of the value at the reader's position below trie node `node` (`depth`: the value's
    /// nesting depth), and moves past it.
    func visit(_ reader: inout JSONReader, node: Int32, depth: Int) throws(JSONSyntaxError) {
        guard let byte = reader.current else { throw reader.error("expected a JSON value but the text ended") }
        let scratch = self.scratch
        let field = nodeField[Int(node)]
        switch byte {
        case UInt8(ascii: "{"): try walkObject(&reader, node: node, depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < JSONParser.maximumDepth else {
                throw reader.error("nesting is deeper than \(JSONParser.maximumDepth)")
            }
            let id = scratch.arrayCount
            scratch.arrayCount += 1
            reader.position += 1
            reader.skipWhitespace()
            if reader.current == UInt8(ascii: "]") { reader.position += 1; return }
            var index: Int32 = 0
            while true {
                reader.skipWhitespace()
                if reader.current == UInt8(ascii: "{") || reader.current == UInt8(ascii: "[") {
                    scratch.membership.append(FlatEvent.ArrayStep(array: id, index: index))
                    try visit(&reader, node: node, depth: depth + 1)
                    scratch.membership.removeLast()
                } else {
                    try visit(&reader, node: node, depth: depth + 1)
                }
                index += 1
                reader.skipWhitespace()
                guard let next = reader.current else { throw reader.error("unterminated array; expected ',' or ']'") }
                reader.position += 1
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else {
                    throw reader.error("expected ',' or ']' in the array", at: reader.position - 1)
                }
            }
        case UInt8(ascii: "\""):
            guard field >= 0 else { try reader.skipString(); return }
            let start = scratch.arena.count
            let bytes = reader.bytes
            var index = reader.position + 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
                bytes[index] >= 0x20
            {
                index += 1
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                scratch.arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(reader.position + 1)..<index]))
                reader.position = index + 1
            } else {
                scratch.arena.append(contentsOf: try reader.readString().utf8)
            }
            scratch.record(field: field, kind: .string, start: start)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let kind: Leaf.Kind
            if byte == UInt8(ascii: "t") {
                try reader.readLiteral("true"); kind = .trueValue
            } else if byte == UInt8(ascii: "f") {
                try reader.readLiteral("false"); kind = .falseValue
            } else {
                try reader.readLiteral("null"); kind = .null
            }
            if field >= 0 { scratch.record(field: field, kind: kind, start: scratch.arena.count) }
        default:
            let range = try reader.scanNumber()
            guard field >= 0 else { return }
            let start = scratch.arena.count
            scratch.arena.append(contentsOf: UnsafeBufferPointer(rebasing: reader.bytes[range]))
            scratch.record(field: field, kind: .number, start: start)
        }
    }
}

extension JSONReader {
    /// Skips the string that starts at `position` (its opening quote), escapes included but not decoded.
    /// Eight bytes at a time: the first quote or backslash in a word is found from its byte mask (ids and
    /// timestamps are skipped in a few steps, short strings in one).
    mutating func skipString() throws(JSONSyntaxError) {
        guard let base = bytes.baseAddress else { throw error("unterminated string") }
        let count = bytes.count
        var index = position + 1
        while true {
            if index &+ 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                let found = Self.byteMask(word, UInt8(ascii: "\"")) | Self.byteMask(word, UInt8(ascii: "\\"))
                if found == 0 {
                    index &+= 8
                    continue
                }
                // The lowest marked byte is exact (false marks only ever sit above a true one).
                index &+= found.trailingZeroBitCount >> 3
            } else if index >= count {
                throw error("unterminated string")
            }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return
            }
            index &+= byte == UInt8(ascii: "\\") ? 2 : 1
        }
    }

    /// The high bit of each byte of `word` that equals `byte` (the classic zero-byte test on `word ^ byte×8`);
    /// bytes above a match may be marked too, the lowest mark is always a match.
    @inline(__always) static func byteMask(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let masked = word ^ (ones &* UInt64(byte))
        return (masked &- ones) & ~masked & 0x8080_8080_8080_8080
    }

    /// Skips one value, checking only that brackets balance and strings terminate.
    mutating func skipValue() throws(JSONSyntaxError) {
        guard let base = bytes.baseAddress, position < bytes.count else {
            throw error("expected a JSON value but the text ended")
        }
        let count = bytes.count
        var index = position
        let first = base[index]
        if first == UInt8(ascii: "\"") { return try skipString() }
        if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") {
            while index < count {
                switch base[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                    guard index > position else { throw error("expected a JSON value") }
                    position = index
                    return
                default: index += 1
                }
            }
            position = index
            return
        }
        var depth = 0
        let found: Int? = ByteClass.table.withUnsafeBufferPointer { table -> Int? in
            while index < count {
                // Fast scan over bytes without structural meaning (digits, letters, ':' and ',').
                var byteClass = table[Int(base[index])]
                while byteClass == 0 {
                    index &+= 1
                    guard index < count else { return nil }
                    byteClass = table[Int(base[index])]
                }
                switch byteClass {
                case ByteClass.quote:
                    index &+= 1
                    while index < count {
                        let inner = base[index]
                        if inner == UInt8(ascii: "\"") { break }
                        index &+= inner == UInt8(ascii: "\\") ? 2 : 1
                    }
                case ByteClass.open: depth &+= 1
                default:
                    depth &-= 1
                    if depth == 0 { return index &+ 1 }
                }
                index &+= 1
            }
            return nil
        }
        if let found {
            position = found
            return
        }
        throw error("unterminated value")
    }
}

/// Byte classes for skipping JSON structure quickly: 0 for bytes that neither open, close nor quote.
enum ByteClass {
    static let quote: UInt8 = 1
    static let open: UInt8 = 2
    static let close: UInt8 = 3

    static let table: [UInt8] = (0..<256).map { byte -> UInt8 in
        switch UInt8(byte) {
        case UInt8(ascii: "\""): ByteClass.quote
        case UInt8(ascii: "{"), UInt8(ascii: "["): ByteClass.open
        case UInt8(ascii: "}"), UInt8(ascii: "]"): ByteClass.close
        default: 0
        }
    }
}
