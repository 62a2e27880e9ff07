import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics
import TopicFanout

/// How a copy's journey ended.
enum CopyFate {
    case delivered
    case dropped(DropReason)
    case deadLettered
    /// Consumed by a router that fanned it out.
    case routed
}

extension ArchitectureSimulation {
    /// Records a successful processing of `copy` by consumer `sink` at `now`.
    mutating func deliver(_ copy: Int32, sink: Int, at now: SimTime) {
        // Two fields, not the record: copying it would retain (and so touch) the event's JSON tree, long out of
        // the caches by now (3 % of a run).
        let message = copies[copy].message
        window.delivered += 1
        if messages[message].measured {
            let createdAt = messages[message].createdAt
            let latency = now - createdAt
            sinks[sink].noteMeasuredDelivery()
            record(latency, slot: 2 &* sink)
            record(copies[copy].startedAt - createdAt, slot: 1 &+ 2 &* sink)
            windowLatenciesRef._withUnsafeGuaranteedRef { $0.record(nanoseconds: latency) }
        } else {
            sinks[sink].delivered += 1
        }
        endCopy(copy, fate: .delivered)
    }

    /// Ends a copy's journey and frees it (and its message once no copy refers to it).
    mutating func endCopy(_ copy: Int32, fate: CopyFate) {
        switch fate {
        case .delivered: ledger.delivered += 1
        case .dropped(let reason):
            ledger.drop(reason)
            if let sink = sinkIndex(for: copies[copy].target) {
                sinks[sink].drops[DropReason.allCases.firstIndex(of: reason)!] += 1
            }
        case .deadLettered:
            ledger.deadLettered += 1
            if let sink = sinkIndex(for: copies[copy].target) { sinks[sink].deadLettered += 1 }
        case .routed: ledger.routed += 1
        }
        let message = copies[copy].message
        if copies[copy].target.readsEvents {
            messages[message].routerCopies -= 1
            if messages[message].routerCopies == 0 { messages[message].event = [] }
        }
        copies.remove(copy)
        releaseCopyReference(message)
    }

    mutating func releaseCopyReference(_ message: Int32) {
        messages[message].liveCopies -= 1
        if messages[message].liveCopies == 0 {
            messages[message].event = []  // release the JSON now, not when the slot is reused
            messages.remove(message)
        }
    }

    /// Counts one retry of `copy`, for the run and for its consumer.
    mutating func noteRetry(_ copy: Int32) {
        ledger.retried += 1
        if let sink = sinkIndex(for: copies[copy].target) { sinks[sink].retried += 1 }
    }

    /// The consumer a copy is bound for, if its target is a consumer (a queue counts as its function).
    func sinkIndex(for target: ComponentRef) -> Int? {
        switch target.kind {
        case .function: return functions[Int(target.index)].sink
        case .endpoint: return endpoints[Int(target.index)].sink
        case .queue: return functions[Int(queues[Int(target.index)].consumer)].sink
        case .external: return Int(target.index)
        case .bus, .topic, .stream: return nil
        }
    }

    /// A failed delivery attempt: the copy's router retries it or gives up (dead-letter queue or drop).
    mutating func fail<C: EventCalendar>(_ copy: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let now = scheduler.now
        copies[copy].attempts += 1
        let attempts = Int(copies[copy].attempts)
        switch copies[copy].router {
        case .producer, .stream:
            endCopy(copy, fate: .dropped(.rejected))
        case .bus(let bus):
            let spec = buses[Int(bus)].spec
            let retry = spec.retry
            guard attempts <= retry.maximumAttempts, now - copies[copy].routedAt < retry.maximumEventAge else {
                endCopy(copy, fate: spec.deadLetterQueue ? .deadLettered : .dropped(.retriesExhausted))
                return
            }
            // Exponential backoff with jitter (half fixed, half random), capped.
            let base = Double(retry.initialDelay) * Double(1 << Swift.min(attempts - 1, 30))
            let capped = Swift.min(base, Double(retry.maximumDelay))
            let delay = SimTime(capped * (0.5 + 0.5 * buses[Int(bus)].stream.uniform()))
            noteRetry(copy)
            scheduler.schedule(.attempt(copy), after: delay)
        case .subscription(let topic, let subscription):
            let state = topics[Int(topic)]
            guard let delay = state.retryPolicies[Int(subscription)].delay(beforeRetry: attempts) else {
                let spec = state.spec.subscriptions[Int(state.subscriptionIndex[Int(subscription)])]
                endCopy(copy, fate: spec.deadLetterQueue ? .deadLettered : .dropped(.retriesExhausted))
                return
            }
            noteRetry(copy)
            scheduler.schedule(.attempt(copy), after: delay)
        }
    }

    // MARK: Time series and warm-up

    mutating func tick<C: EventCalendar>(scheduler: inout Scheduler<SimEvent, C>) {
        applyCompletions(before: scheduler.now, sequence: scheduler.currentSequence)
        closeWindow(at: scheduler.now)
        if scheduler.now < productionEnd + scenario.drain {
            scheduler.schedule(.tick, after: scenario.window)
        }
    }

    mutating func closeWindow(at now: SimTime) {
        window.backlog = copies.liveCount
        window.concurrency = Swift.max(window.concurrency, concurrency)
        window.p99 = windowLatencies.percentile(99)
        timeSeries.append(window)
        window = WindowSample(start: now)
        window.concurrency = concurrency
        windowLatencies.reset()
    }

    mutating func warmupEnd(at now: SimTime) {
        for index in sinks.indices { sinks[index].peakConcurrency = 0 }
    }

    /// The run's results; the ledger's in-flight count comes from the live state, so `balances` is a real check.
    func result(events: UInt64) -> RunResult {
        var final = ledger
        final.inFlight = copies.liveCount
        var sinks = self.sinks.elements
        for index in sinks.indices {
            sinks[index].latency = recorders[2 * index].histogram()
            sinks[index].deliveryLatency = recorders[1 + 2 * index].histogram()
        }
        return RunResult(
            architecture: architecture.name, replication: replication, ledger: final, sinks: sinks,
            overall: LatencyHistogram(merging: sinks.map(\.latency)),
            timeSeries: timeSeries, usage: usage,
            measuredSeconds: Time.seconds(productionEnd - scenario.warmup), events: events)
    }
}
