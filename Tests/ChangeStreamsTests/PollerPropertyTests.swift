import ChangeStreams
import PropertyBased
import Testing

/// Random poller settings and random handler outcomes (failures, partial failures, successes) over a stream
/// with rollovers and a partition split.
@Suite("Poller properties over random outcomes")
struct PollerPropertyTests {
    static func check(_ codes: [Int]) throws {
        var table = try makeTable(.keysOnly, partitions: 2, rollover: 1 * minute)
        for index in 0..<300 {
            if index == 150 { try table.splitPartition(codes[0] % 2, at: Int64(index) * second) }
            try table.put(["pk": .s("k\(index % 30)"), "n": .n(String(index))], at: Int64(index) * second)
        }
        let configuration = PollerConfiguration(
            batchSize: 1 + codes[1] % 20, parallelizationFactor: 1 + codes[2] % 10,
            bisectBatchOnFunctionError: codes[3] % 2 == 0, maximumRetryAttempts: codes[4] % 5 == 0 ? nil : codes[4] % 4)
        var poller = try StreamPoller(configuration)
        let trace = try drive(&poller, table, from: 300 * second, until: 400 * second) { invocation in
            let code = codes[Int(invocation.id % UInt64(codes.count))]
            if code < 300 { return .failure }
            if code < 350, invocation.records.count > 1 {
                return .partialFailure(firstFailed: invocation.records[invocation.records.count / 2].sequenceNumber)
            }
            return .success
        }
        let succeeded = trace.succeeded
        #expect(Set(succeeded).count == succeeded.count, "no record succeeds twice")
        let discarded = trace.failedBatches.reduce(0) { $0 + $1.batchSize }
        #expect(succeeded.count + discarded == 300, "every record succeeds or is discarded")
        #expect(poller.statistics.recordsDiscarded == discarded)
        if configuration.maximumRetryAttempts == nil { #expect(discarded == 0) }
        let written = try readEverything(table, at: 400 * second)
        let keyOf = Dictionary(uniqueKeysWithValues: written.map { ($0.sequenceNumber, $0.keys) })
        var lastPerKey: [ItemKey: SequenceNumber] = [:]
        for sequence in succeeded {
            let key = try #require(keyOf[sequence])
            if let last = lastPerKey[key] { #expect(last < sequence, "records of one item succeed in order") }
            lastPerKey[key] = sequence
        }
        #expect(poller.inFlightCount == 0)
        for checkpoint in poller.checkpoints {
            let iterator = try table.shardIterator(checkpoint.shard, .trimHorizon, at: 400 * second)
            let last = try table.getRecords(iterator, at: 400 * second).records.last?.sequenceNumber
            #expect(checkpoint.sequenceNumber == last, "the checkpoint covers every record of the shard")
        }
    }

    @Test("every record succeeds once or is discarded, and each item's records succeed in order")
    func everyRecordAccountedFor() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...999).array(of: 5...60)) { codes in
            try Self.check(codes)
        }
    }
}
