@testable import EventPatterns

/// splitmix64: a tiny, fixed-seed generator so the randomized tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random events and patterns over a small vocabulary, so that patterns and events often meet.
struct RandomCorpus {
    var random: SplitMix64

    static let keys = ["a", "b", "c", "d.e"]
    static let strings = [
        "", "x", "xy", "Xy", "abc", "ABC", "abcabc", "10.0.0.1", "10.1.2.3", "a00::1", "straße", "STRASSE", "*", "a*c",
    ]
    static let numbers = ["0", "-0", "1", "1.5", "3", "3.0", "30e-1", "1e400", "12345678901234567890", "37.8", "-5"]

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    mutating func leaf() -> JSONValue {
        switch random.next() % 10 {
        case 0...4: .string(pick(Self.strings))
        case 5...7: .number(JSONNumber(text: pick(Self.numbers)))
        case 8: .bool(chance(50))
        default: .null
        }
    }

    mutating func eventValue(depth: Int) -> JSONValue {
        let roll = random.next() % 10
        if depth >= 3 || roll < 5 { return leaf() }
        if roll < 7 { return .object(eventObject(depth: depth + 1)) }
        let count = Int(random.next() % 4)
        if roll < 9 { return .array((0..<count).map { _ in leaf() }) }
        return .array((0..<count).map { _ in chance(80) ? .object(eventObject(depth: depth + 1)) : leaf() })
    }

    mutating func eventObject(depth: Int = 0) -> JSONObject {
        var object = JSONObject()
        for key in Self.keys where chance(60) { object[key] = eventValue(depth: depth) }
        return object
    }

    mutating func condition() -> JSONValue {
        func op(_ name: String, _ value: JSONValue) -> JSONValue { .object(JSONObject([(name, value)])) }
        let string = JSONValue.string(pick(["x", "a", "ab", "c", "Xy", "STRA", "ss", "straße", "10.0.0.1"]))
        switch random.next() % 20 {
        case 0...3: return leaf()
        case 4: return op("prefix", string)
        case 5: return op("suffix", string)
        case 6: return op("prefix", op("equals-ignore-case", string))
        case 7: return op("suffix", op("equals-ignore-case", string))
        case 8: return op("equals-ignore-case", string)
        case 9: return op("wildcard", .string(pick(["x*", "*y", "a*c", "*", "*b*", "a*b*c", "st*e"])))
        case 10:
            return op("anything-but", random.next() % 2 == 0 ? string : .number(JSONNumber(text: pick(Self.numbers))))
        case 11: return op("anything-but", .array([string, .string(pick(Self.strings))]))
        case 12:
            return op(
                "anything-but",
                op(pick(["prefix", "suffix", "equals-ignore-case", "wildcard"]), .string(pick(["x", "a", "ab*"]))))
        case 13:
            let bound = JSONValue.number(JSONNumber(text: pick(["0", "1", "3", "-5", "37.8"])))
            return op("numeric", .array([.string(pick(["=", "<", "<=", ">", ">="])), bound]))
        case 14:
            return op(
                "numeric",
                .array([.string(">="), .number(JSONNumber(text: "0")), .string("<"), .number(JSONNumber(text: "3"))]))
        case 15, 16: return op("exists", .bool(chance(50)))
        case 17: return op("cidr", .string(pick(["10.0.0.0/8", "10.0.0.0/24", "::/1"])))
        case 18: return op("anything-but", .array([.number(JSONNumber(text: "0")), .number(JSONNumber(text: "3"))]))
        default: return op("exactly", string)
        }
    }

    mutating func patternObject(depth: Int = 0) -> JSONObject {
        var object = JSONObject()
        while object.isEmpty {
            for key in Self.keys where chance(40) {
                if depth < 2 && chance(25) {
                    object[key] = .object(patternObject(depth: depth + 1))
                } else {
                    object[key] = .array((0..<(1 + Int(random.next() % 3))).map { _ in condition() })
                }
            }
            if depth < 2 && chance(10) {
                object["$or"] = .array([
                    .object(patternObject(depth: depth + 1)), .object(patternObject(depth: depth + 1)),
                ])
            }
        }
        return object
    }
}
