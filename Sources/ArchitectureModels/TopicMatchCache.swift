import EventPatterns

/// A topic's filtering outcomes by the values of the message attributes it derives from each event, for topics
/// whose every filter policy looks at message attributes only (none at the body), keyed by the values' JSON
/// texts as they appear in the event (``appendKey(_:to:)``).
///
/// For such a topic, which subscriptions receive a message, and whether its attributes are valid at all, is a
/// function of those values alone (the subscriptions do not change during a run), so the outcome computed once
/// by the real `MessageView` checks and the real subscription index can be reused for every message with the same
/// values. Equal texts are equal values; equal values spelled differently only take separate entries. Events
/// usually draw their routing fields (type, source, region…) from a few choices: on
/// `ecommerce-peak` nearly every publish hits, and building the view and matching it cost about 8,400
/// instructions a publish.
///
/// Memory stays bounded: at most ``capacity`` entries are kept, and a cache whose hit rate is below one half
/// after ``trial`` lookups (attributes drawn from many values, such as ids) turns itself off and frees its
/// entries, so it never costs more than a hash per publish for long. Exact: outcomes are only ever stored, never
/// guessed, and the decision to turn off depends only on the run's own messages, so reports stay deterministic.
struct TopicMatchCache {
    enum Outcome {
        /// The attributes fail `MessageView`'s checks: the message is filtered out.
        case invalid
        /// The ids of the matching subscriptions, ascending.
        case matches([Int])
    }

    /// The most entries kept.
    static let capacity = 4_096
    /// Lookups after which the hit rate is judged.
    static let trial = 1_024

    private(set) var enabled: Bool
    private var entries: [Key: Outcome] = [:]

    /// A key's bytes with a digest of them computed eight bytes a step: the dictionary hashes the digest alone
    /// (one word through SipHash instead of every byte), and compares bytes only when digests agree.
    private struct Key: Hashable {
        var bytes: [UInt8]
        var digest: UInt64

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            digest = bytes.withUnsafeBufferPointer(Self.digest)
        }

        static func digest(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var digest = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
            guard let base = bytes.baseAddress else { return digest }
            var index = 0
            while index &+ 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                digest = (digest ^ word) &* 0x0000_0100_0000_01b3
                digest ^= digest >> 29
                index &+= 8
            }
            while index < bytes.count {
                digest = (digest ^ UInt64(base[index])) &* 0x0000_0100_0000_01b3
                index &+= 1
            }
            return digest
        }

        static func == (left: Key, right: Key) -> Bool { left.digest == right.digest && left.bytes == right.bytes }

        func hash(into hasher: inout Hasher) { hasher.combine(digest) }
    }
    private var lookups = 0
    private var hits = 0

    /// The number of stored outcomes.
    var count: Int { entries.count }

    /// - Parameter enabled: whether the topic's outcomes depend on the attribute values alone.
    init(enabled: Bool) { self.enabled = enabled }

    /// Appends one attribute's part of a key: its value's JSON text with its length, or a marker when the event
    /// has no value at the attribute's path. Keys made of the same parts in the same order are equal.
    static func appendKey(_ text: UnsafeBufferPointer<UInt8>?, to key: inout [UInt8]) {
        guard let text else {
            key.append(0)
            return
        }
        key.append(1)
        for shift in stride(from: 0, to: 32, by: 8) { key.append(UInt8(truncatingIfNeeded: text.count >> shift)) }
        key.append(contentsOf: text)
    }

    /// The stored outcome for this key (``appendKey(_:to:)``), or nil.
    /// - Complexity: O(size of the key) to hash it.
    mutating func outcome(for values: [UInt8]) -> Outcome? {
        lookups += 1
        let found = entries[Key(values)]
        if found != nil { hits += 1 }
        // Judged once, whether this lookup hit or not.
        if lookups == Self.trial, hits * 2 < lookups {
            enabled = false
            entries = [:]
        }
        return found
    }

    /// Stores the outcome for this key while enabled and below capacity.
    mutating func store(_ outcome: Outcome, for values: [UInt8]) {
        guard enabled, entries.count < Self.capacity else { return }
        entries[Key(values)] = outcome
    }
}
