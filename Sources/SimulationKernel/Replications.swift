import Dispatch
import Synchronization

/// Runs independent replications of a simulation in parallel and returns their results in replication order.
///
/// Each replication builds its own simulator from its index (and so its own random streams), so the results,
/// and anything merged from them in index order, are identical whatever the number of worker threads.
public enum Replications {
    /// Runs `body(index)` for every index in `0..<count` on up to `jobs` threads.
    /// - Parameters:
    ///   - count: number of replications (≥ 0).
    ///   - jobs: worker threads; values < 1 mean one.
    /// - Returns: the results, element `i` from replication `i`.
    public static func run<Result: Sendable>(
        count: Int, jobs: Int, _ body: @Sendable (Int) -> Result
    ) -> [Result] {
        guard count > 0 else { return [] }
        let workers = Swift.max(1, Swift.min(jobs, count))
        if workers == 1 { return (0..<count).map(body) }
        let results = Mutex<[Result?]>(Array(repeating: nil, count: count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let result = body(index)
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
