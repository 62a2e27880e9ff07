/// Why an event pattern was rejected, and where inside the pattern.
///
/// `path` names the place in the pattern like a JSON path without the `$`: `detail.state[0].numeric`; it is empty
/// when the problem concerns the whole text (not JSON, not an object).
public struct PatternError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The location inside the pattern, e.g. `detail.state[1].anything-but.prefix`; empty for the whole pattern.
    public let path: String
    /// What is wrong, as a sentence fragment quoting the bad token.
    public let message: String

    /// Creates an error at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `invalid pattern at 'detail.state[0]': …`, or `invalid pattern: …` for the whole text.
    public var description: String {
        path.isEmpty ? "invalid pattern: \(message)" : "invalid pattern at '\(path)': \(message)"
    }
}
