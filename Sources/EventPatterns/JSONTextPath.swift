#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONValue {
    /// The value at a path of object keys inside a JSON text, parsed without building the rest of the document:
    /// `["detail", "id"]` is the `id` member of the top-level object's `detail` object.
    ///
    /// For text whose objects have unique keys (as the compact text of any ``JSONValue`` does), this is the
    /// value a lookup member by member in the parsed document finds: keys compare as strings (canonically
    /// equivalent keys match), and a path through a value that is not an object finds nothing.
    /// - Returns: the value, or nil when a key is absent, a component is not an object, or the text is malformed
    ///   where it was read. The empty path gives the whole value.
    /// - Complexity: O(bytes up to the end of the value found), plus the size of that value.
    public static func value(atPath path: [String], inJSON bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        guard let range = textRange(atPath: path, inJSON: bytes) else { return nil }
        var reader = JSONReader(UnsafeBufferPointer(rebasing: bytes[range]))
        return try? reader.readValue(depth: path.count)
    }

    /// Where the text of the value at `path` lies in `bytes` (see ``value(atPath:inJSON:)``), found without
    /// decoding anything: members before the one named are skipped for structure only, and nothing after the
    /// value is read. Equal texts are equal values, so callers can key caches by the bytes.
    /// - Returns: the range, or nil when ``value(atPath:inJSON:)`` finds nothing (a malformed value found may
    ///   still give a range; parsing it then fails).
    /// - Complexity: O(bytes up to the end of the value found).
    public static func textRange(atPath path: [String], inJSON bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var reader = JSONReader(bytes)
        for component in path {
            var key = component  // shares storage; withUTF8 needs a var
            let found = key.withUTF8 { keyBytes in
                var ascii = true
                for byte in keyBytes where byte >= 0x80 { ascii = false }
                return reader.enterMember(named: keyBytes, ascii: ascii, key: component)
            }
            guard found else { return nil }
        }
        reader.skipWhitespace()
        let start = reader.position
        guard (try? reader.skipValue()) != nil else { return nil }
        return start..<reader.position
    }
}

extension JSONReader {
    /// Moves from the start of an object (after whitespace) to the value of its member `key` (whose UTF-8 bytes
    /// are `keyBytes`, all ASCII when `ascii`); false (with the position anywhere) when the value here is not an
    /// object, has no such member, or is malformed where it was read.
    mutating func enterMember(named keyBytes: UnsafeBufferPointer<UInt8>, ascii: Bool, key: String) -> Bool {
        skipWhitespace()
        guard current == UInt8(ascii: "{") else { return false }
        position += 1
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { return false }
            guard let found = readKey(equalTo: keyBytes, ascii: ascii, key: key) else { return false }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return false }
            position += 1
            skipWhitespace()
            if found { return true }
            guard (try? skipValue()) != nil else { return false }
            skipWhitespace()
            guard current == UInt8(ascii: ",") else { return false }
            position += 1
        }
    }

    /// Reads the key string at `position` and tells whether it equals `key` (nil when it is malformed): bytes
    /// compared directly when both are ASCII and the text has no escapes (then string equality is byte
    /// equality), otherwise as Swift strings (a non-ASCII key such as the Kelvin sign can equal an ASCII one).
    private mutating func readKey(equalTo keyBytes: UnsafeBufferPointer<UInt8>, ascii: Bool, key: String) -> Bool? {
        let start = position + 1
        var index = start
        var plain = ascii
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte >= 0x80 {
                plain = false
                break
            }
            index += 1
        }
        if plain && index < bytes.count {
            position = index + 1
            let length = index - start
            return length == keyBytes.count
                && (length == 0 || memcmp(keyBytes.baseAddress!, bytes.baseAddress! + start, length) == 0)
        }
        guard let text = try? readString() else { return nil }
        return text == key
    }
}

/// Paths of object keys prepared once for looking up their values in many JSON texts in one pass each
/// (``ranges(inJSON:into:)``): a topic reads the same few attributes from every event.
///
/// For text whose objects have unique keys (as the compact text of any ``JSONValue`` does), each path finds
/// what ``JSONValue/value(atPath:inJSON:)`` finds: the same member chain, keys compared as strings.
public struct JSONTextPaths: Sendable {
    struct Component: Sendable {
        var bytes: [UInt8]
        var string: String
        /// Whether `bytes` are all ASCII (then a plain key in the text equals it exactly when the bytes do).
        var ascii: Bool
    }

    let paths: [[Component]]

    /// - Parameter paths: each a list of object keys from the top-level value down.
    public init(_ paths: [[String]]) {
        self.paths = paths.map { path in
            path.map { key in
                let bytes = Array(key.utf8)
                return Component(bytes: bytes, string: key, ascii: bytes.allSatisfy { $0 < 0x80 })
            }
        }
    }

    /// The number of paths.
    public var count: Int { paths.count }

