import EventPatterns

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A topic's filtering outcomes by the values of the message attributes it derives from each event, for topics
/// whose every filter policy looks at message attributes only (none at the body), keyed by the values' JSON
/// texts as they appear in the event (``appendKey(_:)``).
///
/// For such a topic, which subscriptions receive a message, and whether its attributes are valid at all, is a
/// function of those values alone (the subscriptions do not change during a run), so the outcome computed once
/// by the real `MessageView` checks and the real subscription index can be reused for every message with the same
/// values. Equal texts are equal values; equal values spelled differently only take separate entries. Events
/// usually draw their routing fields (type, source, region…) from a few choices: on
/// `ecommerce-peak` nearly every publish hits, and building the view and matching it cost about 8,400
/// instructions a publish.
///
/// Buses keep one per producer for their rule matching outcomes, keyed by the texts of the members their rules
/// name (`RuleMachine.MemberPlan.members`), or by their numeric classes for members only `numeric` conditions
/// read (``appendClass(_:)``): `.matches` holds rule ids, `.invalid` a text that failed to parse where read (no
/// rule matches).
///
/// The table is our own (open addressing on a digest of the key, keys in one byte pool): no hashing of the
/// digest again, no key array per lookup. A class: topics reach it without copying or uniqueness checks; it
/// belongs to one architecture's run, on one thread.
///
/// Memory stays bounded: at most ``capacity`` entries are kept, and a cache whose hit rate is below one half
/// after ``trial`` lookups (attributes drawn from many values, such as ids) turns itself off and frees its
/// entries, so it never costs more than a hash per publish for long. Exact: outcomes are only ever stored, never
/// guessed, and the decision to turn off depends only on the run's own messages, so reports stay deterministic.
final class TopicMatchCache {
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
    /// Slots of the open-addressing table at first and at most: powers of two; the table doubles while it
    /// would be more than half full, up to twice the capacity (probes stay short, and a cache of a few
    /// outcomes keeps a table of a few cache lines).
    private static let initialSlots = 64
    private static let maximumSlots = 2 * capacity

    @exclusivity(unchecked) private(set) var enabled: Bool
    /// The key being built (``beginKey()``, ``appendKey(_:)``), which ``outcome()`` and ``store(_:)`` use.
    /// Its bytes, in a buffer this cache owns (an array's uniqueness check on each write cost more than the
    /// write); `keyCapacity` bytes allocated, the first `keyCount` in use.
    @exclusivity(unchecked) private var key = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    @exclusivity(unchecked) private var keyCapacity = 64
    @exclusivity(unchecked) private var keyCount = 0
    /// Entry index + 1 by slot (0: empty), allocated at the first store; slots probed linearly from the digest.
    @exclusivity(unchecked) private var slots: [Int32] = []
    /// Per entry: its key's digest and place in `keyBytes`, and its outcome.
    @exclusivity(unchecked) private var digests: [UInt64] = []
    @exclusivity(unchecked) private var keyStarts: [Int32] = []
    @exclusivity(unchecked) private var keyBytes: [UInt8] = []
    @exclusivity(unchecked) private var outcomes: [Outcome] = []
    @exclusivity(unchecked) private var lookups = 0
    @exclusivity(unchecked) private var hits = 0

    /// The number of stored outcomes.
    var count: Int { outcomes.count }

    /// - Parameter enabled: whether the topic's outcomes depend on the attribute values alone.
    init(enabled: Bool) { self.enabled = enabled }

    deinit { key.deallocate() }

    /// Starts a new key (the previous one is forgotten; its storage is reused).
    @inline(__always) func beginKey() { keyCount = 0 }

    /// Appends one attribute's part of the key: its value's JSON text with its length, or a marker when the event
    /// has no value at the attribute's path. Keys made of the same parts in the same order are equal.
    @inline(__always) func appendKey(_ text: UnsafeBufferPointer<UInt8>?) {
        reserveKey(keyCount &+ 5 &+ (text?.count ?? 0))
        guard let text else {
            key[keyCount] = 0
            keyCount &+= 1
            return
        }
        let part = UnsafeMutableRawPointer(key + keyCount)
        part.storeBytes(of: 1, as: UInt8.self)
        part.storeBytes(of: UInt32(truncatingIfNeeded: text.count).littleEndian, toByteOffset: 1, as: UInt32.self)
        if let source = text.baseAddress { Self.copy(source, count: text.count, to: part + 5) }
        keyCount &+= 5 &+ text.count
    }

