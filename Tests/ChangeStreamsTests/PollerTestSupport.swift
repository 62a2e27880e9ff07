import ChangeStreams

/// What a driven poller did.
struct PollerTrace {
    var invocations: [Invocation] = []
    var outcomes: [InvocationOutcome] = []
    var failedBatches: [FailedBatchRecord] = []
    var actTimes: [Int64] = []

    /// The sequence numbers of records whose invocation succeeded, in the order they succeeded.
    var succeeded: [SequenceNumber] {
        var result: [SequenceNumber] = []
        for (invocation, outcome) in zip(invocations, outcomes) {
            switch outcome {
            case .success: result += invocation.records.map(\.sequenceNumber)
            case .failure: break
            case .partialFailure(let first):
                result += invocation.records.prefix { $0.sequenceNumber != first }.map(\.sequenceNumber)
            }
        }
        return result
    }
}

/// Drives `poller` like the simulator will: acts whenever it asks to, and returns each invocation's outcome
/// (decided by `handler`) `latency` nanoseconds after the invocation.
func drive(
    _ poller: inout StreamPoller, _ table: Table, from start: Int64, until end: Int64, latency: Int64 = 10_000_000,
    handler: (Invocation) -> InvocationOutcome
) throws -> PollerTrace {
    var trace = PollerTrace()
    var pending: [(time: Int64, result: InvocationResult)] = []
    var output = PollerOutput()
    var now = start
    while now <= end {
        let due = pending.filter { $0.time <= now }.map(\.result)
        pending.removeAll { $0.time <= now }
        output.removeAll()
        try poller.act(at: now, on: table, results: due, into: &output)
        trace.actTimes.append(now)
        for invocation in output.invocations {
            let outcome = handler(invocation)
            trace.invocations.append(invocation)
            trace.outcomes.append(outcome)
            pending.append((now + latency, InvocationResult(id: invocation.id, outcome: outcome)))
        }
        trace.failedBatches += output.failedBatches
        let nextResult = pending.map(\.time).min()
        guard let next = [poller.nextActionTime(), nextResult].compactMap({ $0 }).min() else { break }
        now = max(now + 1, next)
    }
    return trace
}

/// A one-partition table holding `count` records: puts of items `k0`, `k1`, … (`keys` distinct), one
/// millisecond apart from time 0.
func tableWithWrites(_ count: Int, keys: Int = 1_000_000, partitions: Int = 1) throws -> Table {
    var table = try makeTable(.newImage, partitions: partitions, rollover: 100 * hour)
    for index in 0..<count {
        try table.put(["pk": .s("k\(index % keys)"), "n": .n(String(index))], at: Int64(index) * 1_000_000)
    }
    return table
}
