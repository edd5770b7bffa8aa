import Foundation

/// Compact JSON written as UTF-8 bytes: several times faster than appending to a String.
struct JSONBytes {
    private var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(512)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Text copied as it is (numbers, indentation).
    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: StaticString) {
        // Most are a byte or three (`,"`, `":`): appending them one by one costs less than
        // appending a buffer.
        text.withUTF8Buffer { source in
            for byte in source { bytes.append(byte) }
        }
    }

    /// `,"key":"value"`; nothing for a nil value.
    mutating func pair(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        raw(",\"")
        raw(key)
        raw("\":")
        string(value)
    }

    /// `,"key":["a","b"]`; nothing for an empty list.
    mutating func list(_ key: StaticString, _ items: [String]) {
        guard !items.isEmpty else { return }
        raw(",\"")
        raw(key)
        raw("\":")
        texts(items)
    }

    mutating func texts(_ items: [String]) {
        raw("[")
        for (index, item) in items.enumerated() {
            if index > 0 { raw(",") }
            string(item)
        }
        raw("]")
    }

    /// A JSON string. Control characters, `"` and `\` are escaped, and so are U+2028 and
    /// U+2029 (as `JSONValue.writeString` does); everything else is copied as it is.
    mutating func string(_ value: String) {
        var value = value
        bytes.append(0x22)
        value.withUTF8 { source in
            // Most text needs no escape (0xE2 starts U+2028 and U+2029): copy it whole.
            var index = ByteScan.firstSpecial(in: source, from: 0, orE2: true)
            if index == source.count {
                bytes.append(contentsOf: source)
                return
            }
            var copied = 0
            func escape(_ escaped: StaticString, length: Int) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[copied..<index]))
                escaped.withUTF8Buffer { bytes.append(contentsOf: $0) }
                index += length
                copied = index
            }
            while index < source.count {
                let byte = source[index]
                switch byte {
                case 0x22: escape(#"\""#, length: 1)
                case 0x5C: escape(#"\\"#, length: 1)
                case 0x0A: escape(#"\n"#, length: 1)
                case 0x0D: escape(#"\r"#, length: 1)
                case 0x09: escape(#"\t"#, length: 1)
                case ..<0x20:
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[copied..<index]))
                    let hex: StaticString = "0123456789abcdef"
                    hex.withUTF8Buffer { digits in
                        bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
                    }
                    index += 1
                    copied = index
                case 0xE2 where index + 2 < source.count && source[index + 1] == 0x80 && source[index + 2] == 0xA8:
                    escape(#"\u2028"#, length: 3)
                case 0xE2 where index + 2 < source.count && source[index + 1] == 0x80 && source[index + 2] == 0xA9:
                    escape(#"\u2029"#, length: 3)
                default:
                    index = ByteScan.firstSpecial(in: source, from: index + 1, orE2: true)
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[copied..<source.count]))
        }
        bytes.append(0x22)
    }
}
