import SimulationKernel

/// The producers' next arrivals, each a (time, reserved calendar sequence) key, kept in a winner tree so that the
/// earliest is known at once and a producer's new arrival costs O(log producers) instead of a scan of every
/// producer (which made a scenario of 3,000 producers spend more than half its time choosing the next arrival).
///
/// A leaf per producer, padded to a power of two with leaves that never win; every inner node holds the arrival
/// that wins its subtree (a copy of its key). Keys compare by time, then by sequence; equal keys (only producers
/// with no arrival left, at `(.max, .max)`) go to the lower producer index, as a scan from the first producer would.
///
/// Invariants: an inner node (`1 ≤ node < width`) holds the smallest key among the leaves under it, the leftmost
/// of equal ones; leaves at and after `count` keep `(.max, .max)`. Memory: 24 bytes times twice the producers.
struct ArrivalTournament {
    /// A node: the winning arrival of its subtree (a leaf: its producer's own).
    struct Entry {
        /// When the arrival is due, ns (`.max`: none left).
        var time: SimTime
        /// The calendar sequence reserved for the arrival (`.max`: none left).
        var sequence: UInt64
        var producer: Int32
    }

    /// The number of producers.
    let count: Int
    /// The number of leaves: the smallest power of two at least `count` (at least 1).
    private let width: Int
    /// The tree in heap order: node `n`'s children are `2n` and `2n + 1`, the root is node 1 (node 0 is unused;
    /// with one leaf the root is that leaf), and producer `p`'s leaf is node `width + p`. Each inner node holds a
    /// copy of its winner, so that a comparison reads the two children only.
    private var nodes: [Entry]

    /// A tree of `count` producers, none with an arrival planned.
    init(count: Int) {
        self.count = count
        var width = 1
        while width < count { width <<= 1 }
        self.width = width
        nodes = Array(repeating: Entry(time: .max, sequence: .max, producer: 0), count: 2 * width)
        for leaf in 0..<width { nodes[width + leaf].producer = Int32(leaf) }
        // Every key is (.max, .max): each inner node's winner is its subtree's leftmost leaf.
        for node in stride(from: width - 1, through: 1, by: -1) { nodes[node] = nodes[2 * node] }
    }

    /// The producer whose arrival comes first (the lowest index among equal keys), and its key.
    /// - Complexity: O(1).
    var first: (producer: Int32, time: SimTime, sequence: UInt64) {
        let root = nodes[1]
        return (root.producer, root.time, root.sequence)
    }

    /// Sets producer `producer`'s next arrival to `time` and `sequence` (`.max` for both: none left).
    /// - Complexity: O(log `count`).
    mutating func update(_ producer: Int, time: SimTime, sequence: UInt64) {
        precondition(producer >= 0 && producer < count, "producer out of range")
        let width = self.width
        nodes.withUnsafeMutableBufferPointer { nodes in
            var node = width &+ producer
            nodes[node].time = time
            nodes[node].sequence = sequence
            node >>= 1
            while node >= 1 {
                let left = nodes[2 &* node]
                let right = nodes[2 &* node &+ 1]
                // The right child wins only with a strictly smaller key, so ties go to the lower index.
                let rightWins =
                    right.time < left.time || (right.time == left.time && right.sequence < left.sequence)
                nodes[node] = rightWins ? right : left
                node >>= 1
            }
        }
    }
}
