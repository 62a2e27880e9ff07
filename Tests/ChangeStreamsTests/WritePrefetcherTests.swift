import Testing

@testable import ChangeStreams

@Suite("Write prefetching")
struct WritePrefetcherTests {
    /// A table holding `count` items `k0`, `k1`, … with one attribute each, and their keys.
    static func filledTable(_ count: Int) throws -> (Table, [ItemKey]) {
        var table = try Table(TableConfiguration(keySchema: KeySchema(partitionKey: "pk"), partitionCount: 2))
        let keys = (0..<count).map { ItemKey(partition: .s("k\($0)")) }
        for (index, key) in keys.enumerated() {
            try table.put(Item([("pk", key.partition), ("v", .n(String(index)))]), at: Int64(index))
        }
        return (table, keys)
    }

    @Test("the entry stage finds the id a lookup finds, for every stored key")
    func entryStageFindsStoredIDs() throws {
        let (table, keys) = try Self.filledTable(3_000)
        for key in keys {
            let hash = ItemStore.hash(of: key)
            table.store.prefetchSlot(hash: hash)
            let id = table.store.prefetchEntry(hash: hash)
            #expect(id != nil)
            #expect(id == table.store.find(key))
            if let id { table.store.prefetchItem(at: id) }
        }
    }

    @Test("the entry stage finds nothing for keys never stored (barring 32-bit tag collisions)")
    func entryStageMissesAbsentKeys() throws {
        let (table, _) = try Self.filledTable(3_000)
        var found = 0
        for index in 0..<3_000 {
            let hash = ItemStore.hash(of: ItemKey(partition: .s("absent-\(index)")))
            if table.store.prefetchEntry(hash: hash) != nil { found += 1 }
        }
        #expect(found == 0)
        // Ids out of range (freed and never reused, or invented) are ignored.
        table.store.prefetchItem(at: -1)
        table.store.prefetchItem(at: 1 << 30)
    }

    @Test("feeding keys ahead changes no outcome: new keys, deletes and re-inserts included")
    func feedingChangesNoOutcome() throws {
        let (start, keys) = try Self.filledTable(500)
        // Keys 0..<1000: half stored, half new.
        let all = keys + (500..<1_000).map { ItemKey(partition: .s("k\($0)")) }
        var plain = start
        var fed = start
        var prefetcher = WritePrefetcher()
        var random: UInt64 = 99
        var script: [(Int, UInt64)] = []
        for _ in 0..<6_000 {
            random = StableHash.splitmix64(random)
            script.append((Int(random % UInt64(all.count)), random >> 32))
        }
        func write(_ table: inout Table, _ step: Int) throws -> WriteOutcome {
            let (index, choice) = script[step]
            let now = Int64(1_000 + step)
            switch choice % 3 {
            case 0: return try table.delete(all[index], at: now)
            case 1: return try table.update(all[index], setting: "v", to: .n(String(choice % 50)), at: now)
            default:
                return try table.put(Item([("pk", all[index].partition), ("w", .s(String(choice % 7)))]), at: now)
            }
        }
        for step in script.indices {
            let ahead = step + WritePrefetcher.depth
            if ahead < script.count {
                all.withUnsafeBufferPointer { prefetcher.feed($0.baseAddress! + script[ahead].0, table: fed) }
            }
            let expected = try write(&plain, step)
            let outcome = try write(&fed, step)
            #expect(outcome == expected)
        }
        #expect(fed.itemCount == plain.itemCount)
        for key in all { #expect(fed.item(key) == plain.item(key)) }
    }

    @Test("the benchmark's figures are the same with and without prefetching")
    func benchmarkFiguresDoNotDependOnPrefetching() throws {
        for view in [StreamViewType.keysOnly, .newAndOldImages] {
            let with = try StreamBenchmark.run(items: 5_000, writes: 40_000, seed: 3, viewType: view, prefetch: true)
            let without = try StreamBenchmark.run(
                items: 5_000, writes: 40_000, seed: 3, viewType: view, prefetch: false)
            #expect(with.records == without.records)
            #expect(with.recordsRead == without.recordsRead)
            #expect(with.peakRetainedRecords == without.peakRetainedRecords)
            #expect(with.bytesPerRecord == without.bytesPerRecord)
        }
        #expect(!WritePrefetcher.worthwhile(items: 1_000))
        #expect(WritePrefetcher.worthwhile(items: 100_000))
    }

    @Test("the draw ring yields splitmix64's sequence, and looks ahead into it")
    func drawRingFollowsSplitmix() {
        var ring = DrawRing(seed: 42)
        var state: UInt64 = 42
        var sequence: [UInt64] = []
        for _ in 0..<100 {
            state = StableHash.splitmix64(state)
            sequence.append(state)
        }
        for index in 0..<90 {
            for offset in 0..<8 where index + offset < sequence.count {
                #expect(ring[offset] == sequence[index + offset])
            }
            #expect(ring.next() == sequence[index])
        }
    }
}
