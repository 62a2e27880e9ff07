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
        var eager = positives.filter { Self.breadth(of: predicates[Int($0)].test) == 0 }
        if eager.isEmpty, let anchor = positives.min(by: {
            Self.breadth(of: predicates[Int($0)].test) < Self.breadth(of: predicates[Int($1)].test)
        }) {
            eager = [anchor]
        }
        let ordered = eager + positives.filter { !eager.contains($0) }
        let subRule = SubRule(
            ruleID: ruleID, positives: ordered, eagerCount: Int32(eager.count), absences: absences, isLive: true)
        let id: Int32
        if let free = freeSubRules.popLast() {
            id = free
            subRules[Int(id)] = subRule
        } else {
            id = Int32(subRules.count)
            subRules.append(subRule)
        }
        for predicate in positives { predicates[Int(predicate)].references += 1 }
        for predicate in eager {
            predicates[Int(predicate)].eagerSubRules.append(id)
            if predicates[Int(predicate)].eagerSubRules.count == 1 { register(predicate) }
        }
        if eager.isEmpty { absenceOnly.append(id) }
        return id
    }

    func removeSubRule(_ id: Int32) {
        let subRule = subRules[Int(id)]
        for (offset, predicate) in subRule.positives.enumerated() {
            let index = Int(predicate)
            if offset < Int(subRule.eagerCount) {
                predicates[index].eagerSubRules.removeAll { $0 == id }
                if predicates[index].eagerSubRules.isEmpty { unregister(predicate) }
            }
            predicates[index].references -= 1
            if predicates[index].references == 0 {
                predicateIds.removeValue(forKey: predicates[index].test)
                freePredicates.append(predicate)
            }
        }
        if subRule.eagerCount == 0 { absenceOnly.removeAll { $0 == id } }
        subRules[Int(id)].isLive = false
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
        }
        predicateIds[test] = id
        return id
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
