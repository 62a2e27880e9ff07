import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics
import TopicFanout

extension ArchitectureSimulation {
    // MARK: Producers

    /// Plans the producer's next arrival from the workload, if it has one: a `.produce` kernel event, or, when
    /// arrivals are merged (``mergesArrivals``), its time and a reserved sequence, then the earliest arrival of
    /// all producers (``arrivalProducer``).
    mutating func scheduleNextArrival<C: EventCalendar>(_ producer: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let index = Int(producer)
        let time = workload.time(producer: index, index: producers[index].next)
        guard mergesArrivals else {
            if let time { scheduler.schedule(.produce(producer), at: time) }
            return
        }
        if let time {
            arrivals.update(index, time: Swift.max(time, scheduler.now), sequence: scheduler.reserveSequence())
        } else {
            arrivals.update(index, time: .max, sequence: .max)
        }
        (arrivalProducer, arrivalTime, arrivalSequence) = arrivals.first
    }

    /// The producer's next arrival: its event enters the architecture (or its write reaches the table).
    mutating func produce<C: EventCalendar>(_ producer: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let now = scheduler.now
        let index = Int(producer)
        var arrival = Workload.Taken()
        guard workload.take(producer: index, index: producers[index].next, into: &arrival) else { return }
        producers[index].next += 1
        scheduleNextArrival(producer, scheduler: &scheduler)
        ledger.produced += 1
        window.produced += 1
        if let write = arrival.write, let stream = producers[index].stream {
            produceWrite(write, stream: stream, at: now, scheduler: &scheduler)
            return
        }
        let message = newMessage(event: arrival.event, bytes: arrival.bytes, at: now)
        // An event with a member table after its text (all but texts too long for one).
        if arrival.event.count > arrival.bytes { messages[message].layout = producer }
        let copy = newCopy(message: message, target: entry!, router: .producer, at: now)
        // An entry that routes nothing (a function, an endpoint, a queue) never reads the event.
        if messages[message].routerCopies == 0 { messages[message].event = [] }
        attempt(copy, scheduler: &scheduler)
    }

    /// A new message carrying `event`'s compact JSON text.
    mutating func newMessage(event: JSONValue, at now: SimTime) -> Int32 {
        let text = event.jsonBytes
        return newMessage(event: text, bytes: text.count, at: now)
    }

    /// A new message with an event's compact JSON text, billed as `bytes` long.
    mutating func newMessage(event: [UInt8], bytes: Int, at now: SimTime) -> Int32 {
        messages.insert(MessageRecord(createdAt: now, measured: now >= scenario.warmup, event: event, bytes: bytes))
    }

    /// Creates a copy of `message` bound for `target`. - Complexity: O(1).
    mutating func newCopy(message: Int32, target: ComponentRef, router: Router, at now: SimTime) -> Int32 {
        ledger.created += 1
        messages[message].liveCopies += 1
        if target.readsEvents { messages[message].routerCopies += 1 }
        return copies.insert(Copy(message: message, target: target, router: router, routedAt: now))
    }

    // MARK: Attempts

    /// Hands a copy to its target component.
    mutating func attempt<C: EventCalendar>(_ copy: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let target = copies[copy].target
        switch target.kind {
        case .bus: busReceive(copy, bus: target.index, scheduler: &scheduler)
        case .topic: topicReceive(copy, topic: target.index, scheduler: &scheduler)
        case .queue: queueReceive(copy, queue: target.index, arrivingAt: scheduler.now, scheduler: &scheduler)
        case .function: submitAsync(copy, scheduler: &scheduler)
        case .endpoint: endpointReceive(copy, endpoint: target.index, scheduler: &scheduler)
        case .external:
            copies[copy].startedAt = scheduler.now
            deliver(copy, sink: Int(target.index), at: scheduler.now)
        case .stream:
            // Streams receive table writes, never routed events; the loader rejects such wiring.
            endCopy(copy, fate: .dropped(.rejected))
        }
    }

