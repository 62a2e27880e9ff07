/// Stable, platform-independent hashing used to derive random-stream seeds.
///
/// Swift's `hashValue` is randomized per process, so it must never reach a seed: these functions give the
/// same output on every run and machine.
public enum StableHash {
    /// FNV-1a, 64 bits, over the UTF-8 bytes of `text`.
    /// - Complexity: O(n) in the number of bytes.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// One step of splitmix64 (Steele, Lea, Flood 2014): a bijective mixer with good avalanche.
    @inlinable
    public static func splitmix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The seed of the stream named `name` under the scenario seed `seed`.
    ///
    /// Adding a component never changes another component's seed, because each seed depends only on the
    /// scenario seed and the component's own stable name.
    public static func streamSeed(scenarioSeed seed: UInt64, name: String) -> UInt64 {
        splitmix64(splitmix64(seed) ^ fnv1a64(name))
    }
}
