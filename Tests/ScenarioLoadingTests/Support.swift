import ArchitectureSpecs
import EventPatterns
import Foundation
import ScenarioLoading
import Stochastics
import Testing

/// Where the fixtures live (next to this file; no SwiftPM resources).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// The repository's root directory.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The diagnostics of loading `text` (as `test.yaml`), as printed; fails the test if it loads.
func diagnostics(
    _ text: String, baseDirectory: String = fixtures,
    sourceLocation: SourceLocation = #_sourceLocation
) -> [String] {
    do {
        _ = try ScenarioLoader.load(text: text, fileName: "test.yaml", baseDirectory: baseDirectory)
        Issue.record("expected the scenario to be rejected", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// A valid scenario around the given producer and architecture blocks (list items with the dash at column 3),
/// so that a test can break exactly one thing. The producers start on line 6, the architectures on the line
/// after `architectures:`, which follows the producers.
func scenario(producers: String = defaultProducer, architectures: String = defaultArchitecture) -> String {
    """
    name: t
    seed: 1
    duration: 1m
    workload:
      producers:
    \(producers)
    architectures:
    \(architectures)
    """
}

let defaultProducer = """
      - name: p
        rate: 10
        event: {source: s, detail-type: t}
    """

let defaultArchitecture = """
      - name: a
        entry: fn
        functions:
          - {name: fn, service: 10ms}
    """

/// A value template as text, for comparisons (ValueTemplate holds tuples, so it is not Equatable).
func render(_ template: ValueTemplate) -> String {
    switch template {
    case .literal(let value): return value.jsonText
    case .choice(let options):
        return "choice(" + options.map { "\(render($0.template))*\($0.weight)" }.joined(separator: ",") + ")"
    case .integer(let lower, let upper): return "integer(\(lower),\(upper))"
    case .decimal(let lower, let upper, let digits): return "decimal(\(lower),\(upper),\(digits))"
    case .distributed(let distribution, let digits): return "distributed(\(distribution),\(digits))"
    case .sequence(let prefix): return "sequence(\(prefix))"
    case .uuid: return "uuid"
    case .timestamp: return "timestamp"
    case .object(let members):
        return "{" + members.map { "\($0.key):\(render($0.value))" }.joined(separator: ",") + "}"
    case .array(let element, let minCount, let maxCount): return "array(\(render(element)),\(minCount),\(maxCount))"
    }
}
