/// Per-message-group ordered delivery, as a FIFO subscription sees it: messages of one group leave in publish
/// order and one at a time (the next waits until the previous one is completed, retries included); different
/// groups proceed independently, served in the order they became ready.
///
/// Not `Sendable`-constrained on its elements beyond what the caller needs; value type.
public struct GroupOrderedQueue<Element> {
    private var pending: [String: [Element]] = [:]
    private var heads: [String: Int] = [:]
    private var ready: [String] = []
    private var readyHead = 0
    private var inFlight: Set<String> = []

    public init() {}

    /// The number of messages waiting (not in flight).
    public private(set) var count = 0

    /// Appends a message to its group.
    /// - Complexity: amortised O(1).
    public mutating func enqueue(_ element: Element, group: String) {
        let wasIdle = (pending[group].map { $0.count == heads[group, default: 0] } ?? true) && !inFlight.contains(group)
        pending[group, default: []].append(element)
        count += 1
        if wasIdle { ready.append(group) }
    }

    /// Takes the next deliverable message: the head of the oldest ready group. The group is then in flight until
    /// `complete(group:)`.
    /// - Complexity: amortised O(1).
    public mutating func next() -> (group: String, element: Element)? {
        guard readyHead < ready.count else { return nil }
        let group = ready[readyHead]
        readyHead += 1
        if readyHead > 1024 && readyHead * 2 > ready.count {
            ready.removeFirst(readyHead)
            readyHead = 0
        }
        let index = heads[group, default: 0]
        guard let element = pending[group]?[index] else { return nil }
        heads[group] = index + 1
        count -= 1
        inFlight.insert(group)
        return (group, element)
    }

    /// Marks the group's in-flight message done (delivered or dead-lettered); its next message becomes ready.
    public mutating func complete(group: String) {
        guard inFlight.remove(group) != nil else { return }
        let index = heads[group, default: 0]
        if let queue = pending[group], index < queue.count {
            ready.append(group)
        } else {
            pending[group] = nil
            heads[group] = nil
        }
    }
}
