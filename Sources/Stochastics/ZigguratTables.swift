internal import CGSL

/// The accepting part of GSL's Gaussian ziggurat (`gsl_ran_gaussian_ziggurat`), read from the library itself,
/// so that ``RandomStream`` can take the common case inline, bit for bit as GSL takes it.
///
/// GSL's ziggurat (Marsaglia and Tsang, 128 layers) reads one 32-bit output `o` of a generator with a 32-bit
/// range, takes layer `i = o & 0x7f`, sign bit `o & 0x80` and `j = (o >> 8) & 0xffffff`, and returns
/// `±j · w[i]` at once when `j < k[i]`; only then is the output the draw's only one. Otherwise (about 1.2 % of
/// draws) it tests the wedge or the tail with further outputs. ``RandomStream`` peeks at the next output: when it
/// passes the test it takes it and computes the same product; when not, it leaves it and calls GSL, which reads
/// that same output and goes on. Every variate is therefore GSL's.
///
/// GSL keeps `k` and `w` in static tables. They are read here through the library's function on a probe
/// generator whose outputs are chosen (`eventsim_ziggurat_probe`): the width of layer `i` is the variate for
/// `j = 1`, and its threshold `k[i]` the least `j` for which the function reads a second output (a binary search:
/// acceptance is `j < k[i]`). If the library answers other than this layout says (another version's
/// algorithm), there are no tables and every draw goes to GSL.
///
/// Thread safety: built once per process (``shared``), immutable afterwards.
/// - Complexity: building calls GSL about 3,300 times, once.
@usableFromInline struct ZigguratTables: @unchecked Sendable {
    /// One layer: outputs with `j` below `threshold` are accepted at once, as `j · width`.
    @usableFromInline struct Layer {
        @usableFromInline var threshold: UInt
        @usableFromInline var width: Double
    }

    /// The 128 layers, by `o & 0x7f`; allocated once and never freed (``shared`` lives for the process).
    @usableFromInline let layers: UnsafePointer<Layer>

    /// The tables, or nil when GSL's ziggurat does not behave as the layout above says.
    @usableFromInline static let shared: ZigguratTables? = read()

    /// The layer count, and the bits of an output that select a layer and the sign.
    static let layerCount = 128

    /// GSL's variate for the output `first` (later outputs `next`), and how many outputs it read.
    static func probe(_ first: UInt, next: UInt) -> (value: Double, outputs: UInt) {
        var calls: UInt = 0
        let value = eventsim_ziggurat_probe(first, next, &calls)
        return (value, calls)
    }

    /// An output of layer `layer`, positive sign, and `j`.
    static func output(layer: Int, j: UInt) -> UInt { UInt(layer) | 0x80 | j << 8 }

    static func read() -> ZigguratTables? {
        GSLRuntime.prepare()
        // An accepted output that ends a probe stuck in the slow path: layer 1, j = 1 (every layer but the base
        // strip's accepts small j).
        let accepted = output(layer: 1, j: 1)
        func acceptsAtOnce(_ layer: Int, _ j: UInt) -> Bool {
            probe(output(layer: layer, j: j), next: accepted).outputs == 1
        }
        let layers = UnsafeMutablePointer<Layer>.allocate(capacity: layerCount)
        var anyAccepted = false
        for layer in 0..<layerCount {
            // The least j that is not accepted at once, in 0 ... 2^24 (2^24: every j is).
            var low: UInt = 0
            var high: UInt = 1 << 24
            while low < high {
                let middle = (low + high) / 2
                if acceptsAtOnce(layer, middle) { low = middle + 1 } else { high = middle }
            }
            let threshold = low
            var width = 0.0
            if threshold > 1 {
                width = probe(output(layer: layer, j: 1), next: accepted).value
                // The layout's promises, checked where they could break: the sign bit, the product at the
                // threshold's edge, and a rejection just past it.
                let edge = threshold - 1
                let negative = probe(output(layer: layer, j: edge) & ~0x80, next: accepted)
                let positive = probe(output(layer: layer, j: edge), next: accepted)
                guard width > 0, positive.outputs == 1, positive.value == Double(edge) * width,
                    negative.outputs == 1, negative.value == -(Double(edge) * width),
                    threshold == 1 << 24 || !acceptsAtOnce(layer, threshold)
                else {
                    layers.deallocate()
                    return nil
                }
                anyAccepted = true
            }
            layers[layer] = Layer(threshold: threshold, width: width)
        }
        guard anyAccepted else {
            layers.deallocate()
            return nil
        }
        return ZigguratTables(layers: layers)
    }
}
