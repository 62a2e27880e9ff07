public import SimulationKernel
public import Stochastics

/// The parameters of an M/G/c/K FIFO queue run (M/M/c when the service is exponential).
///
/// Time unit: seconds (rates per second); the simulation runs in integer nanoseconds. Customers are numbered
/// in arrival order; statistics cover customers numbered ≥ `warmupCustomers`; a run ends when
/// `warmupCustomers + customers` customers have left (served or blocked) — the same protocol as the C
/// reference `anchors/des/c/mmc.c`, so the two are comparable event for event.
public struct MMcConfiguration: Sendable, Equatable {
    /// Poisson arrival rate λ, customers per second (> 0).
    public var arrivalRate: Double
    /// Service-time distribution, seconds.
    public var service: Distribution
    /// Number of servers c (≥ 1).
    public var servers: Int
    /// Total system capacity K (in service + waiting); nil for unbounded. K = c gives Erlang B loss.
    public var systemCapacity: Int?
    /// Customers whose statistics are discarded (warm-up deletion).
    public var warmupCustomers: Int
    /// Customers measured after the warm-up.
    public var customers: Int
    /// Scenario seed; the arrival and service streams are derived from it by name.
    public var seed: UInt64

    public init(
        arrivalRate: Double, service: Distribution, servers: Int, systemCapacity: Int? = nil,
        warmupCustomers: Int, customers: Int, seed: UInt64
    ) {
        self.arrivalRate = arrivalRate
        self.service = service
        self.servers = servers
        self.systemCapacity = systemCapacity
        self.warmupCustomers = warmupCustomers
        self.customers = customers
        self.seed = seed
    }
}

/// Estimates from one M/G/c/K run. Times in seconds.
public struct MMcResult: Sendable, Equatable {
    /// Customers that left (served or blocked), warm-up included.
    public var customersLeft: Int
    /// Events handled by the kernel.
    public var events: UInt64
    /// Mean waiting time in queue, Wq.
    public var meanWait: Double
    /// Mean time in system, W.
    public var meanSojourn: Double
    /// Fraction of served customers that waited, P(Wq > 0).
    public var waitProbability: Double
    /// Time-average number in system, L, and in queue, Lq.
    public var meanInSystem: Double
    public var meanInQueue: Double
    /// Throughput of admitted customers, λ_eff, per second.
    public var effectiveArrivalRate: Double
    /// Fraction of measured arrivals blocked (M/M/c/K).
    public var blockingProbability: Double
    /// Time-average busy servers.
    public var meanBusyServers: Double
    /// Simulated time at the end, seconds.
    public var simulatedSeconds: Double
}

/// The M/G/c/K queue as a kernel model: two event kinds, a ``ServerPool`` for the servers and the FIFO queue.
public struct MMcModel: SimulationModel {
    public enum Event { case arrival, departure }

    struct Waiting {
        var arrival: SimTime
        var id: Int
    }

    let configuration: MMcConfiguration
    let meanInterarrivalSeconds: Double
    let arrivals: RandomStream
    let services: RandomStream
    var pool: ServerPool<Waiting>
    let total: Int
    var nextID = 0
    var left = 0
    var startTime: SimTime = -1
    var served = 0, waited = 0, measuredArrivals = 0, blocked = 0
    /// Sums over measured served customers, integer nanoseconds (exact; 2^63 ns is 292 years of summed waits).
    var sumWait: SimTime = 0, sumSojourn: SimTime = 0

    public init(_ configuration: MMcConfiguration) {
        self.configuration = configuration
        meanInterarrivalSeconds = 1 / configuration.arrivalRate
        arrivals = RandomStream(scenarioSeed: configuration.seed, name: "mmc/arrivals")
        services = RandomStream(scenarioSeed: configuration.seed, name: "mmc/service")
        let queueLimit = configuration.systemCapacity.map { Swift.max(0, $0 - configuration.servers) }
        pool = ServerPool(capacity: configuration.servers, queueLimit: queueLimit)
        total = configuration.warmupCustomers + configuration.customers
    }