    /// Plans a routed copy's arrival at its target at `time` (≥ now): an `.attempt` kernel event, except at a
    /// queue. A queue's receipt changes nothing but a request count and the draw of the message's pick-up
    /// latency, whatever happens meanwhile, so both are done now and the message's visibility is the one kernel
    /// event (``queueReceive(_:queue:arrivingAt:scheduler:)``): two heap operations and a dispatch fewer per copy
    /// into a queue. The pick-up latencies are drawn in routing order rather than arrival order (the same
    /// distribution); a copy still on its way at the end of the run has had its SendMessage counted.
    @inline(__always)
    mutating func scheduleArrival<C: EventCalendar>(
        _ copy: Int32, at time: SimTime, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let target = copies[copy].target
        if target.kind == .queue {
            queueReceive(copy, queue: target.index, arrivingAt: time, scheduler: &scheduler)
        } else {
            scheduler.schedule(.attempt(copy), at: time)
        }
    }

    /// A throttled put or publish: the sender's SDK retries with exponential backoff and full jitter
    /// (100 ms × 2^attempt), then gives up; copies from a router are retried by that router instead.
    mutating func throttled<C: EventCalendar>(
        _ copy: Int32, sdkRetries: Int, reason: DropReason, scheduler: inout Scheduler<SimEvent, C>
    ) {
        ledger.throttled += 1
        window.throttles += 1
        guard copies[copy].router == .producer else {
            fail(copy, scheduler: &scheduler)
            return
        }
        let attempts = Int(copies[copy].attempts)
        guard attempts < sdkRetries else {
            endCopy(copy, fate: .dropped(reason))
            return
        }
        copies[copy].attempts += 1
        noteRetry(copy)
        let backoff = 0.1 * Double(1 << Swift.min(attempts, 20)) * retryStream.uniform()
        scheduler.schedule(.attempt(copy), after: Time.nanoseconds(seconds: backoff))
    }

    // MARK: Bus

    mutating func busReceive<C: EventCalendar>(_ copy: Int32, bus: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let now = scheduler.now
        let index = Int(bus)
        guard buses[index].putQuota.tryTake(1, at: now) else {
            ledger.limits[.putEventsQuota] += 1
            throttled(copy, sdkRetries: buses[index].spec.producerRetries, reason: .putThrottled, scheduler: &scheduler)
            return
        }
        let message = copies[copy].message
        usage.busEventChunks += chunks(messages[message].bytes)
        let textCount = messages[message].textCount
        let layout = Int(messages[message].layout)
        // Events with a member layout have a plan (`BusState.plans`); the check keeps the full walk for any that
        // would not, rather than trusting it below.
        let planned = layout >= 0 && buses[index].plans[layout] != nil
        // Unretained: the bus's state owns its machine and match caches for the whole run (reading them into
        // locals retained and released each, a few atomic writes per event).
        let machine = Unmanaged.passUnretained(buses[index].machine)
        let matched: [Int] = messages[message].event.withUnsafeBufferPointer { event in
            let text = UnsafeBufferPointer(rebasing: event[..<textCount])
            // The text is a serialized JSON value, so it always parses (but for non-finite numbers written as
            // `nan` or `inf`, which match no rule). Events with a member table go straight to the named members,
            // and their outcome is looked up by those members' texts first.
            guard planned else {
                machine._withUnsafeGuaranteedRef { machine in
                    do { try machine.matches(json: text, into: &matchScratch) } catch { matchScratch.removeAll() }
                }
                return matchScratch
            }
            let table = JSONMemberTable(UnsafeRawPointer(event.baseAddress! + textCount))
            let cache = Unmanaged.passUnretained(buses[index].matchCaches[layout])
            return machine._withUnsafeGuaranteedRef { machine in
                cache._withUnsafeGuaranteedRef { cache in
                    let cached = cache.enabled && machine.isCurrent(buses[index].plans[layout].unsafelyUnwrapped)
                    if cached {
                        cache.beginKey()
                        buses[index].planMembers[layout].withUnsafeBufferPointer { members in
                            for position in members.indices {
                                let planned = members[position]
                                let member = Int(planned.member)
                                let value = UnsafeBufferPointer(rebasing: text[table.start(member)..<table.end(member)])
                                if planned.numeric,
                                    let numericClass = machine.numericClass(
                                        of: value, plan: buses[index].plans[layout].unsafelyUnwrapped, member: position)
                                {
                                    cache.appendClass(numericClass)
                                } else {
                                    cache.appendKey(value)
                                }
                            }
                        }
                        // A hit's rules are routed from the cache's own array, not copied.
                        switch cache.outcome() {
                        case .matches(let rules)?: return rules
                        case .invalid?: return []
                        case nil: break
                        }
                    }
                    do {
                        try machine.matches(
                            json: text, members: table, plan: buses[index].plans[layout].unsafelyUnwrapped,
                            into: &matchScratch)
                        if cached { cache.store(.matches(matchScratch)) }
                    } catch {
                        matchScratch.removeAll()
                        if cached { cache.store(.invalid) }
                    }
                    return matchScratch
                }
            }
        }
        var routedCount = 0
        for rule in matched {
            for position in buses[index].targetPositions(ofRule: rule) {
                routeFromBus(
                    message: message, bus: bus, target: buses[index].ruleTargets[position], scheduler: &scheduler)
                routedCount += 1
            }
        }
        endCopy(copy, fate: routedCount > 0 ? .routed : .dropped(.noMatchingRule))
    }

