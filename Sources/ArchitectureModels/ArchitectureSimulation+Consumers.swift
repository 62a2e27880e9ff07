import ArchitectureSpecs
import SimulationKernel
import Stochastics

extension ArchitectureSimulation {
    // MARK: Functions

    /// An asynchronous invocation (from a bus, topic or producer): Lambda accepts it into its internal queue.
    mutating func submitAsync<C: EventCalendar>(_ copy: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        submit(.async(copy), to: copies[copy].target.index, scheduler: &scheduler)
    }

    mutating func submit<C: EventCalendar>(
        _ item: WorkItem, to function: Int32, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(function)
        if functions[index].pending.isEmpty {
            // Nothing waits: the item starts (or expires) at once or waits alone, as it would through the queue.
            guard !start(item, on: function, scheduler: &scheduler) else { return }
            // From now on its completions start the pending work: they must be kernel events.
            if functions[index].deferredCompletions > 0 { moveCompletionsToCalendar(function, scheduler: &scheduler) }
            functions[index].pending.append(item)
        } else {
            functions[index].pending.append(item)
            startInvocations(function, scheduler: &scheduler)
        }
        if !functions[index].pending.isEmpty {
            // The new item could not start: the function is at its concurrency limit or scaling rate.
            sinks[functions[index].sink].throttles += 1
            let atLimit = functions[index].environments >= functions[index].spec.concurrency
            ledger.limits[atLimit ? .functionConcurrency : .scalingRate] += 1
            ledger.throttled += 1
            window.throttles += 1
        }
    }

    /// Starts pending work while an environment is idle or a new one may be created.
    mutating func startInvocations<C: EventCalendar>(_ function: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let index = Int(function)
        while let item = functions[index].pending.first, start(item, on: function, scheduler: &scheduler) {
            functions[index].pending.removeFirst()
        }
    }

    /// Handles the function's next work item (the first pending one, or a new one when none is pending): ends it
    /// when it is older than the function's maximum event age, else starts it on an idle environment or a new
    /// one if the concurrency limit and scaling rate allow (scheduling a wake-up when only the scaling rate
    /// stops it). False when it cannot start yet; the caller keeps it pending.
    mutating func start<C: EventCalendar>(
        _ item: WorkItem, on function: Int32, scheduler: inout Scheduler<SimEvent, C>
    ) -> Bool {
        let index = Int(function)
        let now = scheduler.now
        applyCompletions(before: now, sequence: scheduler.currentSequence)
        if case .async(let copy) = item, now - copies[copy].routedAt > functions[index].spec.maximumEventAge {
            endCopy(
                copy, fate: functions[index].spec.onFailureDestination ? .deadLettered : .dropped(.retriesExhausted))
            return true
        }
        var cold = false
        if functions[index].idle > 0 {
            functions[index].idle -= 1
        } else if functions[index].environments < functions[index].spec.concurrency {
            guard functions[index].scaling.tryTake(1, at: now) else {
                if !functions[index].wakeScheduled {
                    functions[index].wakeScheduled = true
                    scheduler.schedule(
                        .functionWake(function), at: functions[index].scaling.availableTime(for: 1, at: now))
                }
                return false
            }
            functions[index].environments += 1
            cold = true
        } else {
            return false
        }
        startInvocation(function, item: item, cold: cold, scheduler: &scheduler)
        return true
    }

    mutating func startInvocation<C: EventCalendar>(
        _ function: Int32, item: WorkItem, cold: Bool, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(function)
        let now = scheduler.now
        // Unretained: the function's state owns its stream (reading it into a local retained and released it).
        let streamRef = Unmanaged.passUnretained(functions[index].stream)
        let records: Int
        switch item {
        case .async: records = 1
        case .queueBatch(let queue, let batch): records = queues[Int(queue)].batches[batch].count
        case .streamBatch(let streamIndex, let batch): records = streamBatchSize(streamIndex, batch: batch)
        }
        // The spec is read in place: a local copy of it (strings, distributions, outages) retained and released
        // each of its fields on every invocation.
        let (coldStart, sampledExecution, sampledFails) = streamRef._withUnsafeGuaranteedRef { stream in
            let coldStart = cold ? Time.nanoseconds(seconds: functions[index].spec.coldStart.sample(stream)) : 0
            var execution = Time.nanoseconds(seconds: functions[index].spec.service.sample(stream))
            for _ in 1..<Swift.max(records, 1) {
                execution += Time.nanoseconds(seconds: functions[index].spec.perRecord.sample(stream))
            }
            // No draw for a function that never fails (most of them): a Bernoulli trial at 0 is always false.
            let errorRate = functions[index].spec.errorRate
            let fails =
                functions[index].spec.outages.contains { $0.contains(now) }
                || (errorRate > 0 && stream.bernoulli(errorRate))
            return (coldStart, execution, fails)
        }
        var (execution, fails) = (sampledExecution, sampledFails)
        if execution > functions[index].spec.timeout {
            execution = functions[index].spec.timeout
            fails = true
        }
        let memoryMB = functions[index].spec.memoryMB
        functions[index].busy += 1
        concurrency += 1
        window.concurrency = Swift.max(window.concurrency, concurrency)
        let duration = coldStart + execution
        let gigabyteSeconds = Time.seconds(execution) * Double(memoryMB) / 1024
        sinks[functions[index].sink].noteInvocation(
            cold: cold, concurrency: functions[index].busy, gigabyteSeconds: gigabyteSeconds)
        usage.functionRequests += 1
        usage.functionGigabyteSeconds += gigabyteSeconds
        if case .async(let copy) = item, !fails, defersCompletions, functions[index].pending.isEmpty {
            // Its end only counts the delivery and frees the environment: deferred (``PendingCompletions``).
            copies[copy].startedAt = now + coldStart
            let done = PendingCompletions.Completion(
                time: now + Swift.max(duration, 0), sequence: scheduler.reserveSequence(), function: function,
                copy: copy)
            if completions.add(done, now: now) {
                functions[index].deferredCompletions += 1
            } else {
                scheduler.schedule(.asyncDone(function, copy), at: done.time, sequence: done.sequence)
            }
            return
        }
        let invocation = functions[index].invocations.insert(
            Invocation(item: item, start: now, processingStart: now + coldStart, fails: fails))
        scheduler.schedule(.functionDone(function, invocation), after: duration)
    }

