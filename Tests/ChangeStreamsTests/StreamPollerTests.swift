import ChangeStreams
import Testing

@Suite("Lambda-style stream poller")
struct StreamPollerTests {
    @Test("records go out in batches of the batch size, in order, and the checkpoint follows")
    func batchesInOrder() throws {
        let table = try tableWithWrites(250)
        var poller = try StreamPoller(PollerConfiguration(batchSize: 100))
        let trace = try drive(&poller, table, from: 1 * second, until: 3 * second) { _ in .success }
        #expect(trace.invocations.map(\.records.count) == [100, 100, 50])
        #expect(trace.invocations.allSatisfy { $0.attempt == 1 })
        let all = try readEverything(table, at: 3 * second).map(\.sequenceNumber)
        #expect(trace.succeeded == all)
        #expect(poller.checkpoints.map(\.sequenceNumber) == [all.last])
        #expect(poller.statistics.recordsSucceeded == 250)
        #expect(poller.inFlightCount == 0)
    }

    @Test("the poller polls each shard every 250 ms")
    func pollsFourTimesASecond() throws {
        let table = try tableWithWrites(1)
        var poller = try StreamPoller()
        let trace = try drive(&poller, table, from: 0, until: 1 * second - 1) { _ in .success }
        #expect(trace.actTimes.filter { $0 % 250_000_000 == 0 } == [0, 250, 500, 750].map { $0 * 1_000_000 })
        #expect(poller.statistics.getRecordsCalls == 4)
    }

    @Test("a batching window holds records until the batch is full or the window ends")
    func batchingWindowHoldsRecords() throws {
        var table = try tableWithWrites(10)
        var poller = try StreamPoller(PollerConfiguration(batchSize: 20, maximumBatchingWindow: 2 * second))
        var output = PollerOutput()
        try poller.act(at: 1 * second, on: table, results: [], into: &output)
        #expect(output.invocations.isEmpty)
        #expect(poller.nextActionTime() == 1 * second + 250_000_000)
        for index in 10..<25 { try table.put(["pk": .s("x\(index)")], at: 1 * second + 100) }
        try poller.act(at: 1 * second + 250_000_000, on: table, results: [], into: &output)
        #expect(output.invocations.map(\.records.count) == [20])
        output.removeAll()
        try poller.act(
            at: 2 * second, on: table, results: [InvocationResult(id: 1, outcome: .success)], into: &output)
        #expect(output.invocations.isEmpty)
        #expect(poller.nextActionTime() == 2 * second + 250_000_000)
        let trace = try drive(&poller, table, from: 2 * second, until: 4 * second) { _ in .success }
        #expect(trace.invocations.map(\.records.count) == [5])
        #expect(trace.actTimes.contains(1 * second + 250_000_000 + 2 * second))
    }

    @Test("a failing batch is retried until it succeeds, blocking the shard meanwhile")
    func retriesUntilSuccess() throws {
        let table = try tableWithWrites(150)
        var poller = try StreamPoller(PollerConfiguration(batchSize: 100))
        var failures = 2
        let trace = try drive(&poller, table, from: 1 * second, until: 3 * second) { _ in
            if failures > 0 {
                failures -= 1
                return .failure
            }
            return .success
        }
        #expect(trace.invocations.map(\.attempt) == [1, 2, 3, 1])
        #expect(trace.invocations[0].records == trace.invocations[2].records)
        #expect(trace.succeeded.count == 150)
        #expect(Set(trace.succeeded).count == 150)
        #expect(poller.statistics.retries == 2)
    }

