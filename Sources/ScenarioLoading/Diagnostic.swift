/// One problem found in a scenario file (or in a trace file it names), located like a compiler diagnostic.
///
/// `description` reads `FILE:LINE:COLUMN: error: MESSAGE`; lines and columns count from 1 (columns in Unicode
/// scalars, as libyaml counts them).
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The file as it was named to the loader (a scenario path or a trace path joined to the scenario's directory).
    public let file: String
    /// Line, from 1.
    public let line: Int
    /// Column, from 1.
    public let column: Int
    /// What is wrong, quoting the bad token and saying what was expected.
    public let message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// The error of `ScenarioLoading`: every problem of a scenario file, sorted by position.
///
/// `description` holds one line per diagnostic, so printing it to standard error reads like a compiler's output.
public struct ScenarioLoadError: Error, Sendable, CustomStringConvertible {
    /// The problems, never empty, sorted by position in the scenario file (a trace file's problems follow the
    /// node that names the trace).
    public let diagnostics: [Diagnostic]

    /// Creates the error from diagnostics already in reporting order.
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
