import EventPatterns
import ScenarioLoading
import Testing

/// The matcher's own description of why a pattern is invalid (so these tests follow its wording).
func patternError(_ json: String) -> String {
    do {
        _ = try EventPattern(text: json)
        return "pattern unexpectedly valid"
    } catch {
        return error.description
    }
}

/// The JSON parser's message and position for invalid JSON text, as the loader words it.
func jsonError(_ text: String) -> String {
    do {
        _ = try JSONParser.parse(text)
        return "JSON unexpectedly valid"
    } catch {
        return "\(error.message) (line \(error.line), column \(error.column) of the JSON text)"
    }
}

/// One malformed scenario and exactly what the loader must say about it.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let expected: [String]
    var testDescription: String { name }
}

@Suite struct LocatedErrorTests {
    static let cases: [ErrorCase] = [
        ErrorCase(
            name: "unknown key",
            text: scenario(
                producers: """
                      - name: p
                        rate: 10
                        colour: blue
                        event: {source: s, detail-type: t}
                    """),
            expected: [
                "test.yaml:8:5: error: unknown key 'colour' in producer; expected one of: name, rate, profile, arrivals, "
                    + "event, writes"
            ]),
        ErrorCase(
            name: "wrong type",
            text: """
                name: t
                seed: forty-two
                duration: 1m
                workload: [1, 2]
                architectures: {}
                """,
            expected: [
                "test.yaml:2:7: error: expected an unsigned integer for 'seed', got 'forty-two'",
                "test.yaml:4:11: error: expected a mapping for 'workload', got a sequence",
                "test.yaml:5:16: error: expected a sequence for 'architectures', got a mapping",
            ]),
        ErrorCase(
            name: "bad duration",
            text: """
                name: t
                seed: 1
                duration: 5 parsecs
                warmup: -1s
                workload: {producers: [{name: p, rate: 1, event: {source: s, detail-type: t}}]}
                architectures: [{name: a, entry: fn, functions: [{name: fn, service: 1ms}]}]
                """,
            expected: [
                "test.yaml:3:11: error: expected a duration for 'duration' (a number of seconds or a number with a unit "
                    + "ns, us, ms, s, m, h or d, e.g. 500ms, 1.5s), got '5 parsecs'",
                "test.yaml:4:9: error: 'warmup' must be at least 0, got -1s",
            ]),
        ErrorCase(
            name: "warmup not shorter than duration",
            text: """
                name: t
                seed: 1
                duration: 1m
                warmup: 60s
                workload: {producers: [{name: p, rate: 1, event: {source: s, detail-type: t}}]}
                architectures: [{name: a, entry: fn, functions: [{name: fn, service: 1ms}]}]
                """,
            expected: [
                "test.yaml:4:9: error: 'warmup' (60s) must be less than 'duration' (1m)"
            ]),
        ErrorCase(
            name: "unknown distribution",
            text: scenario(
                architectures: """
                      - name: a
                        entry: fn
                        functions:
                          - {name: fn, service: {expo: {mean: 50ms}}, cold_start: fast}
                    """),
            expected: [
                "test.yaml:13:30: error: unknown distribution 'expo'; expected one of: constant, exponential, uniform, "
                    + "normal, lognormal, gamma, weibull, pareto, empirical",
                "test.yaml:13:63: error: unknown distribution 'fast' for 'cold_start'; expected a number of seconds, a "
                    + "duration, a latency profile (eventbridge-classic, eventbridge-2024, sns-standard, sns-fifo, sqs, "
                    + "sqs-fifo, dynamodb-streams, lambda-cold-start) or a mapping of one of: constant, exponential, "
                    + "uniform, normal, lognormal, gamma, weibull, pareto, empirical",
            ]),
        ErrorCase(
            name: "distribution parameters",
            text: scenario(
                architectures: """
                      - name: a
                        entry: fn
                        functions:
                          - {name: fn, service: {lognormal: {median: 200ms, p99: 40ms}}, per_record: {gamma: {mean: 1}}}
                    """),
            expected: [
                "test.yaml:13:41: error: lognormal p99 (0.04) must be greater than its median (0.2)",
                "test.yaml:13:90: error: gamma needs either shape and scale or mean and cs2",
            ]),
        ErrorCase(
            name: "bad pattern names its path",
            text: scenario(
                architectures: """
                      - name: a
                        entry: bus
                        buses:
                          - name: bus
                            rules:
                              - name: r
                                pattern: {detail: {amount: [{numeric: [">", "ten"]}]}}
                                targets: [fn]
                              - name: s
                                pattern: '{"source": ["a"'
                                targets: [fn]
                        functions:
                          - {name: fn, service: 10ms}
                    """),
            expected: [
                "test.yaml:16:22: error: " + patternError(#"{"detail": {"amount": [{"numeric": [">", "ten"]}]}}"#),
                "test.yaml:19:22: error: pattern is not valid JSON: " + jsonError(#"{"source": ["a""#),
            ]),
        ErrorCase(
            name: "bad filter policy",
            text: scenario(
                architectures: """
                      - name: a
                        entry: t
                        topics:
                          - name: t
                            subscriptions:
                              - {name: s, protocol: lambda, target: fn, filter_policy: {price: [{numeric: ["<", "x"]}]}}
                              - {name: u, protocol: lambda, target: fn, filter_policy: '{"a": 1}'}
                        functions:
                          - {name: fn, service: 10ms}
                    """),
            expected: [
                "test.yaml:15:68: error: invalid filter policy at 'policy.price[0].numeric[1]': numeric operand must be "
                    + "an unquoted number, got \"x\"",
                "test.yaml:16:68: error: invalid filter policy at 'policy.a': the value of a policy key must be an array "
                    + "of match values, got a number",
            ]),
        ErrorCase(
            name: "unknown and misfit target references",
            text: scenario(
                architectures: """
                      - name: a
                        entry: bus
                        buses:
                          - name: bus
                            rules: [{name: r, pattern: {source: [x]}, targets: [fn, paymnt, st]}]
                        queues:
                          - {name: q, consumer: bus}
                        functions:
                          - {name: fn, service: 10ms}
                        streams:
                          - {name: st, target: q, propagation: 10ms}
                    """),
            expected: [
                "test.yaml:14:65: error: unknown target 'paymnt' of rule 'r'; expected one of: bus, q, fn",
                "test.yaml:14:73: error: target 'st' of rule 'r' is a stream; expected a bus, a topic, a queue, a "
                    + "function or an endpoint",
                "test.yaml:16:29: error: consumer 'bus' of queue 'q' is a bus; expected a function",
                "test.yaml:20:28: error: target 'q' of stream 'st' is a queue; expected a function or a bus",
            ]),
        ErrorCase(
            name: "duplicate names",
            text: """
                name: t
                seed: 1
                duration: 1m
                workload:
                  producers:
                    - {name: p, rate: 1, event: {source: s, detail-type: t}}
                    - {name: p, rate: 2, event: {source: s, detail-type: t}}
                architectures:
                  - name: a
                    entry: fn
                    functions: [{name: fn, service: 1ms}]
                    endpoints: [{name: fn, servers: 1, service: 1ms}]
                    buses:
                      - name: b
                        rules: [{name: r, schedule: rate(1 hour), targets: [fn]}, {name: r, schedule: rate(2 hours), targets: [fn]}]
                  - name: a
                    entry: fn
                    functions: [{name: fn, service: 1ms}]
                """,
            expected: [
                "test.yaml:7:14: error: duplicate producer name 'p'; first defined at 6:14",
                "test.yaml:12:24: error: duplicate component name 'fn' in architecture 'a'; first defined at 11:24",
                "test.yaml:15:74: error: duplicate rule name 'r' in bus 'b'; first defined at 15:24",
                "test.yaml:16:11: error: duplicate architecture name 'a'; first defined at 9:11",
            ]),
        ErrorCase(
            name: "bad schedule",
            text: scenario(
                architectures: """
                      - name: a
                        entry: fn
                        buses:
                          - name: b
                            rules:
                              - {name: r, schedule: rate(0 minutes), targets: [fn]}
                              - {name: s, schedule: cron(0 3 * * *), targets: [fn]}
                              - {name: u, schedule: every day, targets: [fn]}
                              - {name: v, targets: [fn]}
                        functions:
                          - {name: fn, service: 10ms}
                    """),
            expected: [
                "test.yaml:15:33: error: invalid schedule: rate expression must be 'rate(N unit)' with a positive whole N, "
                    + "got 'rate(0 minutes)'",
                "test.yaml:16:33: error: invalid schedule: cron expression needs 6 fields (minutes hours day-of-month "
                    + "month day-of-week year), got 5",
                "test.yaml:17:33: error: invalid schedule: schedule must be 'rate(…)' or 'cron(…)', got 'every day'",
                "test.yaml:18:13: error: rule needs 'pattern' or 'schedule'",
            ]),
        ErrorCase(
            name: "missing required keys",
            text: """
                name: t
                duration: 1m
                workload:
                  producers:
                    - {name: p, event: {source: s}}
                architectures:
                  - {name: a, entry: fn, functions: [{name: fn}]}
                """,
            expected: [
                "test.yaml:1:1: error: missing required key 'seed' in scenario",
                "test.yaml:5:7: error: missing required key 'rate' in producer",
                "test.yaml:5:24: error: missing required key 'detail-type' in event",
                "test.yaml:7:38: error: missing required key 'service' in function",
            ]),
        ErrorCase(
            name: "value templates",
            text: scenario(
                producers: """
                      - name: p
                        rate: 10
                        event:
                          source: s
                          detail-type: {choice: [{value: a, weight: 0}]}
                          detail: {n: {integer: [5, 1]}, hex: 0x1F, id: {uuid: false}, seq: {sequence: x, digits: 2}}
                    """),
            expected: [
                "test.yaml:10:29: error: the weights of 'choice' must not all be 0",
                "test.yaml:11:29: error: 'integer' bounds must satisfy low ≤ high, got [5, 1]",
                "test.yaml:11:43: error: the number '0x1F' is not written as JSON (e.g. 1000, -2.5, 1e-3); write it in "
                    + "JSON form or quote it to keep it a string",
                "test.yaml:11:60: error: 'uuid' generates a value only with 'true'; remove it or write {literal: …}",
                "test.yaml:11:87: error: unknown key 'digits' in sequence generator (use {object: {...}} for an object "
                    + "with a 'sequence' member); expected one of: sequence",
            ]),
        ErrorCase(
            name: "topic wiring rules",
            text: scenario(
                architectures: """
                      - name: a
                        entry: t
                        topics:
                          - name: t
                            fifo: true
                            subscriptions:
                              - {name: s, protocol: lambda, target: fn}
                              - {name: m, protocol: sqs}
                          - name: u
                            message_group: detail.id
                            subscriptions:
                              - {name: e, protocol: email, target: fn}
                              - {name: h, protocol: lambda, target: fn, delivery_policy: {healthyRetryPolicy: {numRetries: 1}}}
                              - {name: x, protocol: carrier-pigeon}
                        functions:
                          - {name: fn, service: 10ms}
                    """),
            expected: [
                "test.yaml:16:33: error: FIFO topics only deliver to SQS queues, not lambda",
                "test.yaml:17:13: error: missing required key 'target' in subscription: protocol sqs delivers to a queue",
                "test.yaml:19:9: error: 'message_group' applies to FIFO topics only (set fifo: true)",
                "test.yaml:21:40: error: protocol email delivers outside the architecture and takes no 'target'",
                "test.yaml:22:53: error: 'delivery_policy' applies to http and https subscriptions only, not lambda",
                "test.yaml:23:33: error: unknown protocol 'carrier-pigeon'; expected one of: lambda, sqs, http, https, "
                    + "email, email-json, sms, application, firehose",
            ]),
        ErrorCase(
            name: "architecture lacks entry or table",
            text: scenario(
                producers: """
                      - name: p
                        rate: 10
                        event: {source: s, detail-type: t}
                      - name: w
                        rate: 10
                        writes: {table: orders, keys: 10}
                    """,
                architectures: """
                      - name: a
                        functions:
                          - {name: fn, service: 10ms}
                    """),
            expected: [
                "test.yaml:13:11: error: architecture 'a' has no 'entry' for the events of producer 'p'",
                "test.yaml:13:11: error: architecture 'a' has no stream for table 'orders' written by producer 'w'",
            ]),
        ErrorCase(
            name: "event and writes are exclusive",
            text: scenario(
                producers: """
                      - name: p
                        rate: 10
                        event: {source: s, detail-type: t}
                        writes: {table: orders, keys: 10}
                      - name: q
                        rate: 10
                    """),
            expected: [
                "test.yaml:9:5: error: producer takes only one of 'event' or 'writes'",
                "test.yaml:10:5: error: producer needs 'event' or 'writes'",
            ]),
        ErrorCase(
            name: "numeric bounds",
            text: scenario(
                architectures: """
                      - name: a
                        entry: q
                        queues:
                          - {name: q, consumer: fn, batch_size: 0, maximum_concurrency: 1, max_receive_count: many}
                        functions:
                          - {name: fn, service: 10ms, error_rate: 1.5, memory_mb: 64, timeout: 0s}
                    """),
            expected: [
                "test.yaml:13:45: error: 'batch_size' must be between 1 and 10000, got 0",
                "test.yaml:13:69: error: 'maximum_concurrency' must be between 2 and 1000, got 1",
                "test.yaml:13:91: error: expected an integer for 'max_receive_count', got 'many'",
                "test.yaml:15:47: error: 'error_rate' must be between 0 and 1, got 1.5",
                "test.yaml:15:63: error: 'memory_mb' must be between 128 and 10240, got 64",
                "test.yaml:15:76: error: 'timeout' must be greater than 0, got 0s",
            ]),
        ErrorCase(
            name: "limits that keep the simulation safe",
            text: """
                name: t
                seed: 1
                duration: 3651d
                workload:
                  producers:
                    - {name: p, rate: 1, event: {source: s, detail-type: t, detail: {n: {integer: [0, 9007199254740993]}}}}
                architectures:
                  - {name: a, entry: fn, functions: [{name: fn, service: 1ms, concurrency: 2000000}]}
                """,
            expected: [
                "test.yaml:3:11: error: 'duration' must be at most 3650d (ten years), got 3651d",
                "test.yaml:6:87: error: 'integer' must be between -9007199254740992 and 9007199254740992, got "
                    + "9007199254740993",
                "test.yaml:8:76: error: 'concurrency' must be between 1 and 1000000, got 2000000",
            ]),
        ErrorCase(
            name: "kinds and shapes",
            text: """
                name: t
                seed: 1
                duration: 1m
                workload:
                  producers:
                    - {name: p, rate: 1, profile: steps, arrivals: {kind: weibull}, event: {source: s, detail-type: t}}
                    - {name: q, arrivals: {kind: trace, file: traces/empty.csv}, event: {source: s, detail-type: [{uuid: true}]}}
                    - {name: w, rate: 1, writes: {table: st, keys: 5, key_distribution: zipf}}
                architectures:
                  - name: a
                    entry: st
                    topics: [{name: t, message_attributes: [detail-type]}]
                    functions: [{name: fn, service: 1ms}]
                    streams: [{name: st, target: fn, propagation: 1ms, view_type: ALL}]
                """,
            expected: [
                "test.yaml:6:35: error: rate profile 'steps' needs parameters: write {kind: steps, steps: …}",
                "test.yaml:6:59: error: unknown arrival process 'weibull'; expected one of: poisson, constant, bursty, "
                    + "trace",
                "test.yaml:7:47: error: trace file '\(fixtures)/traces/empty.csv' has no events",
                "test.yaml:7:99: error: a sequence in a template holds literal values only; use {array: TEMPLATE, "
                    + "min: N, max: M} to generate arrays",
                "test.yaml:8:73: error: expected 'uniform' or {zipf: EXPONENT} for 'key_distribution', got 'zipf'",
                "test.yaml:11:12: error: entry 'st' of architecture 'a' is a stream; expected a bus, a topic, a queue, "
                    + "a function or an endpoint",
                "test.yaml:12:44: error: expected a mapping of attribute names to event paths for "
                    + "'message_attributes', got a sequence",
                "test.yaml:14:67: error: unknown view_type 'ALL'; expected one of: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, "
                    + "NEW_AND_OLD_IMAGES",
            ]),
        ErrorCase(
            name: "YAML syntax error",
            text: """
                name: t
                seed: [1, 2
                duration: 1m
                """,
            expected: [
                "test.yaml:3:9: error: invalid YAML: while parsing a flow sequence (line 2, column 7): did not find "
                    + "expected ',' or ']'"
            ]),
        ErrorCase(
            name: "duplicate YAML key",
            text: """
                name: t
                seed: 1
                name: u
                """,
            expected: [
                "test.yaml:1:1: error: duplicate key 'name' in a mapping"
            ]),
        ErrorCase(
            name: "empty file", text: "# nothing\n",
            expected: [
                "test.yaml:1:1: error: the scenario file is empty"
            ]),
    ]

    @Test(arguments: cases)
    func reportsEveryProblemAtItsPosition(_ testCase: ErrorCase) {
        #expect(diagnostics(testCase.text) == testCase.expected)
    }
}
