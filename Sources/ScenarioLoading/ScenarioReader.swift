import Yams

/// Walks a composed YAML tree, turning nodes into values and collecting every problem as a located diagnostic.
///
/// Readers never stop at the first problem: a bad node is reported and the walk goes on with a placeholder, so a
/// file's problems are all reported at once. Not `Sendable`: one reader serves one load on one thread.
final class ScenarioReader {
    /// The scenario file's name as used in diagnostics.
    let file: String
    /// The directory trace files are resolved against.
    let baseDirectory: String
    /// Problems so far, each with the scenario position it sorts at (a trace file's problems sort at the node
    /// naming the trace) and its arrival order (to keep sorting stable).
    private var entries: [(anchor: Position, order: Int, diagnostic: Diagnostic)] = []

    /// A line and column in the scenario file.
    struct Position: Comparable {
        var line: Int
        var column: Int
        static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.line, lhs.column) < (rhs.line, rhs.column)
        }
    }

    init(file: String, baseDirectory: String) {
        self.file = file
        self.baseDirectory = baseDirectory
    }

    /// Whether any problem has been reported.
    var hasErrors: Bool { !entries.isEmpty }

    /// The diagnostics sorted by position (stable for equal positions), each reported once: a node reached
    /// twice through a YAML alias gives its problems once.
    var sortedDiagnostics: [Diagnostic] {
        var result: [Diagnostic] = []
        for entry in entries.sorted(by: { ($0.anchor, $0.order) < ($1.anchor, $1.order) })
        where !result.contains(entry.diagnostic) {
            result.append(entry.diagnostic)
        }
        return result
    }

    /// Reports a problem at a position of the scenario file.
    func error(at mark: Mark?, _ message: String) {
        let position = Position(line: mark?.line ?? 1, column: mark?.column ?? 1)
        entries.append(
            (
                position, entries.count,
                Diagnostic(file: file, line: position.line, column: position.column, message: message)
            ))
    }

    /// Reports a problem at a node.
    func error(_ node: Node, _ message: String) { error(at: node.mark, message) }

    /// Reports a problem in another file (a trace), sorted as if it were at `anchor` in the scenario file.
    func error(inFile otherFile: String, line: Int, column: Int, anchor: Node, _ message: String) {
        let position = Position(line: anchor.mark?.line ?? 1, column: anchor.mark?.column ?? 1)
        entries.append(
            (
                position, entries.count,
                Diagnostic(file: otherFile, line: line, column: column, message: message)
            ))
    }
}

// MARK: - Node descriptions

extension Node {
    /// The scalar's text when the node is a scalar.
    var scalarText: String? { scalar?.string }

    /// Whether the node is a plain (unquoted, non-block) scalar.
    var isPlainScalar: Bool { scalar?.style == .plain }

    /// Whether the node is YAML's null: an empty plain scalar, `~` or `null`.
    var isNull: Bool {
        guard let scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How the node reads in a message: `'text'`, `null`, `a mapping` or `a sequence`.
    var summary: String {
        switch self {
        case .scalar(let scalar):
            if isNull { return "null" }
            let text = scalar.string
            return "'" + (text.count > 40 ? String(text.prefix(40)) + "…" : text) + "'"
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        }
    }
}