    @Test("after the maximum retry attempts the batch goes to the on-failure destination")
    func retriesExhausted() throws {
        let table = try tableWithWrites(150)
        var poller = try StreamPoller(PollerConfiguration(batchSize: 100, maximumRetryAttempts: 2))
        let trace = try drive(&poller, table, from: 1 * second, until: 3 * second) { invocation in
            invocation.records.count == 100 ? .failure : .success
        }
        #expect(trace.invocations.map(\.attempt) == [1, 2, 3, 1])
        let failed = try #require(trace.failedBatches.first)
        #expect(trace.failedBatches.count == 1)
        #expect(failed.condition == .retryAttemptsExhausted)
        #expect(failed.condition.rawValue == "RetryAttemptsExhausted")
        #expect(failed.batchSize == 100)
        #expect(failed.approximateInvokeCount == 3)
        #expect(failed.startSequenceNumber == trace.invocations[0].records.first?.sequenceNumber)
        #expect(failed.endSequenceNumber == trace.invocations[0].records.last?.sequenceNumber)
        #expect(trace.succeeded.count == 50)
        #expect(poller.statistics.recordsDiscarded == 100)
        #expect(poller.checkpoints.map(\.sequenceNumber) == [trace.invocations[3].records.last?.sequenceNumber])
    }

    @Test("bisecting isolates a poisoned record; the rest succeeds")
    func bisectIsolatesThePoison() throws {
        let table = try tableWithWrites(8)
        let records = try readEverything(table, at: 1 * second)
        let poison = records[5].sequenceNumber
        var poller = try StreamPoller(
            PollerConfiguration(batchSize: 8, bisectBatchOnFunctionError: true, maximumRetryAttempts: 3))
        let trace = try drive(&poller, table, from: 1 * second, until: 3 * second) { invocation in
            invocation.records.contains { $0.sequenceNumber == poison } ? .failure : .success
        }
        #expect(trace.invocations.map(\.records.count) == [8, 4, 4, 2, 1, 1, 2])
        #expect(trace.succeeded == records.map(\.sequenceNumber).filter { $0 != poison })
        #expect(trace.failedBatches.map(\.startSequenceNumber) == [poison])
        #expect(trace.failedBatches.first?.approximateInvokeCount == 4)
    }

    @Test("records older than the maximum record age are discarded instead of retried or sent")
    func maximumRecordAgeDiscards() throws {
        let table = try tableWithWrites(10)
        var poller = try StreamPoller(PollerConfiguration(batchSize: 10, maximumRecordAge: 60 * second))
        let trace = try drive(&poller, table, from: 1 * second, until: 70 * second, latency: 1 * second) { _ in
            .failure
        }
        #expect(trace.invocations.count == 60)
        #expect(trace.failedBatches.map(\.condition) == [.recordAgeExceeded])
        #expect(trace.failedBatches.first?.batchSize == 10)
        var late = try StreamPoller(PollerConfiguration(maximumRecordAge: 60 * second))
        let lateTrace = try drive(&late, table, from: 2 * minute, until: 2 * minute) { _ in .success }
        #expect(lateTrace.invocations.isEmpty)
        #expect(lateTrace.failedBatches.map(\.approximateInvokeCount) == [0])
        #expect(late.statistics.recordsDiscarded == 10)
    }

    @Test("a partial failure retries from the first failed record")
    func partialFailureRetriesTheRest() throws {
        let table = try tableWithWrites(10)
        let records = try readEverything(table, at: 1 * second)
        var poller = try StreamPoller(PollerConfiguration(batchSize: 10))
        let trace = try drive(&poller, table, from: 1 * second, until: 2 * second) { invocation in
            invocation.attempt == 1 ? .partialFailure(firstFailed: records[3].sequenceNumber) : .success
        }
        #expect(trace.invocations.map(\.records.count) == [10, 7])
        #expect(trace.invocations[1].records.first == records[3])
        #expect(trace.succeeded == records.map(\.sequenceNumber))
    }

    @Test("parallelization runs lanes concurrently while each item keeps its order")
    func parallelizationKeepsItemOrder() throws {
        let table = try tableWithWrites(2_000, keys: 40)
        var poller = try StreamPoller(PollerConfiguration(batchSize: 25, parallelizationFactor: 4))
        let trace = try drive(&poller, table, from: 3 * second, until: 10 * second, latency: 100_000_000) { _ in
            .success
        }
        var perKey: [ItemKey: [SequenceNumber]] = [:]
        for invocation in trace.invocations {
            for record in invocation.records { perKey[record.keys, default: []].append(record.sequenceNumber) }
        }
        #expect(perKey.values.allSatisfy { $0 == $0.sorted() })
        #expect(Set(trace.invocations.map(\.lane)) == [0, 1, 2, 3])
        #expect(trace.succeeded.count == 2_000)
        let firstWave = trace.invocations.prefix { $0.id <= 4 }
        #expect(firstWave.count == 4)
        #expect(Set(firstWave.map(\.lane)).count == 4)
    }

