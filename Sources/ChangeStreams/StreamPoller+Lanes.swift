/// Polling shards, forming batches, and handling invocation results.
extension StreamPoller {
    /// Reads the shard until its lanes hold `room` records or no more records are available.
    mutating func poll(_ index: Int, _ table: Table, at now: Int64) {
        leases[index].nextPollAt = now + configuration.pollInterval
        var buffer: [StreamRecord] = []
        var errors = 0
        while leases[index].buffered < room, !leases[index].ended, errors < 4 {
            do throws(ChangeStreamError) {
                if leases[index].needsIterator {
                    leases[index].iterator = try table.shardIterator(
                        leases[index].id, leases[index].reissue, at: now)
                    leases[index].needsIterator = false
                }
                guard let iterator = leases[index].iterator else { return }
                let limit = min(StreamLimits.maximumRecordsPerRead, room - leases[index].buffered)
                buffer.removeAll(keepingCapacity: true)
                statistics.getRecordsCalls += 1
                let next = try table.readRecords(iterator, limit: limit, at: now, into: &buffer)
                for record in buffer { enqueue(record, index, at: now) }
                leases[index].iterator = next
                if next == nil { leases[index].ended = true }
                if buffer.count < limit { return }
            } catch {
                errors += 1
                recover(index, error, table, at: now)
            }
        }
    }

    mutating func recover(_ index: Int, _ error: ChangeStreamError, _ table: Table, at now: Int64) {
        leases[index].needsIterator = true
        switch error {
        case .expiredIterator:
            if let iterator = leases[index].iterator {
                leases[index].iterator = iterator.renewed(at: now)
                leases[index].needsIterator = false
            }
        case .trimmedDataAccess:
            statistics.trimmedDataEvents += 1
            leases[index].reissue = .trimHorizon
            if table.stream.index(of: leases[index].id) == nil { leases[index].ended = true }
        default:
            leases[index].ended = true
        }
    }

    mutating func enqueue(_ record: StreamRecord, _ index: Int, at now: Int64) {
        let lane = Int(record.keys.partitionHash % UInt64(configuration.parallelizationFactor))
        if leases[index].lanes[lane].queue.isEmpty { leases[index].lanes[lane].windowStart = now }
        leases[index].lanes[lane].queue.append(record)
        leases[index].lanes[lane].queueBytes += record.sizeBytes
        leases[index].buffered += 1
        leases[index].unchecked.append(record.sequenceNumber)
        leases[index].lastFetched = record.sequenceNumber
    }

    /// Hands out the lane's next batch if nothing is in flight: a retry first, else new records once a full
    /// batch, a full payload, or the end of the batching window is reached.
    mutating func dispatch(_ index: Int, _ lane: Int, at now: Int64, into output: inout PollerOutput) {
        while leases[index].lanes[lane].inFlight == nil {
            if let batch = leases[index].lanes[lane].retries.popLast() {
                if isTooOld(batch.records, at: now) {
                    discard(batch, index, .recordAgeExceeded, at: now, into: &output)
                    continue
                }
                send(batch, index, lane, into: &output)
                return
            }
            guard let first = leases[index].lanes[lane].queue.first else { return }
            if let age = configuration.maximumRecordAge, now - first.approximateCreationTime > age {
                let expired = take(index, lane) { now - $0.approximateCreationTime > age }
                discard(
                    PendingBatch(records: expired, failedAttempts: 0), index, .recordAgeExceeded, at: now,
                    into: &output)
                continue
            }
            let state = leases[index].lanes[lane]
            let full =
                state.queue.count >= configuration.batchSize
                || state.queueBytes >= configuration.maximumPayloadBytes
            guard full || now >= state.windowStart + configuration.maximumBatchingWindow else { return }
            let records = take(index, lane) { _ in true }
            leases[index].lanes[lane].windowStart = now
            send(PendingBatch(records: records, failedAttempts: 0), index, lane, into: &output)
        }
    }

    /// Removes from the lane's queue the longest prefix of records satisfying `condition`, at most a batch and
    /// within the payload limit (but at least one record).
    mutating func take(_ index: Int, _ lane: Int, while condition: (StreamRecord) -> Bool) -> [StreamRecord] {
        var records: [StreamRecord] = []
        var bytes = 0
        while records.count < configuration.batchSize, let record = leases[index].lanes[lane].queue.first,
            condition(record),
            records.isEmpty || bytes + record.sizeBytes <= configuration.maximumPayloadBytes
        {
            records.append(record)
            bytes += record.sizeBytes
            leases[index].lanes[lane].queue.removeFirst()
        }
        leases[index].lanes[lane].queueBytes -= bytes
        leases[index].buffered -= records.count
        return records
    }