    /// Sends one matched event to one target after the bus's latency, paced by the invocation quota.
    mutating func routeFromBus<C: EventCalendar>(
        message: Int32, bus: Int32, target: ComponentRef, scheduler: inout Scheduler<SimEvent, C>
    ) {
        let now = scheduler.now
        let index = Int(bus)
        let copy = newCopy(message: message, target: target, router: .bus(bus), at: now)
        let desired =
            now
            + Unmanaged.passUnretained(buses[index].stream)._withUnsafeGuaranteedRef {
                Time.nanoseconds(seconds: buses[index].spec.latency.sample($0))
            }
        let allowed = buses[index].invocationQuota.reserve(at: desired)
        if allowed > desired {
            ledger.limits[.invocationQuota] += 1
            ledger.throttled += 1
            window.throttles += 1
        }
        scheduleArrival(copy, at: allowed, scheduler: &scheduler)
    }

    mutating func fireSchedule<C: EventCalendar>(bus: Int32, rule: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let now = scheduler.now
        let spec = buses[Int(bus)].spec.rules[Int(rule)]
        let event: JSONValue = .object(
            JSONObject([
                ("version", .string("0")), ("id", .string("schedule-\(bus)-\(rule)-\(now)")),
                ("detail-type", .string("Scheduled Event")), ("source", .string("aws.events")),
                ("account", .string("123456789012")), ("time", .string(CivilTime(simulated: now).iso8601)),
                ("region", .string("us-east-1")), ("resources", .array([.string("rule/\(spec.name)")])),
                ("detail", .object(JSONObject())),
            ]))
        ledger.produced += 1
        window.produced += 1
        let message = newMessage(event: event, at: now)
        ledger.created += 1  // the scheduled event itself, routed at once
        messages[message].liveCopies += 1
        for position in buses[Int(bus)].targetPositions(ofRule: Int(rule)) {
            routeFromBus(
                message: message, bus: bus, target: buses[Int(bus)].ruleTargets[position], scheduler: &scheduler)
        }
        ledger.routed += 1
        releaseCopyReference(message)
        if let next = spec.schedule?.next(after: now), next < productionEnd {
            scheduler.schedule(.scheduledRule(bus, rule), at: next)
        }
    }

    // MARK: Topic

