/// What a stream record carries besides the keys (DynamoDB's `StreamViewType`).
public enum StreamViewType: String, Sendable, Hashable, CaseIterable {
    /// Only the key attributes of the modified item.
    case keysOnly = "KEYS_ONLY"
    /// The item as it appears after the modification.
    case newImage = "NEW_IMAGE"
    /// The item as it appeared before the modification.
    case oldImage = "OLD_IMAGE"
    /// Both the new and the old images.
    case newAndOldImages = "NEW_AND_OLD_IMAGES"

    @inline(__always) var includesNewImage: Bool { self == .newImage || self == .newAndOldImages }
    @inline(__always) var includesOldImage: Bool { self == .oldImage || self == .newAndOldImages }
}

/// The kind of modification a record describes (`eventName`).
public enum EventName: String, Sendable, Hashable, CaseIterable {
    /// A new item was added.
    case insert = "INSERT"
    /// An existing item was changed.
    case modify = "MODIFY"
    /// An item was deleted.
    case remove = "REMOVE"
}

/// A shard's identifier. Identifiers are allocated in increasing order, so a child's is larger than its parent's.
public struct ShardID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The shard's number, from 1.
    public var rawValue: Int

    /// Wraps a shard number.
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static func < (lhs: ShardID, rhs: ShardID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The identifier as the service would print it, for example `shardId-00000000000000000007`.
    public var description: String {
        let digits = String(rawValue)
        return "shardId-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}

/// A record's sequence number: unique in the stream and increasing in the order records are published, hence
/// increasing within every shard.
public struct SequenceNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number, from 1.
    public var rawValue: UInt64

    /// Wraps a sequence number.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The number as 21 decimal digits, the width the service uses.
    public var description: String {
        var text: [UInt8] = []
        appendDigits(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``description``'s 21 digits (a `UInt64` has at most 20). - Complexity: O(1), no allocation beyond
    /// `text`'s growth.
    public func appendDigits(to text: inout [UInt8]) {
        var digits = (UInt64(0), UInt64(0), UInt64(0))  // 24 bytes, filled from the right
        withUnsafeMutableBytes(of: &digits) { buffer in
            var remaining = rawValue
            for position in stride(from: 23, through: 3, by: -1) {
                buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            }
            text.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[3..<24]))
        }
    }
}

/// One change of one item, as read from a shard.
///
/// The images present are those the stream's view type asks for: `newImage` for INSERT and MODIFY with
/// `NEW_IMAGE` or `NEW_AND_OLD_IMAGES`, `oldImage` for MODIFY and REMOVE with `OLD_IMAGE` or
/// `NEW_AND_OLD_IMAGES`.
public struct StreamRecord: Sendable, Hashable {
    /// The modification kind.
    public var eventName: EventName
    /// The modified item's key.
    public var keys: ItemKey
    /// The item after the modification, if the view type includes it.
    public var newImage: Item?
    /// The item before the modification, if the view type includes it.
    public var oldImage: Item?
    /// The record's sequence number.
    public var sequenceNumber: SequenceNumber
    /// The record's size in bytes: key attributes plus the images it carries (DynamoDB's `SizeBytes`).
    public var sizeBytes: Int
    /// When the modification happened, in simulated nanoseconds. The service reports it rounded down to the
    /// second (see ``approximateCreationDateTimeSeconds``).
    public var approximateCreationTime: Int64

    /// Creates a record.
    public init(
        eventName: EventName, keys: ItemKey, newImage: Item?, oldImage: Item?, sequenceNumber: SequenceNumber,
        sizeBytes: Int, approximateCreationTime: Int64
    ) {
        self.eventName = eventName
        self.keys = keys
        self.newImage = newImage
        self.oldImage = oldImage
        self.sequenceNumber = sequenceNumber
        self.sizeBytes = sizeBytes
        self.approximateCreationTime = approximateCreationTime
    }

    /// The creation time in whole seconds, rounded towards minus infinity (`ApproximateCreationDateTime`).
    public var approximateCreationDateTimeSeconds: Int64 {
        let seconds = approximateCreationTime / StreamLimits.second
        return approximateCreationTime % StreamLimits.second < 0 ? seconds - 1 : seconds
    }

    /// A unique 32-hex-digit event identifier, derived from the sequence number with a stable mix.
    public var eventID: String {
        var text: [UInt8] = []
        appendEventID(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``eventID``'s 32 lowercase hex digits. - Complexity: O(1), no allocation beyond `text`'s growth.
    public func appendEventID(to text: inout [UInt8]) {
        let high = StableHash.splitmix64(sequenceNumber.rawValue)
        let low = StableHash.splitmix64(sequenceNumber.rawValue ^ 0x5bd1_e995_5bd1_e995)
        for value in [high, low] {
            for shift in stride(from: 60, through: 0, by: -4) {
                let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xF
                text.append(nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10)
            }
        }
    }
}

/// The service's fixed limits, in simulated nanoseconds, records and bytes.
public enum StreamLimits {
    /// One second in nanoseconds.
    public static let second: Int64 = 1_000_000_000
    /// How long records stay readable: 24 hours.
    public static let retention: Int64 = 24 * 3_600 * second
    /// How long a shard iterator stays valid after it is issued: 15 minutes.
    public static let iteratorLifetime: Int64 = 15 * 60 * second
    /// The most records one GetRecords call returns.
    public static let maximumRecordsPerRead = 1_000
    /// The most bytes one GetRecords call returns: 1 MB.
    public static let maximumBytesPerRead = 1_048_576
    /// The largest item: 400 KB.
    public static let maximumItemSize = 400 * 1_024
    /// The default shard rollover period: about 4 hours, as practitioners observe (AWS documents none).
    public static let defaultShardRollover: Int64 = 4 * 3_600 * second
}
