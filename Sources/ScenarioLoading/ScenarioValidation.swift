import Foundation

/// The outcome of `eventsim validate FILE…`: what to print and the exit status, computed without printing so
/// that tests can check it.
public struct ScenarioValidation: Sendable, Equatable {
    /// Lines for standard output: `FILE: ok` per valid file.
    public var output: [String] = []
    /// Lines for standard error: the diagnostics of invalid files and the names of unreadable ones.
    public var errors: [String] = []
    /// 0 when every file is valid, 64 when a file is missing or unreadable (a usage error), else 65.
    public var exitCode: Int32 = 0

    /// Validates each file in order (all of them, whatever the earlier ones gave).
    /// - Complexity: O(total size of the files and the trace files they name).
    public static func run(paths: [String]) -> ScenarioValidation {
        var result = ScenarioValidation()
        var missing = false, invalid = false
        for path in paths {
            guard FileManager.default.isReadableFile(atPath: path), FileManager.default.contents(atPath: path) != nil
            else {
                result.errors.append("error: cannot read scenario file '\(path)'")
                missing = true
                continue
            }
            do {
                _ = try ScenarioLoader.load(path: path)
                result.output.append("\(path): ok")
            } catch {
                result.errors.append(contentsOf: error.diagnostics.map(\.description))
                invalid = true
            }
        }
        result.exitCode = missing ? 64 : invalid ? 65 : 0
        return result
    }
}
