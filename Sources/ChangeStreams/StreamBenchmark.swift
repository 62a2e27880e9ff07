import CacheHints

/// The figures of one benchmark run.
public struct StreamBenchmarkResult: Sendable, Hashable {
    /// The number of items written to.
    public var items: Int
    /// The number of write operations.
    public var writes: Int
    /// The number of readers that read the whole stream.
    public var readers: Int
    /// The number of stream records produced (writes that changed an item).
    public var records: Int
    /// The number of records the readers read, summed over readers.
    public var recordsRead: Int
    /// Wall-clock seconds for writing and reading everything.
    public var seconds: Double
    /// `records / seconds`: records written and read by every reader, per wall-clock second.
    public var recordsPerSecond: Double
    /// CPU seconds the benchmark thread used (equal to `seconds` on an idle core; smaller when other processes
    /// share the core).
    public var cpuSeconds: Double
    /// `records / cpuSeconds`: the throughput of one core the benchmark had to itself.
    public var recordsPerCPUSecond: Double
    /// The largest number of records held in memory at once.
    public var peakRetainedRecords: Int
    /// The mean record size in bytes (`SizeBytes`).
    public var bytesPerRecord: Double
    /// The number of trimmed-data events the readers met (0 for readers that keep up).
    public var trimmedDataEvents: Int

    /// The CSV header matching ``csvRow``.
    public static let csvHeader =
        "items,writes,readers,records,records_read,seconds,records_per_second,cpu_seconds,records_per_cpu_second,"
        + "peak_retained_records,bytes_per_record,trimmed_data_events"

