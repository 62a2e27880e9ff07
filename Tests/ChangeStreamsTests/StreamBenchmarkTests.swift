import Testing

@testable import ChangeStreams

@Suite("Stream benchmark runner")
struct StreamBenchmarkTests {
    @Test("a small run reads back every record it writes and prints one CSV row")
    func smallRunReadsEverything() throws {
        let result = try StreamBenchmark.run(items: 50, writes: 5_000, readers: 2, seed: 7)
        #expect(result.records > 4_000 && result.records <= 5_000)
        #expect(result.recordsRead == 2 * result.records)
        #expect(result.trimmedDataEvents == 0)
        #expect(result.peakRetainedRecords < result.records)
        #expect(result.peakRetainedRecords > result.records / 3)
        let header = StreamBenchmarkResult.csvHeader.split(separator: ",")
        #expect(
            header.prefix(7) == [
                "items", "writes", "readers", "records", "records_read", "seconds",
                "records_per_second",
            ])
        #expect(result.csvRow.split(separator: ",").count == header.count)
        #expect(result.csvRow.hasPrefix("50,5000,2,\(result.records),\(result.recordsRead),"))
        let again = try StreamBenchmark.run(items: 50, writes: 5_000, readers: 2, seed: 7)
        #expect(again.records == result.records)
        #expect(again.bytesPerRecord == result.bytesPerRecord)
    }

    @Test("invalid benchmark sizes are rejected")
    func invalidSizesAreRejected() {
        #expect(throws: ChangeStreamError.invalidConfiguration(field: "items", value: "0", expected: "1 to 10000000")) {
            try StreamBenchmark.run(items: 0, writes: 1)
        }
    }

    @Test("the workload's remainder without division equals %", arguments: [1, 2, 3, 7, 1_000, 100_000, 10_000_000])
    func fastRemainderIsExact(_ divisor: Int) {
        let fast = FastRemainder(divisor)
        var value: UInt64 = 12_345
        for _ in 0..<10_000 {
            value = StableHash.splitmix64(value)
            #expect(fast.remainder(of: value) == value % UInt64(divisor))
        }
        for edge: UInt64 in [0, 1, UInt64(divisor) - 1, UInt64(divisor), .max, .max - 1] {
            #expect(fast.remainder(of: edge) == edge % UInt64(divisor))
        }
    }

    @Test("a line pool holds the workload's values on line-aligned addresses, and frees them")
    func linePoolsHoldTheirValues() {
        let workload = StreamBenchmark.Workload(items: 300)
        weak var box: ItemKey.Storage?
        do {
            let keys = LinePool(workload.keys)
            let attributes = LinePool(workload.keyAttributes)
            defer {
                keys.deallocate()
                attributes.deallocate()
            }
            box = keys[7].storage
            #expect(Int(bitPattern: keys.base) % 64 == 0 && Int(bitPattern: attributes.base) % 64 == 0)
            // 16-byte keys and 32-byte attributes: no element straddles two lines.
            #expect(64 % MemoryLayout<ItemKey>.stride == 0 && 64 % MemoryLayout<EncodedAttribute>.stride == 0)
            for index in 0..<300 {
                #expect(keys.address(index).pointee == workload.keys[index])
                #expect(attributes[index] == workload.keyAttributes[index])
            }
        }
        // The workload still holds its keys: the pool's copies were released, not leaked or freed twice.
        #expect(box === workload.keys[7].storage)
    }
}
