import EventPatterns
import Foundation
import ScenarioLoading
import Testing

/// `scenarios/scenario.schema.json` must accept exactly the keys the loader accepts.
@Suite struct SchemaTests {
    let schema: JSONValue

    init() throws {
        let data = try #require(
            FileManager.default.contents(atPath: repositoryRoot + "/scenarios/scenario.schema.json"))
        schema = try JSONParser.parse(bytes: data)
    }

    /// The property names the schema lists at a path of object keys.
    func properties(_ path: [String]) -> [String] {
        var node = schema
        for key in path {
            guard case .object(let object) = node, let next = object[key] else { return [] }
            node = next
        }
        guard case .object(let object) = node, case .object(let properties)? = object["properties"] else { return [] }
        return properties.members.map(\.key)
    }

    /// The keys the loader lists when it meets an unknown key in the given place.
    func loaderKeys(producers: String = defaultProducer, architectures: String = defaultArchitecture) -> [String] {
        let found = diagnostics(scenario(producers: producers, architectures: architectures))
        guard let message = found.first, let range = message.range(of: "expected one of: ") else { return [] }
        return message[range.upperBound...].components(separatedBy: ", ")
    }

    @Test func componentKeysMatchTheLoader() {
        let places: [(definition: String, component: String)] = [
            ("bus", "buses: [{name: c, rules: [{name: r, schedule: rate(1 hour), targets: [fn]}], zzz: 1}]"),
            ("topic", "topics: [{name: c, zzz: 1}]"),
            ("queue", "queues: [{name: c, consumer: fn, zzz: 1}]"),
            ("function", "functions: [{name: fn, service: 1, zzz: 1}]"),
            ("endpoint", "endpoints: [{name: c, servers: 1, service: 1, zzz: 1}]"),
            ("stream", "streams: [{name: c, target: fn, propagation: 1, zzz: 1}]"),
            ("subscription", "topics: [{name: c, subscriptions: [{name: s, protocol: email, zzz: 1}]}]"),
            ("rule", "buses: [{name: c, rules: [{name: r, schedule: rate(1 hour), targets: [fn], zzz: 1}]}]"),
            ("architecture", "zzz: 1"),
        ]
        for place in places {
            let functions = place.definition == "function" ? "" : "functions: [{name: fn, service: 10ms}]"
            let keys = loaderKeys(
                architectures: """
                      - name: a
                        entry: fn
                        \(functions)
                        \(place.component)
                    """)
            #expect(!keys.isEmpty, "\(place.definition)")
            #expect(Set(properties(["$defs", place.definition])) == Set(keys), "\(place.definition)")
        }
    }

    @Test func scenarioAndProducerKeysMatchTheLoader() {
        let producerKeys = loaderKeys(
            producers: """
                  - {name: p, rate: 1, event: {source: s, detail-type: t}, zzz: 1}
                """)
        #expect(Set(properties(["$defs", "producer"])) == Set(producerKeys))
        let topLevel = diagnostics(scenario() + "\nzzz: 1")
        let listed = topLevel.first.flatMap {
            $0.range(of: "expected one of: ").map { String(topLevel[0][$0.upperBound...]) }
        }
        #expect(Set(properties([])) == Set(listed?.components(separatedBy: ", ") ?? []))
    }
}
