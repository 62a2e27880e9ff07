public import ArchitectureModels
import ArchitectureSpecs
import Foundation
import Stochastics

/// `report.html`: one self-contained page (inline SVG, no scripts, no network) with the latency CDFs, throughput,
/// backlog and concurrency over time, and — after a capacity search — the capacity curve with the SLO line.
public enum HTMLReport {
    /// A named series of (x, y) points.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]

    public static func render(
        outcome: ScenarioRunner.Outcome, capacity: (options: CapacitySearch.Options, results: [CapacitySearch.Result])?
    ) -> String {
        let scenario = outcome.scenario
        var body = "<h1>eventsim report: \(escape(scenario.name))</h1>\n"
        body +=
            "<p>\(outcome.runs.count) architectures × \(scenario.replications) replications, seed \(scenario.seed), "
            + "\(CSV.number(Double(scenario.duration) / 1e9, digits: 1)) s of production.</p>\n"
        body += "<pre>\(escape(ConsoleTable.summary(outcome)))</pre>\n"
        var cdf: [Series] = []
        var throughput: [Series] = [], backlog: [Series] = [], concurrency: [Series] = []
        for runs in outcome.runs {
            guard let first = runs.first else { continue }
            var merged = first.overall
            for run in runs.dropFirst() { merged.merge(run.overall) }
            let quantiles = stride(from: 1.0, through: 99.0, by: 1.0).map { $0 } + [99.5, 99.9, 99.99]
            cdf.append(
                Series(
                    name: first.architecture,
                    points: quantiles.map {
                        (x: Double(merged.percentile($0)) / 1e6, y: $0)
                    }))
            let windows = runs.map(\.timeSeries.count).min() ?? 0
            let width = Double(scenario.window) / 1e9
            func mean(_ index: Int, _ value: (WindowSample) -> Double) -> Double {
                Summary(runs.map { value($0.timeSeries[index]) }).mean
            }
            let times = (0..<windows).map { Double(first.timeSeries[$0].start) / 1e9 }
            throughput.append(
                Series(
                    name: first.architecture,
                    points: (0..<windows).map {
                        (x: times[$0], y: mean($0) { Double($0.delivered) } / width)
                    }))
            backlog.append(
                Series(
                    name: first.architecture,
                    points: (0..<windows).map {
                        (x: times[$0], y: mean($0) { Double($0.backlog) })
                    }))
            concurrency.append(
                Series(
                    name: first.architecture,
                    points: (0..<windows).map {
                        (x: times[$0], y: mean($0) { Double($0.concurrency) })
                    }))
        }
        let bound =
            capacity.map { Double($0.options.latencyBound) / 1e6 } ?? scenario.slo.latency.map { Double($0) / 1e6 }
        body += chart(
            id: "latency-cdf", title: "End-to-end latency CDF", xLabel: "latency (ms, log scale)",
            yLabel: "percentile", series: cdf, verticalLine: bound, logX: true)
        body += chart(
            id: "throughput", title: "Throughput over time", xLabel: "time (s)",
            yLabel: "delivered per second", series: throughput)
        body += chart(
            id: "backlog", title: "Backlog over time", xLabel: "time (s)", yLabel: "copies in flight",
            series: backlog)
        body += chart(
            id: "concurrency", title: "Concurrency over time", xLabel: "time (s)",
            yLabel: "busy environments and servers", series: concurrency)
        if let capacity {
            let latencyCurves = capacity.results.map { result in
                Series(
                    name: result.architecture, points: result.curve.map { (x: $0.offeredPeakRate, y: $0.latency / 1e6) }
                )
            }
            let lossCurves = capacity.results.map { result in
                Series(
                    name: result.architecture, points: result.curve.map { (x: $0.offeredPeakRate, y: $0.lossFraction) })
            }
            body += chart(
                id: "capacity-latency", title: "Capacity curve: p\(CSV.number(capacity.options.percentile)) latency",
                xLabel: "offered peak rate (events/s)", yLabel: "latency (ms)", series: latencyCurves,
                horizontalLine: Double(capacity.options.latencyBound) / 1e6)
            body += chart(
                id: "capacity-loss", title: "Capacity curve: lost fraction", xLabel: "offered peak rate (events/s)",
                yLabel: "lost fraction", series: lossCurves, horizontalLine: capacity.options.maxLossFraction)
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/><title>eventsim: \(escape(scenario.name))</title>
            <style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}
            svg{background:#fff;border:1px solid #ddd;margin:1em 0}pre{font-size:12px;overflow-x:auto}</style>
            </head><body>
            \(body)</body></html>

            """
    }

    /// One line chart as inline SVG; series are drawn in palette order and listed in a legend.
    static func chart(
        id: String, title: String, xLabel: String, yLabel: String, series: [Series],
        horizontalLine: Double? = nil, verticalLine: Double? = nil, logX: Bool = false
    ) -> String {
        let width = 900.0, height = 360.0, left = 70.0, right = 180.0, top = 30.0, bottom = 50.0
        // On a log axis, x values are plotted as log10(x) and labelled with x itself.
        let series =
            logX
            ? series.map { item in
                Series(name: item.name, points: item.points.filter { $0.x > 0 }.map { (x: log10($0.x), y: $0.y) })
            } : series
        let verticalLine = logX ? verticalLine.flatMap { $0 > 0 ? log10($0) : nil } : verticalLine
        let all = series.flatMap(\.points)
        var xMin = all.map(\.x).min() ?? 0, xMax = all.map(\.x).max() ?? 1
        var yMin = Swift.min(0, all.map(\.y).min() ?? 0), yMax = all.map(\.y).max() ?? 1
        if let horizontalLine { yMax = Swift.max(yMax, horizontalLine * 1.1); yMin = Swift.min(yMin, horizontalLine) }
        if let verticalLine { xMax = Swift.max(xMax, verticalLine * 1.05); xMin = Swift.min(xMin, verticalLine) }
        if xMax <= xMin { xMax = xMin + 1 }
        if yMax <= yMin { yMax = yMin + 1 }
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - yMin) / (yMax - yMin) * (height - top - bottom) }
        func n(_ value: Double) -> String { CSV.number(value, digits: 2) }
        var svg =
            "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(escape(title))\">\n"
        svg += "<title>\(escape(title))</title>\n"
        svg += "<text x=\"\(n(left))\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>\n"
        svg +=
            "<line x1=\"\(n(left))\" y1=\"\(n(height - bottom))\" x2=\"\(n(width - right))\" y2=\"\(n(height - bottom))\" stroke=\"#444\"/>\n"
        svg +=
            "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(height - bottom))\" stroke=\"#444\"/>\n"
        for tick in 0...4 {
            let xValue = xMin + (xMax - xMin) * Double(tick) / 4, yValue = yMin + (yMax - yMin) * Double(tick) / 4
            svg +=
                "<text x=\"\(n(px(xValue)))\" y=\"\(n(height - bottom + 16))\" font-size=\"11\" text-anchor=\"middle\">\(logX ? logLabel(pow10(xValue)) : label(xValue, step: (xMax - xMin) / 4))</text>\n"
            svg +=
                "<text x=\"\(n(left - 6))\" y=\"\(n(py(yValue) + 4))\" font-size=\"11\" text-anchor=\"end\">\(label(yValue, step: (yMax - yMin) / 4))</text>\n"
        }
        svg +=
            "<text x=\"\(n((left + width - right) / 2))\" y=\"\(n(height - 8))\" font-size=\"12\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg +=
            "<text x=\"14\" y=\"\(n((top + height - bottom) / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(n((top + height - bottom) / 2)))\">\(escape(yLabel))</text>\n"
        if let horizontalLine {
            svg +=
                "<line class=\"slo\" x1=\"\(n(left))\" y1=\"\(n(py(horizontalLine)))\" x2=\"\(n(width - right))\" y2=\"\(n(py(horizontalLine)))\" stroke=\"#000\" stroke-dasharray=\"6 4\"/>\n"
            svg +=
                "<text x=\"\(n(width - right - 4))\" y=\"\(n(py(horizontalLine) - 4))\" font-size=\"11\" text-anchor=\"end\">SLO</text>\n"
        }
        if let verticalLine {
            svg +=
                "<line class=\"slo\" x1=\"\(n(px(verticalLine)))\" y1=\"\(n(top))\" x2=\"\(n(px(verticalLine)))\" y2=\"\(n(height - bottom))\" stroke=\"#000\" stroke-dasharray=\"6 4\"/>\n"
        }
        for (index, item) in series.enumerated() {
            let color = palette[index % palette.count]
            let path = item.points.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " ")
            svg +=
                "<polyline class=\"series\" data-series=\"\(escape(item.name))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            let legendY = top + 18 * Double(index)
            svg +=
                "<rect x=\"\(n(width - right + 12))\" y=\"\(n(legendY))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>\n"
            svg +=
                "<text x=\"\(n(width - right + 30))\" y=\"\(n(legendY + 10))\" font-size=\"12\">\(escape(item.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }

    static func log10(_ x: Double) -> Double { Foundation.log10(x) }

    /// A tick label on a linear axis whose ticks are `step` apart: whole numbers from 1,000, one decimal from 10,
    /// three below; and, when the ticks are closer than that shows (a loss fraction of 0.0002 per tick), enough
    /// decimals (up to 9) for neighbouring ticks to read differently.
    static func label(_ value: Double, step: Double) -> String {
        var digits = abs(value) >= 1_000 ? 0 : abs(value) >= 10 ? 1 : 3
        if step > 0, step.isFinite {
            let needed = Int((-Foundation.log10(step)).rounded(.up)) + 1
            digits = Swift.min(9, Swift.max(digits, needed))
        }
        return CSV.number(value, digits: digits)
    }

    /// A tick label on a logarithmic axis: three significant digits (whole numbers from 1,000).
    static func logLabel(_ value: Double) -> String {
        guard value > 0, value < 1_000 else { return CSV.number(value, digits: 0) }
        let digits = 2 - Int(Foundation.log10(value).rounded(.down))
        return CSV.number(value, digits: Swift.min(9, Swift.max(0, digits)))
    }

    /// XML-escapes text for element content and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
