import ArchitectureSpecs
import ChangeStreams
import EventPatterns
import SimulationKernel
import Stochastics

/// A table with its change stream and the Lambda-style poller reading it (the real `ChangeStreams` module).
struct StreamState {
    let spec: StreamSpec
    let stream: RandomStream
    var table: Table
    var poller: StreamPoller
    let target: ComponentRef
    /// Results of finished invocations, handed to the poller at its next act.
    var results: [InvocationResult] = []
    var output = PollerOutput()
    /// Batches handed out and not yet finished: the poller's invocation and the copies it carries.
    var batches = Slab<(invocation: UInt64, copies: [Int32])>()
    /// The live copy of every record not yet done, by sequence number (unique within a stream).
    var copyOfRecord: [SequenceNumber: Int32] = [:]
    /// When the next poll event is already scheduled (avoids duplicates).
    var pollScheduledAt: SimTime = .max
}

extension ArchitectureSimulation {
    mutating func buildStreams(targets: [ComponentRef]) throws(SimulationError) {
        for (spec, target) in zip(architecture.streams, targets) {
            guard
                let view = StreamViewType.allCases.first(where: {
                    "\($0)" == spec.viewType || $0.rawValue == spec.viewType
                })
            else { throw SimulationError("stream '\(spec.name)': unknown view type '\(spec.viewType)'") }
            do {
                let table = try Table(
                    TableConfiguration(
                        keySchema: KeySchema(partitionKey: "pk"), partitionCount: spec.partitions, streamViewType: view)
                )
                let poller = try StreamPoller(
                    PollerConfiguration(
                        batchSize: spec.batchSize, maximumBatchingWindow: spec.batchingWindow,
                        parallelizationFactor: spec.parallelizationFactor,
                        bisectBatchOnFunctionError: spec.bisectOnError,
                        maximumRetryAttempts: spec.maximumRetryAttempts < 0 ? nil : spec.maximumRetryAttempts,
                        pollInterval: Time.nanoseconds(seconds: 1 / Swift.max(spec.pollsPerSecond, 1e-3))))
                streams.append(
                    StreamState(
                        spec: spec, stream: componentStream(spec.name), table: table,
                        poller: poller, target: target))
            } catch {
                throw SimulationError("stream '\(spec.name)': \(error)")
            }
        }
    }

    mutating func startStreamPolling<C: EventCalendar>(_ stream: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        schedulePoll(stream, scheduler: &scheduler)
    }

    /// Schedules the poller's next act if it is earlier than the one already scheduled.
    mutating func schedulePoll<C: EventCalendar>(_ stream: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let index = Int(stream)
        let wanted =
            streams[index].results.isEmpty
            ? (streams[index].poller.nextActionTime() ?? .max) : scheduler.now
        let at = Swift.max(wanted, scheduler.now)
        guard at < streams[index].pollScheduledAt, at <= productionEnd + scenario.drain else { return }
        streams[index].pollScheduledAt = at
        scheduler.schedule(.streamPoll(stream, 0), at: at)
    }

    /// A table write from a producer: the real table decides whether it yields a stream record.
    mutating func produceWrite<C: EventCalendar>(
        _ write: Workload.Write, stream streamIndex: Int, at now: SimTime, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let key = ItemKey(partition: .s("k\(write.key)"))
        let outcome: WriteOutcome
        do {
            switch write.operation {
            case .put:
                outcome = try streams[streamIndex].table.put(
                    [
                        "pk": .s("k\(write.key)"), "payload": .binarySize(write.size),
                        "version": .n(String(write.counter)),
                    ], at: now)
            case .update:
                outcome = try streams[streamIndex].table.update(
                    key, setting: "version", to: .n(String(write.counter)), at: now)
            case .delete:
                outcome = try streams[streamIndex].table.delete(key, at: now)
            }
        } catch {
            // Items are generated within the table's limits; a rejected write is still accounted for.
            let message = newMessage(event: [], bytes: Self.recordPlaceholderBytes, at: now)
            let copy = newCopy(
                message: message, target: streams[streamIndex].target, router: .stream(Int32(streamIndex)),
                at: now)
            endCopy(copy, fate: .dropped(.rejected))
            return
        }
        let message = newMessage(event: [], bytes: Self.recordPlaceholderBytes, at: now)
        let copy = newCopy(
            message: message, target: streams[streamIndex].target, router: .stream(Int32(streamIndex)),
            at: now)
        guard let sequence = outcome.sequenceNumber else {
            endCopy(copy, fate: .dropped(.noChange))
            return
        }
        streams[streamIndex].copyOfRecord[sequence] = copy
        copies[copy].record = sequence.rawValue
        schedulePoll(Int32(streamIndex), scheduler: &scheduler)
    }

