#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Paths of object keys prepared once for looking up their values in many JSON texts in one pass each
/// (``ranges(inJSON:into:)``): a topic reads the same few attributes from every event.
///
/// For text whose objects have unique keys (as the compact text of any ``JSONValue`` does), each path finds
/// what ``JSONValue/value(atPath:inJSON:)`` finds: the same member chain, keys compared as strings.
///
/// The keys live in flat arrays (their bytes in one pool) read through buffer pointers during a pass: no
/// reference counting per key compared. A class, immutable: holders copy one reference, not the arrays.
public final class JSONTextPaths: Sendable {
    /// One key of one path: its UTF-8 bytes in `keyBytes`.
    struct Key: Sendable {
        var start: Int32
        var count: Int32
        /// Whether the bytes are all ASCII (then a plain key in the text equals it exactly when the bytes do).
        var ascii: Bool
        /// Whether it is its path's last key.
        var last: Bool
    }

    /// The paths as given.
    let paths: [[String]]
    /// Path `i`'s keys are `keys[keyStart[i]...]`; `keyStrings` runs parallel to `keys`.
    let keys: [Key]
    let keyStrings: [String]
    let keyBytes: [UInt8]
    let keyStart: [Int32]
    /// Bits of the paths with at least one key (the others find the whole value).
    let nonEmpty: UInt64

    /// - Parameter paths: each a list of object keys from the top-level value down.
    public init(_ paths: [[String]]) {
        self.paths = paths
        var keys: [Key] = []
        var keyBytes: [UInt8] = []
        var keyStart: [Int32] = []
        var nonEmpty: UInt64 = 0
        for (index, path) in paths.enumerated() {
            keyStart.append(Int32(keys.count))
            if !path.isEmpty && index < 64 { nonEmpty |= 1 << UInt64(index) }
            for (depth, key) in path.enumerated() {
                let bytes = Array(key.utf8)
                keys.append(
                    Key(
                        start: Int32(keyBytes.count), count: Int32(bytes.count), ascii: bytes.allSatisfy { $0 < 0x80 },
                        last: depth == path.count - 1))
                keyBytes.append(contentsOf: bytes)
            }
        }
        self.keys = keys
        keyStrings = paths.flatMap { $0 }
        self.keyBytes = keyBytes
        self.keyStart = keyStart
        self.nonEmpty = nonEmpty
    }

    /// The number of paths.
    public var count: Int { paths.count }

    /// The ranges of the texts of the paths' values in `bytes`, in path order, into `ranges` (replaced): nil
    /// where ``JSONValue/value(atPath:inJSON:)`` finds nothing. One pass reads the members that lead to every
    /// value and stops after the last one found, where separate lookups each read from the start.
    /// - Complexity: O(bytes up to the end of the last value found).
    public func ranges(inJSON bytes: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>?]) {
        if ranges.count == paths.count {
            for index in ranges.indices { ranges[index] = nil }
        } else {
            ranges = Array(repeating: nil, count: paths.count)
        }
        guard paths.count <= 64 else {
            for (index, path) in paths.enumerated() {
                ranges[index] = JSONValue.textRange(atPath: path, inJSON: bytes)
            }
            return
        }
        var reader = JSONReader(bytes)
        reader.skipWhitespace()
        if nonEmpty.nonzeroBitCount < paths.count {
            let start = reader.position
            if (try? reader.skipValue()) != nil {
                for index in paths.indices where paths[index].isEmpty { ranges[index] = start..<reader.position }
            }
            reader.position = start
        }
        guard nonEmpty != 0 else { return }
        var pending = nonEmpty.nonzeroBitCount
        keys.withUnsafeBufferPointer { keys in
            keyBytes.withUnsafeBufferPointer { keyBytes in
                keyStart.withUnsafeBufferPointer { keyStart in
                    let tables = Tables(keys: keys, keyBytes: keyBytes, keyStart: keyStart)
                    _ = scan(&reader, depth: 0, active: nonEmpty, tables: tables, pending: &pending, ranges: &ranges)
                }
            }
        }
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

    /// The key arrays during a pass.
    private struct Tables {
        let keys: UnsafeBufferPointer<Key>
        let keyBytes: UnsafeBufferPointer<UInt8>
        let keyStart: UnsafeBufferPointer<Int32>
    }

    /// Consumes the value at the reader's position, recording the ranges of the `active` paths (bit i: path i,
    /// whose first `depth` keys led here) that end inside it. False when the pass stops: every path found, or
    /// text malformed where it was read.
    private func scan(
        _ reader: inout JSONReader, depth: Int, active: UInt64, tables: Tables, pending: inout Int,
        ranges: inout [Range<Int>?]
    ) -> Bool {
        guard reader.current == UInt8(ascii: "{") else { return (try? reader.skipValue()) != nil }
        reader.position += 1
        reader.skipWhitespace()
        if reader.current == UInt8(ascii: "}") {
            reader.position += 1
            return true
        }
        let bytes = reader.bytes
        var active = active
        while true {
            reader.skipWhitespace()
            guard reader.current == UInt8(ascii: "\"") else { return false }
            // The key: its bytes when plain (ASCII, no escapes), else its decoded text.
            let keyStart = reader.position + 1
            var keyEnd = keyStart
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
                let path = remaining.trailingZeroBitCount
                remaining &= remaining - 1
                let keyIndex = Int(tables.keyStart[path]) + depth
                let key = tables.keys[keyIndex]
                let equal: Bool
                if decoded == nil && key.ascii {
                    let length = keyEnd - keyStart
                    equal =
                        length == Int(key.count)
                        && (length == 0
                            || memcmp(
                                tables.keyBytes.baseAddress! + Int(key.start), bytes.baseAddress! + keyStart, length)
                                == 0)
                } else {
                    if decoded == nil {
                        decoded = String(
                            decoding: UnsafeBufferPointer(rebasing: bytes[keyStart..<keyEnd]), as: UTF8.self)
                    }
                    equal = decoded == keyStrings[keyIndex]
                }
                guard equal else { continue }
                if key.last { found |= 1 << UInt64(path) } else { deeper |= 1 << UInt64(path) }
            }
            reader.skipWhitespace()
            guard reader.current == UInt8(ascii: ":") else { return false }
            reader.position += 1
            reader.skipWhitespace()
            let valueStart = reader.position
            if deeper != 0 {
                guard
                    scan(&reader, depth: depth + 1, active: deeper, tables: tables, pending: &pending, ranges: &ranges)
                else { return false }
            } else {
                guard (try? reader.skipValue()) != nil else { return false }
            }
            // Keys are unique: a path that matched this key is settled, found or not.
            active &= ~(deeper | found)
            while found != 0 {
                let path = found.trailingZeroBitCount
                found &= found - 1
                ranges[path] = valueStart..<reader.position
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
