import ChangeStreams
import PropertyBased
import Testing

/// Random interleavings of writes, no-op writes, deletes, partition splits, stream toggles, time jumps (so
/// shards roll over and records age out), physical trimming, and two readers: one that keeps up (reads at least
/// every 14 simulated minutes) and one that reads rarely and falls more than 24 hours behind.
@Suite("Stream properties over random interleavings")
struct StreamPropertyTests {
    struct Expected {
        var sequence: SequenceNumber
        var eventName: EventName
        var newImage: Item?
        var oldImage: Item?
        var time: Int64
    }

    struct Run {
        var table: Table
        var model: [ItemKey: Item] = [:]
        var written: [SequenceNumber: (key: ItemKey, expected: Expected)] = [:]
        var perKey: [ItemKey: [Expected]] = [:]
        var now: Int64 = 0
        var keeper = StreamReader()
        var keeperSeen: [StreamRecord] = []
        var keeperLastRead: Int64 = 0
        var lagger = StreamReader()
        var laggerSeen: [StreamRecord] = []
        /// Twins of the two readers that read record headers at the same times, to check that header reads
        /// return the same records and meet the same trimmed data.
        var keeperTwin = StreamReader()
        var keeperTwinSeen = HeaderLog()
        var laggerTwin = StreamReader()
        var laggerTwinSeen = HeaderLog()
        var enabled = true

        mutating func readKeeper(at time: Int64) {
            let count = keeper.read(table, at: time, into: &keeperSeen)
            #expect(keeperTwin.read(table, at: time, into: &keeperTwinSeen) == count)
        }

        mutating func readLagger(at time: Int64) {
            let count = lagger.read(table, at: time, into: &laggerSeen)
            #expect(laggerTwin.read(table, at: time, into: &laggerTwinSeen) == count)
        }

        /// Whether each twin read exactly what its reader read.
        func checkTwins() {
            #expect(keeperTwinSeen.headers == keeperSeen.map(StreamRecordHeader.init))
            #expect(keeperTwin.trimmedDataEvents == keeper.trimmedDataEvents)
            #expect(keeperTwin.readCalls == keeper.readCalls)
            #expect(laggerTwinSeen.headers == laggerSeen.map(StreamRecordHeader.init))
            #expect(laggerTwin.trimmedDataEvents == lagger.trimmedDataEvents)
            #expect(laggerTwin.readCalls == lagger.readCalls)
        }
    }

    /// Keeps every header read.
    struct HeaderLog: StreamRecordConsumer {
        var headers: [StreamRecordHeader] = []
        mutating func consume(_ record: StreamRecordHeader) { headers.append(record) }
    }

    /// Applies one operation code to the run, checking each write's outcome against the model.
    static func apply(_ code: Int, step: Int, _ run: inout Run) throws {
        let kind = code % 100
        let itemKey = key("k\((code / 100) % 12)")
        run.now += Int64(1 + (code / 100) % 14) * minute
        if run.now - run.keeperLastRead >= 14 * minute || (85..<92).contains(kind) {
            run.readKeeper(at: run.now)
            run.keeperLastRead = run.now
        }
        switch kind {
        case 0..<55, 62..<68:
            var item = kind < 55 ? run.model[itemKey] ?? itemKey.attributes(run.table.keySchema) : run.model[itemKey]
            if kind < 55 { item?["v"] = .n(String(step)) }
            guard let item else { return }
            let outcome =
                try kind % 2 == 0 || kind >= 62
                ? run.table.put(item, at: run.now)
                : run.table.update(itemKey, setting: "v", to: .n(String(step)), at: run.now)
            let old = run.model[itemKey]
            let expectedName: EventName? = old == nil ? .insert : (old == item ? nil : .modify)
            #expect(outcome.eventName == expectedName)
            run.model[itemKey] = item
            record(outcome, itemKey, new: item, old: old, &run)
        case 55..<62:
            let outcome = try run.table.delete(itemKey, at: run.now)
            let old = run.model.removeValue(forKey: itemKey)
            #expect(outcome.eventName == (old == nil ? nil : .remove))
            record(outcome, itemKey, new: nil, old: old, &run)
        case 68..<74:
            if run.table.partitionCount < 16 {
                try run.table.splitPartition(code % run.table.partitionCount, at: run.now)
            }
        case 74..<76:
            if run.enabled {
                try run.table.disableStream(at: run.now)
            } else {
                try run.table.enableStream(viewType: .newAndOldImages, at: run.now)
            }
            run.enabled.toggle()
        case 76..<85:
            run.now += Int64(code / 100 % 4) * hour
            run.readKeeper(at: run.now - 1)
        case 92..<94:
            run.readLagger(at: run.now)
        case 94..<100:
            try run.table.advance(to: run.now)
        default:
            break
        }
    }