    /// A JSON attribute value as a typed message attribute (as MessageView's JSON initializer types it), or nil
    /// for values that are left out.
    static func typedAttribute(_ attribute: (name: String, value: JSONValue)) -> MessageAttribute? {
        switch attribute.value {
        case .string(let text): MessageAttribute(name: attribute.name, dataType: "String", value: text)
        case .number(let number): MessageAttribute(name: attribute.name, dataType: "Number", value: number.text)
        case .array: MessageAttribute(name: attribute.name, dataType: "String.Array", value: attribute.value.jsonText)
        case .bool(let flag): MessageAttribute(name: attribute.name, dataType: "String", value: flag ? "true" : "false")
        case .null, .object: nil
        }
    }

    mutating func topicReceive<C: EventCalendar>(_ copy: Int32, topic: Int32, scheduler: inout Scheduler<SimEvent, C>) {
        let now = scheduler.now
        let index = Int(topic)
        guard topics[index].publishQuota.tryTake(1, at: now) else {
            ledger.limits[.publishQuota] += 1
            throttled(
                copy, sdkRetries: topics[index].spec.publisherRetries, reason: .publishThrottled,
                scheduler: &scheduler)
            return
        }
        let message = copies[copy].message
        if topics[index].spec.fifo {
            let event = messages[message].event.prefix(messages[message].textCount)
            usage.fifoPublishChunks += chunks(messages[message].bytes)
            let (group, dedup) = event.withUnsafeBufferPointer { bytes in
                (
                    topics[index].groupPath.flatMap { JSONValue.value(atPath: $0, inJSON: bytes) }
                        .map(Self.groupText) ?? "default",
                    JSONValue.value(atPath: ["id"], inJSON: bytes).map(Self.groupText) ?? String(message)
                )
            }
            let fifoMessage = Message(
                body: String(decoding: event, as: UTF8.self),
                attributes: attributes(of: topic, attributeValues(topic, event)).compactMap(Self.typedAttribute),
                messageGroupId: group, messageDeduplicationId: dedup)
            do {
                if case .duplicate = try topics[index].fifo!.admit(fifoMessage, at: now) {
                    endCopy(copy, fate: .dropped(.duplicate))
                    return
                }
            } catch {
                ledger.limits[.publishQuota] += 1
                throttled(
                    copy, sdkRetries: topics[index].spec.publisherRetries, reason: .publishThrottled,
                    scheduler: &scheduler)
                return
            }
        } else {
            usage.topicPublishChunks += chunks(messages[message].bytes)
        }
        // The cache key: the texts of the attribute values, read where the event's member table says they are
        // when its layout tells, else found in its text without decoding them. Unretained: the topic's state owns
        // its cache for the whole run.
        let cache = Unmanaged.passUnretained(topics[index].matchCache)
        let enabled = cache._withUnsafeGuaranteedRef { $0.enabled }
        let cached: TopicMatchCache.Outcome?
        if enabled {
            let layout = Int(messages[message].layout)
            let textCount = messages[message].textCount
            let paths = topics[index].attributePaths.count
            let fromTable = layout >= 0 && topics[index].attributeSlotsKnown[layout]
            var ranges = attributeRangeScratch
            attributeRangeScratch = []
            cached = messages[message].event.withUnsafeBufferPointer { event in
                let bytes = UnsafeBufferPointer(rebasing: event[..<textCount])
                return cache._withUnsafeGuaranteedRef { cache in
                    cache.beginKey()
                    // A value's part of the key: its numeric class for a valid Number of an attribute every policy
                    // tests only numerically (``TopicState/attributeEndpoints``), else its text.
                    let classes = topics[index].classesAttributes
                    func appendPart(_ value: UnsafeBufferPointer<UInt8>?, path: Int) {
                        if classes, let value, let endpoints = topics[index].attributeEndpoints[path],
                            let slot = NumericClass.slot(
                                ofNumber: value, among: endpoints, limit: MessageView.numberLimit)
                        {
                            cache.appendClass(slot)
                        } else {
                            cache.appendKey(value)
                        }
                    }
                    if fromTable {
                        // The member table follows the text.
                        let table = JSONMemberTable(UnsafeRawPointer(event.baseAddress! + textCount))
                        for path in 0..<paths {
                            let slot = Int(topics[index].attributeSlots[layout * paths + path])
                            appendPart(
                                slot < 0
                                    ? nil : UnsafeBufferPointer(rebasing: bytes[table.start(slot)..<table.end(slot)]),
                                path: path)
                        }
                    } else {
                        topics[index].attributeLookup.ranges(inJSON: bytes, into: &ranges)
                        for (path, range) in ranges.enumerated() {
                            appendPart(range.map { UnsafeBufferPointer(rebasing: bytes[$0]) }, path: path)
                        }
                    }
                    return cache.outcome()
                }
            }
            attributeRangeScratch = ranges
        } else {
            cached = nil
        }
        let matched: [Int]
        switch cached {
        case .invalid?:
            endCopy(copy, fate: .dropped(.filteredOut))
            return
        case .matches(let ids)?: matched = ids
        case nil:
            let event = messages[message].event.prefix(messages[message].textCount)
            let view: MessageView
            do throws(TopicFanoutError) {
                let attributes = attributes(of: topic, attributeValues(topic, event))
                // Only policies on the message body look at it: parse the text for topics that have some.
                let body = topics[index].readsBodies ? try? JSONParser.parse(bytes: event) : nil
                view =
                    topics[index].attributeNamesChecked
                    ? try MessageView(checkedNames: attributes, body: body)
                    : try MessageView(jsonAttributes: attributes, body: body)
            } catch {
                if enabled { cache._withUnsafeGuaranteedRef { $0.store(.invalid) } }
                endCopy(copy, fate: .dropped(.filteredOut))
                return
            }
            topics[index].topic.matchingSubscriptions(view, into: &matchScratch)
            if enabled { cache._withUnsafeGuaranteedRef { $0.store(.matches(matchScratch)) } }
            matched = matchScratch
        }
        // Unretained: the topic's state owns its stream (reading it into a local retained and released it).
        let streamRef = Unmanaged.passUnretained(topics[index].stream)
        for subscription in matched {
            let target = topics[index].subscriptionTargets[subscription]
            let routed = newCopy(
                message: message, target: target,
                router: .subscription(topic: topic, subscription: Int32(subscription)), at: now)
            let delay = streamRef._withUnsafeGuaranteedRef {
                Time.nanoseconds(seconds: topics[index].spec.latency.sample($0))
            }
            scheduleArrival(routed, at: now + delay, scheduler: &scheduler)
            switch topics[index].subscriptionBilling[subscription] {
            case .http: usage.httpDeliveries += 1
            case .email: usage.emailDeliveries += 1
            case .other: usage.otherDeliveries += 1
            case .none: break
            }
        }
        endCopy(copy, fate: matched.isEmpty ? .dropped(.filteredOut) : .routed)
    }

    /// The values of the attributes the topic derives from the event's fields (absent ones as null, which the
    /// views leave out as they do nulls), as JSON values parsed from the event's text: MessageView's JSON
    /// initializer types them as String, Number and String.Array.
    func attributeValues(_ topic: Int32, _ event: ArraySlice<UInt8>) -> [JSONValue] {
        event.withUnsafeBufferPointer { bytes in
            topics[Int(topic)].attributeLookup.values(inJSON: bytes).map { $0 ?? .null }
        }
    }

    /// The topic's attributes with these values (in `attributePaths` order).
    func attributes(of topic: Int32, _ values: [JSONValue]) -> [(name: String, value: JSONValue)] {
        zip(topics[Int(topic)].attributePaths, values).map { (name: $0.0.name, value: $0.1) }
    }

    static func groupText(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text.isEmpty ? "empty" : String(text.prefix(128)) }
        return String(value.jsonText.prefix(128))
    }

    /// 64 KB billing chunks of a payload of `bytes` bytes (at least one).
    func chunks(_ bytes: Int) -> Int { Swift.max(1, (bytes + 65_535) / 65_536) }
}
