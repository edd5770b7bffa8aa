import Foundation

/// A strict JSON parser (RFC 8259) straight into the review `Node` tree.
///
/// Reviews arrive by the hundred thousand in `.jsonl` files, and Foundation's `JSONDecoder`
/// going through `Decodable` spent more time building a generic tree than the rest of the
/// import put together. This parser reads UTF-8 bytes once and builds the tree directly.
/// It keeps object keys in the order written, and every pair: a key written twice in one
/// object (which JSON leaves undefined) reaches the review reader, which reports it by name
/// rather than silently keeping one of the values.
struct JSONParser {
    /// Why the text is not JSON, and where (1-based line and column, in bytes).
    struct SyntaxError: Error, Equatable {
        var message: String
        var line: Int
        var column: Int

        var description: String { "\(message) at line \(line), column \(column)" }
    }

    /// Nesting deeper than this is refused rather than risking the stack.
    static let maximumDepth = 200

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// The line stamped on every node (a `.jsonl` line), or nil.
    private let line: Int?

    private init(_ bytes: UnsafeBufferPointer<UInt8>, line: Int?) {
        self.bytes = bytes
        self.line = line
    }

    /// Parses one JSON value filling all of `text`; every node carries `line`.
    static func parse(_ text: String, line: Int? = nil) throws(SyntaxError) -> Node {
        var text = text
        let result: Result<Node, SyntaxError> = text.withUTF8 { buffer in
            var parser = JSONParser(buffer, line: line)
            return Result { () throws(SyntaxError) -> Node in
                parser.skipWhitespace()
                let node = try parser.value()
                parser.skipWhitespace()
                if parser.index < buffer.count { throw parser.error("unexpected text after the end of the value") }
                return node
            }
        }
        return try result.get()
    }

    // MARK: Values

    private mutating func value() throws(SyntaxError) -> Node {
        guard index < bytes.count else { throw error("unexpected end of the text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return Node(.scalar(try string(), plain: false), line: line)
        case UInt8(ascii: "t"): try literal("true"); return Node(.bool(true), line: line)
        case UInt8(ascii: "f"): try literal("false"); return Node(.bool(false), line: line)
        case UInt8(ascii: "n"): try literal("null"); return Node(.null, line: line)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return Node(.number(try number()), line: line)
        default: throw error("unexpected \(describe(at: index))")
        }
    }

    private mutating func object() throws(SyntaxError) -> Node {
        try enter()
        index += 1
        var pairs: [(key: String, value: Node)] = []
        // In a `.jsonl` line the mappings of the first two levels are the review (two dozen
        // fields) and its factors (about thirty): room for them at once spares growing.
        pairs.reserveCapacity(depth <= 2 ? 32 : 8)
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            depth -= 1
            return Node(.map(pairs), line: line)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw error("expected a key in double quotes, found \(describe(at: index))") }
            let key = try string()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw error("expected ':' after a key, found \(describe(at: index))") }
            index += 1
            skipWhitespace()
            pairs.append((key: key, value: try value()))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
            } else if peek(UInt8(ascii: "}")) {
                index += 1
                depth -= 1
                return Node(.map(pairs), line: line)
            } else {
                throw error("expected ',' or '}', found \(describe(at: index))")
            }
        }
    }

    private mutating func array() throws(SyntaxError) -> Node {
        try enter()
        index += 1
        var items: [Node] = []
        // Lists in reviews are short (themes, findings, substances): room for four at once
        // spares most of them growing one step at a time.
        items.reserveCapacity(4)
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            depth -= 1
            return Node(.list(items), line: line)
        }
        while true {
            skipWhitespace()
            items.append(try value())
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
            } else if peek(UInt8(ascii: "]")) {
                index += 1
                depth -= 1
                return Node(.list(items), line: line)
            } else {
                throw error("expected ',' or ']', found \(describe(at: index))")
            }
        }
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested more than \(Self.maximumDepth) levels deep") }
    }

    /// A string; `index` is at the opening quote and ends after the closing one.
    private mutating func string() throws(SyntaxError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are the string.
        index = ByteScan.firstSpecial(in: bytes, from: index)
        if index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = KnownStrings.review.string(UnsafeBufferPointer(rebasing: bytes[start..<index])) ?? decode(start..<index)
                index += 1
                return text
            }
            if byte < 0x20 { throw error("a control character (byte \(byte)) inside a string; write it as an escape such as \\n") }
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: decode(start..<index).unicodeScalars)
        var runStart = index
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                scalars.append(contentsOf: decode(runStart..<index).unicodeScalars)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                scalars.append(contentsOf: decode(runStart..<index).unicodeScalars)
                scalars.append(try escape())
                runStart = index
            case 0..<0x20:
                throw error("a control character (byte \(byte)) inside a string; write it as an escape such as \\n")
            default:
                index = ByteScan.firstSpecial(in: bytes, from: index + 1)
            }
        }
        throw error("a string is not closed")
    }

    /// One escape sequence; `index` is at the backslash and ends after the sequence.
    private mutating func escape() throws(SyntaxError) -> Unicode.Scalar {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw error("a string is not closed") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hex4()
            if (0xD800..<0xDC00).contains(first) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    index = escapeStart
                    throw error("a \\u escape of half a surrogate pair")
                }
                index += 2
                let second = try hex4()
                guard (0xDC00..<0xE000).contains(second) else {
                    index = escapeStart
                    throw error("a \\u escape of half a surrogate pair")
                }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else {
                index = escapeStart
                throw error("a \\u escape of half a surrogate pair")
            }
            return scalar
        default:
            index = escapeStart
            throw error("an unknown escape \\\(describeByte(byte))")
        }
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("a \\u escape needs four hexadecimal digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number, kept as written: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws(SyntaxError) -> String {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        if peek(UInt8(ascii: "0")) {
            index += 1
        } else if try digits() == 0 {
            throw error("a number needs a digit")
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            if try digits() == 0 { throw error("a number needs a digit after the decimal point") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            if try digits() == 0 { throw error("a number needs a digit in its exponent") }
        }
        return decode(start..<index)
    }

    private mutating func digits() throws(SyntaxError) -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) else {
            throw error("unexpected \(describe(at: index))")
        }
        index += count
    }

    // MARK: Bytes

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    /// The text of a byte range; invalid UTF-8 is refused before parsing, so no repair happens.
    private func decode(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private func describe(at position: Int) -> String {
        position < bytes.count ? describeByte(bytes[position]) : "the end of the text"
    }

    private func describeByte(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
    }

    private func error(_ message: String) -> SyntaxError {
        var line = 1, lineStart = 0
        for position in 0..<min(index, bytes.count) where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return SyntaxError(message: message, line: line, column: index - lineStart + 1)
    }
}