    func isTooOld(_ records: [StreamRecord], at now: Int64) -> Bool {
        guard let age = configuration.maximumRecordAge, let first = records.first else { return false }
        return now - first.approximateCreationTime > age
    }

    mutating func send(_ batch: PendingBatch, _ index: Int, _ lane: Int, into output: inout PollerOutput) {
        let id = nextInvocationID
        nextInvocationID += 1
        leases[index].lanes[lane].inFlight = batch
        leases[index].lanes[lane].inFlightID = id
        let attempt = batch.failedAttempts + 1
        statistics.invocations += 1
        if attempt > 1 { statistics.retries += 1 }
        output.invocations.append(
            Invocation(
                id: id, shard: leases[index].id, lane: lane, records: batch.records, attempt: attempt,
                payloadBytes: batch.records.reduce(0) { $0 + $1.sizeBytes }))
    }

    /// Applies the result of the lane's invocation in flight.
    mutating func complete(
        _ index: Int, _ lane: Int, _ outcome: InvocationOutcome, at now: Int64, into output: inout PollerOutput
    ) {
        guard let batch = leases[index].lanes[lane].inFlight else { return }
        leases[index].lanes[lane].inFlight = nil
        switch outcome {
        case .success:
            statistics.recordsSucceeded += batch.records.count
        case .failure:
            fail(batch, index, lane, bisect: configuration.bisectBatchOnFunctionError, at: now, into: &output)
        case .partialFailure(let sequence):
            if let split = batch.records.firstIndex(where: { $0.sequenceNumber == sequence }), split > 0 {
                statistics.recordsSucceeded += split
                let rest = PendingBatch(records: Array(batch.records[split...]), failedAttempts: batch.failedAttempts)
                fail(rest, index, lane, bisect: false, at: now, into: &output)
            } else {
                fail(batch, index, lane, bisect: configuration.bisectBatchOnFunctionError, at: now, into: &output)
            }
        }
    }

    /// Counts a failed invocation of `batch`, then discards it or queues it (or its halves) for retry.
    mutating func fail(
        _ batch: PendingBatch, _ index: Int, _ lane: Int, bisect: Bool, at now: Int64, into output: inout PollerOutput
    ) {
        var failed = batch
        failed.failedAttempts += 1
        if let retries = configuration.maximumRetryAttempts, failed.failedAttempts > retries {
            discard(failed, index, .retryAttemptsExhausted, at: now, into: &output)
        } else if isTooOld(failed.records, at: now) {
            discard(failed, index, .recordAgeExceeded, at: now, into: &output)
        } else if bisect, failed.records.count > 1 {
            let middle = failed.records.count / 2
            let first = PendingBatch(records: Array(failed.records[..<middle]), failedAttempts: failed.failedAttempts)
            let second = PendingBatch(records: Array(failed.records[middle...]), failedAttempts: failed.failedAttempts)
            leases[index].lanes[lane].retries.append(second)
            leases[index].lanes[lane].retries.append(first)
        } else {
            leases[index].lanes[lane].retries.append(failed)
        }
    }

    mutating func discard(
        _ batch: PendingBatch, _ index: Int, _ condition: FailedBatchRecord.Condition, at now: Int64,
        into output: inout PollerOutput
    ) {
        guard let first = batch.records.first, let last = batch.records.last else { return }
        statistics.recordsDiscarded += batch.records.count
        output.failedBatches.append(
            FailedBatchRecord(
                shard: leases[index].id, startSequenceNumber: first.sequenceNumber,
                endSequenceNumber: last.sequenceNumber, batchSize: batch.records.count,
                approximateArrivalOfFirstRecord: first.approximateCreationTime,
                approximateArrivalOfLastRecord: last.approximateCreationTime, condition: condition,
                approximateInvokeCount: batch.failedAttempts, time: now))
    }

    /// Moves the shard's checkpoint past every fetched record earlier than the earliest unfinished one.
    mutating func advanceCheckpoint(_ index: Int) {
        let earliest = leases[index].lanes.compactMap(\.firstUnfinished).min()
        while let first = leases[index].unchecked.first, earliest.map({ first < $0 }) ?? true {
            leases[index].checkpoint = first
            leases[index].unchecked.removeFirst()
        }
    }
}
