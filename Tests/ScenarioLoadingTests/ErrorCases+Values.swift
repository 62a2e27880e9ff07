import Testing

/// Malformed values: keys, types, durations, distributions, templates, limits and YAML itself.
extension LocatedErrorTests {
    static let valueCases: [ErrorCase] = [
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
            name: "generated numbers that overflow",
            text: """
                name: t
                seed: 1
                duration: 1m
                workload:
                  producers:
                    - name: p
                      rate: 1
                      event:
                        source: s
                        detail-type: t
                        detail:
                          heavy: {distribution: {pareto: {shape: 0.01, scale: 1}}}
                          huge: {distribution: {lognormal: {median: 1e300, p99: 1e305}}}
                          wide: {decimal: [-1e308, 1e308]}
                          fine: {distribution: {pareto: {shape: 2, scale: 1}}}
                          also: {decimal: [-1e307, 1e307]}
                architectures: [{name: a, entry: fn, functions: [{name: fn, service: 1ms}]}]
                """,
            expected: [
                "test.yaml:12:33: error: one value in 10¹² of this distribution overflows a double, and a generated "
                    + "JSON number must be finite; use smaller parameters",
                "test.yaml:13:32: error: one value in 10¹² of this distribution overflows a double, and a generated "
                    + "JSON number must be finite; use smaller parameters",
                "test.yaml:14:27: error: 'decimal' [-1e+308, 1e+308] spans more than a double holds, and a generated "
                    + "JSON number must be finite; use smaller parameters",
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
}
