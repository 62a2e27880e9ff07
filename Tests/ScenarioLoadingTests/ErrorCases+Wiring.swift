import Testing

/// Malformed architectures: patterns, policies, schedules, names and the references between components.
extension LocatedErrorTests {
    static let wiringCases: [ErrorCase] = [
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
    ]
}