    /// The poller acts: applies finished results, polls due shards, hands out batches.
    mutating func streamPoll<C: EventCalendar>(_ stream: Int32, shard: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let index = Int(stream)
        let now = scheduler.now
        if streams[index].pollScheduledAt == now { streams[index].pollScheduledAt = .max }
        let results = streams[index].results
        streams[index].results.removeAll(keepingCapacity: true)
        var output = streams[index].output
        output.removeAll()
        let table = streams[index].table
        do {
            try streams[index].poller.act(at: now, on: table, results: results, into: &output)
        } catch {
            preconditionFailure("stream poller rejected the simulator's own results: \(error)")
        }
        streams[index].output = output
        usage.streamReads = streams.reduce(0) { $0 + $1.poller.statistics.getRecordsCalls }
        for failed in output.failedBatches {
            // Discarded records go to the on-failure destination: dead-lettered.
            let discarded = streams[index].copyOfRecord.filter {
                $0.key >= failed.startSequenceNumber && $0.key <= failed.endSequenceNumber
            }
            for (sequence, copy) in discarded.sorted(by: { $0.key < $1.key }) {
                streams[index].copyOfRecord[sequence] = nil
                endCopy(copy, fate: .deadLettered)
            }
        }
        for invocation in output.invocations {
            var batchCopies: [Int32] = []
            batchCopies.reserveCapacity(invocation.records.count)
            for record in invocation.records {
                guard let copy = streams[index].copyOfRecord[record.sequenceNumber] else { continue }
                batchCopies.append(copy)
                if case .bus = streams[index].target.kind, messages[copies[copy].message].event.isEmpty {
                    messages[copies[copy].message].event = Self.eventText(
                        for: record, table: streams[index].spec.name)
                }
            }
            let batch = streams[index].batches.insert((invocation.id, batchCopies))
            let propagation = Time.nanoseconds(seconds: streams[index].spec.propagation.sample(streams[index].stream))
            scheduler.schedule(.streamBatchReady(stream, batch), after: propagation)
        }
        schedulePoll(stream, scheduler: &scheduler)
    }

    /// A batch reached its consumer: a function invocation, or one bus put per record.
    mutating func streamBatchReady<C: EventCalendar>(
        _ stream: Int32, batch: Int32, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(stream)
        let target = streams[index].target
        switch target.kind {
        case .function:
            submit(.streamBatch(stream: stream, batch: batch), to: target.index, scheduler: &scheduler)
        default:
            // A stream feeding a bus (a pipe): each record becomes an event routed by the bus's rules.
            let entry = streams[index].batches[batch]
            streams[index].batches.remove(batch)
            for copy in entry.copies {
                removeRecordMapping(stream: index, copy: copy)
                copies[copy].router = .producer
                attempt(copy, scheduler: &scheduler)
            }
            streams[index].results.append(InvocationResult(id: entry.invocation, outcome: .success))
            schedulePoll(stream, scheduler: &scheduler)
        }
    }

    func streamBatchSize(_ stream: Int32, batch: Int32) -> Int { streams[Int(stream)].batches[batch].copies.count }

    mutating func streamBatchDone<C: EventCalendar>(
        _ stream: Int32, batch: Int32, succeeded: Bool, processingStart: SimTime, sink: Int,
        scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(stream)
        let entry = streams[index].batches[batch]
        streams[index].batches.remove(batch)
        if succeeded {
            for copy in entry.copies {
                copies[copy].startedAt = processingStart
                removeRecordMapping(stream: index, copy: copy)
                deliver(copy, sink: sink, at: scheduler.now)
            }
        } else {
            ledger.retried += 1
            sinks[sink].retried += 1
        }
        streams[index].results.append(InvocationResult(id: entry.invocation, outcome: succeeded ? .success : .failure))
        schedulePoll(stream, scheduler: &scheduler)
    }

    mutating func removeRecordMapping(stream index: Int, copy: Int32) {
        streams[index].copyOfRecord[SequenceNumber(rawValue: copies[copy].record)] = nil
    }

    /// The bus event for a stream record (EventBridge Pipes' shape for a DynamoDB source, simplified).
    /// The size billed for a write's message: the event is built only when a poller hands the record to a bus,
    /// so the message is created with no event and the size of a JSON `null`.
    static let recordPlaceholderBytes = 4

    /// ``event(for:table:)``'s compact JSON text, written directly: no tree of values and strings per record (building
    /// and serializing one was half of a stream-to-bus scenario's samples). The same bytes (tested).
    /// - Complexity: O(size of the text); one allocation.
    static func eventText(for record: StreamRecord, table: String) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(320)
        func append(_ literal: StaticString) {
            text.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
        // The identifier, time and digits need no escapes.
        append(#"{"version":"0","id":""#)
        record.appendEventID(to: &text)
        append(#"","detail-type":"DynamoDB Stream Record","source":"aws.dynamodb","account":"123456789012","time":""#)
        CivilTime(simulated: record.approximateCreationTime).appendISO8601(to: &text)
        append(#"","region":"us-east-1","resources":["#)
        JSONValue.writeString("table/\(table)", to: &text)
        append(#"],"detail":{"eventName":"#)
        JSONValue.writeString(record.eventName.rawValue, to: &text)
        append(#","sequenceNumber":""#)
        record.sequenceNumber.appendDigits(to: &text)
        append(#"","sizeBytes":"#)
        text.append(contentsOf: String(record.sizeBytes).utf8)
        append("}}")
        return text
    }

    static func event(for record: StreamRecord, table: String) -> JSONValue {
        .object(
            JSONObject([
                ("version", .string("0")), ("id", .string(record.eventID)),
                ("detail-type", .string("DynamoDB Stream Record")), ("source", .string("aws.dynamodb")),
                ("account", .string("123456789012")),
                ("time", .string(CivilTime(simulated: record.approximateCreationTime).iso8601)),
                ("region", .string("us-east-1")), ("resources", .array([.string("table/\(table)")])),
                (
                    "detail",
                    .object(
                        JSONObject([
                            ("eventName", .string(record.eventName.rawValue)),
                            ("sequenceNumber", .string(record.sequenceNumber.description)),
                            ("sizeBytes", .number(JSONNumber(text: String(record.sizeBytes)))),
                        ]))
                ),
            ]))
    }
}
