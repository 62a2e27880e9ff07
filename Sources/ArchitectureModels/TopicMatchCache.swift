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

    /// A key's bytes, hashed in one call (an array of bytes hashes them one at a time).
    private struct Key: Hashable {
        var bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
    private var lookups = 0
    private var hits = 0

    /// The number of stored outcomes.
    var count: Int { entries.count }

    /// - Parameter enabled: whether the topic's outcomes depend on the attribute values alone.
    init(enabled: Bool) { self.enabled = enabled }

    /// Appends one attribute's part of a key: its value's JSON text with its length, or a marker when the event
    /// has no value at the attribute's path. Keys made of the same parts in the same order are equal.
    static func appendKey(_ text: Slice<UnsafeBufferPointer<UInt8>>?, to key: inout [UInt8]) {
        guard let text else {
            key.append(0)
            return
        }
        key.append(1)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: text.count).littleEndian) { key.append(contentsOf: $0) }
        key.append(contentsOf: text)
    }

    /// The stored outcome for this key (``appendKey(_:to:)``), or nil.
    /// - Complexity: O(size of the key) to hash it.
    mutating func outcome(for values: [UInt8]) -> Outcome? {
        lookups += 1
        let found = entries[Key(bytes: values)]
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
        entries[Key(bytes: values)] = outcome
    }
}
