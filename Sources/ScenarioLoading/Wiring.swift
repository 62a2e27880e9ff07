import Yams

/// The components of one architecture and the names that refer to them, with their nodes, for the cross-checks
/// run once the whole architecture has been read.
final class Wiring {
    /// What a component is.
    enum Kind: String, CaseIterable {
        case bus, topic, queue, function, endpoint, stream

        /// `a bus`, `an endpoint`.
        var withArticle: String { (self == .endpoint ? "an " : "a ") + rawValue }
    }

    /// Components that receive routed events (everything but streams, which receive table writes).
    static let routable: [Kind] = [.bus, .topic, .queue, .function, .endpoint]

    /// Declared components, in declaration order.
    private(set) var components: [(name: String, kind: Kind, node: Node)] = []
    /// Names that must resolve to a component of one of the allowed kinds.
    private(set) var references: [(name: String, node: Node, allowed: [Kind], role: String, owner: String)] = []

    func declare(_ name: String, _ kind: Kind, at node: Node) { components.append((name, kind, node)) }

    /// Records that `owner` (e.g. `rule 'checkout'`) names a component in its `role` (e.g. `target`).
    func refer(to name: String, at node: Node, allowed: [Kind], role: String, owner: String) {
        references.append((name, node, allowed, role, owner))
    }

    /// Whether a component of this kind and name exists.
    func contains(_ name: String, _ kind: Kind) -> Bool {
        components.contains { $0.name == name && $0.kind == kind }
    }

    /// Reports duplicate names and references that do not resolve to a fitting component.
    func check(_ reader: ScenarioReader, architecture: String) {
        var seen: [String: Node] = [:]
        for component in components {
            reader.requireUnique(
                component.name, at: component.node, &seen, "component name", in: " in architecture '\(architecture)'")
        }
        for reference in references {
            let kinds = Wiring.list(reference.allowed.map(\.withArticle))
            let matches = components.filter { $0.name == reference.name }
            if matches.contains(where: { reference.allowed.contains($0.kind) }) { continue }
            if let other = matches.first {
                reader.error(
                    reference.node,
                    "\(reference.role) '\(reference.name)' of \(reference.owner) is "
                        + "\(other.kind.withArticle); expected \(kinds)")
                continue
            }
            var candidates: [String] = []
            for component in components
            where reference.allowed.contains(component.kind)
                && !candidates.contains(component.name)
            {
                candidates.append(component.name)
            }
            let hint =
                candidates.isEmpty
                ? "architecture '\(architecture)' has no such component (\(kinds))"
                : "expected one of: \(candidates.joined(separator: ", "))"
            reader.error(reference.node, "unknown \(reference.role) '\(reference.name)' of \(reference.owner); \(hint)")
        }
    }

    /// `a, b or c`.
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }
}
