import ArchitectureSpecs
import EventPatterns
import TopicFanout
import Yams

/// Topic subscriptions: protocol, target, filter policy (with its scope) and HTTP delivery policy.
extension ScenarioReader {
    static let subscriptionKeys = [
        "name", "protocol", "target", "filter_policy", "filter_policy_scope", "dead_letter_queue", "delivery_policy",
    ]

    /// The component kind a protocol delivers to, or nil for external sinks (email, SMS, push, Firehose).
    static func targetKind(of deliveryProtocol: DeliveryProtocol) -> Wiring.Kind? {
        switch deliveryProtocol {
        case .lambda: return .function
        case .sqs: return .queue
        case .http, .https: return .endpoint
        default: return nil
        }
    }

    func subscription(_ node: Node, topic: String, fifo: Bool, _ wiring: Wiring) -> (SubscriptionSpec, Node)? {
        guard let fields = fields(node, "subscription", keys: Self.subscriptionKeys),
            let nameNode = required(fields, "name")
        else { return nil }
        let name = self.name(nameNode)
        var valid = name != nil
        let owner = "subscription '\(name ?? "?")'"
        var deliveryProtocol: DeliveryProtocol?
        if let protocolNode = required(fields, "protocol"), let text = string(protocolNode, "protocol") {
            deliveryProtocol = DeliveryProtocol(rawValue: text)
            if deliveryProtocol == nil {
                error(
                    protocolNode,
                    "unknown protocol '\(text)'; expected one of: "
                        + DeliveryProtocol.allCases.map(\.rawValue).joined(separator: ", "))
            } else if fifo, deliveryProtocol != .sqs {
                error(protocolNode, "FIFO topics only deliver to SQS queues, not \(text)")
                valid = false
            }
        }
        var target: String?
        if let deliveryProtocol {
            let kind = Self.targetKind(of: deliveryProtocol)
            switch (kind, fields["target"]) {
            case (let kind?, let targetNode?):
                target = self.name(targetNode, "target")
                if let target {
                    wiring.refer(to: target, at: targetNode, allowed: [kind], role: "target", owner: owner)
                }
                valid = valid && target != nil
            case (let kind?, nil):
                error(
                    fields.node,
                    "missing required key 'target' in subscription: protocol \(deliveryProtocol.rawValue) "
                        + "delivers to \(kind.withArticle)")
                valid = false
            case (nil, _?):
                error(
                    fields.keyNode("target")!,
                    "protocol \(deliveryProtocol.rawValue) delivers outside the "
                        + "architecture and takes no 'target'")
                valid = false
            case (nil, nil): break
            }
        }
        var scope = FilterPolicyScope.messageAttributes
        if let scopeNode = fields["filter_policy_scope"], let text = string(scopeNode, "filter_policy_scope") {
            if let parsed = FilterPolicyScope(rawValue: text) {
                scope = parsed
            } else {
                error(
                    scopeNode,
                    "unknown filter_policy_scope '\(text)'; expected one of: "
                        + FilterPolicyScope.allCases.map(\.rawValue).joined(separator: ", "))
                valid = false
            }
        }
        var policy: FilterPolicy?
        if let policyNode = fields["filter_policy"] {
            if let json = jsonDocument(policyNode, "filter policy") {
                do { policy = try FilterPolicy(json: json, scope: scope) } catch {
                    self.error(policyNode, Self.describe(error, "filter policy"))
                    valid = false
                }
            } else {
                valid = false
            }
        }
        let deadLetter = fields["dead_letter_queue"].map { bool($0, "dead_letter_queue") } ?? true
        var httpPolicy: HTTPDeliveryPolicy?
        if let policyNode = fields["delivery_policy"] {
            if let deliveryProtocol, !deliveryProtocol.isHTTP {
                error(
                    fields.keyNode("delivery_policy")!,
                    "'delivery_policy' applies to http and https "
                        + "subscriptions only, not \(deliveryProtocol.rawValue)")
                valid = false
            } else if let json = jsonDocument(policyNode, "delivery policy") {
                do { httpPolicy = try HTTPDeliveryPolicy(json: json) } catch {
                    self.error(policyNode, Self.describe(error, "delivery policy"))
                    valid = false
                }
            } else {
                valid = false
            }
        }
        guard let name, let deliveryProtocol, let deadLetter, valid else { return nil }
        return (
            SubscriptionSpec(
                name: name, deliveryProtocol: deliveryProtocol, target: target, filterPolicy: policy,
                deadLetterQueue: deadLetter, httpPolicy: httpPolicy), nameNode
        )
    }

    /// `invalid filter policy at 'policy.price': …`.
    static func describe(_ error: TopicFanoutError, _ what: String) -> String {
        error.path.isEmpty
            ? "invalid \(what): \(error.message)" : "invalid \(what) at '\(error.path)': \(error.message)"
    }
}
