/// One match condition from a pattern's value list, with its meaning on a single event leaf.
///
/// The cases mirror the EventBridge operators; `exists: false` is not a case because it is a property of a
/// whole field rather than of one leaf (``EventPattern`` turns it into an absence test).
package enum Condition: Hashable, Sendable {
    case string(String)
    /// An exact string that reads as an IP address: compared as an address.
    case ipAddress(CIDRRange)
    case number(NumberKey)
    case boolean(Bool)
    case null
    case prefix([UInt8])
    case suffix([UInt8])
    case prefixIgnoreCase(CaseFoldedText)
    case suffixIgnoreCase(CaseFoldedText)
    case equalsIgnoreCase(CaseFoldedText)
    case wildcard(WildcardPattern)
    case anythingButStrings(Set<String>)
    case anythingButNumbers(Set<NumberKey>)
    case anythingButPrefix([[UInt8]])
    case anythingButSuffix([[UInt8]])
    case anythingButIgnoreCase([CaseFoldedText])
    case anythingButWildcard([WildcardPattern])
    case numeric(NumericRange)
    /// `exists: true`: any leaf at the path.
    case exists
    case cidr(CIDRRange)

    /// Whether the leaf satisfies the condition.
    package func matches(_ leaf: Leaf) -> Bool {
        var text = leaf.text
        return text.withUTF8 { matches(LeafView(kind: leaf.kind, bytes: $0, number: leaf.number)) }
    }

    /// Whether the leaf satisfies the condition: the reference semantics every matcher must agree with.
    /// - Complexity: O(length of the leaf) for most conditions; wildcards and case folding as documented there.
    package func matches(_ leaf: LeafView) -> Bool {
        let isString = leaf.kind == .string
        switch self {
        case .string(let string): return isString && Self.equal(string, leaf.bytes)
        case .ipAddress(let range), .cidr(let range):
            guard isString, let address = IPAddress(utf8: leaf.bytes) else { return false }
            return range.contains(address)
        case .number(let key):
            guard leaf.kind == .number else { return false }
            switch key {
            case .value(let value): return leaf.number == value
            case .literal(let text): return leaf.number == nil && Self.equal(text, leaf.bytes)
            }
        case .boolean(let flag): return leaf.kind == (flag ? .trueValue : .falseValue)
        case .null: return leaf.kind == .null
        case .prefix(let bytes): return isString && leaf.bytes.starts(with: bytes)
        case .suffix(let bytes): return isString && Self.hasSuffix(leaf.bytes, bytes)
        case .prefixIgnoreCase(let folded): return isString && folded.isPrefix(of: leaf.bytes)
        case .suffixIgnoreCase(let folded): return isString && folded.isSuffix(of: leaf.bytes)
        case .equalsIgnoreCase(let folded): return isString && folded.matchesWhole(leaf.bytes)
        case .wildcard(let pattern): return isString && pattern.matches(leaf.bytes)
        case .anythingButStrings(let excluded):
            return !isString || !excluded.contains(String(decoding: leaf.bytes, as: UTF8.self))
        case .anythingButNumbers(let excluded):
            guard leaf.kind == .number else { return true }
            let key: NumberKey =
                leaf.number.map { .value($0 == 0 ? 0 : $0) } ?? .literal(String(decoding: leaf.bytes, as: UTF8.self))
            return !excluded.contains(key)
        case .anythingButPrefix(let prefixes): return !isString || !prefixes.contains { leaf.bytes.starts(with: $0) }
        case .anythingButSuffix(let suffixes): return !isString || !suffixes.contains { Self.hasSuffix(leaf.bytes, $0) }
        case .anythingButIgnoreCase(let values): return !isString || !values.contains { $0.matchesWhole(leaf.bytes) }
        case .anythingButWildcard(let patterns): return !isString || !patterns.contains { $0.matches(leaf.bytes) }
        case .numeric(let range):
            guard leaf.kind == .number, let value = leaf.number else { return false }
            return range.contains(value)
        case .exists: return true
        }
    }

    /// Whether the string's UTF-8 equals the bytes (contiguous fast path for native strings).
    @inline(__always) static func equal(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let result = string.utf8.withContiguousStorageIfAvailable { stored -> Bool in
            guard stored.count == bytes.count else { return false }
            for index in 0..<stored.count where stored[index] != bytes[index] { return false }
            return true
        }
        return result ?? string.utf8.elementsEqual(bytes)
    }

    static func hasSuffix(_ text: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        guard text.count >= suffix.count else { return false }
        return UnsafeBufferPointer(rebasing: text[(text.count - suffix.count)...]).elementsEqual(suffix)
    }
}

/// A leaf seen through its UTF-8 bytes (string contents or number literal; empty for booleans and null).
package struct LeafView {
    package var kind: Leaf.Kind
    package var bytes: UnsafeBufferPointer<UInt8>
    /// The exact double of a number literal, nil when not comparable.
    package var number: Double?
}

/// A `numeric` operand: an interval of doubles, each end open, closed or unbounded.
package struct NumericRange: Hashable, Sendable {
    package var lower: Double?
    package var lowerInclusive: Bool
    package var upper: Double?
    package var upperInclusive: Bool

    package init(lower: Double?, lowerInclusive: Bool, upper: Double?, upperInclusive: Bool) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
    }

    package func contains(_ value: Double) -> Bool {
        if let lower, lowerInclusive ? value < lower : value <= lower { return false }
        if let upper, upperInclusive ? value > upper : value >= upper { return false }
        return true
    }
}