    /// Copies `count` bytes; attribute and member texts are short, so a few word moves do it without a call.
    @inline(__always) private static func copy(
        _ source: UnsafePointer<UInt8>, count: Int, to target: UnsafeMutableRawPointer
    ) {
        let from = UnsafeRawPointer(source)
        if count >= 8 {
            guard count <= 16 else { return target.copyMemory(from: from, byteCount: count) }
            // Two words, overlapping when shorter than 16 bytes.
            target.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(
                of: from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self), toByteOffset: count &- 8,
                as: UInt64.self)
        } else if count >= 4 {
            target.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(
                of: from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self), toByteOffset: count &- 4,
                as: UInt32.self)
        } else {
            for index in 0..<count { target.storeBytes(of: source[index], toByteOffset: index, as: UInt8.self) }
        }
    }

    /// Grows the key's storage to at least `needed` bytes (by 64 at least).
    @inline(__always) private func reserveKey(_ needed: Int) {
        if _slowPath(keyCapacity < needed) { growKey(to: Swift.max(needed, keyCapacity + 64)) }
    }

    @inline(never) private func growKey(to capacity: Int) {
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: key, count: keyCount)
        key.deallocate()
        key = grown
        keyCapacity = capacity
    }

    /// Appends one part of the key that stands for a class of values rather than a text (a bus's numeric class
    /// of an amount): a marker no text part starts with, then the class. Keys made of the same parts in the same
    /// order are equal.
    func appendClass(_ value: Int) {
        reserveKey(keyCount + 9)
        key[keyCount] = 2
        for byte in 0..<8 { key[keyCount + 1 + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
        keyCount += 9
    }

    /// The stored outcome for the current key, or nil.
    /// - Complexity: O(size of the key) to digest and compare it.
    func outcome() -> Outcome? {
        lookups += 1
        var found: Outcome? = nil
        if !slots.isEmpty, case let (slot, true) = find() { found = outcomes[Int(slots[slot]) - 1] }
        if found != nil { hits += 1 }
        // Judged once, whether this lookup hit or not.
        if lookups == Self.trial, hits * 2 < lookups {
            enabled = false
            slots = []
            digests = []
            keyStarts = []
            keyBytes = []
            outcomes = []
        }
        return found
    }

    /// Stores the outcome for the current key while enabled and below capacity (replacing a stored one).
    func store(_ outcome: Outcome) {
        guard enabled, outcomes.count < Self.capacity else { return }
        if slots.isEmpty { slots = [Int32](repeating: 0, count: Self.initialSlots) }
        let (slot, found) = find()
        if found {
            outcomes[Int(slots[slot]) - 1] = outcome
            return
        }
        slots[slot] = Int32(outcomes.count + 1)
        digests.append(currentDigest)
        keyStarts.append(Int32(keyBytes.count))
        keyBytes.append(contentsOf: UnsafeBufferPointer(start: key, count: keyCount))
        outcomes.append(outcome)
        if outcomes.count * 2 > slots.count, slots.count < Self.maximumSlots { grow() }
    }

    /// Doubles the table and puts every entry back by its digest (keys are distinct: no comparisons).
    private func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (entry, digest) in digests.enumerated() {
            var slot = Self.home(digest) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry + 1)
        }
    }

    /// The first slot probed for a digest (before masking).
    @inline(__always) private static func home(_ digest: UInt64) -> Int {
        Int(truncatingIfNeeded: digest ^ (digest >> 32))
    }

    /// The current key's digest, as ``find()`` last computed it.
    @exclusivity(unchecked) private var currentDigest: UInt64 = 0

    /// The slot of the current key's entry (true), or the empty slot where it would go (false).
    /// - Precondition: the table is allocated.
    private func find() -> (slot: Int, found: Bool) {
        let digest = Self.digest(UnsafeBufferPointer(start: key, count: keyCount))
        currentDigest = digest
        let mask = slots.count - 1
        var slot = Self.home(digest) & mask
        while true {
            let entry = Int(slots[slot]) - 1
            if entry < 0 { return (slot, false) }
            if digests[entry] == digest && equalsKey(entry) { return (slot, true) }
            slot = (slot + 1) & mask
        }
    }

    /// Whether entry `entry`'s key equals the current key.
    private func equalsKey(_ entry: Int) -> Bool {
        let start = Int(keyStarts[entry])
        let end = entry + 1 < keyStarts.count ? Int(keyStarts[entry + 1]) : keyBytes.count
        guard end - start == keyCount else { return false }
        return keyBytes.withUnsafeBufferPointer { stored in
            keyCount == 0 || memcmp(key, stored.baseAddress! + start, keyCount) == 0
        }
    }

    /// A digest of a key computed eight bytes a step (FNV-style multiply and shift), the last step on the key's
    /// last eight bytes; keys under eight bytes a byte a step.
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
        guard index < bytes.count else { return digest }
        if bytes.count >= 8 {
            // The last 8 bytes, overlapping the words before: one step instead of a byte loop (the length is in
            // the seed, so keys that differ only in where this word starts still digest apart as often as not).
            let word = UInt64(
                littleEndian: UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self))
            digest = (digest ^ word) &* 0x0000_0100_0000_01b3
            return digest ^ (digest >> 29)
        }
        while index < bytes.count {
            digest = (digest ^ UInt64(base[index])) &* 0x0000_0100_0000_01b3
            index &+= 1
        }
        return digest
    }
}
