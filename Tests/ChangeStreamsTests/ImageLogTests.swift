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
