/// SplitMix64: a small, fast, seedable generator; the same seed gives the same stream on every platform.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// A deterministic generator of realistic filter policies and messages for the fan-out benchmark and tests.
///
/// Messages carry attributes of a multi-tenant order stream (tenant among 10,000, region, event type, price,
/// SKU, customer email, source IP, tags as String.Array, priority) and a JSON body with nested `order` and
/// `customer` objects and an array of items. Policies: one subscription in 1,000 (the 500th, 1,500th, …) has
/// none, so the share of unfiltered subscriptions is the same at every size; of the rest about 70% use attribute
/// scope and 30% body scope; each has one selective key (an exact tenant or customer id, a SKU prefix, a
/// case-insensitive e-mail, a /24 CIDR) plus 0-4 keys drawn from exact values, numeric ranges, prefix, suffix,
/// anything-but (values and prefix), equals-ignore-case, exists and wildcard; about 5% add an `$or`.
public struct WorkloadGenerator {
    private var random: SplitMix64
    private var policiesDrawn = 0
    /// The number of tenants (customer ids, SKU families); a subscription's selective key hits about one message
    /// in this many.
    public let tenants: Int
    static let regions = [
        "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1", "ap-northeast-1",
        "sa-east-1", "ca-central-1",
    ]
    static let eventTypes = [
        "order_placed", "order_paid", "order_shipped", "order_cancelled", "refund_issued",
        "cart_updated", "price_changed", "stock_low", "review_posted", "login",
    ]
    static let tags = ["gift", "priority", "fragile", "bulk", "promo", "subscription", "international", "b2b"]
    static let statuses = ["new", "paid", "packed", "shipped", "delivered", "returned"]
    static let tiers = ["free", "silver", "gold", "platinum"]

    /// Creates a generator; the same seed always gives the same policies and messages.
    /// - Parameter tenants: the cardinality of the selective keys (10,000 in the benchmark; small in tests so that
    ///   policies match often).
    public init(seed: UInt64, tenants: Int = 10_000) {
        random = SplitMix64(seed: seed ^ 0x5EED_F00D_CAFE_0001)
        self.tenants = max(tenants, 1)
    }

    /// The next subscription's filter policy as JSON text with its scope, or nil for a subscription without one.
    public mutating func nextPolicy() -> (text: String, scope: FilterPolicyScope)? {
        policiesDrawn += 1
        if policiesDrawn % 1000 == 500 { return nil }
        let body = random.chance(30)
        let withOr = random.chance(5)
        var keys = [body ? bodyAnchor() : attributeAnchor()]
        for _ in 0..<random.below(body ? 4 : 5) where keys.count < (withOr ? 3 : 5) {
            let key = body ? bodyKey(random.below(6)) : attributeKey(random.below(9))
            if !keys.contains(where: { $0.hasPrefix(key.prefix { $0 != ":" }) }) { keys.append(key) }
        }
        if withOr {
            keys.append(
                body
                    ? "\"$or\": [{\"channel\": [\"web\"]}, {\"order\": {\"total\": [{\"numeric\": [\">\", 500]}]}}]"
                    : "\"$or\": [{\"region\": [\"\(Self.regions[random.below(8)])\"]}, "
                        + "{\"priority\": [{\"numeric\": [\">=\", 4]}]}]")
        }
        return ("{" + keys.joined(separator: ", ") + "}", body ? .messageBody : .messageAttributes)
    }

    private mutating func attributeAnchor() -> String {
        switch random.below(10) {
        case 0..<6: return "\"tenant\": [\"t\(random.below(tenants))\"]"
        case 6: return "\"sku\": [{\"prefix\": \"sku-\(random.below(tenants))-\"}]"
        case 7: return "\"email\": [{\"equals-ignore-case\": \"USER\(random.below(tenants))@EXAMPLE.COM\"}]"
        case 8: return "\"source_ip\": [{\"cidr\": \"10.\(random.below(100)).\(random.below(100)).0/24\"}]"
        default: return "\"tenant\": [\"t\(random.below(tenants))\", \"t\(random.below(tenants))\"]"
        }
    }

