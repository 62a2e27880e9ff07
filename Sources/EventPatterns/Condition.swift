/// One match condition from a pattern's value list, with its meaning on a single event leaf.
///
/// The cases mirror the EventBridge operators; `exists: false` is not a case because it is a property of a
/// whole field rather than of one leaf (``EventPattern`` turns it into a negated field test).
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

    /// Whether the leaf satisfies the condition (the reference semantics every matcher must agree with).
    /// - Complexity: O(length of the leaf's text) for most conditions; wildcards and case folding as documented.
    package func matches(_ leaf: Leaf) -> Bool {
        switch self {
        case .string(let string): return leaf.kind == .string && leaf.text == string
        case .ipAddress(let range), .cidr(let range):
            guard leaf.kind == .string, let address = IPAddress(leaf.text) else { return false }
            return range.contains(address)
        case .number(let key): return leaf.kind == .number && NumberKey(leaf: leaf) == key
        case .boolean(let flag): return leaf.kind == (flag ? .trueValue : .falseValue)
        case .null: return leaf.kind == .null
        case .prefix(let bytes): return leaf.kind == .string && leaf.text.utf8.starts(with: bytes)
        case .suffix(let bytes): return leaf.kind == .string && Self.hasSuffix(leaf.text, bytes)
        case .prefixIgnoreCase(let folded): return leaf.kind == .string && folded.isPrefix(of: leaf.text)
        case .suffixIgnoreCase(let folded): return leaf.kind == .string && folded.isSuffix(of: leaf.text)
        case .equalsIgnoreCase(let folded): return leaf.kind == .string && folded.matchesWhole(leaf.text)
        case .wildcard(let pattern): return leaf.kind == .string && pattern.matches(leaf.text)
        case .anythingButStrings(let excluded): return leaf.kind != .string || !excluded.contains(leaf.text)
        case .anythingButNumbers(let excluded): return leaf.kind != .number || !excluded.contains(NumberKey(leaf: leaf))
        case .anythingButPrefix(let prefixes):
            return leaf.kind != .string || !prefixes.contains { leaf.text.utf8.starts(with: $0) }
        case .anythingButSuffix(let suffixes):
            return leaf.kind != .string || !suffixes.contains { Self.hasSuffix(leaf.text, $0) }
        case .anythingButIgnoreCase(let values):
            return leaf.kind != .string || !values.contains { $0.matchesWhole(leaf.text) }
        case .anythingButWildcard(let patterns):
            return leaf.kind != .string || !patterns.contains { $0.matches(leaf.text) }
        case .numeric(let range):
            guard leaf.kind == .number, let value = leaf.number else { return false }
            return range.contains(value)
        case .exists: return true
        }
    }

    static func hasSuffix(_ text: String, _ suffix: [UInt8]) -> Bool {
        let utf8 = text.utf8
        guard utf8.count >= suffix.count else { return false }
        return utf8.suffix(suffix.count).elementsEqual(suffix)
    }
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
