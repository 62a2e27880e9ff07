/// A validated `wildcard` operand: literal pieces separated by `*`, matched against a whole string.
///
/// `*` matches any run of bytes, including none; `\*` is a literal star and `\\` a literal backslash.
package struct WildcardPattern: Hashable, Sendable {
    /// The literal pieces between stars, as UTF-8 bytes; there are (number of stars + 1) pieces.
    package let pieces: [[UInt8]]

    /// Parses and validates `text`.
    /// - Throws: a message (the caller adds the pattern path) for `**`, an escape other than `\*` or `\\`, or a
    ///   trailing lone backslash, with the byte position.
    package init(_ text: String) throws(PatternError) {
        var pieces: [[UInt8]] = [[]]
        var previousWasStar = false
        var iterator = Array(text.utf8).enumerated().makeIterator()
        while let (offset, byte) = iterator.next() {
            if byte == UInt8(ascii: "*") {
                if previousWasStar {
                    throw PatternError(path: "", message: "consecutive '*' at byte \(offset) in wildcard \"\(text)\"")
                }
                previousWasStar = true
                pieces.append([])
                continue
            }
            previousWasStar = false
            if byte == UInt8(ascii: "\\") {
                guard let (_, escaped) = iterator.next() else {
                    throw PatternError(path: "", message: "wildcard \"\(text)\" ends with a lone backslash")
                }
                guard escaped == UInt8(ascii: "*") || escaped == UInt8(ascii: "\\") else {
                    throw PatternError(
                        path: "", message: "invalid escape at byte \(offset) in wildcard \"\(text)\"; only \\* and \\\\"
                    )
                }
                pieces[pieces.count - 1].append(escaped)
            } else {
                pieces[pieces.count - 1].append(byte)
            }
        }
        self.pieces = pieces
    }

    /// Whether the whole of `text` matches.
    /// - Complexity: O(n × k) worst case for n bytes and k pieces (leftmost-first piece search is exact for `*`).
    package func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let first = pieces[0]
        guard bytes.starts(with: first) else { return false }
        if pieces.count == 1 { return bytes.count == first.count }
        let last = pieces[pieces.count - 1]
        guard bytes.count >= first.count + last.count, bytes.suffix(last.count).elementsEqual(last) else {
            return false
        }
        var position = first.count
        let end = bytes.count - last.count
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = Self.find(piece, in: bytes, from: position, to: end) else { return false }
            position = found + piece.count
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> Int?
    {
        guard end - start >= needle.count else { return nil }
        for offset in start...(end - needle.count) {
            var equal = true
            for index in 0..<needle.count where haystack[offset + index] != needle[index] {
                equal = false
                break
            }
            if equal { return offset }
        }
        return nil
    }
}
