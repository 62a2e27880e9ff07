import ArchitectureSpecs
import EventPatterns
import SimulationKernel
import Stochastics
import TopicFanout
import Yams

/// Buses (rules, retry policy) and topics (subscriptions, filter and delivery policies).
extension ScenarioReader {
    static let busKeys = [
        "name", "latency", "put_events_rate", "entries_per_request", "invocation_rate", "producer_retries",
        "dead_letter_queue", "retry", "rules",
    ]
    static let topicKeys = [
        "name", "fifo", "latency", "publish_rate", "publisher_retries", "message_attributes", "message_group",
        "subscriptions",
    ]

    func bus(_ node: Node, _ wiring: Wiring) -> BusSpec? {
        guard let fields = fields(node, "bus", keys: Self.busKeys) else { return nil }
        let nameNode = required(fields, "name")
        let name = nameNode.flatMap { self.name($0) }
        if let name, let nameNode { wiring.declare(name, .bus, at: nameNode) }
        let latency =
            fields["latency"].map { distribution($0, "latency") }
            ?? LatencyProfiles.named("eventbridge-2024")!.distribution
        let putRate = fields["put_events_rate"].map { number($0, "put_events_rate", above: 0) } ?? 10_000
        let entries = fields["entries_per_request"].map { integer($0, "entries_per_request", 1...10) } ?? 1
        let invocationRate = fields["invocation_rate"].map { number($0, "invocation_rate", above: 0) } ?? 18_750
        let retries = fields["producer_retries"].map { integer($0, "producer_retries", 0...100) } ?? 3
        let deadLetter = fields["dead_letter_queue"].map { bool($0, "dead_letter_queue") } ?? true
        let retry = fields["retry"].map(routerRetry) ?? .eventBridgeDefault
        var rules: [RuleSpec] = []
        var failed = false
        var ruleNames: [String: Node] = [:]
        if let list = required(fields, "rules") {
            let items = sequence(list, "rules")
            if case .sequence = list, !(1...300).contains(items.count) {
                error(list, "a bus has 1 to 300 rules, got \(items.count)")
            }
            for item in items {
                guard let rule = rule(item, bus: name ?? "?", wiring) else {
                    failed = true
                    continue
                }
                requireUnique(
                    rule.spec.name, at: rule.nameNode, &ruleNames, "rule name", in: " in bus '\(name ?? "?")'")
                rules.append(rule.spec)
            }
        }
        guard let name, let latency, let putRate, let entries, let invocationRate, let retries, let deadLetter,
            let retry, !failed
        else { return nil }
        return BusSpec(
            name: name, latency: latency, putEventsRate: putRate, entriesPerRequest: entries,
            invocationRate: invocationRate, producerRetries: retries, rules: rules, retry: retry,
            deadLetterQueue: deadLetter)
    }

    private func routerRetry(_ node: Node) -> RouterRetrySpec? {
        let keys = ["maximum_attempts", "maximum_event_age", "initial_delay", "maximum_delay"]
        guard let fields = fields(node, "retry", label: "retry", keys: keys) else { return nil }
        let defaults = RouterRetrySpec.eventBridgeDefault
        let attempts =
            fields["maximum_attempts"].map { integer($0, "maximum_attempts", 0...185) }
            ?? defaults.maximumAttempts
        let age =
            fields["maximum_event_age"].map {
                duration($0, "maximum_event_age", atLeast: (60_000_000_000, "60s"), atMost: (86_400_000_000_000, "24h"))
            } ?? defaults.maximumEventAge
        let initial = fields["initial_delay"].map { duration($0, "initial_delay") } ?? defaults.initialDelay
        let maximum = fields["maximum_delay"].map { duration($0, "maximum_delay") } ?? defaults.maximumDelay
        guard let attempts, let age, let initial, let maximum else { return nil }
        guard maximum >= initial else {
            error(
                fields["maximum_delay"] ?? fields["initial_delay"] ?? node,
                "'maximum_delay' must be at least 'initial_delay'")
            return nil
        }
        return RouterRetrySpec(
            maximumAttempts: attempts, maximumEventAge: age, initialDelay: initial,
            maximumDelay: maximum)
    }

