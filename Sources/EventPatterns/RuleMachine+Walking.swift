extension RuleMachine {
    /// The trie node reached from `node` by an event key; a key holding dots walks several segments (the
    /// service's "a.b" ≡ a → b quirk). Nil when no rule names anything below.
    @inline(__always) func childNode(_ node: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var current = node
        var start = 0
        for index in 0..<key.count where key[index] == UInt8(ascii: ".") {
            guard let child = segments.find(current, UnsafeBufferPointer(rebasing: key[start..<index])) else {
                return nil
            }
            current = child
            start = index + 1
        }
        return segments.find(current, UnsafeBufferPointer(rebasing: key[start...]))
    }

    /// Records the leaves of a parsed event object below trie node `node`.
    func walk(object: JSONObject, node: Int32) {
        for (key, value) in object.members {
            var key = key
            guard let child = key.withUTF8({ childNode(node, $0) }) else { continue }
            visit(value, node: child)
        }
    }

    private func visit(_ value: JSONValue, node: Int32) {
        let scratch = self.scratch
        switch value {
        case .object(let object): walk(object: object, node: node)
        case .array(let elements):
            let id = scratch.arrayCount
            scratch.arrayCount += 1
            for (index, element) in elements.enumerated() {
                switch element {
                case .object, .array:
                    scratch.membership.append(FlatEvent.ArrayStep(array: id, index: Int32(index)))
                    visit(element, node: node)
                    scratch.membership.removeLast()
                default: visit(element, node: node)
                }
            }
        case .string(let string):
            let field = nodeField[Int(node)]
            guard field >= 0 else { return }
            let start = scratch.arena.count
            scratch.arena.append(contentsOf: string.utf8)
            scratch.record(field: field, kind: .string, start: start)
        case .number(let number):
            let field = nodeField[Int(node)]
            guard field >= 0 else { return }
            let start = scratch.arena.count
            scratch.arena.append(contentsOf: number.text.utf8)
            scratch.record(field: field, kind: .number, start: start)
        case .bool(let flag):
            let field = nodeField[Int(node)]
            if field >= 0 {
                scratch.record(field: field, kind: flag ? .trueValue : .falseValue, start: scratch.arena.count)
            }
        case .null:
            let field = nodeField[Int(node)]
            if field >= 0 { scratch.record(field: field, kind: .null, start: scratch.arena.count) }
        }
    }
}
