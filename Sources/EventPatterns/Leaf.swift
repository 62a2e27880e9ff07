/// One leaf value of an event (string, number, boolean or null), as the matchers see it.
///
/// Numbers carry their literal text and, when the literal is exactly a double, that double
/// (see ``JSONNumber/exactDouble``); matchers never look at a number's text otherwise.
package struct Leaf: Sendable, Equatable {
    package enum Kind: UInt8, Sendable { case string, number, trueValue, falseValue, null }

    package var kind: Kind
    /// The string's contents, or the number's literal text; empty for booleans and null.
    package var text: String
    /// The exact double of a number literal, nil when not comparable (and for non-numbers).
    package var number: Double?

    package init(kind: Kind, text: String = "", number: Double? = nil) {
        self.kind = kind
        self.text = text
        self.number = number
    }

    /// The leaf for a scalar JSON value; nil for arrays and objects.
    package init?(_ value: JSONValue) {
        switch value {
        case .null: self.init(kind: .null)
        case .bool(let flag): self.init(kind: flag ? .trueValue : .falseValue)
        case .string(let string): self.init(kind: .string, text: string)
        case .number(let number): self.init(kind: .number, text: number.text, number: number.exactDouble)
        case .array, .object: return nil
        }
    }
}

/// How an exact number compares: numerically when the literal is exactly a double, otherwise by literal text.
package enum NumberKey: Hashable, Sendable {
    case value(Double)
    case literal(String)

    /// The key of a pattern or event number; minus zero becomes zero.
    package init(_ number: JSONNumber) {
        if let value = number.exactDouble {
            self = .value(value == 0 ? 0 : value)
        } else {
            self = .literal(number.text)
        }
    }

    /// The key of a numeric leaf.
    package init(leaf: Leaf) {
        if let value = leaf.number { self = .value(value == 0 ? 0 : value) } else { self = .literal(leaf.text) }
    }
}
