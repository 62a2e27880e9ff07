import ArgumentParser
import EventPatterns
import Foundation

/// `eventsim match`: tests EventBridge event patterns against events with the real rule machine.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Check EventBridge event patterns against events.",
        discussion: """
            With --pattern and --event, prints 'match' (exit 0) or 'no match' (exit 1); an invalid pattern or \
            event exits 65 with the error on stderr. With --cases, reads one JSON object a line ({"id", \
            "pattern", "event"}; the pattern may be an object or a string of pattern text; without an event the \
            pattern alone is checked) and prints one result object a line, in order, carrying on past bad lines.
            """)

    @Option(help: "A file holding the event pattern (JSON).")
    var pattern: String?

    @Option(help: "A file holding the event (a JSON object).")
    var event: String?

    @Option(help: "A file of cases, one JSON object a line.")
    var cases: String?

    func validate() throws {
        if cases != nil {
            guard pattern == nil, event == nil else {
                throw ValidationError("--cases cannot be combined with --pattern or --event")
            }
        } else if pattern == nil || event == nil {
            throw ValidationError("give either --pattern FILE and --event FILE, or --cases FILE")
        }
    }

    func run() throws {
        if let cases {
            for line in MatchCases.answers(text: try Self.readText(cases)) { print(line) }
            return
        }
        guard let pattern, let event else { return }
        let patternText = try Self.readText(pattern)
        let eventText = try Self.readText(event)
        let compiled: EventPattern
        do { compiled = try EventPattern(text: patternText) } catch {
            Self.fail("\(pattern): error: \(error)")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(eventText) } catch { Self.fail("\(event):\(error)") }
        guard case .object = value else { Self.fail("\(event): error: an event must be a JSON object") }
        let machine = RuleMachine()
        machine.add(compiled, id: 0)
        let matched = !machine.matches(value).isEmpty
        print(matched ? "match" : "no match")
        if !matched { throw ExitCode(1) }
    }

    /// Prints a diagnostic and exits 65 (invalid input data).
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(65)
    }

    /// Reads a whole file as UTF-8 text; an unreadable file is a usage error (64), bad UTF-8 bad data (65).
    static func readText(_ path: String) throws -> String {
        guard let text = String(validating: try readBytes(path), as: UTF8.self) else {
            fail("\(path): error: the file is not valid UTF-8")
        }
        return text
    }

    /// Reads a whole file; a name ending in `.gz` is decompressed with `gzip -dc`.
    static func readBytes(_ path: String) throws -> [UInt8] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            FileHandle.standardError.write(Data("error: cannot read '\(path)'\n".utf8))
            throw ExitCode(64)
        }
        guard path.hasSuffix(".gz") else {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("error: cannot read '\(path)'\n".utf8))
                throw ExitCode(64)
            }
            return [UInt8](data)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { fail("\(path): error: gzip could not decompress the file") }
        return [UInt8](data)
    }
}
