/// A pattern string expanded for case-insensitive matching the way event-ruler does it.
///
/// Each Unicode scalar of the pattern becomes the set {lowercase mapping, uppercase mapping} (full mappings, root
/// locale, no normalisation). So `straße` matches `STRASSE` but not `strasse`, `Σ` matches `σ` but not `ς`, `i`
/// does not match `İ`, and a title-case letter such as `ǅ` does not match itself (as in event-ruler).
/// Matching works on UTF-8 bytes with a set of reachable positions, so alternatives of different lengths are fine.
package struct CaseFoldedText: Hashable, Sendable {
    /// For each pattern scalar, its alternatives as UTF-8 byte strings.
    package let alternatives: [[[UInt8]]]

    package init(_ pattern: String) {
        alternatives = pattern.unicodeScalars.map { scalar in
            let lower = Array(scalar.properties.lowercaseMapping.utf8)
            let upper = Array(scalar.properties.uppercaseMapping.utf8)
            return lower == upper ? [lower] : [lower, upper]
        }
    }

    /// Whether `text` equals the pattern up to case.
    package func matchesWhole(_ text: String) -> Bool { match(Array(text.utf8), anchoredAtEnd: true, reversed: false) }

    /// Whether `text` starts with the pattern up to case.
    package func isPrefix(of text: String) -> Bool { match(Array(text.utf8), anchoredAtEnd: false, reversed: false) }

    /// Whether `text` ends with the pattern up to case.
    package func isSuffix(of text: String) -> Bool { match(Array(text.utf8), anchoredAtEnd: false, reversed: true) }

    /// Runs the alternatives over `bytes` from the start (or, reversed, from the end backwards).
    /// - Complexity: O(n × m × a) for n bytes, m pattern scalars and a alternatives (a ≤ 2).
    private func match(_ bytes: [UInt8], anchoredAtEnd: Bool, reversed: Bool) -> Bool {
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
