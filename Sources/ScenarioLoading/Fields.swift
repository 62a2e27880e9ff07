import Yams

/// The members of one YAML mapping, with their key nodes, after unknown keys have been reported.
///
/// Merge keys (`<<: *anchor`, or a sequence of anchors) are expanded: the merged mappings' members come first and
/// keys written in the mapping itself override them.
struct Fields {
    /// The mapping node (its mark locates "missing key" problems).
    let node: Node
    /// What the mapping describes, for messages: `bus`, `producer 'cart'`…
    let context: String
    /// The members in document order.
    private(set) var members: [(key: String, keyNode: Node, value: Node)] = []

    init(node: Node, context: String) {
        self.node = node
        self.context = context
    }

    /// The value of `key`, or nil when absent.
    subscript(key: String) -> Node? { members.first { $0.key == key }?.value }

    /// The key node of `key`, or nil when absent.
    func keyNode(_ key: String) -> Node? { members.first { $0.key == key }?.keyNode }

    /// Whether `key` is present (with any value, null included).
    func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    /// The present keys among `keys`.
    func present(_ keys: [String]) -> [String] { keys.filter(has) }

    mutating func add(key: String, keyNode: Node, value: Node) {
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index] = (key, keyNode, value)
        } else {
            members.append((key, keyNode, value))
        }
    }
}

extension ScenarioReader {
    /// Reads a mapping whose keys must be among `keys`; reports a non-mapping and every unknown key.
    /// - Parameters:
    ///   - node: The node that should be a mapping.
    ///   - context: What it describes, used in messages ("unknown key 'x' in bus; expected one of: …").
    ///   - label: The key it was found under, for the type error ("expected a mapping for 'slo', got …").
    ///   - keys: The accepted keys, in the order messages list them.
    /// - Returns: The fields, or nil when the node is not a mapping.
    func fields(_ node: Node, _ context: String, label: String? = nil, keys: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            let target = label.map { " for '\($0)'" } ?? " for \(context)"
            error(node, "expected a mapping\(target), got \(node.summary)")
            return nil
        }
        var fields = Fields(node: node, context: context)
        var explicit: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalarText, keyNode.scalar != nil else {
                error(keyNode, "keys in \(context) must be strings, got \(keyNode.summary)")
                continue
            }
            if key == "<<", keyNode.isPlainScalar {
                merge(value, into: &fields, context: context, keys: keys)
                continue
            }
            explicit.append((key, keyNode, value))
        }
        for (key, keyNode, value) in explicit {
            guard keys.contains(key) else {
                error(keyNode, "unknown key '\(key)' in \(context); expected one of: \(keys.joined(separator: ", "))")
                continue
            }
            fields.add(key: key, keyNode: keyNode, value: value)
        }
        return fields
    }

    /// Adds the members of a merged mapping (or of each mapping of a sequence, earlier ones winning).
    private func merge(_ value: Node, into fields: inout Fields, context: String, keys: [String]) {
        let sources: [Node]
        switch value {
        case .mapping: sources = [value]
        case .sequence(let sequence): sources = Array(sequence).reversed()
        default:
            error(value, "a merge key '<<' needs a mapping or a sequence of mappings, got \(value.summary)")
            return
        }
        for source in sources {
            guard let merged = self.fields(source, context, label: "<<", keys: keys) else { continue }
            for member in merged.members { fields.add(key: member.key, keyNode: member.keyNode, value: member.value) }
        }
    }

    /// The value of a required key, or nil after reporting it missing at the mapping.
    func required(_ fields: Fields, _ key: String) -> Node? {
        if let value = fields[key] { return value }
        error(fields.node, "missing required key '\(key)' in \(fields.context)")
        return nil
    }

    /// Reports when not exactly one of `keys` is present; returns the present one.
    func exactlyOne(_ fields: Fields, _ keys: [String]) -> String? {
        let present = fields.present(keys)
        if present.count == 1 { return present[0] }
        let list = keys.map { "'\($0)'" }.joined(separator: " or ")
        if present.isEmpty {
            error(fields.node, "\(fields.context) needs \(list)")
        } else {
            error(fields.keyNode(present[1]) ?? fields.node, "\(fields.context) takes only one of \(list)")
        }
        return nil
    }

    /// Reads a sequence, reporting any other node; a missing key gives an empty array.
    func sequence(_ node: Node?, _ label: String) -> [Node] {
        guard let node else { return [] }
        guard case .sequence(let sequence) = node else {
            error(node, "expected a sequence for '\(label)', got \(node.summary)")
            return []
        }
        return Array(sequence)
    }

    /// Records `name` as seen at `node`, or reports it as a duplicate of the first one.
    /// - Parameters:
    ///   - what: What the name names, e.g. `rule name`.
    ///   - scope: Where names must be unique, e.g. ` in bus 'b'` (with its leading space), or "".
    func requireUnique(
        _ name: String, at node: Node, _ seen: inout [String: Node], _ what: String, in scope: String = ""
    ) {
        if let first = seen[name] {
            error(node, "duplicate \(what) '\(name)'\(scope); first defined at \(first.mark?.description ?? "?")")
        } else {
            seen[name] = node
        }
    }
}
