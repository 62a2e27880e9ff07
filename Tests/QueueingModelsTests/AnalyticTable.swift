import Foundation

/// One of the exact queueing tables in Fixtures/ (copied from shared/analytic), read as rows of named columns.
struct AnalyticTable {
    let rows: [[String: String]]

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        let header = AnalyticTable.fields(lines[0])
        rows = lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, AnalyticTable.fields(line)))
        }
    }

    /// RFC 4180 fields of one line (quoted fields may hold commas).
    static func fields(_ line: String) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
            } else if character == ",", !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    /// The row whose columns equal `match` numerically.
    func row(_ match: [String: Double]) -> [String: Double]? {
        for row in rows where match.allSatisfy({ Double(row[$0.key] ?? "") == $0.value }) {
            return row.compactMapValues(Double.init)
        }
        return nil
    }
}
