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

    @Test("ItemEncoding.equal tells equal runs from runs that differ in any one byte, for every length up to 80")
    func equalFindsEveryDifference() {
        let source = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for count in 0...80 {
            // Equal runs at different addresses and alignments.
            var copy = [UInt8](repeating: 0, count: count + 5)
            copy.replaceSubrange(5..<5 + count, with: source[3..<3 + count])
            source.withUnsafeBufferPointer { lhs in
                copy.withUnsafeBufferPointer { rhs in
                    let left = UnsafeBufferPointer(rebasing: lhs[3..<3 + count])
                    let right = UnsafeBufferPointer(rebasing: rhs[5..<5 + count])
                    #expect(ItemEncoding.equal(left, right), "\(count) equal bytes")
                    if count > 0 {
                        // Runs of different lengths are never equal.
                        #expect(!ItemEncoding.equal(left, UnsafeBufferPointer(rebasing: rhs[5..<4 + count])))
                    }
                }
            }
            for position in 0..<count {
                var changed = copy
                changed[5 + position] ^= 0x40
                source.withUnsafeBufferPointer { lhs in
                    changed.withUnsafeBufferPointer { rhs in
                        let left = UnsafeBufferPointer(rebasing: lhs[3..<3 + count])
                        let right = UnsafeBufferPointer(rebasing: rhs[5..<5 + count])
                        #expect(!ItemEncoding.equal(left, right), "\(count) bytes, byte \(position) differs")
                        #expect(!ItemEncoding.equal(right, left), "\(count) bytes, byte \(position) differs")
                    }
                }
            }
        }
    }
}
