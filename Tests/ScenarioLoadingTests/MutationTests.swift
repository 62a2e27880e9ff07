import Foundation
import ScenarioLoading
import Stochastics
import Testing

/// Mutated scenario files: the loader must answer every one with a scenario or with located diagnostics, never
/// trap ("never trap on user input"). A trap ends the test process, which fails the run.
@Suite("Mutated scenario files are loaded or rejected with located diagnostics, never trapped on")
struct MutationTests {
    /// The shipped scenarios and the loader's fixtures: the texts the mutations start from.
    static let sources: [(name: String, text: String)] = {
        let directories = [repositoryRoot + "/scenarios", fixtures]
        var sources: [(String, String)] = []
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasSuffix(".yaml") {
                if let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) {
                    sources.append((name, text))
                }
            }
        }
        return sources
    }()

    /// Tokens a mutation writes: out-of-range numbers, wrong types, YAML syntax, units and expressions.
    static let tokens = [
        "-1", "0", "1e308", ".nan", ".inf", "-.inf", "999999999999999999999", "1e-400", "2147483648", "-0", "0x10",
        "\"x\"", "[]", "{}", "null", "~", "true", "1ms", "-5s", "99999d", "abc", "*", "&a", "*a", ":", "- ", "\t",
        "\"", "'", "{", "[", "]", "}", "#", "rate(0 minutes)", "cron(0 0 * * ? *)", "é", "\u{0}",
    ]

    @Test("random edits of every shipped scenario and fixture", arguments: 0..<8)
    func randomEdits(seed: UInt64) throws {
        #expect(Self.sources.count >= 4, "the shipped scenarios were not found")
        let random = RandomStream(seed: seed)
        var rejected = 0
        for _ in 0..<60 {
            let source = Self.sources[random.uniformInt(below: Self.sources.count)]
            var text = Array(source.text.unicodeScalars)
            for _ in 0...random.uniformInt(below: 3) { Self.mutate(&text, random) }
            let mutated = String(String.UnicodeScalarView(text))
            do {
                _ = try ScenarioLoader.load(text: mutated, fileName: "m.yaml", baseDirectory: fixtures)
            } catch {
                rejected += 1
                Self.checkLocated(error.diagnostics, in: mutated, from: source.name)
            }
        }
        // Most random edits break something: the suite is exercising the rejections, not only the happy path.
        #expect(rejected > 10)
    }

    /// Every diagnostic names the file and a line and column inside the text (a YAML syntax error may point one
    /// past the last line's end) and says something.
    static func checkLocated(_ diagnostics: [Diagnostic], in text: String, from source: String) {
        #expect(!diagnostics.isEmpty, "rejected \(source) without a diagnostic")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for diagnostic in diagnostics {
            #expect(diagnostic.file == "m.yaml" || diagnostic.file.hasPrefix(fixtures), "\(diagnostic)")
            #expect(diagnostic.line >= 1 && diagnostic.line <= lines.count + 1, "\(diagnostic) (of \(source))")
            let width = diagnostic.line <= lines.count ? lines[diagnostic.line - 1].unicodeScalars.count : 0
            #expect(diagnostic.column >= 1 && diagnostic.column <= width + 1, "\(diagnostic) (of \(source))")
            #expect(!diagnostic.message.isEmpty)
        }
    }

    /// One random edit: a value replaced by a token, a span deleted, a token inserted, a line repeated or a
    /// number changed.
    static func mutate(_ text: inout [Unicode.Scalar], _ random: RandomStream) {
        guard !text.isEmpty else { return }
        let position = random.uniformInt(below: text.count)
        let token = Array(tokens[random.uniformInt(below: tokens.count)].unicodeScalars)
        switch random.uniformInt(below: 5) {
        case 0:
            // The value after the next colon, up to a comma, a brace or the line's end.
            guard let colon = text[position...].firstIndex(of: ":") else { return }
            let end = text[(colon + 1)...].firstIndex { $0 == "," || $0 == "}" || $0 == "\n" } ?? text.count
            text.replaceSubrange((colon + 1)..<end, with: [" "] + token)
        case 1: text.removeSubrange(position..<min(text.count, position + 1 + random.uniformInt(below: 20)))
        case 2: text.insert(contentsOf: token, at: position)
        case 3:
            let start = text[..<position].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            guard let end = text[position...].firstIndex(of: "\n") else { return }
            text.insert(contentsOf: text[start...end], at: end + 1)
        default:
            guard let digit = text[position...].firstIndex(where: { $0.properties.numericType != nil }) else { return }
            let end = text[digit...].firstIndex { $0.properties.numericType == nil } ?? text.count
            let numbers = ["0", "1", "100000000", "4294967296", "-3", "0.5"]
            text.replaceSubrange(digit..<end, with: numbers[random.uniformInt(below: numbers.count)].unicodeScalars)
        }
    }
}
