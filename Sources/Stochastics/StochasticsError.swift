/// The one error type of the `Stochastics` module: a parameter that a distribution or statistic cannot take.
///
/// Its description is a sentence that names the parameter and what was expected, ready to be prefixed with a
/// scenario file location by the caller.
public struct StochasticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A human-readable sentence, for example `exponential mean must be positive and finite, got -1.0`.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
