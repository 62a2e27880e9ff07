/// A pattern string expanded for case-insensitive matching the way event-ruler does it.
///
/// Each UTF-16 code unit of the pattern becomes the set {lowercase mapping, uppercase mapping} of that unit alone
/// (full mappings, root locale, no normalisation). So `straße` matches `STRASSE` but not `strasse`, `Σ` matches `σ`
/// but not `ς`, `i` does not match `İ`, and a title-case letter such as `ǅ` does not match itself. A character
/// outside the BMP is two surrogate units, each of which Java encodes alone as `?`: `😀` matches `??`, not itself.
/// Matching works on UTF-8 bytes with a set of reachable positions, so alternatives of different lengths are fine.
package struct CaseFoldedText: Hashable, Sendable {
    /// For each pattern UTF-16 unit (or BMP scalar), its alternatives as UTF-8 byte strings.
    package let alternatives: [[[UInt8]]]

    package init(_ pattern: String) {
        var alternatives: [[[UInt8]]] = []
        for scalar in pattern.unicodeScalars {
            guard scalar.value <= 0xFFFF else {
                alternatives += [[[UInt8(ascii: "?")]], [[UInt8(ascii: "?")]]]
                continue
            }
            let lower = Array(scalar.properties.lowercaseMapping.utf8)
            let upper = Array(scalar.properties.uppercaseMapping.utf8)
            alternatives.append(lower == upper ? [lower] : [lower, upper])
        }
        self.alternatives = alternatives
    }

    /// Whether the UTF-8 `bytes` equal the pattern up to case.
    package func matchesWhole(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        match(bytes, anchoredAtEnd: true, reversed: false)
    }

    /// Whether the UTF-8 `bytes` start with the pattern up to case.
    package func isPrefix(of bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        match(bytes, anchoredAtEnd: false, reversed: false)
    }

    /// Whether the UTF-8 `bytes` end with the pattern up to case.
    package func isSuffix(of bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        match(bytes, anchoredAtEnd: false, reversed: true)
    }

    /// The pattern lowercased when every alternative is ASCII (then matching is ASCII case-insensitive
    /// comparison, which the rule machine indexes by hash); nil otherwise.
    package var asciiLowercased: [UInt8]? {
        var output: [UInt8] = []
        for options in alternatives {
            guard options.allSatisfy({ $0.count == 1 && $0[0] < 0x80 }) else { return nil }
            output.append(asciiLower(options[0][0]))
        }
        return output
    }

    /// Runs the alternatives over `bytes` from the start (or, reversed, from the end backwards).
    /// - Complexity: O(n × m × a) for n bytes, m pattern scalars and a alternatives (a ≤ 2).
    private func match(_ bytes: UnsafeBufferPointer<UInt8>, anchoredAtEnd: Bool, reversed: Bool) -> Bool {
        let count = bytes.count
        var reachable = [Bool](repeating: false, count: count + 1)
        reachable[0] = true
        var any = true
        for options in (reversed ? alternatives.reversed() : alternatives) {
            guard any else { return false }
            var next = [Bool](repeating: false, count: count + 1)
            any = false
            for consumed in 0...count where reachable[consumed] {
                for option in options where consumed + option.count <= count {
                    let start = reversed ? count - consumed - option.count : consumed
                    var equal = true
                    for index in 0..<option.count where bytes[start + index] != option[index] {
                        equal = false
                        break
                    }
                    if equal {
                        next[consumed + option.count] = true
                        any = true
                    }
                }
            }
            reachable = next
        }
        return anchoredAtEnd ? reachable[count] : reachable.contains(true)
    }
}

/// ASCII lowercase of one byte (other bytes unchanged).
@inline(__always) package func asciiLower(_ byte: UInt8) -> UInt8 {
    byte >= 65 && byte <= 90 ? byte | 0x20 : byte
}
