/// An IPv4 (4 bytes) or IPv6 (16 bytes) address parsed from text the way event-ruler recognises one.
///
/// event-ruler treats a string as an address only when it matches `[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+` or
/// `[0-9a-fA-F:]*:[0-9a-fA-F:]*` and `java.net.InetAddress` then accepts it. So IPv4 text is at most 15 characters
/// with decimal parts up to 255 (leading zeros allowed: `010.0.0.1` is 10.0.0.1); IPv6 text has no dotted tail
/// (`::ffff:1.2.3.4` is not an address), groups up to `ffff` (leading zeros allowed) and at most one `::` standing
/// for at least one group; and an IPv4-mapped IPv6 address (`::ffff:a00:1`) is the IPv4 address it maps (10.0.0.1).
package struct IPAddress: Hashable, Sendable {
    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    package let bytes: [UInt8]

    package var isV4: Bool { bytes.count == 4 }

    /// Parses IPv4 (`10.0.0.1`) or IPv6 text (`2001:db8::1`); nil otherwise.
    package init?(_ text: String) {
        var text = text
        guard let bytes = text.withUTF8({ Self.parse($0) }) else { return nil }
        self.bytes = bytes
    }

    /// Parses the UTF-8 text of an address without making a string.
    package init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard let bytes = Self.parse(utf8) else { return nil }
        self.bytes = bytes
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        if let v4 = parseV4(text) { return v4 }
        guard let v6 = parseV6(text) else { return nil }
        // InetAddress answers an Inet4Address for an IPv4-mapped literal (::ffff:0:0/96).
        if v6[0..<10].allSatisfy({ $0 == 0 }), v6[10] == 0xFF, v6[11] == 0xFF { return Array(v6[12...]) }
        return v6
    }

    /// Four dot-separated decimal parts, each at most 255, in at most 15 characters.
    private static func parseV4(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard !text.isEmpty, text.count <= 15 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(4)
        var value = 0
        var digits = 0
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, result.count < 3 else { return nil }
                result.append(UInt8(value))
                value = 0
                digits = 0
            } else {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                guard value <= 255 else { return nil }
                digits += 1
            }
        }
        guard digits > 0, result.count == 3 else { return nil }
        result.append(UInt8(value))
        return result
    }

    /// Colon-separated hex groups (each at most ffff) with at most one `::`, as `InetAddress` reads them.
    private static func parseV6(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count >= 2 else { return nil }
        var output = [UInt8](repeating: 0, count: 16)
        var filled = 0
        var gap = -1
        var index = 0
        if text[0] == UInt8(ascii: ":") {
            guard text[1] == UInt8(ascii: ":") else { return nil }
            index = 1
        }
        var value = 0
        var sawDigit = false
        while index < text.count {
            let byte = text[index]
            index += 1
            if let digit = hexDigit(byte) {
                value = value << 4 | digit
                guard value <= 0xFFFF else { return nil }
                sawDigit = true
                continue
            }
            guard byte == UInt8(ascii: ":") else { return nil }
            if !sawDigit {
                guard gap < 0 else { return nil }
                gap = filled
                continue
            }
            guard index < text.count, filled + 2 <= 16 else { return nil }
            output[filled] = UInt8(value >> 8)
            output[filled + 1] = UInt8(value & 0xFF)
            filled += 2
            sawDigit = false
            value = 0
        }
        if sawDigit {
            guard filled + 2 <= 16 else { return nil }
            output[filled] = UInt8(value >> 8)
            output[filled + 1] = UInt8(value & 0xFF)
            filled += 2
        }
        if gap >= 0 {
            guard filled < 16 else { return nil }
            // Move the groups after "::" to the end; the gap between reads as zeros.
            var offset = 1
            while offset <= filled - gap {
                output[16 - offset] = output[filled - offset]
                output[filled - offset] = 0
                offset += 1
            }
            filled = 16
        }
        return filled == 16 ? output : nil
    }

    private static func hexDigit(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - 55)
        default: nil
        }
    }
}

/// A `cidr` operand: a network address and prefix length, with host bits ignored.
///
/// Like event-ruler, an IPv4 range also matches IPv6 addresses whose top 32 bits fall in it (`10.0.0.0/8` matches
/// `a00::1`); an IPv6 range matches only IPv6 addresses.
package struct CIDRRange: Hashable, Sendable {
    package let network: IPAddress
    package let prefixLength: Int

    /// Parses `address/length` as event-ruler does (Java's `split("/")`, which drops trailing empty parts, and
    /// `Integer.parseInt`, which takes a sign): IPv4 lengths 0...31 and IPv6 lengths 0...127 (a single address is a
    /// plain string).
    package init(_ text: String) throws(PatternError) {
        var parts = text.split(separator: "/", omittingEmptySubsequences: false)
        while parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        guard parts.count == 2 else {
            throw PatternError(path: "", message: "CIDR \"\(text)\" must have the form address/prefix-length")
        }
        guard let address = IPAddress(String(parts[0])) else {
            throw PatternError(path: "", message: "\"\(parts[0])\" in CIDR \"\(text)\" is not an IP address")
        }
        let limit = address.isV4 ? 31 : 127
        var digits = parts[1].utf8[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let magnitude = Int(Substring(digits)), magnitude == 0 || !negative, magnitude <= limit
        else {
            throw PatternError(
                path: "", message: "prefix length \"\(parts[1])\" in CIDR \"\(text)\" must be an integer 0...\(limit)")
        }
        network = address
        prefixLength = magnitude
    }

    /// A single-address range (used for exact strings holding an IP address).
    package init(address: IPAddress) {
        network = address
        prefixLength = address.bytes.count * 8
    }

    /// Whether `address` lies in the range.
    package func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count >= network.bytes.count else { return false }
        var remaining = prefixLength
        var index = 0
        while remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if address.bytes[index] & mask != network.bytes[index] & mask { return false }
            remaining -= 8
            index += 1
        }
        return true
    }
}