    /// Ends a successful invocation of `copy` on `function` at `time`: the environment becomes idle and the copy
    /// is delivered. Its processing start is already in the copy.
    mutating func completeAsync(_ function: Int32, copy: Int32, at time: SimTime) {
        let index = Int(function)
        functions[index].busy -= 1
        functions[index].idle += 1
        concurrency -= 1
        deliver(copy, sink: functions[index].sink, at: time)
    }

    /// Applies every deferred completion that comes before (`time`, `sequence`) in the calendar's order: before
    /// an invocation or request starts (they read idle environments and the concurrency), before a window
    /// closes, and at the end of the run. Their order among themselves does not matter (their functions queue
    /// nothing, so they only count).
    mutating func applyCompletions(before time: SimTime, sequence: UInt64) {
        while let done = completions.popDue(before: time, sequence: sequence) {
            functions[Int(done.function)].deferredCompletions -= 1
            completeAsync(done.function, copy: done.copy, at: done.time)
        }
    }

    /// Moves the function's deferred completions into the calendar, each at its time and with the sequence it
    /// reserved, so they fire exactly where kernel events scheduled at their start would have.
    mutating func moveCompletionsToCalendar<C: EventCalendar>(
        _ function: Int32, scheduler: inout Scheduler<SimEvent, C>
    ) {
        var moved = movedCompletions
        movedCompletions = []
        completions.removeAll(of: function, into: &moved)
        for done in moved {
            scheduler.schedule(.asyncDone(done.function, done.copy), at: done.time, sequence: done.sequence)
        }
        functions[Int(function)].deferredCompletions = 0
        moved.removeAll(keepingCapacity: true)
        movedCompletions = moved
    }

    mutating func functionDone<C: EventCalendar>(
        _ function: Int32, invocation id: Int32, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(function)
        let now = scheduler.now
        let invocation = functions[index].invocations[id]
        functions[index].invocations.remove(id)
        functions[index].busy -= 1
        functions[index].idle += 1
        concurrency -= 1
        let sink = functions[index].sink
        if invocation.fails {
            sinks[sink].failures += 1
            ledger.limits[.consumerErrors] += 1
        }
        switch invocation.item {
        case .async(let copy):
            copies[copy].startedAt = invocation.processingStart
            if !invocation.fails {
                deliver(copy, sink: sink, at: now)
            } else {
                let spec = functions[index].spec
                copies[copy].attempts += 1
                if Int(copies[copy].attempts) <= spec.asyncRetries {
                    // Lambda's asynchronous retries: 1 minute before the first, 2 minutes before the second.
                    noteRetry(copy)
                    scheduler.schedule(.asyncRetry(copy), after: SimTime(copies[copy].attempts) * 60_000_000_000)
                } else {
                    endCopy(copy, fate: spec.onFailureDestination ? .deadLettered : .dropped(.retriesExhausted))
                }
            }
        case .queueBatch(let queue, let batch):
            queueBatchDone(
                queue, batch: batch, succeeded: !invocation.fails, processingStart: invocation.processingStart,
                sink: sink, scheduler: &scheduler)
        case .streamBatch(let stream, let batch):
            streamBatchDone(
                stream, batch: batch, succeeded: !invocation.fails, processingStart: invocation.processingStart,
                sink: sink, scheduler: &scheduler)
        }
        startInvocations(function, scheduler: &scheduler)
    }

    // MARK: Queues

    /// A message reaches a queue at `time` (now, or later for ``scheduleArrival(_:at:scheduler:)``): SendMessage
    /// is counted, and it becomes visible to the poller after the queue's pick-up latency.
    mutating func queueReceive<C: EventCalendar>(
        _ copy: Int32, queue: Int32, arrivingAt time: SimTime, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(queue)
        usage.queueRequests += chunks(messages[copies[copy].message].bytes)  // SendMessage
        let pickUp = Unmanaged.passUnretained(queues[index].stream)._withUnsafeGuaranteedRef {
            Time.nanoseconds(seconds: queues[index].spec.pollLatency.sample($0))
        }
        scheduler.schedule(.queueVisible(copy), at: time + pickUp)
    }

