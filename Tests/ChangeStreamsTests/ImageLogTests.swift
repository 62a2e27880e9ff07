import Testing

@testable import ChangeStreams

@Suite("Image log")
struct ImageLogTests {
    /// The bytes of image `index`: a length that crosses chunk boundaries now and then, contents from the index.
    static func image(_ index: Int) -> [UInt8]? {
        if index % 7 == 3 { return nil }
        let length = index % 50 == 0 ? ImageLog.chunkSize + index : (index * 37) % 300
        return (0..<length).map { UInt8(truncatingIfNeeded: $0 &+ index) }
    }

    static func read(_ log: ImageLog, _ image: ImageLog.Image, at offset: Int) -> [UInt8]? {
        log.withImage(image, at: offset) { $0.map(Array.init) }
    }

    @Test("every retained record reads back its own images, across chunks and trims")
    func imagesReadBackAcrossChunksAndTrims() {
        var log = ImageLog()
        var first = 0
        var next = 0
        for round in 0..<40 {
            for _ in 0..<(50 + round * 7) {
                let old = Self.image(next)
                let new = Self.image(next + 1)
                old.withOptionalBuffer { oldBytes in new.withOptionalBuffer { log.append(old: oldBytes, new: $0) } }
                next += 1
            }
            let dropped = min(log.count, 30 + round * 5)
            log.removeFirst(dropped)
            first += dropped
            #expect(log.count == next - first)
            for offset in stride(from: 0, to: log.count, by: 3) {
                #expect(Self.read(log, .old, at: offset) == Self.image(first + offset))
                #expect(Self.read(log, .new, at: offset) == Self.image(first + offset + 1))
            }
        }
        log.removeFirst(log.count)
        #expect(log.count == 0)
    }

    @Test("two copies of a log append on without writing over each other's images")
    func copiesKeepTheirOwnImages() {
        var log = ImageLog()
        for index in 0..<10 { Self.append(&log, index) }
        var copy = log
        for index in 10..<400 {
            Self.append(&log, index)
            Self.append(&copy, index + 1_000)
        }
        copy.removeFirst(200)
        log.removeFirst(100)
        for offset in 0..<log.count {
            let index = offset + 100
            #expect(Self.read(log, .old, at: offset) == Self.image(index))
            #expect(Self.read(log, .new, at: offset) == Self.image(index + 1))
        }
        for offset in 0..<copy.count {
            let index = offset + 200 < 10 ? offset + 200 : offset + 200 + 1_000
            #expect(Self.read(copy, .old, at: offset) == Self.image(index))
            #expect(Self.read(copy, .new, at: offset) == Self.image(index + 1))
        }
    }

    @Test("two copies of a log sharing a pool of freed chunks never write into the same chunk")
    func copiesDoNotShareSpares() {
        var log = ImageLog()
        let small = [UInt8](repeating: 7, count: 1_000)
        for _ in 0..<600 { small.withUnsafeBufferPointer { log.append(old: $0, new: $0) } }
        log.removeFirst(600)
        var copy = log
        let other = [UInt8](repeating: 9, count: 1_000)
        for _ in 0..<300 {
            small.withUnsafeBufferPointer { log.append(old: $0, new: $0) }
            other.withUnsafeBufferPointer { copy.append(old: $0, new: $0) }
        }
        for offset in 0..<log.count {
            #expect(Self.read(log, .old, at: offset) == small)
            #expect(Self.read(copy, .new, at: offset) == other)
        }
    }

    @Test("a steady stream reuses its freed chunks: after the first two rounds it allocates none")
    func freedChunksAreReused() {
        let pool = ChunkPool()
        pool.limit = 64
        var log = ImageLog(pool: pool)
        let small = [UInt8](repeating: 7, count: 1_000)
        var allocatedAfterTwoRounds = 0
        for round in 0..<50 {
            for _ in 0..<600 { small.withUnsafeBufferPointer { log.append(old: $0, new: $0) } }
            log.removeFirst(600)
            // The log keeps its partly filled last chunk, so the second round may need one chunk more.
            if round == 1 { allocatedAfterTwoRounds = pool.allocated }
            #expect(pool.count <= pool.limit)
            // 600 records of 2,000 bytes fill 19 chunks: the log holds only the last one between rounds.
            #expect(log.chunkCount == 1)
        }
        #expect(allocatedAfterTwoRounds >= 19)
        #expect(pool.allocated == allocatedAfterTwoRounds)
    }

