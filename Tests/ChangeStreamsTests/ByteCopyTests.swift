import Testing

@testable import ChangeStreams

@Suite("Byte copies")
struct ByteCopyTests {
    @Test("copyBytes copies every length from 0 to 80 bytes exactly, touching nothing around the target")
    func copiesEveryLength() {
        let source = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for count in 0...80 {
            var target = [UInt8](repeating: 0xEE, count: 100)
            source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    copyBytes(to: to.baseAddress! + 7, from: from.baseAddress! + 3, count: count)
                }
            }
            #expect(Array(target[7..<7 + count]) == Array(source[3..<3 + count]), "\(count) bytes")
            #expect(target[0..<7].allSatisfy { $0 == 0xEE }, "\(count) bytes")
            #expect(target[(7 + count)...].allSatisfy { $0 == 0xEE }, "\(count) bytes")
        }
    }

    @Test(
        "copyBytes copies overlapping ranges as memmove does, in both directions",
        arguments: [-9, -3, -1, 1, 2, 5, 8, 13])
    func copiesOverlappingRanges(shift: Int) {
        for count in 0...40 {
            var bytes = (0..<80).map { UInt8($0) }
            var expected = bytes
            let from = 20
            let to = from + shift
            expected.replaceSubrange(to..<to + count, with: bytes[from..<from + count])
            bytes.withUnsafeMutableBufferPointer { buffer in
                copyBytes(to: buffer.baseAddress! + to, from: buffer.baseAddress! + from, count: count)
            }
            #expect(bytes == expected, "\(count) bytes shifted by \(shift)")
        }
    }
}
