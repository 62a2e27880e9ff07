import EventPatterns
import Foundation
import SimulationKernel
import Yams

/// Trace files: CSV lines `offset_seconds` or `offset_seconds,{json detail}`, an optional header line, `#` comments
/// and blank lines ignored. Offsets are seconds (or durations with a unit) from the start, non-decreasing.
extension ScenarioReader {
    /// The most problems reported for one trace file; the rest are summarised in one line.
    static let maximumTraceDiagnostics = 20

    /// Reads the trace named by `node` (relative to the scenario's directory unless absolute).
    func trace(_ node: Node) -> (times: [SimTime], payloads: [JSONValue?])? {
        guard let name = self.name(node, "file") else { return nil }
        let path =
            name.hasPrefix("/") || baseDirectory.isEmpty
            ? name
            : (baseDirectory.hasSuffix("/") ? baseDirectory + name : baseDirectory + "/" + name)
        guard let data = FileManager.default.contents(atPath: path) else {
            error(node, "cannot read trace file '\(path)'")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            error(node, "trace file '\(path)' is not UTF-8 text")
            return nil
        }
        return parseTrace(text, path: path, anchor: node)
    }

    /// Parses trace text, reporting problems at `path:line:column`.
    func parseTrace(_ text: String, path: String, anchor: Node) -> (times: [SimTime], payloads: [JSONValue?])? {
        var times: [SimTime] = [], payloads: [JSONValue?] = []
        var problems = 0
        func report(_ line: Int, _ column: Int, _ message: String) {
            problems += 1
            if problems <= Self.maximumTraceDiagnostics {
                error(inFile: path, line: line, column: column, anchor: anchor, message)
            }
        }
        var sawData = false
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == "\r" { line.removeLast() }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            let comma = content.firstIndex(of: ",")
            var offsetText = content[..<(comma ?? content.endIndex)]
            while offsetText.last == " " || offsetText.last == "\t" { offsetText.removeLast() }
            guard let offset = DurationText.nanoseconds(String(offsetText)) else {
                // The first non-comment line may be a header.
                if !sawData, times.isEmpty, offsetText.first?.isLetter == true { sawData = true; continue }
                report(lineNumber, indent + 1, "expected an offset in seconds, got '\(offsetText)'")
                continue
            }
            sawData = true
            if offset > DurationText.maximum {
                report(lineNumber, indent + 1, "trace offsets must be at most ten years, got \(offsetText)")
                continue
            }
            if offset < 0 {
                report(lineNumber, indent + 1, "trace offsets must not be negative, got \(offsetText)")
                continue
            }
            if let last = times.last, offset < last {
                report(
                    lineNumber, indent + 1,
                    "trace offsets must not decrease: \(offsetText) s comes after "
                        + "\(Double(last) / 1e9) s")
                continue
            }
            var payload: JSONValue?
            if let comma {
                let detailText = content[content.index(after: comma)...]
                let lead = detailText.prefix { $0 == " " || $0 == "\t" }.count
                let detailColumn = indent + content.distance(from: content.startIndex, to: comma) + 2 + lead
                var json = String(detailText)
                var quoted = false
                let trimmed = detailText.drop { $0 == " " || $0 == "\t" }
                if trimmed.count >= 2, trimmed.first == "\"", trimmed.last == "\"" {
                    // A CSV-quoted field: "{""id"": 1}".
                    json = String(trimmed.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
                    quoted = true
                }
                do {
                    let value = try JSONParser.parse(json)
                    guard case .object = value else {
                        report(lineNumber, detailColumn, "a trace payload must be a JSON object (the event detail)")
                        continue
                    }
                    payload = value
                } catch {
                    let column =
                        error.line == 1 && !quoted
                        ? indent + content.distance(from: content.startIndex, to: comma) + 1
                            + error.column : detailColumn
                    report(lineNumber, column, "invalid JSON payload: \(error.message)")
                    continue
                }
            }
            times.append(offset)
            payloads.append(payload)
        }
        if problems > Self.maximumTraceDiagnostics {
            error(
                inFile: path, line: lineNumber, column: 1, anchor: anchor,
                "\(problems - Self.maximumTraceDiagnostics) more problems in this trace file not shown")
        }
        if problems == 0, times.isEmpty {
            error(anchor, "trace file '\(path)' has no events")
            return nil
        }
        return problems == 0 ? (times, payloads) : nil
    }
}
