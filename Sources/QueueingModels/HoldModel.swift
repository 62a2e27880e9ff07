public import SimulationKernel
import Stochastics

/// The classic hold model (Jones 1986): keep `pending` events in the calendar; `events` times, pop the
/// earliest and schedule a replacement at now + Exp(1) seconds drawn from GSL's mt19937.
///
/// It measures the raw cost of the event calendar and the run loop, as `anchors/des/c/hold.c` does.
public enum HoldModel {
    /// Result of one hold run.
    public struct Result: Sendable {
        public var pending: Int
        public var events: Int
        /// Simulated time at the end, seconds (a checksum that the run really happened).
        public var finalTime: Double
    }

    /// Runs the hold model on the calendar type `calendar`.
    /// - Complexity: O(events · log pending) on the heaps.
    public static func run<C: EventCalendar>(
        calendar: C, pending: Int, events: Int, seed: UInt64
    ) -> Result where C.Payload == UInt32 {
        let stream = RandomStream(seed: seed)
        var scheduler = Scheduler<UInt32, C>(calendar: calendar)
        scheduler.reserveCapacity(pending)
        for index in 0..<pending {
            scheduler.schedule(
                UInt32(truncatingIfNeeded: index), at: Time.nanoseconds(seconds: stream.exponential(mean: 1)))
        }
        for _ in 0..<events {
            guard let id = scheduler.next() else { break }
            scheduler.schedule(id, after: Time.nanoseconds(seconds: stream.exponential(mean: 1)))
        }
        return Result(pending: pending, events: events, finalTime: Time.seconds(scheduler.now))
    }
}
