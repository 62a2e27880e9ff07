extension RuleMachine {
    /// Matches an event given as a JSON value, writing the matching ids (ascending, unique) into `result`.
    /// - Complexity: O(size of the event's named fields + index hits + candidates' verification).
    public func matches(_ event: JSONValue, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        // A machine without rules matches nothing: no walk (a topic whose policies all look at attributes still
        // hands every message body to its empty body machine).
        guard !subRulesByRule.isEmpty, case .object(let object) = event else { return }
        beginEvent()
        walk(object: object, node: 0)
        finishEvent(into: &result)
    }

    func beginEvent() {
        if !dirtyNumeric.isEmpty {
            for field in dirtyNumeric { fields[Int(field)].numeric.rebuildIfNeeded() }
            dirtyNumeric.removeAll()
        }
        scratch.begin(predicates: predicates.count, conditions: conditions.count, fields: fields.count)
    }

    func finishEvent(into result: inout [Int]) {
        let scratch = self.scratch
        scratch.arena.withUnsafeBufferPointer { arena in
            for index in scratch.leaves.indices { dispatch(leaf: index, arena: arena) }
            scratch.candidates.append(contentsOf: absenceOnly)
            for candidate in scratch.candidates where verify(candidate, arena: arena) {
                result.append(subRules[Int(candidate)].ruleID)
            }
        }
        if result.count > 1 {
            result.sort()
            var last = result[0]
            var write = 1
            for read in 1..<result.count where result[read] != last {
                last = result[read]
                result[write] = last
                write += 1
            }
            result.removeLast(result.count - write)
        }
    }

    /// The view of a recorded leaf, computing its exact double once when asked.
    @inline(__always) func view(_ index: Int, arena: UnsafeBufferPointer<UInt8>, needNumber: Bool) -> LeafView {
        let leaf = scratch.leaves[index]
        let bytes = UnsafeBufferPointer(rebasing: arena[Int(leaf.start)..<Int(leaf.start + leaf.length)])
        var number: Double?
        if leaf.kind == .number && needNumber {
            if leaf.numberState == 0 {
                let exact = NumberScanner.exactDouble(bytes)
                scratch.leaves[index].numberState = exact == nil ? 2 : 1
                scratch.leaves[index].number = exact ?? 0
                number = exact
            } else if leaf.numberState == 1 {
                number = leaf.number
            }
        }
        return LeafView(kind: leaf.kind, bytes: bytes, number: number)
    }

    /// Finds every indexed condition the leaf satisfies and counts the owning predicates.
    private func dispatch(leaf index: Int, arena: UnsafeBufferPointer<UInt8>) {
        let fieldID = scratch.leaves[index].field
        let field = fields[Int(fieldID)]
        let mask = field.mask
        guard mask != 0 else { return }
        // Exactness of a number literal costs a shortest-form check; compute it up front only when a scanned
        // condition needs it, otherwise after an index lookup on the parsed value found something.
        let eagerExactness = mask & (FieldMask.linear | FieldMask.anythingButNumbers | FieldMask.numberLiteral) != 0
        let leaf = view(index, arena: arena, needNumber: eagerExactness)
        let bytes = leaf.bytes
        if mask & FieldMask.exists != 0 { for id in field.existsConditions { hit(conditionOwner[Int(id)]) } }
        if mask & FieldMask.linear != 0 {
            for id in field.linear where conditions[Int(id)].matches(leaf) { hit(conditionOwner[Int(id)]) }
        }
        switch leaf.kind {
        case .string:
            if mask & FieldMask.exact != 0 { lookup(fieldID, IndexKind.exact, bytes) }
            if mask & FieldMask.prefix != 0 {
                forEachLength(field, IndexKind.prefix, bytes.count) {
                    lookup(fieldID, IndexKind.prefix, prefix(bytes, $0))
                }
            }
            if mask & FieldMask.suffix != 0 {
                forEachLength(field, IndexKind.suffix, bytes.count) {
                    lookup(fieldID, IndexKind.suffix, suffix(bytes, $0))
                }
            }
            if mask & FieldMask.ignoreCase != 0 { ignoreCase(field, fieldID, bytes) }
            if mask & FieldMask.wildcard != 0 { wildcards(field, fieldID, leaf) }
            if mask & FieldMask.anythingButStrings != 0 {
                anythingBut(field.anythingButStrings, excluding: IndexKind.anythingButExclusion, fieldID, bytes)
            }
            if mask & FieldMask.anythingButNumbers != 0 {
                for id in field.anythingButNumbers { hit(conditionOwner[Int(id)]) }
            }
        case .number where !eagerExactness:
            if mask & FieldMask.anythingButStrings != 0 {
                for id in field.anythingButStrings { hit(conditionOwner[Int(id)]) }
            }
            guard mask & (FieldMask.exactNumber | FieldMask.numeric) != 0 else { break }
            let decimal = ShortDecimal(bytes)
            let value = NumberScanner.parse(bytes, decimal: decimal)
            var confirmed: Bool?
            func isExact() -> Bool {
                if let confirmed { return confirmed }
                let exact = NumberScanner.exactDouble(bytes, decimal: decimal, value: value) != nil
                confirmed = exact
                return exact
            }
            if mask & FieldMask.exactNumber != 0 {
                let slot = NumberSlot(
                    tag: IndexKind.tag(fieldID, IndexKind.exactNumber), bits: (value == 0 ? 0 : value).bitPattern)
                if let posting = numberTable[slot], isExact() {
                    for id in postings[Int(posting)] { hit(conditionOwner[Int(id)]) }
                }
            }
            if mask & FieldMask.numeric != 0 {
                field.numeric.forEachContaining(value) { if isExact() { hit(conditionOwner[Int($0)]) } }
            }
        case .number:
            if let value = leaf.number {
                if mask & FieldMask.exactNumber != 0 {
                    let slot = NumberSlot(
                        tag: IndexKind.tag(fieldID, IndexKind.exactNumber), bits: (value == 0 ? 0 : value).bitPattern)
                    if let posting = numberTable[slot] {
                        for id in postings[Int(posting)] { hit(conditionOwner[Int(id)]) }
                    }
                }
                if mask & FieldMask.numeric != 0 {
                    field.numeric.forEachContaining(value) { hit(conditionOwner[Int($0)]) }
                }
            } else if mask & FieldMask.numberLiteral != 0 {
                lookup(fieldID, IndexKind.numberLiteral, bytes)
            }
            if mask & FieldMask.anythingButNumbers != 0 { anythingButNumber(field, fieldID, leaf) }
            if mask & FieldMask.anythingButStrings != 0 {
                for id in field.anythingButStrings { hit(conditionOwner[Int(id)]) }
            }
        case .trueValue, .falseValue, .null:
            if mask & FieldMask.literals != 0 {
                let list =
                    leaf.kind == .null
                    ? field.nullConditions
                    : (leaf.kind == .trueValue ? field.trueConditions : field.falseConditions)
                for id in list { hit(conditionOwner[Int(id)]) }
            }
            if mask & FieldMask.anythingButStrings != 0 {
                for id in field.anythingButStrings { hit(conditionOwner[Int(id)]) }
            }
            if mask & FieldMask.anythingButNumbers != 0 {
                for id in field.anythingButNumbers { hit(conditionOwner[Int(id)]) }
            }
        }
    }

    private func ignoreCase(_ field: FieldIndex, _ fieldID: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        lowercased(bytes) { lower in
            if field.kindCounts[IndexKind.equalsIgnoreCase] > 0 { lookup(fieldID, IndexKind.equalsIgnoreCase, lower) }
            forEachLength(field, IndexKind.prefixIgnoreCase, lower.count) {
                lookup(fieldID, IndexKind.prefixIgnoreCase, prefix(lower, $0))
            }
            forEachLength(field, IndexKind.suffixIgnoreCase, lower.count) {
                lookup(fieldID, IndexKind.suffixIgnoreCase, suffix(lower, $0))
            }
        }
    }

    /// Wildcards are found by their literal head, tail, or both, then matched in full.
    private func wildcards(_ field: FieldIndex, _ fieldID: Int32, _ leaf: LeafView) {
        let bytes = leaf.bytes
        forEachLength(field, IndexKind.wildcardHead, bytes.count) {
            lookup(fieldID, IndexKind.wildcardHead, prefix(bytes, $0), verifying: leaf)
        }
        forEachLength(field, IndexKind.wildcardTail, bytes.count) {
            lookup(fieldID, IndexKind.wildcardTail, suffix(bytes, $0), verifying: leaf)
        }
        for encoded in field.lengths[IndexKind.wildcardBoth] {
            let head = Int(encoded >> 16)
            let tail = Int(encoded & 0xFFFF)
            guard head + tail <= bytes.count else { continue }
            let scratch = self.scratch
            scratch.keyBuffer.removeAll(keepingCapacity: true)
            scratch.keyBuffer.append(contentsOf: prefix(bytes, head))
            scratch.keyBuffer.append(0xFF)
            scratch.keyBuffer.append(contentsOf: suffix(bytes, tail))
            scratch.keyBuffer.withUnsafeBufferPointer { lookup(fieldID, IndexKind.wildcardBoth, $0, verifying: leaf) }
        }
    }

    @inline(__always) private func prefix(_ bytes: UnsafeBufferPointer<UInt8>, _ length: Int) -> UnsafeBufferPointer<
        UInt8
    > {
        UnsafeBufferPointer(rebasing: bytes[0..<length])
    }

    @inline(__always) private func suffix(_ bytes: UnsafeBufferPointer<UInt8>, _ length: Int) -> UnsafeBufferPointer<
        UInt8
    > {
        UnsafeBufferPointer(rebasing: bytes[(bytes.count - length)...])
    }

    @inline(__always) private func forEachLength(
        _ field: FieldIndex, _ kind: Int, _ available: Int, _ body: (Int) -> Void
    ) {
        for length in field.lengths[kind] {
            if Int(length) > available { return }
            body(Int(length))
        }
    }

    private func lowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let scratch = self.scratch
        scratch.lowered.removeAll(keepingCapacity: true)
        for byte in bytes { scratch.lowered.append(asciiLower(byte)) }
        scratch.lowered.withUnsafeBufferPointer(body)
    }

    /// Hits the owners of the conditions stored under (field, kind, key); with `verifying`, only those whose
    /// condition holds on the leaf (wildcards found by their literal head or tail).
    @inline(__always) private func lookup(
        _ field: Int32, _ kind: Int, _ key: UnsafeBufferPointer<UInt8>, verifying leaf: LeafView? = nil
    ) {
        guard let posting = table.find(IndexKind.tag(field, kind), key) else { return }
        for id in postings[Int(posting)] {
            if let leaf, !conditions[Int(id)].matches(leaf) { continue }
            hit(conditionOwner[Int(id)])
        }
    }

    private func anythingBut(_ list: [Int32], excluding kind: Int, _ field: Int32, _ key: UnsafeBufferPointer<UInt8>) {
        guard !list.isEmpty else { return }
        let mark = scratch.nextMark()
        if let posting = table.find(IndexKind.tag(field, kind), key) {
            for id in postings[Int(posting)] { scratch.conditionMark[Int(id)] = mark }
        }
        for id in list where scratch.conditionMark[Int(id)] != mark { hit(conditionOwner[Int(id)]) }
    }

    private func anythingButNumber(_ field: FieldIndex, _ fieldID: Int32, _ leaf: LeafView) {
        if let value = leaf.number {
            let mark = scratch.nextMark()
            let slot = NumberSlot(
                tag: IndexKind.tag(fieldID, IndexKind.anythingButNumber), bits: (value == 0 ? 0 : value).bitPattern)
            if let posting = numberTable[slot] {
                for id in postings[Int(posting)] { scratch.conditionMark[Int(id)] = mark }
            }
            for id in field.anythingButNumbers where scratch.conditionMark[Int(id)] != mark {
                hit(conditionOwner[Int(id)])
            }
        } else {
            anythingBut(field.anythingButNumbers, excluding: IndexKind.anythingButNumberLiteral, fieldID, leaf.bytes)
        }
    }

    /// Records an anchor predicate's first hit in this event: the alternatives anchored on it become candidates
    /// (each alternative has exactly one anchor, so no alternative is listed twice).
    @inline(__always) private func hit(_ predicate: Int32) {
        let scratch = self.scratch
        let serial = scratch.serial
        guard scratch.predicateStamp[Int(predicate)] != serial else { return }
        scratch.predicateStamp[Int(predicate)] = serial
        scratch.candidates.append(contentsOf: predicateSubRules[Int(predicate)])
    }
}
