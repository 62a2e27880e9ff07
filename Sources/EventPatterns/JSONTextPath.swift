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
