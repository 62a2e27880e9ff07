import Foundation
import Testing

@testable import EventPatterns

/// Fixtures/review-cases.jsonl: edge cases written in review against event-ruler's behaviour (the engine the
/// service runs), in the conformance suite's shape: IP literals as `java.net.InetAddress` reads them, case folding
/// of characters outside the BMP, `exists: false` in arrays of objects checked in sorted field order, and a corpus
/// of number spellings, null/empty values, arrays against every operator, wildcard escapes, CIDR masks, `$or` and
/// invalid patterns that already agreed.
@Suite("Review cases (event-ruler edge behaviour)")
struct ReviewCasesTests {
    static let all = ConformanceCase.load("review-cases.jsonl")

    @Test func fixtureIsRead() {
        #expect(Self.all.count == 498)
    }

    @Test(arguments: Self.all)
    func caseBehavesLikeEventRuler(_ testCase: ConformanceCase) throws {
        try testCase.check()
    }
}

/// Fixtures/ip-literals.tsv and cidr-validity.tsv: strings with what event-ruler makes of them, recorded by running
/// its recognition (`[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+` or `[0-9a-fA-F:]*:[0-9a-fA-F:]*`, then
/// `java.net.InetAddress.getByName`, OpenJDK 17) and its `CIDR.cidr` checks: the address bytes in hex, or `-` for
/// "not an address"; `valid` or `invalid` for a CIDR operand.
@Suite("IP literals as event-ruler reads them")
struct IPLiteralTests {
    static func rows(_ name: String) -> [(text: String, expected: String)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }

    @Test func addressesParseLikeInetAddress() {
        let rows = Self.rows("ip-literals.tsv")
        #expect(rows.count == 3026)
        for row in rows {
            let hex = IPAddress(row.text).map { $0.bytes.map { String(format: "%02X", $0) }.joined() } ?? "-"
            #expect(hex == row.expected, "\(row.text)")
        }
    }

    @Test func cidrOperandsAreValidatedLikeEventRuler() {
        let rows = Self.rows("cidr-validity.tsv")
        #expect(rows.count == 377)
        for row in rows {
            let valid = (try? CIDRRange(row.text)) != nil
            #expect(valid == (row.expected == "valid"), "\(row.text)")
        }
    }
}