    /// The ranges of the texts of the paths' values in `bytes`, in path order, into `ranges` (replaced): nil
    /// where ``JSONValue/value(atPath:inJSON:)`` finds nothing. One pass reads the members that lead to every
    /// value and stops after the last one found, where separate lookups each read from the start.
    /// - Complexity: O(bytes up to the end of the last value found).
    public func ranges(inJSON bytes: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>?]) {
        ranges.removeAll(keepingCapacity: true)
        ranges.append(contentsOf: repeatElement(nil, count: paths.count))
        guard paths.count <= 64 else {
            for (index, path) in paths.enumerated() {
                ranges[index] = JSONValue.textRange(atPath: path.map(\.string), inJSON: bytes)
            }
            return
        }
        var reader = JSONReader(bytes)
        reader.skipWhitespace()
        var active: UInt64 = 0
        var pending = 0
        let start = reader.position
        for (index, path) in paths.enumerated() {
            if path.isEmpty {
                if (try? reader.skipValue()) != nil { ranges[index] = start..<reader.position }
                reader.position = start
            } else {
                active |= 1 << UInt64(index)
                pending += 1
            }
        }
        guard pending > 0 else { return }
        _ = scan(&reader, depth: 0, active: active, pending: &pending, ranges: &ranges)
    }

    /// The values at the paths (``ranges(inJSON:into:)``), parsed; nil where a path finds nothing.
    public func values(inJSON bytes: UnsafeBufferPointer<UInt8>) -> [JSONValue?] {
        var ranges: [Range<Int>?] = []
        self.ranges(inJSON: bytes, into: &ranges)
        return zip(ranges, paths).map { range, path in
            guard let range else { return nil }
            var reader = JSONReader(UnsafeBufferPointer(rebasing: bytes[range]))
            return try? reader.readValue(depth: path.count)
        }
    }

    /// Consumes the value at the reader's position, recording the ranges of the `active` paths (bit i: path i,
    /// whose first `depth` keys led here) that end inside it. False when the pass stops: every path found, or
    /// text malformed where it was read.
    private func scan(
        _ reader: inout JSONReader, depth: Int, active: UInt64, pending: inout Int, ranges: inout [Range<Int>?]
    ) -> Bool {
        guard reader.current == UInt8(ascii: "{") else { return (try? reader.skipValue()) != nil }
        reader.position += 1
        reader.skipWhitespace()
        if reader.current == UInt8(ascii: "}") {
            reader.position += 1
            return true
        }
        var active = active
        while true {
            reader.skipWhitespace()
            guard reader.current == UInt8(ascii: "\"") else { return false }
            let keyStart = reader.position + 1
            var keyEnd = keyStart
            let bytes = reader.bytes
            // The key: its bytes when plain (ASCII, no escapes), else its decoded text.
            while keyEnd < bytes.count, bytes[keyEnd] != UInt8(ascii: "\""), bytes[keyEnd] != UInt8(ascii: "\\"),
                bytes[keyEnd] < 0x80
            {
                keyEnd += 1
            }
            var decoded: String? = nil
            if keyEnd < bytes.count, bytes[keyEnd] == UInt8(ascii: "\"") {
                reader.position = keyEnd + 1
            } else {
                guard let text = try? reader.readString() else { return false }
                decoded = text
            }
            var deeper: UInt64 = 0
            var found: UInt64 = 0
            var remaining = active
            while remaining != 0 {
                let index = remaining.trailingZeroBitCount
                remaining &= remaining - 1
                let component = paths[index][depth]
                let equal: Bool
                if decoded == nil && component.ascii {
                    let length = keyEnd - keyStart
                    equal =
                        length == component.bytes.count
                        && component.bytes.withUnsafeBufferPointer {
                            length == 0 || memcmp($0.baseAddress!, bytes.baseAddress! + keyStart, length) == 0
                        }
                } else {
                    if decoded == nil {
                        decoded = String(
                            decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<keyEnd]), as: UTF8.self)
                    }
                    equal = decoded == component.string
                }
                guard equal else { continue }
                if depth + 1 == paths[index].count { found |= 1 << UInt64(index) } else { deeper |= 1 << UInt64(index) }
            }
            reader.skipWhitespace()
            guard reader.current == UInt8(ascii: ":") else { return false }
            reader.position += 1
            reader.skipWhitespace()
            let valueStart = reader.position
            if deeper != 0 {
                guard scan(&reader, depth: depth + 1, active: deeper, pending: &pending, ranges: &ranges) else {
                    return false
                }
            } else {
                guard (try? reader.skipValue()) != nil else { return false }
            }
            // Keys are unique: a path that matched this key is settled, found or not.
            active &= ~(deeper | found)
            while found != 0 {
                let index = found.trailingZeroBitCount
                found &= found - 1
                ranges[index] = valueStart..<reader.position
                pending -= 1
            }
            if pending == 0 { return false }
            reader.skipWhitespace()
            guard let byte = reader.current else { return false }
            reader.position += 1
            if byte == UInt8(ascii: "}") { return true }
            guard byte == UInt8(ascii: ",") else { return false }
        }
    }
}
