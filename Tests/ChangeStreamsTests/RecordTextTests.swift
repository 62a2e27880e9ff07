import Testing

@testable import ChangeStreams

@Suite("Stream record identifiers as text")
struct RecordTextTests {
    static let sequences: [UInt64] = [0, 1, 9, 10, 42, 999_999, 1 << 40, UInt64(Int64.max), .max - 1, .max]

    /// The 21-digit sequence number written digit by digit is `String(rawValue)` padded with zeros.
    @Test(arguments: sequences)
    func sequenceNumbersAreTwentyOneDigits(raw: UInt64) {
        let digits = String(raw)
        #expect(SequenceNumber(rawValue: raw).description == String(repeating: "0", count: 21 - digits.count) + digits)
    }

    /// The event identifier written nibble by nibble is the two mixed halves in 16-digit lowercase hex.
    @Test(arguments: sequences)
    func eventIdentifiersAreThirtyTwoHexDigits(raw: UInt64) {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        let record = StreamRecord(
            eventName: .insert, keys: ItemKey(partition: .s("k")), newImage: nil, oldImage: nil,
            sequenceNumber: SequenceNumber(rawValue: raw), sizeBytes: 1, approximateCreationTime: 0)
        let expected =
            hex(StableHash.splitmix64(raw)) + hex(StableHash.splitmix64(raw ^ 0x5bd1_e995_5bd1_e995))
        #expect(record.eventID == expected)
    }
}