    private func rule(_ node: Node, bus: String, _ wiring: Wiring) -> (spec: RuleSpec, nameNode: Node)? {
        guard let fields = fields(node, "rule", keys: ["name", "pattern", "schedule", "targets"]) else { return nil }
        guard let nameNode = required(fields, "name") else { return nil }
        let name = self.name(nameNode)
        var pattern: EventPattern?, schedule: ScheduleExpression?
        var valid = true
        switch exactlyOne(fields, ["pattern", "schedule"]) {
        case "pattern":
            let patternNode = fields["pattern"]!
            if let json = jsonDocument(patternNode, "pattern") {
                do { pattern = try EventPattern(json: json) } catch {
                    self.error(patternNode, error.description)
                    valid = false
                }
            } else {
                valid = false
            }
        case "schedule":
            let scheduleNode = fields["schedule"]!
            if let text = string(scheduleNode, "schedule") {
                do { schedule = try ScheduleExpression.parse(text) } catch {
                    self.error(scheduleNode, "invalid schedule: \(error.message)")
                    valid = false
                }
            } else {
                valid = false
            }
        default: valid = false
        }
        var targets: [String] = []
        if let list = required(fields, "targets") {
            let items = sequence(list, "targets")
            if case .sequence = list, !(1...5).contains(items.count) {
                error(list, "a rule has 1 to 5 targets, got \(items.count)")
                valid = false
            }
            for item in items {
                guard let target = self.name(item, "targets") else {
                    valid = false
                    continue
                }
                wiring.refer(
                    to: target, at: item, allowed: Wiring.routable, role: "target",
                    owner: "rule '\(name ?? "?")'")
                targets.append(target)
            }
        } else {
            valid = false
        }
        guard let name, valid else { return nil }
        return (RuleSpec(name: name, pattern: pattern, schedule: schedule, targets: targets), nameNode)
    }

    func topic(_ node: Node, _ wiring: Wiring) -> TopicSpec? {
        guard let fields = fields(node, "topic", keys: Self.topicKeys) else { return nil }
        let nameNode = required(fields, "name")
        let name = nameNode.flatMap { self.name($0) }
        if let name, let nameNode { wiring.declare(name, .topic, at: nameNode) }
        let fifo = fields["fifo"].map { bool($0, "fifo") } ?? false
        let latency =
            fields["latency"].map { distribution($0, "latency") }
            ?? LatencyProfiles.named(fifo == true ? "sns-fifo" : "sns-standard")!.distribution
        let publishRate = fields["publish_rate"].map { number($0, "publish_rate", above: 0) } ?? 30_000
        let retries = fields["publisher_retries"].map { integer($0, "publisher_retries", 0...100) } ?? 3
        var attributes: [(name: String, path: String)]? = []
        if let node = fields["message_attributes"] {
            attributes = messageAttributes(node)
        }
        var group: String?
        var failed = false
        if let node = fields["message_group"] {
            group = string(node, "message_group")
            if fifo == false {
                error(fields.keyNode("message_group")!, "'message_group' applies to FIFO topics only (set fifo: true)")
            }
            failed = group == nil || fifo == false
        }
        var subscriptions: [SubscriptionSpec] = []
        var seen: [String: Node] = [:]
        for item in sequence(fields["subscriptions"], "subscriptions") {
            guard
                let (subscription, subscriptionName) = self.subscription(
                    item, topic: name ?? "?", fifo: fifo ?? false,
                    wiring)
            else {
                failed = true
                continue
            }
            requireUnique(
                subscription.name, at: subscriptionName, &seen, "subscription name", in: " in topic '\(name ?? "?")'")
            subscriptions.append(subscription)
        }
        guard let name, let fifo, let latency, let publishRate, let retries, let attributes, !failed else { return nil }
        return TopicSpec(
            name: name, fifo: fifo, latency: latency, publishRate: publishRate, publisherRetries: retries,
            messageAttributes: attributes, messageGroupPath: group, subscriptions: subscriptions)
    }

    /// `{attributeName: dotted.event.path, ...}`, order kept.
    private func messageAttributes(_ node: Node) -> [(name: String, path: String)]? {
        guard case .mapping(let mapping) = node else {
            error(
                node,
                "expected a mapping of attribute names to event paths for 'message_attributes', got "
                    + node.summary)
            return nil
        }
        var result: [(name: String, path: String)] = []
        var failed = false
        for (keyNode, valueNode) in mapping {
            guard let key = name(keyNode, "message_attributes"), let path = name(valueNode, key) else {
                failed = true
                continue
            }
            result.append((key, path))
        }
        return failed ? nil : result
    }
}
