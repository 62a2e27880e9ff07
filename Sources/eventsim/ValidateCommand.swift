import ArgumentParser
import Foundation
import ScenarioLoading

/// `eventsim validate FILE…`: checks scenario files without running them.
///
/// Prints `FILE: ok` for each valid file and every problem of the others on standard error
/// (`FILE:LINE:COLUMN: error: MESSAGE`). Exits 64 when a file is missing or unreadable, 65 when a file is invalid.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files and report every problem with its file, line and column.")

    @Argument(help: "Scenario files (YAML).") var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one scenario file") }
    }

    func run() throws {
        let validation = ScenarioValidation.run(paths: files)
        for line in validation.output { print(line) }
        if !validation.errors.isEmpty {
            FileHandle.standardError.write(Data((validation.errors.joined(separator: "\n") + "\n").utf8))
        }
        if validation.exitCode != 0 { throw ExitCode(validation.exitCode) }
    }
}
