import ChangeStreams

/// Simulated durations in nanoseconds.
let second: Int64 = 1_000_000_000
let minute: Int64 = 60 * second
let hour: Int64 = 60 * minute

/// A key of the single-attribute key schema `pk`.
func key(_ name: String) -> ItemKey { ItemKey(partition: .s(name)) }

/// A table keyed by `pk` with the given view type and partitions.
func makeTable(
    _ view: StreamViewType? = .newAndOldImages, partitions: Int = 1, rollover: Int64 = 4 * hour
) throws -> Table {
    try Table(
        TableConfiguration(
            keySchema: KeySchema(partitionKey: "pk"), partitionCount: partitions, streamViewType: view,
            shardRolloverInterval: rollover))
}

/// Every record of every shard from the trim horizon, shard by shard in identifier order.
func readEverything(_ table: Table, at now: Int64) throws -> [StreamRecord] {
    var records: [StreamRecord] = []
    for shard in table.describeStream().shards {
        var iterator: ShardIterator? = try table.shardIterator(shard.id, .trimHorizon, at: now)
        while let current = iterator {
            let before = records.count
            iterator = try table.readRecords(current, at: now, into: &records)
            if records.count == before, iterator != nil { break }
        }
    }
    return records
}
