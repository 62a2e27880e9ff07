import ArgumentParser
import Foundation
import TopicFanout

/// `eventsim filter`: evaluates SNS subscription filter policies, one policy against one message or a cases file.
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Check SNS filter policies against messages.",
        discussion: """
            With --policy and --message, prints 'match' (exit 0) or 'no match' (exit 1); an invalid policy or \
            message exits 65. With --cases, reads one JSON object a line ({"id", "scope", "policy", "message"}) \
            and prints one result object a line, carrying on past bad lines.
            """)

    @Option(help: "A file holding the filter policy (JSON).")
    var policy: String?

    @Option(help: "A file holding the message: {\"attributes\": …}, {\"body\": …}, or (MessageBody) the body.")
    var message: String?

    @Option(help: "The policy scope: MessageAttributes (default) or MessageBody.")
    var scope: String = FilterPolicyScope.messageAttributes.rawValue

    @Option(help: "A file of cases, one JSON object a line.")
    var cases: String?

    func validate() throws {
        if cases != nil {
            guard policy == nil, message == nil else {
                throw ValidationError("--cases cannot be combined with --policy or --message")
            }
        } else {
            guard policy != nil, message != nil else {
                throw ValidationError("give either --policy FILE and --message FILE, or --cases FILE")
            }
        }
        guard FilterPolicyScope(rawValue: scope) != nil else {
            throw ValidationError("unknown scope '\(scope)'; expected MessageAttributes or MessageBody")
        }
    }

    func run() throws {
        if let cases {
            for line in FilterCases.run(text: try Self.read(cases)) { print(line) }
            return
        }
        guard let policy, let message, let scope = FilterPolicyScope(rawValue: scope) else { return }
        let policyText = try Self.read(policy)
        let messageText = try Self.read(message)
        do {
            let matched = try FilterCases.matches(policyText: policyText, messageText: messageText, scope: scope)
            print(matched ? "match" : "no match")
            if !matched { throw ExitCode(1) }
        } catch let error as TopicFanoutError {
            let file = error.kind == .invalidPolicy ? policy : message
            FileHandle.standardError.write(Data("\(file): \(error)\n".utf8))
            throw ExitCode(65)
        }
    }

    /// Reads a whole file as UTF-8; a missing or unreadable file is a usage error (exit 64).
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("error: cannot read '\(path)'\n".utf8))
            throw ExitCode(64)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("\(path): error: the file is not valid UTF-8\n".utf8))
            throw ExitCode(65)
        }
        return text
    }
}