    static func record(_ outcome: WriteOutcome, _ key: ItemKey, new: Item?, old: Item?, _ run: inout Run) {
        #expect((outcome.sequenceNumber != nil) == (run.enabled && outcome.eventName != nil))
        guard let sequence = outcome.sequenceNumber, let name = outcome.eventName else { return }
        let expected = Expected(sequence: sequence, eventName: name, newImage: new, oldImage: old, time: run.now)
        run.written[sequence] = (key, expected)
        run.perKey[key, default: []].append(expected)
    }

    /// Plays `codes` on a fresh two-partition table whose shards roll over every hour, both readers starting
    /// at time 0.
    static func play(_ codes: [Int], view: StreamViewType = .newAndOldImages) throws -> Run {
        var run = Run(table: try makeTable(view, partitions: 2, rollover: 1 * hour))
        run.readKeeper(at: 0)
        run.readLagger(at: 0)
        for (step, code) in codes.enumerated() { try apply(code, step: step, &run) }
        return run
    }

    @Test("a reader that keeps up sees every record exactly once, in each item's order")
    func keepUpReaderSeesEverythingOnce() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...99_999).array(of: 50...400)) { codes in
            try Self.checkKeepUpReader(codes)
        }
    }

    static func checkKeepUpReader(_ codes: [Int]) throws {
        var run = try play(codes)
        run.readKeeper(at: run.now)
        run.checkTwins()
        #expect(run.keeper.trimmedDataEvents.isEmpty)
        #expect(run.keeperSeen.count == run.written.count)
        #expect(Set(run.keeperSeen.map(\.sequenceNumber)) == Set(run.written.keys))
        var perKey: [ItemKey: [StreamRecord]] = [:]
        for record in run.keeperSeen { perKey[record.keys, default: []].append(record) }
        for (key, expected) in run.perKey {
            let seen = perKey[key] ?? []
            #expect(seen.map(\.sequenceNumber) == expected.map(\.sequence))
            #expect(seen.map(\.eventName) == expected.map(\.eventName))
            #expect(seen.map(\.newImage) == expected.map(\.newImage))
            #expect(seen.map(\.oldImage) == expected.map(\.oldImage))
            #expect(seen.map(\.approximateCreationTime) == expected.map(\.time))
        }
    }

    @Test("a reader that falls behind gets TrimmedDataAccess and loses only trimmed records")
    func laggingReaderLosesOnlyTrimmedRecords() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...99_999).array(of: 50...400)) { codes in
            try Self.checkLaggingReader(codes)
        }
    }

    static func checkLaggingReader(_ codes: [Int]) throws {
        var run = try play(codes)
        run.readLagger(at: run.now)
        run.checkTwins()
        let seen = Set(run.laggerSeen.map(\.sequenceNumber))
        #expect(seen.count == run.laggerSeen.count, "no record is read twice")
        #expect(seen.isSubset(of: Set(run.written.keys)))
        var lastPerKey: [ItemKey: SequenceNumber] = [:]
        for record in run.laggerSeen {
            if let last = lastPerKey[record.keys] { #expect(last < record.sequenceNumber) }
            lastPerKey[record.keys] = record.sequenceNumber
        }
        let errorTimes = run.lagger.trimmedDataEvents.map(\.time)
        for (sequence, entry) in run.written where !seen.contains(sequence) {
            let trimmed = errorTimes.contains { $0 - StreamLimits.retention >= entry.expected.time }
            #expect(trimmed, "record \(sequence) was lost without having been trimmed")
        }
    }

    @Test("retained records never exceed the records written in the last 24 hours")
    func retainedRecordsFollowTheWindow() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...99_999).array(of: 50...400)) { codes in
            try Self.checkRetention(codes)
        }
    }

    static func checkRetention(_ codes: [Int]) throws {
        var run = try play(codes, view: .keysOnly)
        try run.table.advance(to: run.now)
        let window = run.written.values.filter { $0.expected.time > run.now - StreamLimits.retention }.count
        #expect(run.table.retainedRecordCount == window)
    }

    /// Inputs that once failed, kept as regression cases.
    static let regressions: [[Int]] = [
        [
            88674, 78174, 81374, 62974, 40474, 43774, 3374, 44192, 2674, 0, 70174, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7576,
            27876, 0, 0, 0, 0, 12276, 0, 0, 0, 0, 1876, 0, 0, 0, 0, 0, 976, 26276, 41976, 26676, 5976, 3076, 0, 0, 0,
            0, 100, 9694,
        ]
    ]

    @Test("inputs that once failed still pass", arguments: regressions)
    func regressionInputsPass(codes: [Int]) throws {
        try Self.checkKeepUpReader(codes)
        try Self.checkLaggingReader(codes)
        try Self.checkRetention(codes)
    }
}