    /// The figures as one CSV row.
    public var csvRow: String {
        [
            String(items), String(writes), String(readers), String(records), String(recordsRead),
            Self.fixed(seconds, 6), Self.fixed(recordsPerSecond, 0), Self.fixed(cpuSeconds, 6),
            Self.fixed(recordsPerCPUSecond, 0), String(peakRetainedRecords),
            Self.fixed(bytesPerRecord, 2), String(trimmedDataEvents),
        ].joined(separator: ",")
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((value * scale).rounded())
        let whole = String(scaled / Int64(scale))
        guard digits > 0 else { return whole }
        let fraction = String(scaled % Int64(scale))
        return whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

/// Measures the stream: random modifications of small items spread over 48 simulated hours (so retention
/// trims half of them), with rollovers every 4 hours, a split of every partition at the halfway mark, and
/// readers that keep up by reading after every 4,096 writes (or every 10 simulated minutes if that is sooner). The table is advanced (trimmed) 64 times over the
/// run, at most every 65,536 writes.
public enum StreamBenchmark {
    /// The most items a run accepts (their keys and key attributes are built up front, about 130 bytes an item).
    public static let maximumItems = 10_000_000
    /// The most writes a run accepts: half of them stay in memory for 24 simulated hours, about 120 bytes each
    /// with both images (a 16-byte entry, a 16-byte image span and the images' encoded bytes).
    public static let maximumWrites = 50_000_000

    /// Runs the benchmark.
    /// - Parameters:
    ///   - items: the number of distinct items (1 or more).
    ///   - writes: the number of writes (puts 45 %, single-attribute updates 45 %, deletes 10 %).
    ///   - readers: the number of independent readers of the whole stream (0 or more).
    ///   - seed: the seed of the workload's random stream (splitmix64).
    ///   - viewType: the stream's view type; images cost memory for the whole retention window.
    ///   - prefetch: whether to prefetch the table's lines a few writes ahead (``WritePrefetcher``); `nil` decides
    ///     by the number of items (``WritePrefetcher/worthwhile(items:)``). The figures other than times are the
    ///     same either way.
    /// - Throws: ``ChangeStreamError/invalidConfiguration(field:value:expected:)`` for a count out of range.
    public static func run(
        items: Int, writes: Int, readers: Int = 1, seed: UInt64 = 1, viewType: StreamViewType = .newAndOldImages,
        prefetch: Bool? = nil
    ) throws(ChangeStreamError) -> StreamBenchmarkResult {
        guard (1...maximumItems).contains(items) else {
            throw .invalidConfiguration(field: "items", value: String(items), expected: "1 to \(maximumItems)")
        }
        guard (0...maximumWrites).contains(writes) else {
            throw .invalidConfiguration(field: "writes", value: String(writes), expected: "0 to \(maximumWrites)")
        }
        guard (0...100).contains(readers) else {
            throw .invalidConfiguration(field: "readers", value: String(readers), expected: "0 to 100")
        }
        let workload = Workload(items: items)
        let span: Int64 = 48 * 3_600 * StreamLimits.second
        let step = max(1, span / Int64(max(1, writes)))
        var table = try Table(
            TableConfiguration(keySchema: KeySchema(partitionKey: "pk"), partitionCount: 4, streamViewType: viewType))
        var streamReaders = [StreamReader](repeating: StreamReader(), count: readers)
        let builder = ItemBuilder()
        var records = 0
        var recordsRead = 0
        var sizes = SizeCounter()
        var peak = 0
        var split = false
        let readInterval = Int(max(1, min(4_096, 10 * 60 * StreamLimits.second / step)))
        let maintenanceInterval = max(1, min(65_536, writes / 64))
        let itemIndex = FastRemainder(items)
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = ThreadClock.seconds()
        // Countdowns rather than `write % interval`: two 64-bit divisions a write cost more than a small write's
        // bookkeeping.
        var untilRead = readInterval
        var untilMaintenance = maintenanceInterval
        // The workload's pools in line-aligned buffers of the benchmark's own, and its write written out here
        // rather than called: the loop body is the client's whole per-write work (a random draw, three pool reads
        // and the table call). Keys are borrowed in place: read from an array, a key is copied around a write that
        // may change memory (a retain and a release, atomic writes to the key's box).
        let keys = LinePool(workload.keys)
        let keyAttributes = LinePool(workload.keyAttributes)
        let values = LinePool(workload.values)
        defer {
            keys.deallocate()
            keyAttributes.deallocate()
            values.deallocate()
        }
        let kind = workload.kind
        // The draws of the next writes, in a ring, so that the lines a write reads can be prefetched a few writes
        // ahead; the same draws in the same order as drawing them write by write.
        var ahead = DrawRing(seed: seed)
        let prefetching = prefetch ?? WritePrefetcher.worthwhile(items: items)
        var prefetcher = WritePrefetcher()
        for write in 0..<writes {
            let now = Int64(write) * step
            let random = ahead.next()
            if prefetching {
                // Write `write + depth` (offset `depth - 1`): the pools' lines it reads, and its key to the table's
                // pipeline; the key of the write after it, fed next.
                let fed = ahead[WritePrefetcher.depth - 1]
                let fedItem = Int(itemIndex.remainder(of: fed))
                keyAttributes.prefetch(fedItem)
                values.prefetch(Int((fed >> 20) & 4_095))
                keys.prefetch(Int(itemIndex.remainder(of: ahead[WritePrefetcher.depth])))
                prefetcher.feed(keys.address(fedItem), table: table)
            }
            let item = Int(itemIndex.remainder(of: random))
            // A delete for 10 % of the writes, a put of a fresh three-attribute item for 45 %, else an update of
            // attribute `v`.
            let choice = (random >> 32) % 100
            let value = Int((random >> 20) & 4_095)
            let outcome: WriteOutcome
            if choice < 10 {
                outcome = try table.delete(keyAt: keys.address(item), at: now)
            } else if choice < 55 {
                // Attributes in name order, written over the stored version if there is one.
                builder.append(kind)
                builder.append(keyAttributes[item])
                builder.append(values[value])
                outcome = try table.put(builder, at: now)
            } else {
                outcome = try table.update(keyAt: keys.address(item), settingAt: values.address(value), at: now)
            }
            if outcome.sequenceNumber != nil { records += 1 }
            untilRead -= 1
            if untilRead == 0 {
                untilRead = readInterval
                recordsRead += readAll(&streamReaders, table, at: now, &sizes)
            }
            untilMaintenance -= 1
            if untilMaintenance == 0 {
                untilMaintenance = maintenanceInterval
                try table.advance(to: now)
                peak = max(peak, table.retainedRecordCount)
                if !split, now >= span / 2 {
                    split = true
                    for index in stride(from: table.partitionCount - 1, through: 0, by: -1) {
                        try table.splitPartition(index, at: now)
                    }
                }
            }
        }
        let end = Int64(writes) * step
        peak = max(peak, table.retainedRecordCount)
        recordsRead += readAll(&streamReaders, table, at: end, &sizes)
        let elapsed = clock.now - start
        let cpuSeconds = ThreadClock.seconds().flatMap { end in cpuStart.map { end - $0 } } ?? 0
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return StreamBenchmarkResult(
            items: items, writes: writes, readers: readers, records: records, recordsRead: recordsRead,
            seconds: seconds, recordsPerSecond: seconds > 0 ? Double(records) / seconds : 0,
            cpuSeconds: cpuSeconds, recordsPerCPUSecond: cpuSeconds > 0 ? Double(records) / cpuSeconds : 0,
            peakRetainedRecords: peak, bytesPerRecord: recordsRead > 0 ? Double(sizes.bytes) / Double(recordsRead) : 0,
            trimmedDataEvents: streamReaders.reduce(0) { $0 + $1.trimmedDataEvents.count })
    }

    /// The benchmark's items and values, with their attributes encoded once, as a client drawing from a fixed set
    /// would encode them (about 100 bytes an item for its key attribute).
    struct Workload {
        let keys: [ItemKey]
        let keyAttributes: [EncodedAttribute]
        let values: [EncodedAttribute]
        let kind = EncodedAttribute("kind", .s("put"))

        init(items: Int) {
            keys = (0..<items).map { ItemKey(partition: .s("item-" + String($0))) }
            keyAttributes = keys.map { EncodedAttribute("pk", $0.partition) }
            values = (0..<4_096).map { EncodedAttribute("v", .n(String($0))) }
        }

    }

    /// Lets every reader read what is available at `now`, adding the records' sizes to `sizes`; returns the
    /// number of records read. Readers take record headers, so reading costs no key or image copies.
    static func readAll(_ readers: inout [StreamReader], _ table: Table, at now: Int64, _ sizes: inout SizeCounter)
        -> Int
    {
        var count = 0
        for index in readers.indices { count += readers[index].read(table, at: now, into: &sizes) }
        return count
    }

    /// Adds up the sizes of the records read (`SizeBytes`), in bytes.
    struct SizeCounter: StreamRecordConsumer {
        var bytes = 0

        @inline(__always)
        mutating func consume(_ record: StreamRecordHeader) { bytes &+= record.sizeBytes }
    }
}

/// A fixed pool of a workload's values in a buffer aligned to a cache line, read in place by index: no bounds
/// check (indices come from a remainder by the count), no element straddles a line when the stride divides 64
/// (32-byte attributes, 16-byte keys), and an element's line can be prefetched. The owner deallocates it.
struct LinePool<Element> {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    /// Copies `elements` into a new pool.
    init(_ elements: [Element]) {
        count = elements.count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, count) * MemoryLayout<Element>.stride, alignment: max(64, MemoryLayout<Element>.alignment)
        )
        base = raw.bindMemory(to: Element.self, capacity: max(1, count))
        _ = UnsafeMutableBufferPointer(start: base, count: count).initialize(from: elements)
    }

