import Testing

@testable import ChangeStreams

@Suite("Packed record entries")
struct RecordRingTests {
    static func entry(sequence: UInt64, time: Int64, item: Int32 = 7, size: Int = 100, event: EventName = .modify)
        -> RecordEntry
    {
        RecordEntry(sequence: sequence, time: time, item: item, sizeBytes: size, eventName: event)
    }

    static func same(_ left: RecordEntry, _ right: RecordEntry) -> Bool {
        left.sequence == right.sequence && left.time == right.time && left.item == right.item
            && left.sizeAndEvent == right.sizeAndEvent
    }

    @Test("a packed entry is 16 bytes and unpacks to the entry, at the largest values that fit")
    func packingRoundTrips() throws {
        #expect(MemoryLayout<PackedEntry>.stride == 16)
        let base: UInt64 = 1_000
        let start: Int64 = -5 * hour
        for entry in [
            Self.entry(sequence: base, time: start, item: 0, size: 0, event: .insert),
            Self.entry(sequence: base + (1 << 31) - 1, time: start + (1 << 44) - 1, item: .max, size: (1 << 20) - 1),
            Self.entry(sequence: base + 12_345, time: start + 4 * hour, item: 99, size: 400_000, event: .remove),
        ] {
            let packed = try #require(PackedEntry(entry, baseSequence: base, baseTime: start))
            #expect(Self.same(packed.unpacked(baseSequence: base, baseTime: start), entry))
            #expect(packed.time(baseTime: start) == entry.time)
        }
    }

    @Test("an entry whose fields do not fit is not packed")
    func oversizedFieldsAreRefused() {
        let base: UInt64 = 1_000
        for entry in [
            Self.entry(sequence: base + (1 << 31), time: 0),
            Self.entry(sequence: base - 1, time: 0),
            Self.entry(sequence: base, time: 1 << 44),
            Self.entry(sequence: base, time: -1),
            Self.entry(sequence: base, time: 0, item: -1),
            Self.entry(sequence: base, time: 0, size: 1 << 20),
        ] {
            #expect(PackedEntry(entry, baseSequence: base, baseTime: 0) == nil)
        }
    }

    /// Random appends and removals from the front, checked against an array after every step; the times (`field` 1) or the
    /// sequence numbers (`field` 2) outgrow the packed form halfway, or nothing does (`nil`).
    @Test("a ring holds what an array would, before and after it switches to full entries", arguments: [nil, 1, 2])
    func matchesAnArray(outgrowing field: Int?) {
        var ring = RecordRing(baseSequence: 10, baseTime: 50)
        var model: [RecordEntry] = []
        var random: UInt64 = 3
        var sequence: UInt64 = 10
        var time: Int64 = 50
        for step in 0..<2_000 {
            random = StableHash.splitmix64(random)
            if random % 10 < 6 {
                sequence += 1 + random % 1_000
                time += Int64(random >> 40)
                if step == 1_000, field == 1 { time += 1 << 44 }
                if step == 1_000, field == 2 { sequence += 1 << 31 }
                let entry = Self.entry(
                    sequence: sequence, time: time, item: Int32(random % 500), size: Int(random >> 50),
                    event: [.insert, .modify, .remove][Int(random % 3)])
                ring.append(entry)
                model.append(entry)
            } else {
                let dropped = Int((random >> 8) % UInt64(min(model.count, 5) + 1))
                ring.removeFirst(dropped)
                model.removeFirst(dropped)
            }
            #expect(ring.count == model.count)
            #expect(ring.isFull == (field != nil && step >= 1_000))
            for offset in model.indices where !Self.same(ring[offset], model[offset]) {
                Issue.record("step \(step), offset \(offset): \(ring[offset]) instead of \(model[offset])")
            }
            for offset in model.indices where ring.time(at: offset) != model[offset].time {
                Issue.record("step \(step), offset \(offset): time \(ring.time(at: offset))")
            }
            // A range read run by run gives the entries the subscript gives, packed or full, and stops when told.
            var read: [RecordEntry] = []
            let lower = model.count / 3
            ring.forEach(in: lower..<model.count) { entry in
                read.append(entry)
                return read.count < 300
            }
            #expect(read.count == min(300, model.count - lower))
            for (index, entry) in read.enumerated() where !Self.same(entry, model[lower + index]) {
                Issue.record("step \(step), run offset \(index): \(entry)")
            }
        }
    }

    @Test("a shard open longer than the packed time range keeps its records' times and sequence numbers")
    func longShardsReadBackExactly() throws {
        var table = try makeTable(.keysOnly, rollover: 20 * hour)
        let times: [Int64] = [1, 3 * hour, 5 * hour + 17, 9 * hour + 3, 19 * hour]
        for (index, time) in times.enumerated() { try table.put(["pk": .s("a"), "n": .n(String(index))], at: time) }
        let records = try readEverything(table, at: 19 * hour)
        #expect(records.map(\.approximateCreationTime) == times)
        #expect(records.map(\.sequenceNumber.rawValue) == [1, 2, 3, 4, 5])
        #expect(records.map(\.eventName) == [.insert, .modify, .modify, .modify, .modify])
        #expect(table.stream.shards[0].entries.isFull)
        // A trim at the horizon still finds the retained records by time.
        try table.advance(to: 24 * hour + 3 * hour)
        #expect(table.retainedRecordCount == 3)
    }
}
