/// A table of text cells, rendered aligned for a terminal, as GitHub Markdown, or as CSV.
public struct Table: Sendable, Equatable {
    public var headers: [String]
    public var rows: [[String]]

    public init(headers: [String], rows: [[String]] = []) {
        self.headers = headers
        self.rows = rows
    }

    /// Columns padded to their widest cell, two spaces apart.
    public func text() -> String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (index, cell) in cells.enumerated() {
                if index == cells.count - 1 { out += cell } else { out += cell + String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            return out
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    public func markdown() -> String {
        func escape(_ cell: String) -> String {
            cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var out = "| " + headers.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + headers.map { _ in "---|" }.joined() + "\n"
        for row in rows { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
        return out
    }

    /// RFC 4180 CSV with a header row and CRLF line ends.
    public func csv() -> String {
        var out = CSVBytes()
        out.row(headers)
        for row in rows { out.row(row) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// One cell as `CSVBytes` writes it.
    public static func csvField(_ cell: String) -> String {
        var out = CSVBytes()
        out.field(cell)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}

import Foundation

/// RFC 4180 CSV written as UTF-8 bytes, row by row, CRLF line ends: a field holding a
/// comma, quote or line end is quoted, its quotes doubled.
///
/// Spreadsheet-safe (OWASP, "CSV injection"): a field beginning with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading apostrophe, so that a spreadsheet shows it as
/// text and never runs it as a formula.
struct CSVBytes {
    private(set) var bytes: [UInt8] = []

    /// The first bytes that make a spreadsheet read a cell as a formula.
    static let formulaStarts: [UInt8] = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    mutating func row(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            self.field(field)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    mutating func field(_ field: String) {
        var field = field
        field.withUTF8 { source in
            let guarded = source.first.map(Self.formulaStarts.contains) ?? false
            guard guarded || source.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
                bytes.append(contentsOf: source)
                return
            }
            bytes.append(UInt8(ascii: "\""))
            if guarded { bytes.append(UInt8(ascii: "'")) }
            for byte in source {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