/// Strings that every review file spells again and again, kept once: the field names, the
/// factor ids and the ids of the controlled lists. A string longer than 15 bytes is
/// allocated on its own, and a review holds about thirty such names (most factor ids
/// are longer): the parser hands out the one kept here instead, which is the same text.
struct KnownStrings: Sendable {
    /// Strings of up to 15 bytes are kept inside the `String` value and cost nothing to make.
    private static let shortest = 16, longest = 64
    /// The kept strings, and their positions found by their bytes.
    private let strings: [String]
    private let index: IDIndex

    init(_ strings: some Sequence<String>) {
        self.strings = strings.filter { (Self.shortest...Self.longest).contains($0.utf8.count) }
        index = IDIndex(self.strings)
    }

    /// The kept string with exactly these bytes, or nil.
    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count >= Self.shortest, bytes.count <= Self.longest else { return nil }
        return index.position(of: bytes).map { strings[$0] }
    }

    /// The names and ids of review files, from the standard catalogue.
    static let review = KnownStrings(
        ReviewReader.reviewKeys + ReviewReader.recommendationKeys + ReviewReader.actionKeys
            + Catalogue.standard.factors.map(\.id) + Catalogue.standard.lists.values.flatMap { $0.map(\.id) })
}

extension JSONValue {
    /// The value of a JSON text (a review as the audit trail keeps it), keys in their
    /// order; nil when the text is not JSON.
    static func parse(_ text: String) -> JSONValue? {
        guard let node = try? JSONParser.parse(text) else { return nil }
        func convert(_ node: Node) -> JSONValue {
            switch node.value {
            case .null: return .null
            case .scalar(let text, _): return .string(text)
            case .bool(let value): return .bool(value)
            case .number(let text): return Int(text).map(JSONValue.int) ?? Double(text).map(JSONValue.double) ?? .string(text)
            case .list(let items): return .array(items.map(convert))
            case .map(let pairs): return .object(pairs.map { ($0.key, convert($0.value)) })
            }
        }
        return convert(node)
    }
}