    @Test("chunks freed by one log (a trimmed, closed shard's) take the records of another log sharing the pool")
    func logsSharingAPoolReuseEachOthersChunks() {
        let pool = ChunkPool()
        var closed = ImageLog(pool: pool)
        var open = ImageLog(pool: pool)
        let image = [UInt8](repeating: 5, count: 3_000)
        for _ in 0..<200 { image.withUnsafeBufferPointer { closed.append(old: nil, new: $0) } }
        let allocated = pool.allocated
        closed.removeFirst(200)
        closed.recycle()
        #expect(closed.chunkCount == 0)
        #expect(pool.count == allocated)
        for index in 0..<200 {
            let bytes = [UInt8](repeating: UInt8(index % 251), count: 3_000)
            bytes.withUnsafeBufferPointer { open.append(old: nil, new: $0) }
        }
        #expect(pool.allocated == allocated)
        for offset in stride(from: 0, to: 200, by: 7) {
            #expect(Self.read(open, .new, at: offset) == [UInt8](repeating: UInt8(offset % 251), count: 3_000))
        }
    }

    @Test("a chunk a copy of the log still holds is not pooled, and a pool keeps at most its limit")
    func poolKeepsOnlyUnsharedChunksUpToItsLimit() {
        let pool = ChunkPool()
        var log = ImageLog(pool: pool)
        let image = [UInt8](repeating: 3, count: 4_000)
        for _ in 0..<200 { image.withUnsafeBufferPointer { log.append(old: nil, new: $0) } }
        let copy = log
        log.removeFirst(200)
        #expect(pool.count == 0)
        #expect(Self.read(copy, .new, at: 0) == image)
        var other = ImageLog(pool: pool)
        for _ in 0..<200 { image.withUnsafeBufferPointer { other.append(old: nil, new: $0) } }
        pool.limit = 5
        other.removeFirst(200)
        #expect(pool.count == 5)
        pool.limit = 2
        #expect(pool.count == 2)
    }

