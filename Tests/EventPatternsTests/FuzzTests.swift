import Testing

@testable import EventPatterns

@Suite("Random and mutated input never crashes")
struct FuzzTests {
    static let alphabet = Array(#"{}[]",:0123456789.-+eEtrufalsn\ "abc*$/"#.utf8)

    /// Replaces, inserts or deletes a few bytes.
    static func mutate(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<(1 + Int(random.next() % 4)) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            let byte =
                random.next() % 8 == 0
                ? UInt8(truncatingIfNeeded: random.next()) : alphabet[Int(random.next() % UInt64(alphabet.count))]
            switch random.next() % 3 {
            case 0 where !bytes.isEmpty: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            default: if !bytes.isEmpty { bytes.remove(at: position) }
            }
        }
        return bytes
    }

    @Test(arguments: 0..<4)
    func mutatedPatternsAndEventsAreHandled(seed: Int) {
        var corpus = RandomCorpus(seed: UInt64(seed) &+ 77)
        var random = SplitMix64(seed: UInt64(seed) &* 31 &+ 5)
        let machine = RuleMachine()
        var accepted = 0
        for id in 0..<150 {
            let text = JSONValue.object(corpus.patternObject()).jsonText
            let mutated = String(decoding: Self.mutate(Array(text.utf8), &random), as: UTF8.self)
            if let pattern = try? EventPattern(text: mutated) {
                machine.add(pattern, id: id)
                accepted += 1
            }
        }
        #expect(accepted > 0)
        for _ in 0..<300 {
            let text = Array(JSONValue.object(corpus.eventObject()).jsonText.utf8)
            let mutated = Self.mutate(text, &random)
            let viaBytes = mutated.withUnsafeBufferPointer { buffer -> [Int]? in
                var result: [Int] = []
                return (try? machine.matches(json: buffer, into: &result)).map { result }
            }
            if let parsed = try? JSONParser.parse(bytes: mutated) {
                // Valid text must be accepted by the streaming path too (duplicate keys aside, which the tree
                // collapses, so compare on the parsed value's canonical text).
                #expect(viaBytes != nil || parsed.typeName != "object")
                if case .object = parsed {
                    #expect((try? machine.matches(jsonText: parsed.jsonText)) == machine.matches(parsed))
                }
            }
        }
    }

    @Test func randomBytesNeverCrashTheParsers() {
        var random = SplitMix64(seed: 99)
        let machine = RuleMachine()
        machine.add(try! EventPattern(text: #"{"a": [{"prefix": "x"}], "b": {"c": [{"exists": false}]}}"#), id: 1)
        for _ in 0..<2000 {
            let length = Int(random.next() % 40)
            let bytes = (0..<length).map { _ in Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))] }
            _ = try? JSONParser.parse(bytes: bytes)
            _ = try? EventPattern(text: String(decoding: bytes, as: UTF8.self))
            var result: [Int] = []
            bytes.withUnsafeBufferPointer { _ = try? machine.matches(json: $0, into: &result) }
        }
    }
}
