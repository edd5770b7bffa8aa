import Foundation

/// A JSON value whose objects keep their key order, so that output reads in field order
/// and is byte-for-byte reproducible.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    /// `string` for a value, `null` for nil.
    public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// Serialises with two-space indentation (`pretty`) or on one line.
    public func serialized(pretty: Bool = false) -> String {
        var out = JSONBytes()
        write(to: &out, pretty: pretty, indent: 0)
        return out.text
    }

    private static let indents = (0..<16).map { "\n" + String(repeating: "  ", count: $0) }

    private static func newline(_ out: inout JSONBytes, _ indent: Int) {
        out.raw(indent < indents.count ? indents[indent] : "\n" + String(repeating: "  ", count: indent))
    }

    private func write(to out: inout JSONBytes, pretty: Bool, indent: Int) {
        switch self {
        case .null: out.raw("null")
        case .bool(let value): out.raw(value ? "true" : "false")
        case .int(let value): out.raw(String(value))
        case .double(let value):
            if value.isFinite {
                out.raw(value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : "\(value)")
            } else {
                out.raw("null")
            }
        case .string(let value): out.string(value)
        case .array(let items):
            if items.isEmpty { out.raw("[]"); return }
            out.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.raw(",") }
                if pretty { Self.newline(&out, indent + 1) }
                item.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { Self.newline(&out, indent) }
            out.raw("]")
        case .object(let pairs):
            if pairs.isEmpty { out.raw("{}"); return }
            out.raw("{")
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out.raw(",") }
                if pretty { Self.newline(&out, indent + 1) }
                out.string(key)
                out.raw(pretty ? ": " : ":")
                value.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { Self.newline(&out, indent) }
            out.raw("}")
        }
    }

    static func writeString(_ value: String, to out: inout String) {
        out += "\""
        // Most text needs no escape (0xE2 starts U+2028 and U+2029): append it whole.
        let plain = value.utf8.withContiguousStorageIfAvailable { bytes in
            ByteScan.firstSpecial(in: bytes, from: 0, orE2: true) == bytes.count
        }
        if plain ?? false {
            out += value
            out += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
