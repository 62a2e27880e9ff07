internal import SimulationKernel
internal import Stochastics

/// The two classic kernel benchmarks behind `eventsim bench kernel`, timed on the monotonic clock.
public enum KernelBenchmark {
    /// Which event calendar a benchmark runs on.
    public enum CalendarChoice: String, CaseIterable, Sendable {
        case binary, quaternary, collections
        case calendarQueue = "calendar-queue"
    }

    /// One hold-model measurement.
    public struct HoldMeasurement: Sendable {
        public var pending: Int
        public var events: Int
        public var seconds: Double
        public var finalTime: Double
        public var eventsPerSecond: Double { Double(events) / seconds }
    }

    /// One M/M/c measurement.
    public struct QueueMeasurement: Sendable {
        public var result: MMcResult
        public var customers: Int
        public var seconds: Double
        public var customersPerSecond: Double { Double(customers) / seconds }
    }

    /// Runs the hold model: `pending` events kept in the calendar, `events` pops and pushes.
    public static func hold(pending: Int, events: Int, seed: UInt64, calendar: CalendarChoice) -> HoldMeasurement {
        let clock = ContinuousClock()
        var result: HoldModel.Result?
        let elapsed = clock.measure {
            switch calendar {
            case .quaternary:
                result = HoldModel.run(calendar: QuaternaryHeapCalendar(), pending: pending, events: events, seed: seed)
            case .binary:
                result = HoldModel.run(calendar: BinaryHeapCalendar(), pending: pending, events: events, seed: seed)
            case .collections:
                result = HoldModel.run(
                    calendar: CollectionsHeapCalendar(), pending: pending, events: events, seed: seed)
            case .calendarQueue:
                result = HoldModel.run(calendar: CalendarQueue(), pending: pending, events: events, seed: seed)
            }
        }
        return HoldMeasurement(pending: pending, events: events, seconds: elapsed.seconds, finalTime: result!.finalTime)
    }

    /// Runs one M/G/c/K replication to completion; customers counted are warm-up plus measured, as in mmc.c.
    public static func queue(_ configuration: MMcConfiguration, calendar: CalendarChoice) -> QueueMeasurement {
        let clock = ContinuousClock()
        var result: MMcResult?
        let elapsed = clock.measure {
            switch calendar {
            case .quaternary: result = MMcSimulation.run(configuration, calendar: QuaternaryHeapCalendar())
            case .binary: result = MMcSimulation.run(configuration, calendar: BinaryHeapCalendar())
            case .collections: result = MMcSimulation.run(configuration, calendar: CollectionsHeapCalendar())
            case .calendarQueue: result = MMcSimulation.run(configuration, calendar: CalendarQueue())
            }
        }
        return QueueMeasurement(
            result: result!, customers: configuration.warmupCustomers + configuration.customers,
            seconds: elapsed.seconds)
    }
}

extension Duration {
    /// The duration in seconds as a double.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