    @Test("a failing lane blocks itself at once, the shard once its buffer fills, and holds the checkpoint back")
    func failingLaneHoldsTheCheckpoint() throws {
        let table = try tableWithWrites(400, keys: 40)
        let records = try readEverything(table, at: 1 * second)
        var poller = try StreamPoller(PollerConfiguration(batchSize: 10, parallelizationFactor: 2))
        let stuckLane = Int(records[0].keys.partitionHash % 2)
        let trace = try drive(&poller, table, from: 1 * second, until: 2 * second) { invocation in
            invocation.lane == stuckLane ? .failure : .success
        }
        let otherLane = records.filter { Int($0.keys.partitionHash % 2) != stuckLane }
        #expect(trace.succeeded.count >= 10)
        #expect(trace.succeeded.count < otherLane.count)
        #expect(trace.succeeded == otherLane.prefix(trace.succeeded.count).map(\.sequenceNumber))
        #expect(
            trace.invocations.filter { $0.lane == stuckLane }.map(\.attempt)
                == Array(
                    1...trace.invocations.filter {
                        $0.lane == stuckLane
                    }.count))
        #expect(poller.checkpoints.map(\.sequenceNumber) == [nil])
    }

    @Test("a child shard is polled only after its parent is finished")
    func parentBeforeChild() throws {
        var table = try makeTable(.newImage, rollover: 1 * hour)
        for index in 0..<30 {
            try table.put(["pk": .s("a"), "n": .n(String(index))], at: Int64(index) * 10 * minute)
        }
        var poller = try StreamPoller(PollerConfiguration(batchSize: 4))
        let trace = try drive(&poller, table, from: 5 * hour, until: 5 * hour + 5 * second) { _ in .success }
        let values = trace.invocations.flatMap(\.records).map { $0.newImage?["n"] }
        #expect(values == (0..<30).map { AttributeValue.n(String($0)) })
        #expect(trace.invocations.map(\.shard.rawValue) == trace.invocations.map(\.shard.rawValue).sorted())
        #expect(Set(trace.invocations.map(\.shard)).count == 5)
    }

    @Test("out-of-range settings and unknown results are rejected with clear errors")
    func invalidInputsAreRejected() throws {
        #expect(
            throws: ChangeStreamError.invalidConfiguration(
                field: "parallelizationFactor", value: "11", expected: "1 to 10")
        ) {
            try StreamPoller(PollerConfiguration(parallelizationFactor: 11))
        }
        #expect(throws: ChangeStreamError.self) { try StreamPoller(PollerConfiguration(batchSize: 0)) }
        #expect(throws: ChangeStreamError.self) { try StreamPoller(PollerConfiguration(maximumRetryAttempts: -1)) }
        #expect(throws: ChangeStreamError.self) { try StreamPoller(PollerConfiguration(maximumRecordAge: second)) }
        #expect(throws: ChangeStreamError.self) {
            try StreamPoller(PollerConfiguration(maximumBatchingWindow: 301 * second))
        }
        let table = try tableWithWrites(1)
        var poller = try StreamPoller()
        var output = PollerOutput()
        #expect(throws: ChangeStreamError.unknownInvocation(7)) {
            try poller.act(at: 0, on: table, results: [InvocationResult(id: 7, outcome: .success)], into: &output)
        }
        try poller.act(at: 5, on: table, results: [], into: &output)
        #expect(throws: ChangeStreamError.timeWentBackwards(now: 4, last: 5)) {
            try poller.act(at: 4, on: table, results: [], into: &output)
        }
    }
}
