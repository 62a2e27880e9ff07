/// An IPv4 (4 bytes) or IPv6 (16 bytes) address parsed from text.
package struct IPAddress: Hashable, Sendable {
    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    package let bytes: [UInt8]

    package var isV4: Bool { bytes.count == 4 }

    /// Parses dotted-quad IPv4 (`10.0.0.1`) or IPv6 text (`2001:db8::1`, `::ffff:1.2.3.4`); nil otherwise.
    package init?(_ text: String) {
        if let v4 = Self.parseV4(Substring(text)) {
            bytes = v4
        } else if let v6 = Self.parseV6(text) {
            bytes = v6
        } else {
            return nil
        }
    }

    private static func parseV4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let value = Int(part), value <= 255
            else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    private static func parseV6(_ text: String) -> [UInt8]? {
        guard text.contains(":"), text.utf8.count <= 45 else { return nil }
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring, allowV4Tail: Bool) -> [UInt8]? {
            if part.isEmpty { return [] }
            var output: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, allowV4Tail, piece.contains("."), let v4 = parseV4(piece) {
                    output += v4
                    continue
                }
                guard (1...4).contains(piece.utf8.count), let value = UInt16(piece, radix: 16) else { return nil }
                output += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return output
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowV4Tail: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowV4Tail: false), let tail = groups(halves[1], allowV4Tail: true),
            head.count + tail.count <= 14
        else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

extension String {
    /// Splits at each "::" (the IPv6 zero-run marker).
    fileprivate func components(separatedByDoubleColon: Void) -> [Substring] {
        var result: [Substring] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            let next = self.index(after: index)
            if self[index] == ":", next < endIndex, self[next] == ":" {
                result.append(self[start..<index])
                start = self.index(after: next)
                index = start
            } else {
                index = next
            }
        }
        result.append(self[start..<endIndex])
        return result
    }
}

/// A `cidr` operand: a network address and prefix length, with host bits ignored.
///
/// Like event-ruler, an IPv4 range also matches IPv6 addresses whose top 32 bits fall in it (`10.0.0.0/8` matches
/// `a00::1`); an IPv6 range matches only IPv6 addresses.
package struct CIDRRange: Hashable, Sendable {
    package let network: IPAddress
    package let prefixLength: Int

    /// Parses `address/length`; IPv4 lengths 0...31 and IPv6 lengths 0...127 (a single address is a plain string).
    package init(_ text: String) throws(PatternError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw PatternError(path: "", message: "CIDR \"\(text)\" must have the form address/prefix-length")
        }
        guard let address = IPAddress(String(parts[0])) else {
            throw PatternError(path: "", message: "\"\(parts[0])\" in CIDR \"\(text)\" is not an IP address")
        }
        let limit = address.isV4 ? 31 : 127
        guard parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let length = Int(parts[1]), length <= limit else {
            throw PatternError(
                path: "", message: "prefix length \"\(parts[1])\" in CIDR \"\(text)\" must be an integer 0...\(limit)")
        }
        network = address
        prefixLength = length
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