    mutating func queueVisible<C: EventCalendar>(_ copy: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let queue = copies[copy].target.index
        queues[Int(queue)].ready.append(copy)
        formBatches(queue, windowExpired: false, scheduler: &scheduler)
    }

    /// Takes batches off the queue while the poller may run more concurrent batches.
    mutating func formBatches<C: EventCalendar>(
        _ queue: Int32, windowExpired: Bool, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(queue)
        let spec = queues[index].spec
        while !queues[index].ready.isEmpty, queues[index].batchesInFlight < spec.maximumConcurrency {
            if queues[index].ready.count < spec.batchSize, spec.batchingWindow > 0, !windowExpired {
                if !queues[index].windowScheduled {
                    queues[index].windowScheduled = true
                    scheduler.schedule(.queueWindow(queue), after: spec.batchingWindow)
                }
                return
            }
            let count = Swift.min(spec.batchSize, queues[index].ready.count)
            // The batch is built in reused storage, and the slot's previous batch becomes the next storage: no
            // allocation per batch once the slots have arrays.
            var batch = batchScratch
            batchScratch = []
            batch.removeAll(keepingCapacity: true)
            for _ in 0..<count { batch.append(queues[index].ready.removeFirst()) }
            let id = queues[index].batches.insert(swapping: &batch)
            batchScratch = batch
            queues[index].batchesInFlight += 1
            usage.queueRequests += 1  // ReceiveMessage
            submit(.queueBatch(queue: queue, batch: id), to: queues[index].consumer, scheduler: &scheduler)
        }
        if !queues[index].ready.isEmpty, queues[index].batchesInFlight >= spec.maximumConcurrency {
            ledger.limits[.queuePollers] += 1
        }
    }

    mutating func queueBatchDone<C: EventCalendar>(
        _ queue: Int32, batch id: Int32, succeeded: Bool, processingStart: SimTime, sink: Int,
        scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(queue)
        let now = scheduler.now
        let batch = queues[index].batches[id]
        queues[index].batches.remove(id)
        queues[index].batchesInFlight -= 1
        if succeeded {
            usage.queueRequests += 1  // DeleteMessageBatch
            for copy in batch {
                copies[copy].startedAt = processingStart
                deliver(copy, sink: sink, at: now)
            }
        } else {
            let spec = queues[index].spec
            for copy in batch {
                copies[copy].attempts += 1
                if let limit = spec.maxReceiveCount, Int(copies[copy].attempts) >= limit {
                    endCopy(copy, fate: .deadLettered)
                } else {
                    noteRetry(copy)
                    scheduler.schedule(.queueVisible(copy), after: spec.visibilityTimeout)
                }
            }
        }
        formBatches(queue, windowExpired: false, scheduler: &scheduler)
    }

    // MARK: Endpoints

    mutating func endpointReceive<C: EventCalendar>(
        _ copy: Int32, endpoint: Int32, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(endpoint)
        let now = scheduler.now
        let sink = endpoints[index].sink
        if endpoints[index].spec.outages.contains(where: { $0.contains(now) }) {
            sinks[sink].failures += 1
            fail(copy, scheduler: &scheduler)
            return
        }
        switch endpoints[index].pool.arrive(copy, at: now) {
        case .served: startRequest(copy, endpoint: endpoint, scheduler: &scheduler)
        case .queued: break
        case .rejected:
            ledger.limits[.endpointCapacity] += 1
            sinks[sink].throttles += 1
            ledger.throttled += 1
            window.throttles += 1
            fail(copy, scheduler: &scheduler)
        }
    }

    mutating func startRequest<C: EventCalendar>(
        _ copy: Int32, endpoint: Int32, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(endpoint)
        applyCompletions(before: scheduler.now, sequence: scheduler.currentSequence)
        copies[copy].startedAt = scheduler.now
        concurrency += 1
        window.concurrency = Swift.max(window.concurrency, concurrency)
        let sink = endpoints[index].sink
        sinks[sink].invocations += 1
        sinks[sink].peakConcurrency = Swift.max(sinks[sink].peakConcurrency, endpoints[index].pool.busy)
        let service = Time.nanoseconds(seconds: endpoints[index].spec.service.sample(endpoints[index].stream))
        scheduler.schedule(.endpointDone(endpoint, copy), after: service)
    }

    mutating func endpointDone<C: EventCalendar>(
        _ endpoint: Int32, copy: Int32, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let index = Int(endpoint)
        let now = scheduler.now
        concurrency -= 1
        let sink = endpoints[index].sink
        if endpoints[index].stream.bernoulli(endpoints[index].spec.errorRate) {
            sinks[sink].failures += 1
            fail(copy, scheduler: &scheduler)
        } else {
            deliver(copy, sink: sink, at: now)
        }
        if let next = endpoints[index].pool.release(at: now) {
            startRequest(next, endpoint: endpoint, scheduler: &scheduler)
        }
    }
}