    @Test("a table's shards reuse the chunks of day-old shards: the second day allocates almost none")
    func tableRecyclesChunksAcrossShards() throws {
        var table = try makeTable(.newAndOldImages)
        let padding = String(repeating: "x", count: 900)
        var allocatedAtDayOne = 0
        // A write every 10 s for two days (about 130 chunks of images in a day), advanced once a simulated minute.
        for step in 0..<(2 * 24 * 360) {
            let now = Int64(step) * 10 * second
            try table.put(["pk": .s("k\(step % 50)"), "v": .n(String(step)), "p": .s(padding)], at: now)
            if step % 6 == 5 { try table.advance(to: now) }
            if step == 30 * 360 { allocatedAtDayOne = table.stream.chunkPool.allocated }
            if step % 6 == 5 { #expect(table.stream.chunkPool.count <= table.stream.chunkPool.limit) }
        }
        #expect(allocatedAtDayOne > 100)
        // Shards roll over every 4 hours: without reuse across shards, 18 hours would allocate about 100 chunks.
        #expect(table.stream.chunkPool.allocated - allocatedAtDayOne <= 4)
    }

    static func append(_ log: inout ImageLog, _ index: Int) {
        let old = image(index)
        let new = image(index + 1)
        old.withOptionalBuffer { oldBytes in new.withOptionalBuffer { log.append(old: oldBytes, new: $0) } }
    }

    @Test(
        "a staged old image moves to a new chunk when the new image does not fit after it; an abandoned one is overwritten"
    )
    func stagedImages() {
        var log = ImageLog()
        let filler = [UInt8](repeating: 1, count: ImageLog.chunkSize - 100)
        let old = [UInt8](repeating: 2, count: 60)
        let new = [UInt8](repeating: 3, count: 200)
        filler.withUnsafeBufferPointer { log.append(old: nil, new: $0) }
        // The old image fits in the first chunk's last 100 bytes; the two images together do not.
        old.withUnsafeBufferPointer { log.stage(old: $0, reserving: 0) }
        new.withUnsafeBufferPointer { log.commit(oldCount: old.count, new: $0) }
        #expect(Self.read(log, .new, at: 0) == filler)
        #expect(Self.read(log, .old, at: 1) == old)
        #expect(Self.read(log, .new, at: 1) == new)
        // Staged and not committed (the write changed nothing): the next record writes over it.
        filler.withUnsafeBufferPointer { log.stage(old: $0, reserving: 0) }
        new.withUnsafeBufferPointer { log.append(old: nil, new: $0) }
        #expect(log.count == 3)
        #expect(Self.read(log, .old, at: 2) == nil)
        #expect(Self.read(log, .new, at: 2) == new)
        #expect(Self.read(log, .new, at: 1) == new)
    }

    @Test("staging in place declines, copying nothing, when a copy wrote past the log's end or the chunk is full")
    func stagingInPlaceDeclinesWhereItWouldOverwrite() {
        var log = ImageLog()
        let first = [UInt8](repeating: 1, count: 40)
        let theirs = [UInt8](repeating: 2, count: 40)
        let old = [UInt8](repeating: 3, count: 30)
        let new = [UInt8](repeating: 4, count: 50)
        // No chunk yet: nothing to stage into.
        #expect(!old.withUnsafeBufferPointer { log.stageInPlace(old: $0, reserving: 0) })
        first.withUnsafeBufferPointer { log.append(old: nil, new: $0) }
        var copy = log
        theirs.withUnsafeBufferPointer { copy.append(old: nil, new: $0) }
        // The copy's record lies right after this log's end in the shared chunk.
        #expect(!old.withUnsafeBufferPointer { log.stageInPlace(old: $0, reserving: 0) })
        old.withUnsafeBufferPointer { log.stage(old: $0, reserving: new.count) }
        new.withUnsafeBufferPointer { log.commit(oldCount: old.count, new: $0) }
        #expect(Self.read(copy, .new, at: 1) == theirs)
        #expect(Self.read(log, .old, at: 1) == old)
        #expect(Self.read(log, .new, at: 1) == new)
        // Room left in the log's own chunk: staged in place, then committed.
        #expect(old.withUnsafeBufferPointer { log.stageInPlace(old: $0, reserving: new.count) })
        new.withUnsafeBufferPointer { log.commit(oldCount: old.count, new: $0) }
        #expect(Self.read(log, .old, at: 2) == old)
        #expect(Self.read(log, .new, at: 2) == new)
        // Not enough room for the reserved bytes: declined.
        #expect(!old.withUnsafeBufferPointer { log.stageInPlace(old: $0, reserving: ImageLog.chunkSize) })
        #expect(log.count == 3)
        #expect(Self.read(copy, .new, at: 1) == theirs)
    }

    @Test("spans are packed until a record's images outgrow a standard chunk, then kept whole, reading back the same")
    func spansSwitchToFullWhenAnImageIsLarge() {
        var log = ImageLog()
        for index in 0..<60 { Self.append(&log, index) }
        // Image 50 has 65,586 bytes: still packed (17-bit lengths).
        #expect(!log.hasFullSpans)
        let large = [UInt8](repeating: 8, count: 200_000)
        large.withUnsafeBufferPointer { log.append(old: nil, new: $0) }
        #expect(log.hasFullSpans)
        for index in 60..<80 { Self.append(&log, index) }
        log.removeFirst(10)
        for offset in 0..<log.count {
            let index = offset + 10
            if index == 60 {
                #expect(Self.read(log, .old, at: offset) == nil)
                #expect(Self.read(log, .new, at: offset) == large)
            } else {
                let image = index < 60 ? index : index - 1
                #expect(Self.read(log, .old, at: offset) == Self.image(image))
                #expect(Self.read(log, .new, at: offset) == Self.image(image + 1))
            }
        }
    }

    @Test("a span packs into 8 bytes and unpacks to itself at the largest values that fit; larger ones do not pack")
    func spanPacking() throws {
        let packing = SpanPacking()
        for span in [
            ImageLog.Span(chunk: 0, offset: 0, oldLength: 0, newLength: 0),
            ImageLog.Span(chunk: 8_191, offset: 131_071, oldLength: 131_071, newLength: 131_071),
            ImageLog.Span(chunk: 12, offset: 65_000, oldLength: 31, newLength: 40),
        ] {
            let packed = try #require(packing.pack(span))
            let back = packing.unpack(packed)
            #expect(
                [back.chunk, back.offset, back.oldLength, back.newLength]
                    == [span.chunk, span.offset, span.oldLength, span.newLength])
        }
        for span in [
            ImageLog.Span(chunk: 8_192, offset: 0, oldLength: 1, newLength: 1),
            ImageLog.Span(chunk: 0, offset: 131_072, oldLength: 1, newLength: 1),
            ImageLog.Span(chunk: 0, offset: 0, oldLength: 131_072, newLength: 1),
            ImageLog.Span(chunk: 0, offset: 0, oldLength: 1, newLength: 131_072),
        ] {
            #expect(packing.pack(span) == nil)
        }
    }

    @Test("an empty image is kept apart from a missing one")
    func emptyAndMissingImages() {
        var log = ImageLog()
        let empty: [UInt8] = []
        empty.withUnsafeBufferPointer { log.append(old: nil, new: $0) }
        #expect(Self.read(log, .old, at: 0) == nil)
        #expect(Self.read(log, .new, at: 0) == [])
        #expect(log.item(.new, at: 0) == Item())
    }
}

extension Optional where Wrapped == [UInt8] {
    /// Calls `body` with the array's bytes, or with `nil`.
    fileprivate func withOptionalBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let self else { return body(nil) }
        return self.withUnsafeBufferPointer { body($0) }
    }
}
