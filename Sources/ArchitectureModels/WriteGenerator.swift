import ArchitectureSpecs
import ChangeStreams
import Foundation
import Stochastics

/// Generates table writes (put, update, delete) over a key space, uniform or Zipf-distributed.
struct WriteGenerator {
    enum Operation { case put, update, delete }

    let template: WriteTemplate
    let stream: RandomStream
    /// Cumulative Zipf probabilities over key ranks (empty for uniform keys).
    let zipfCumulative: [Double]
    var counter = 0

    init(template: WriteTemplate, stream: RandomStream) {
        self.template = template
        self.stream = stream
        if case .zipf(let exponent) = template.keyDistribution {
            var cumulative: [Double] = []
            cumulative.reserveCapacity(template.keys)
            var total = 0.0
            for rank in 1...Swift.max(1, template.keys) {
                total += 1 / pow(Double(rank), exponent)
                cumulative.append(total)
            }
            zipfCumulative = cumulative.map { $0 / total }
        } else {
            zipfCumulative = []
        }
    }

    /// The next write: an operation, a key index, an item size and the write's number (1-based).
    mutating func next() -> (operation: Operation, key: Int, size: Int, counter: Int) {
        counter += 1
        let total = template.putWeight + template.updateWeight + template.deleteWeight
        let pick = stream.uniform() * total
        let operation: Operation =
            pick < template.putWeight
            ? .put : pick < template.putWeight + template.updateWeight ? .update : .delete
        let key: Int
        if zipfCumulative.isEmpty {
            key = template.keys > 1 ? stream.uniformInt(below: Swift.min(template.keys, Int(UInt32.max))) : 0
        } else {
            let u = stream.uniform()
            var low = 0, high = zipfCumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if zipfCumulative[middle] < u { low = middle + 1 } else { high = middle }
            }
            key = low
        }
        let size = Swift.max(0, Int(template.itemSize.sample(stream).rounded()))
        return (operation, key, size, counter)
    }
}