    /// Whether the run still has customers to see out.
    public var isRunning: Bool { left < total }

    public mutating func handle<C: EventCalendar>(_ event: Event, scheduler: inout Scheduler<Event, C>) {
        let now = scheduler.now
        switch event {
        case .arrival:
            let id = nextID
            nextID += 1
            if id == configuration.warmupCustomers {
                startTime = now
                pool.resetStatistics(at: now)
            }
            scheduler.schedule(
                .arrival, after: Time.nanoseconds(seconds: arrivals.exponential(mean: meanInterarrivalSeconds)))
            if id >= configuration.warmupCustomers { measuredArrivals += 1 }
            switch pool.arrive(Waiting(arrival: now, id: id), at: now) {
            case .served:
                startService(arrival: now, id: id, scheduler: &scheduler)
            case .queued:
                break
            case .rejected:
                if id >= configuration.warmupCustomers { blocked += 1 }
                left += 1
            }
        case .departure:
            left += 1
            if let next = pool.release(at: now) {
                startService(arrival: next.arrival, id: next.id, scheduler: &scheduler)
            }
        }
    }

    @inline(__always)
    mutating func startService<C: EventCalendar>(arrival: SimTime, id: Int, scheduler: inout Scheduler<Event, C>) {
        let now = scheduler.now
        let serviceSeconds = configuration.service.sample(services)
        let service = Time.nanoseconds(seconds: serviceSeconds)
        scheduler.schedule(.departure, after: service)
        if id >= configuration.warmupCustomers {
            served += 1
            let wait = now - arrival
            sumWait &+= wait
            sumSojourn &+= wait &+ service
            if now > arrival { waited += 1 }
        }
    }

    /// The estimates at simulated time `now`.
    public func result(at now: SimTime, events: UInt64) -> MMcResult {
        let span = startTime >= 0 ? Time.seconds(now - startTime) : 0
        let servedCount = Double(Swift.max(served, 1))
        let busy = pool.busyStatistic.mean(at: now)
        // Number in system = busy servers + queue length, so L is the sum of the pool's two time averages.
        let meanInSystem = busy + pool.queueStatistic.mean(at: now)
        return MMcResult(
            customersLeft: left, events: events,
            meanWait: Time.seconds(sumWait) / servedCount, meanSojourn: Time.seconds(sumSojourn) / servedCount,
            waitProbability: Double(waited) / servedCount,
            meanInSystem: meanInSystem, meanInQueue: meanInSystem - busy,
            effectiveArrivalRate: span > 0 ? Double(measuredArrivals - blocked) / span : 0,
            blockingProbability: measuredArrivals > 0 ? Double(blocked) / Double(measuredArrivals) : 0,
            meanBusyServers: busy, simulatedSeconds: Time.seconds(now))
    }
}

/// Runs M/G/c/K models.
public enum MMcSimulation {
    /// Runs one replication to completion.
    /// - Complexity: O(N log N) for N = warm-up + measured customers.
    public static func run(_ configuration: MMcConfiguration) -> MMcResult {
        run(configuration, calendar: BinaryHeapCalendar())
    }

    /// Runs one replication on a given event calendar (for the calendar benchmark).
    public static func run<C: EventCalendar>(
        _ configuration: MMcConfiguration, calendar: C
    ) -> MMcResult where C.Payload == MMcModel.Event {
        var simulation = Simulation(model: MMcModel(configuration), calendar: calendar)
        simulation.scheduler.reserveCapacity(configuration.servers + 2)
        let first = simulation.model.arrivals.exponential(mean: simulation.model.meanInterarrivalSeconds)
        simulation.scheduler.schedule(.arrival, at: Time.nanoseconds(seconds: first))
        simulation.run { $0.isRunning }
        return simulation.model.result(at: simulation.now, events: simulation.scheduler.processedCount)
    }
}
