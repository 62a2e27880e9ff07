/// The one error type of `TopicFanout`: a rejected filter policy, message, topic or subscription setting, or a
/// refused publish.
///
/// `description` is a sentence in the style of a compiler diagnostic: for policies it starts with the JSON path
/// of the offending element (`policy.price.numeric: …`), so that a user can find it in a large policy.
public struct TopicFanoutError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of input was rejected.
    public enum Kind: String, Sendable, Equatable {
        /// The filter policy is not valid JSON or breaks one of the service's rules.
        case invalidPolicy
        /// A published message (attributes, body, FIFO fields) is malformed.
        case invalidMessage
        /// A topic, subscription, delivery or redrive setting is invalid.
        case invalidConfiguration
        /// A publish exceeded a throughput quota.
        case throttled
    }

    /// What kind of input was rejected.
    public let kind: Kind
    /// Where in the input the problem is, e.g. `policy.detail.state[1]` or `attribute 'price'`; may be empty.
    public let path: String
    /// The problem, as a sentence without the location.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, path: String = "", _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "error: \(message)" : "error: \(path): \(message)"
    }
}

extension TopicFanoutError {
    static func policy(_ path: String, _ message: String) -> TopicFanoutError {
        TopicFanoutError(.invalidPolicy, path: path, message)
    }

    static func message(_ path: String, _ message: String) -> TopicFanoutError {
        TopicFanoutError(.invalidMessage, path: path, message)
    }

    static func configuration(_ path: String, _ message: String) -> TopicFanoutError {
        TopicFanoutError(.invalidConfiguration, path: path, message)
    }
}
