extension RuleMachine {
    /// Adds a condition id to (or removes it from) the index its kind belongs to.
    func index(_ condition: Condition, id: Int32, field: Int32, adding: Bool) {
        let index = fields[Int(field)]
        func posting(_ kind: Int, _ key: [UInt8], length: Bool = false, encodedLength: Int32? = nil) {
            let tag = IndexKind.tag(field, kind)
            if adding { addPosting(tag, key, id) } else { removePosting(tag, key, id) }
            index.kindCounts[kind] += adding ? 1 : -1
            if length || encodedLength != nil {
                updateLength(index, kind: kind, length: encodedLength ?? Int32(key.count), adding: adding)
            }
        }
        func list(_ list: inout [Int32]) {
            if adding { list.append(id) } else { list.removeAll { $0 == id } }
        }
        func number(_ kind: Int, _ value: Double) {
            let slot = NumberSlot(tag: IndexKind.tag(field, kind), bits: (value == 0 ? 0 : value).bitPattern)
            index.kindCounts[kind] += adding ? 1 : -1
            if adding {
                if let posting = numberTable[slot] {
                    postings[Int(posting)].append(id)
                } else {
                    numberTable[slot] = Int32(postings.count)
                    postings.append([id])
                }
            } else if let posting = numberTable[slot] {
                postings[Int(posting)].removeAll { $0 == id }
            }
        }
        switch condition {
        case .string(let string): posting(IndexKind.exact, Array(string.utf8))
        case .number(.value(let value)): number(IndexKind.exactNumber, value)
        case .number(.literal(let text)): posting(IndexKind.numberLiteral, Array(text.utf8))
        case .boolean(true): list(&index.trueConditions)
        case .boolean(false): list(&index.falseConditions)
        case .null: list(&index.nullConditions)
        case .exists: list(&index.existsConditions)
        case .prefix(let bytes): posting(IndexKind.prefix, bytes, length: true)
        case .suffix(let bytes): posting(IndexKind.suffix, bytes, length: true)
        case .prefixIgnoreCase(let folded) where folded.asciiLowercased != nil:
            posting(IndexKind.prefixIgnoreCase, folded.asciiLowercased ?? [], length: true)
        case .suffixIgnoreCase(let folded) where folded.asciiLowercased != nil:
            posting(IndexKind.suffixIgnoreCase, folded.asciiLowercased ?? [], length: true)
        case .equalsIgnoreCase(let folded) where folded.asciiLowercased != nil:
            posting(IndexKind.equalsIgnoreCase, folded.asciiLowercased ?? [])
        case .wildcard(let pattern)
        where pattern.pieces.count > 1 && !pattern.pieces[0].isEmpty
            && !pattern.pieces[pattern.pieces.count - 1].isEmpty && pattern.pieces[0].count < 0x7FFF
            && pattern.pieces[pattern.pieces.count - 1].count < 0xFFFF:
            let head = pattern.pieces[0]
            let tail = pattern.pieces[pattern.pieces.count - 1]
            posting(IndexKind.wildcardBoth, head + [0xFF] + tail, encodedLength: Int32(head.count << 16 | tail.count))
        case .wildcard(let pattern) where !pattern.pieces[0].isEmpty:
            posting(IndexKind.wildcardHead, pattern.pieces[0], length: true)
        case .wildcard(let pattern) where !pattern.pieces[pattern.pieces.count - 1].isEmpty:
            posting(IndexKind.wildcardTail, pattern.pieces[pattern.pieces.count - 1], length: true)
        case .numeric(let range):
            if adding { index.numeric.add(range, id: id) } else { index.numeric.remove(id: id, range: range) }
            dirtyNumeric.insert(field)
        case .anythingButStrings(let excluded):
            list(&index.anythingButStrings)
            for string in excluded.sorted() { posting(IndexKind.anythingButExclusion, Array(string.utf8)) }
        case .anythingButNumbers(let excluded):
            list(&index.anythingButNumbers)
            for key in excluded {
                switch key {
                case .value(let value): number(IndexKind.anythingButNumber, value)
                case .literal(let text): posting(IndexKind.anythingButNumberLiteral, Array(text.utf8))
                }
            }
        default: list(&index.linear)
        }
        index.refreshMask()
    }

    private func addPosting(_ tag: Int32, _ key: [UInt8], _ id: Int32) {
        if let posting = table.find(tag, key) {
            postings[Int(posting)].append(id)
        } else {
            table.insert(tag, key, value: Int32(postings.count))
            postings.append([id])
        }
    }

    private func removePosting(_ tag: Int32, _ key: [UInt8], _ id: Int32) {
        if let posting = table.find(tag, key) { postings[Int(posting)].removeAll { $0 == id } }
    }

    private func updateLength(_ index: FieldIndex, kind: Int, length: Int32, adding: Bool) {
        let count = (index.lengthCounts[kind][length] ?? 0) + (adding ? 1 : -1)
        index.lengthCounts[kind][length] = count > 0 ? count : nil
        if adding && count == 1 {
            index.lengths[kind].append(length)
            index.lengths[kind].sort()
        } else if !adding && count == 0 {
            index.lengths[kind].removeAll { $0 == length }
        }
    }
}
