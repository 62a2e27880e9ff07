import ArchitectureSpecs
import EventPatterns
import Stochastics
import Testing

@testable import ArchitectureModels

@Suite("Compiled templates")
struct CompiledTemplateTests {
    /// A bound's draws are `uniformInt(below:)`'s, from the same raw outputs: small, odd, power-of-two and
    /// largest bounds, and those whose scale is 1 or 2.
    @Test(arguments: [1, 2, 3, 4, 5, 7, 10, 4_999, 5_000, 65_536, 1 << 31 - 1, 1 << 31, 1 << 31 + 1, 1 << 32 - 1])
    func boundsDrawAsUniformIntDoes(bound: Int) {
        let reference = RandomStream(seed: 99)
        let stream = RandomStream(seed: 99)
        let uniform = CompiledTemplate.UniformBound(bound)
        for draw in 0..<5_000 {
            #expect(uniform.draw(stream) == reference.uniformInt(below: bound), "draw \(draw)")
        }
        #expect(stream.nextRaw() == reference.nextRaw())
    }

    /// The reciprocal's quotient is the division's for 32-bit dividends and every scale (Lemire et al.): random
    /// dividends and divisors, and the extremes.
    @Test func reciprocalQuotientsAreExact() {
        let stream = RandomStream(seed: 5)
        var divisors: [UInt64] = [2, 3, 5, 7, 10, 255, 256, 65_537, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff]
        for _ in 0..<200 { divisors.append(2 + stream.nextRaw() % 0xffff_fffe) }
        for divisor in divisors {
            let reciprocal = UInt64.max / divisor + 1
            var dividends: [UInt64] = [0, 1, divisor - 1, divisor, divisor + 1, 0xffff_ffff, 0xffff_fffe]
            for _ in 0..<500 { dividends.append(stream.nextRaw()) }
            for dividend in dividends where dividend <= 0xffff_ffff {
                #expect(
                    dividend.multipliedFullWidth(by: reciprocal).high == dividend / divisor, "\(dividend) / \(divisor)")
            }
        }
    }

    /// Constant text between generated values is folded into one prefix an op: an event of constants and one
    /// sequence number is one op and the end.
    @Test func constantsFoldIntoPrefixes() {
        var program = CompiledTemplate()
        let template = ValueTemplate.object([
            ("a", .literal(.string("x"))), ("b", .sequence(prefix: "n-")),
            ("c", .array(.literal(.null), minCount: 2, maxCount: 2)),
            ("d", .choice([(.literal(.bool(true)), 1)])),
        ])
        let start = program.program(template)
        let kinds = program.ops[Int(start)...].map(\.kind)
        #expect(kinds == [.sequence, .array, .choiceText, .end])
        let prefix = program.ops[Int(start)].prefix
        let text = Array(program.bytes[Int(prefix.start)..<Int(prefix.start + prefix.count)])
        #expect(String(decoding: text, as: UTF8.self) == #"{"a":"x","b":"n-"#)
    }
}
