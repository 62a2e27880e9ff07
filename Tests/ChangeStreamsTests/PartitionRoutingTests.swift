import ChangeStreams
import Testing

/// The store caches each item id's partition index after its first record; these tests check that records are
/// routed exactly as a table that never cached anything routes them.
@Suite("Partition routing of records")
struct PartitionRoutingTests {
    /// The keys the tests write, spread over every partition.
    static let names = (0..<64).map { "key-" + String($0) }

    @Test("records written after splits go to the shards of the partitions that now hold their keys")
    func splitsRerouteKnownKeys() throws {
        // `warm` routes every key before the splits; `cold` writes nothing before them. The splits open the same
        // shards in the same order in both, so each key's records must land in shards with the same identifiers.
        var warm = try makeTable(.keysOnly, partitions: 2)
        var cold = try makeTable(.keysOnly, partitions: 2)
        for name in Self.names { try warm.put(["pk": .s(name), "v": .n("1")], at: 0) }
        // Splitting partition 0 moves every later partition's index: cached indices would all be wrong.
        for (index, time) in [(1, 10), (0, 10), (3, 11)] as [(Int, Int64)] {
            try warm.splitPartition(index, at: time)
            try cold.splitPartition(index, at: time)
        }
        #expect(warm.partitionCount == 5)
        for name in Self.names {
            let written = try warm.put(["pk": .s(name), "v": .n("2")], at: 20)
            let expected = try cold.put(["pk": .s(name), "v": .n("2")], at: 20)
            #expect(written.shard == expected.shard, "\(name)")
            #expect(written.shard != nil)
        }
    }

    @Test("an id freed and reused by another key routes that key's records by the new key's hash")
    func reusedIDsRouteTheirNewKeys() throws {
        var reused = try makeTable(.keysOnly, partitions: 8)
        var fresh = try makeTable(.keysOnly, partitions: 8)
        // Every key's id is routed, then freed: the item deleted and its records trimmed after 24 hours.
        for (index, name) in Self.names.enumerated() {
            try reused.put(["pk": .s(name)], at: Int64(2 * index))
            try reused.delete(key(name), at: Int64(2 * index + 1))
        }
        try reused.advance(to: 25 * hour)
        try fresh.advance(to: 25 * hour)
        #expect(reused.retainedRecordCount == 0)
        // New keys take the freed ids (in another order than the old keys had them).
        for name in Self.names.reversed() {
            let other = "other-" + name
            let written = try reused.put(["pk": .s(other)], at: 26 * hour)
            let expected = try fresh.put(["pk": .s(other)], at: 26 * hour)
            #expect(written.shard == expected.shard, "\(other)")
        }
    }
}
