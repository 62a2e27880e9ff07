import Foundation
import Testing

/// Shipped scenarios with numbers changed at random, run end to end for a few simulated seconds: each run either
/// writes balanced reports (exit 0) or is rejected as bad data with nothing written (exit 65); nothing traps.
@Suite("Scenarios with random numbers")
struct MutatedScenarioTests {
    static let sources = [
        "scenarios/ecommerce-peak.yaml", "scenarios/order-change-stream.yaml", "scenarios/textbook-mmc.yaml",
        "Tests/EventsimCLITests/Fixtures/tiny.yaml",
    ]
    /// What a number becomes: zero, negatives, fractions and small counts (large rates would only make runs long).
    static let numbers = ["0", "1", "2", "0.5", "3", "40", "-1", "0.001"]

    @Test("run to balanced reports or rejected with exit 65 and nothing written", arguments: 0..<4)
    func mutatedRuns(seed: UInt64) throws {
        var random = Generator(seed: seed)
        let directory = CLI.temporaryDirectory("mutated-\(seed)")
        defer { CLI.remove(directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var outcomes: [Int32: Int] = [:]
        for attempt in 0..<6 {
            let source = Self.sources[random.below(Self.sources.count)]
            let text = try String(contentsOfFile: CLI.repository.path + "/" + source, encoding: .utf8)
            let mutated = Self.shortened(Self.mutate(text, changes: 1 + random.below(3), &random))
            let file = directory + "/case\(attempt).yaml", out = directory + "/out\(attempt)"
            try mutated.write(toFile: file, atomically: true, encoding: .utf8)
            let output = try CLI.run(["run", file, "--out", out, "--quiet", "--replications", "1"])
            outcomes[output.status, default: 0] += 1
            let summary = out + "/summary.csv"
            switch output.status {
            case 0:
                let rows = try String(contentsOfFile: summary, encoding: .utf8).split(separator: "\n").dropFirst()
                #expect(!rows.isEmpty)
                for row in rows where row.split(separator: ",", omittingEmptySubsequences: false)[3] == "architecture" {
                    #expect(row.hasSuffix(",true"), "unbalanced: \(row)\n\(mutated)")
                }
            case 65:
                #expect(output.stderr.contains("case\(attempt).yaml:"), "\(output.stderr)")
                #expect(!FileManager.default.fileExists(atPath: summary))
            default:
                Issue.record("exit \(output.status) from \(source) mutated:\n\(mutated)\n\(output.stderr)")
            }
        }
        #expect(outcomes.values.reduce(0, +) == 6)
    }

    /// `text` with `changes` of its numbers (digits not inside a word) replaced.
    static func mutate(_ text: String, changes: Int, _ random: inout Generator) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<changes {
            var starts: [Int] = []
            for index in scalars.indices where scalars[index].properties.numericType != nil {
                let previous = index > 0 ? scalars[index - 1] : " "
                if !(previous.properties.isAlphabetic || previous.properties.numericType != nil || previous == ".") {
                    starts.append(index)
                }
            }
            guard !starts.isEmpty else { break }
            let start = starts[random.below(starts.count)]
            var end = start
            while end < scalars.count, scalars[end].properties.numericType != nil || scalars[end] == "." { end += 1 }
            scalars.replaceSubrange(start..<end, with: Self.numbers[random.below(Self.numbers.count)].unicodeScalars)
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// A few simulated seconds instead of the scenario's minutes.
    static func shortened(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line.hasPrefix("duration:") { return "duration: 5s" }
            if line.hasPrefix("warmup:") { return "warmup: 1s" }
            if line.hasPrefix("drain:") { return "drain: 2s" }
            return String(line)
        }.joined(separator: "\n")
    }

    /// SplitMix64, seeded: every run changes the same numbers.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 7 }
        mutating func below(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }
}
