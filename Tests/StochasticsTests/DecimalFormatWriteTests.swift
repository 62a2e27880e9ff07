import Testing

@testable import Stochastics

/// `DecimalFormat.write` spells what `DecimalFormat.string` spells, straight into a buffer.
@Suite("Decimal writing")
struct DecimalFormatWriteTests {
    private func written(_ body: (UnsafeMutablePointer<UInt8>) -> Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DecimalFormat.maximumWrittenBytes) { buffer in
            let count = body(buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    @Test func writesDoublesAsStringSpellsThem() {
        let stream = RandomStream(seed: 17)
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1e-9, 9e17, 1e19, -1e19, .nan, .infinity, -.infinity, 899.995, 5]
        for round in 0..<20_000 {
            let magnitude = [1.0, 1e3, 1e6, 1e9, 1e-3, 1e15, 1e18][round % 7]
            values.append((stream.uniform() - 0.3) * magnitude)
        }
        for (index, value) in values.enumerated() {
            for digits in [index % 17, 2, 0, -1, 20] {
                #expect(
                    written { DecimalFormat.write(value, digits: digits, to: $0) }
                        == DecimalFormat.string(value, digits: digits), "\(value) with \(digits) digits")
            }
        }
    }

    @Test func writesIntegersAsSwiftDoes() {
        var values = [0, 1, 9, 10, 99, 100, 999, 1_000, 9_999, 10_000, 99_999, 100_000, 1_000_000, Int.max, Int.min]
        values += values.filter { $0 != Int.min }.map { -$0 }
        let stream = RandomStream(seed: 3)
        for _ in 0..<5_000 { values.append(Int(stream.nextRaw() % 200_000) - 50_000) }
        for value in values {
            #expect(written { DecimalFormat.write(value, to: $0) } == String(value))
        }
    }
}