    private mutating func attributeKey(_ choice: Int) -> String {
        switch choice {
        case 0: return "\"region\": [\"\(Self.regions[random.below(8)])\", \"\(Self.regions[random.below(8)])\"]"
        case 1: return "\"event_type\": [\"\(Self.eventTypes[random.below(10)])\", {\"prefix\": \"order_\"}]"
        case 2:
            let low = random.below(900)
            return "\"price\": [{\"numeric\": [\">=\", \(low), \"<\", \(low + 100 + random.below(400))]}]"
        case 3: return "\"event_type\": [{\"anything-but\": [\"login\", \"review_posted\"]}]"
        case 4: return "\"tags\": [\"\(Self.tags[random.below(8)])\"]"
        case 5: return "\"priority\": [{\"exists\": true}]"
        case 6: return "\"debug\": [{\"exists\": false}]"
        case 7: return "\"email\": [{\"suffix\": \"@example.com\"}]"
        default: return "\"event_type\": [{\"anything-but\": {\"prefix\": \"cart\"}}]"
        }
    }

    private mutating func bodyAnchor() -> String {
        switch random.below(4) {
        case 0..<3: return "\"customer\": {\"id\": [\"t\(random.below(tenants))\"]}"
        default: return "\"order\": {\"items\": {\"sku\": [{\"prefix\": \"sku-\(random.below(tenants))-\"}]}}"
        }
    }

    private mutating func bodyKey(_ choice: Int) -> String {
        switch choice {
        case 0: return "\"channel\": [\"web\", \"mobile\"]"
        case 1: return "\"status\": [{\"anything-but\": [\"returned\"]}]"
        case 2: return "\"tier\": [{\"wildcard\": \"*l*\"}]"
        case 3: return "\"amount\": [{\"numeric\": [\">\", \(random.below(500))]}]"
        case 4: return "\"gift\": [true]"
        default: return "\"note\": [{\"exists\": false}]"
        }
    }

    /// The next message: attributes and a JSON body (about 1 in 20 messages has a plain-text body).
    public mutating func nextMessage() -> Message {
        let tenant = random.below(tenants)
        let sku = "sku-\(random.below(tenants))-\(random.below(100))"
        let price = random.below(100_000)
        var attributes = [
            MessageAttribute(name: "tenant", dataType: "String", value: "t\(tenant)"),
            MessageAttribute(name: "region", dataType: "String", value: Self.regions[random.below(8)]),
            MessageAttribute(name: "event_type", dataType: "String", value: Self.eventTypes[random.below(10)]),
            MessageAttribute(name: "price", dataType: "Number", value: "\(price / 100).\(price % 100)"),
            MessageAttribute(name: "sku", dataType: "String", value: sku),
            MessageAttribute(name: "email", dataType: "String", value: "user\(tenant)@example.com"),
            MessageAttribute(
                name: "source_ip", dataType: "String",
                value: "10.\(random.below(100)).\(random.below(100)).\(random.below(256))"),
            MessageAttribute(
                name: "tags", dataType: "String.Array",
                value: "[\"\(Self.tags[random.below(8)])\", \"\(Self.tags[random.below(8)])\"]"),
        ]
        if random.chance(70) {
            attributes.append(MessageAttribute(name: "priority", dataType: "Number", value: "\(1 + random.below(5))"))
        }
        if random.chance(10) { attributes.append(MessageAttribute(name: "debug", dataType: "String", value: "1")) }
        if random.chance(5) { return Message(body: "plain text notification \(tenant)", attributes: attributes) }
        let items = (0..<(1 + random.below(3))).map { index in
            "{\"sku\": \"\(index == 0 ? sku : "sku-\(random.below(tenants))-0")\", \"qty\": \(1 + random.below(9))}"
        }
        let body =
            "{\"channel\": \"\(["web", "mobile", "store"][random.below(3)])\", "
            + "\"status\": \"\(Self.statuses[random.below(6)])\", \"tier\": \"\(Self.tiers[random.below(4)])\", "
            + "\"amount\": \(random.below(1000)), \"gift\": \(random.chance(20)), "
            + "\"customer\": {\"id\": \"t\(tenant)\", \"country\": \"c\(random.below(50))\"}, "
            + "\"order\": {\"total\": \(price / 100), \"items\": [\(items.joined(separator: ", "))]}}"
        return Message(body: body, attributes: attributes)
    }
}
