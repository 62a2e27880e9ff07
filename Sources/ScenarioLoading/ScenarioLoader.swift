public import ArchitectureSpecs
import Foundation
import Yams

/// Reads scenario files (YAML) into validated ``ScenarioSpec`` values, reporting every problem of a file at once.
///
/// The YAML is composed into a node tree (each node keeps its line and column) and walked by hand rather than
/// decoded, so that every problem, unknown keys included, is located: `FILE:LINE:COLUMN: error: MESSAGE`. The
/// format is described in `scenarios/scenario.schema.json` and `docs/decisions/0006-scenario-loading.md`.
public enum ScenarioLoader {
    /// Reads and validates a scenario file (trace files resolve relative to its directory).
    /// - Throws: ``ScenarioLoadError`` with every problem, sorted by position (an unreadable file gives one).
    /// - Complexity: O(size of the file and of the trace files it names).
    public static func load(path: String) throws(ScenarioLoadError) -> ScenarioSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioLoadError(diagnostics: [
                Diagnostic(file: path, line: 1, column: 1, message: "cannot read scenario file '\(path)'")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioLoadError(diagnostics: [
                Diagnostic(file: path, line: 1, column: 1, message: "the scenario file is not UTF-8 text")
            ])
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try load(text: text, fileName: path, baseDirectory: directory)
    }

    /// Reads and validates a scenario from text.
    /// - Parameters:
    ///   - fileName: The name used in diagnostics.
    ///   - baseDirectory: The directory trace files are resolved against ("" for the current directory).
    /// - Throws: ``ScenarioLoadError`` with every problem, sorted by position.
    public static func load(text: String, fileName: String, baseDirectory: String)
        throws(ScenarioLoadError) -> ScenarioSpec
    {
        let reader = ScenarioReader(file: fileName, baseDirectory: baseDirectory)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, Resolver.basic)  // tags are resolved here, where needed
        } catch {
            throw ScenarioLoadError(diagnostics: [syntaxDiagnostic(error, file: fileName, text: text)])
        }
        guard let root else {
            throw ScenarioLoadError(diagnostics: [
                Diagnostic(file: fileName, line: 1, column: 1, message: "the scenario file is empty")
            ])
        }
        let scenario = reader.scenario(root)
        guard let scenario, !reader.hasErrors else {
            throw ScenarioLoadError(diagnostics: reader.sortedDiagnostics)
        }
        return scenario
    }

    /// A YAML syntax error as a located diagnostic.
    static func syntaxDiagnostic(_ error: any Error, file: String, text: String) -> Diagnostic {
        func make(_ mark: Mark, _ message: String) -> Diagnostic {
            Diagnostic(file: file, line: mark.line, column: mark.column, message: message)
        }
        func clause(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return problem }
            return "\(context.text) (line \(context.mark.line), column \(context.mark.column)): \(problem)"
        }
        guard let yamlError = error as? YamlError else {
            return Diagnostic(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return make(mark, "invalid YAML: \(clause(context, problem))")
        case .composer(let context, let problem, let mark, _):
            return make(mark, "invalid YAML: \(clause(context, problem))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return make(context.mark, "duplicate key \(keys) in a mapping")
        case .reader(let problem, let offset, _, _):
            var line = 1, column = 1
            if let offset {
                for character in text.prefix(offset) {
                    if character == "\n" { line += 1; column = 1 } else { column += 1 }
                }
            }
            return Diagnostic(file: file, line: line, column: column, message: "invalid YAML: \(problem)")
        default:
            return Diagnostic(file: file, line: 1, column: 1, message: "invalid YAML: \(yamlError)")
        }
    }
}