    /// The element at `index` (0..<count, unchecked).
    @inline(__always)
    subscript(index: Int) -> Element { base[index] }

    /// The address of the element at `index` (0..<count, unchecked), for reading it in place.
    @inline(__always)
    func address(_ index: Int) -> UnsafePointer<Element> { UnsafePointer(base + index) }

    /// Prefetches the line holding the element at `index` (a hint only).
    @inline(__always)
    func prefetch(_ index: Int) { cache_hints_prefetch(base + index) }

    /// Destroys the elements and frees the buffer.
    func deallocate() {
        base.deinitialize(count: count)
        UnsafeMutableRawPointer(base).deallocate()
    }
}

/// The benchmark's random draws (splitmix64 from the seed), drawn eight ahead of the write that uses them.
struct DrawRing {
    private var draws: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var state: UInt64
    private var position = 0

    init(seed: UInt64) {
        state = seed
        for offset in 0..<8 { set(offset, Self.advance(&state)) }
    }

    private static func advance(_ state: inout UInt64) -> UInt64 {
        state = StableHash.splitmix64(state)
        return state
    }

    /// The draw `offset` (0..<8) draws after the next one (0: the next). A mutating read: the draws are read in
    /// place (a non-mutating `withUnsafeBytes(of:)` copies the 64-byte tuple first, 16 moves a read).
    @inline(__always)
    subscript(offset: Int) -> UInt64 {
        mutating get {
            withUnsafeBytes(of: &draws) { $0.load(fromByteOffset: ((position &+ offset) & 7) &* 8, as: UInt64.self) }
        }
    }

    /// The next draw; the ring refills its slot with the draw eight later.
    @inline(__always)
    mutating func next() -> UInt64 {
        let draw = self[0]
        set(position, Self.advance(&state))
        position = (position &+ 1) & 7
        return draw
    }

    @inline(__always)
    private mutating func set(_ slot: Int, _ value: UInt64) {
        withUnsafeMutableBytes(of: &draws) { $0.storeBytes(of: value, toByteOffset: (slot & 7) &* 8, as: UInt64.self) }
    }
}

/// `n % divisor` without a division instruction (Lemire, Kaser and Kurz, "Faster remainder by direct
/// computation", 2019): exact for every 64-bit `n`, about 3 ns instead of a 64-bit `div`'s 15 to 40 cycles.
struct FastRemainder {
    let divisor: UInt64
    /// `floor((2^128 - 1) / divisor) + 1`.
    let multiplier: UInt128

    init(_ divisor: Int) {
        precondition(divisor > 0)
        self.divisor = UInt64(divisor)
        multiplier = UInt128.max / UInt128(divisor) &+ 1
    }

    @inline(__always)
    func remainder(of value: UInt64) -> UInt64 {
        let low = multiplier &* UInt128(value)
        return UInt64(truncatingIfNeeded: low.multipliedFullWidth(by: UInt128(divisor)).high)
    }
}
