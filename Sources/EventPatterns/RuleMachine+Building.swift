extension RuleMachine {
    /// The field id of a dotted path, creating its trie nodes on first use.
    func fieldID(for path: String) -> Int32 {
        if let id = fieldIds[path] { return id }
        var node: Int32 = 0
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            let key = Array(segment.utf8)
            if let child = segments.find(node, key) {
                node = child
            } else {
                let child = Int32(nodeField.count)
                nodeField.append(-1)
                segments.insert(node, key, value: child)
                node = child
            }
        }
        let id = Int32(fields.count)
        fields.append(FieldIndex())
        fieldPaths.append(path)
        fieldIds[path] = id
        nodeField[Int(node)] = id
        return id
    }

    func addSubRule(_ alternative: SubPattern, ruleID: Int) -> Int32 {
        var positives: [Int32] = []
        var absences: [Int32] = []
        for test in alternative.tests {
            let field = fieldID(for: test.path)
            if test.isAbsence {
                if !absences.contains(field) { absences.append(field) }
                continue
            }
            let predicate = predicateID(for: test, field: field)
            if !positives.contains(predicate) { positives.append(predicate) }
        }
        // One anchor per alternative: the narrowest-looking predicate, preferring ones few alternatives anchor
        // on already (a value shared by thousands of rules, like ODD_EVEN = "E", is a poor anchor).
        let eager = positives.min { anchorScore($0) < anchorScore($1) }.map { [$0] } ?? []
        let ordered = eager + positives.filter { !eager.contains($0) }
        let subRule = SubRule(
            ruleID: ruleID, positives: ordered, eagerCount: Int32(eager.count), absences: absences)
        let id: Int32
        if let free = freeSubRules.popLast() {
            id = free
            subRules[Int(id)] = subRule
        } else {
            id = Int32(subRules.count)
            subRules.append(subRule)
        }
        for predicate in positives { predicates[Int(predicate)].references += 1 }
        for predicate in eager { anchor(id, on: predicate) }
        if eager.isEmpty { absenceOnly.append(id) }
        for predicate in positives {
            let references = predicates[Int(predicate)].references
            if references >= 8 && references & (references - 1) == 0 { reanchor(predicate) }
        }
        return id
    }

    private func anchor(_ subRule: Int32, on predicate: Int32) {
        predicateSubRules[Int(predicate)].append(subRule)
        if predicateSubRules[Int(predicate)].count == 1 { register(predicate) }
    }

    /// Moves the alternatives anchored on a predicate that turned out popular (its use count reached a power of
    /// two ≥ 8) to a better anchor of theirs, if they have one; keeps anchors narrow as rules accumulate.
    private func reanchor(_ predicate: Int32) {
        let anchored = predicateSubRules[Int(predicate)]
        guard !anchored.isEmpty else { return }
        for subRule in anchored {
            let positives = subRules[Int(subRule)].positives
            guard positives.count > 1,
                let best = positives.min(by: { anchorScore($0) < anchorScore($1) }), best != predicate
            else { continue }
            predicateSubRules[Int(predicate)].removeAll { $0 == subRule }
            anchor(subRule, on: best)
            subRules[Int(subRule)].positives = [best] + positives.filter { $0 != best }
        }
        if predicateSubRules[Int(predicate)].isEmpty { unregister(predicate) }
    }

    func removeSubRule(_ id: Int32) {
        let subRule = subRules[Int(id)]
        for (offset, predicate) in subRule.positives.enumerated() {
            let index = Int(predicate)
            if offset < Int(subRule.eagerCount) {
                predicateSubRules[index].removeAll { $0 == id }
                if predicateSubRules[index].isEmpty { unregister(predicate) }
            }
            predicates[index].references -= 1
            if predicates[index].references == 0 {
                predicateIds.removeValue(forKey: predicates[index].test)
                freePredicates.append(predicate)
            }
        }
        if subRule.eagerCount == 0 { absenceOnly.removeAll { $0 == id } }
        subRules[Int(id)].positives = []
        subRules[Int(id)].absences = []
        freeSubRules.append(id)
    }

    private func predicateID(for test: FieldTest, field: Int32) -> Int32 {
        if let id = predicateIds[test] { return id }
        let predicate = Predicate(test: test, field: field)
        let id: Int32
        if let free = freePredicates.popLast() {
            id = free
            predicates[Int(id)] = predicate
        } else {
            id = Int32(predicates.count)
            predicates.append(predicate)
            predicateSubRules.append([])
        }
        predicateIds[test] = id
        return id
    }

    /// How poor an anchor the predicate would be: (breadth, alternatives using it, −specificity).
    private func anchorScore(_ predicate: Int32) -> (Int, Int, Int) {
        let test = predicates[Int(predicate)].test
        let specificity =
            test.conditions.map { condition -> Int in
                switch condition {
                // Kind first (an exact value beats a case-insensitive one of any length), then length.
                case .string(let string): 100 + string.utf8.count
                case .number, .ipAddress: 100
                case .equalsIgnoreCase(let folded): 60 + folded.alternatives.count
                case .numeric(let range): range.lower != nil && range.upper != nil ? 50 : 2
                case .prefix(let bytes), .suffix(let bytes): 40 + bytes.count
                case .wildcard(let pattern): pattern.pieces.reduce(30) { $0 + $1.count }
                case .prefixIgnoreCase(let folded), .suffixIgnoreCase(let folded): 30 + folded.alternatives.count
                default: 0
                }
            }.min() ?? 0
        return (Self.breadth(of: test), Int(predicates[Int(predicate)].references), -specificity)
    }

    /// 0 for predicates whose conditions are all selective and indexed; higher for broader ones (used to pick
    /// the anchor of an alternative that has no selective predicate): 1 specific but scanned, 2 anything-but,
    /// 3 exists.
    static func breadth(of test: FieldTest) -> Int {
        test.conditions.map { condition -> Int in
            switch condition {
            case .string, .number, .boolean, .null, .prefix, .suffix, .numeric: return 0
            case .equalsIgnoreCase(let folded), .prefixIgnoreCase(let folded), .suffixIgnoreCase(let folded):
                return folded.asciiLowercased == nil ? 1 : 0
            case .wildcard(let pattern):
                return pattern.pieces[0].isEmpty && pattern.pieces[pattern.pieces.count - 1].isEmpty ? 1 : 0
            case .ipAddress, .cidr: return 1
            case .anythingButStrings, .anythingButNumbers, .anythingButPrefix, .anythingButSuffix,
                .anythingButIgnoreCase, .anythingButWildcard:
                return 2
            case .exists: return 3
            }
        }.max() ?? 0
    }

    /// Puts every condition of the predicate into its field's indexes.
    private func register(_ predicate: Int32) {
        let test = predicates[Int(predicate)].test
        let field = predicates[Int(predicate)].field
        var ids: [Int32] = []
        for condition in test.conditions {
            let id: Int32
            if let free = freeConditions.popLast() {
                id = free
                conditions[Int(id)] = condition
                conditionOwner[Int(id)] = predicate
            } else {
                id = Int32(conditions.count)
                conditions.append(condition)
                conditionOwner.append(predicate)
            }
            ids.append(id)
            index(condition, id: id, field: field, adding: true)
        }
        predicates[Int(predicate)].conditionIDs = ids
    }

    private func unregister(_ predicate: Int32) {
        let field = predicates[Int(predicate)].field
        for id in predicates[Int(predicate)].conditionIDs {
            index(conditions[Int(id)], id: id, field: field, adding: false)
            conditionOwner[Int(id)] = -1
            freeConditions.append(id)
        }
        predicates[Int(predicate)].conditionIDs = []
    }
}
