/// The searchable texts of a stored review read straight from the bytes of its JSON
/// columns (`StoredParts`), in the order that numbers them in the search index (summary,
/// findings, learning points, then each recommendation followed by its actions, each
/// action followed by its updates), each with its place spelled like a field path.
///
/// `dus search --limit 0` needs the texts of most reviews: SQLite's JSON functions over
/// the view `search_text`, or the model's decoding of every part, are several times
/// slower than walking the JSON once and making only the texts.
/// Nil when a column is not what dus writes.
enum StoredTexts {
    struct Text {
        var source: String
        var item: String
        var text: String
        /// An action update's date, `YYYY-MM-DD`.
        var date: String? = nil
    }

    /// Every text; with `wanted`, only the texts whose numbers (from 0) it accepts are
    /// made, each with its number.
    static func texts(summary: String?, findings: String, learning: String, recommendations: String) -> [Text]? {
        var (findings, learning, recommendations) = (findings, learning, recommendations)
        return findings.withUTF8 { findings in
            learning.withUTF8 { learning in
                recommendations.withUTF8 { recommendations in
                    numberedTexts(summary: summary, findings: findings, learning: learning, recommendations: recommendations).map { $0.map(\.text) }
                }
            }
        }
    }

    /// The texts from the bytes of the stored columns.
    static func numberedTexts(
        summary: String?, findings: UnsafeBufferPointer<UInt8>, learning: UnsafeBufferPointer<UInt8>, recommendations: UnsafeBufferPointer<UInt8>,
        wanted: (Int) -> Bool = { _ in true }
    ) -> [(number: Int, text: Text)]? {
        var texts: [(number: Int, text: Text)] = []
        var number = 0
        func add(_ make: @autoclosure () -> Text) {
            if wanted(number) { texts.append((number, make())) }
            number += 1
        }
        if let summary { add(Text(source: "summary", item: "summary", text: summary)) }
        for (column, source) in [(findings, "finding"), (learning, "learning")] {
            var walker = JSONWalker(column)
            var position = 0
            let read = walker.items { walker in
                position += 1
                var text: String?
                guard walker.members({ key, walker in
                    if key == "text" { text = walker.string(); return text != nil }
                    return walker.skip()
                }), let text else { return false }
                add(Text(source: source, item: (source == "finding" ? "findings[" : "learning[") + String(position) + "]", text: text))
                return true
            }
            guard read, walker.isAtEnd else { return nil }
        }
        var walker = JSONWalker(recommendations)
        let read = walker.items { walker in
            var id: String?, text: String?
            var actions: [(id: String, text: String, notes: [(date: String?, note: String)])] = []
            let members = walker.members { key, walker in
                switch key {
                case "id": id = walker.string(); return id != nil
                case "text": text = walker.string(); return text != nil
                case "actions":
                    return walker.items { walker in
                        var actionID: String?, actionText: String?
                        var notes: [(date: String?, note: String)] = []
                        let read = walker.members { key, walker in
                            switch key {
                            case "id": actionID = walker.string(); return actionID != nil
                            case "text": actionText = walker.string(); return actionText != nil
                            case "updates":
                                // Every update has a note: one without is not what dus writes.
                                return walker.items { walker in
                                    var note: String?, date: String?
                                    guard walker.members({ key, walker in
                                        switch key {
                                        case "note": note = walker.string(); return note != nil
                                        case "date": date = walker.string(); return date != nil
                                        default: return walker.skip()
                                        }
                                    }), let note else { return false }
                                    notes.append((date, note))
                                    return true
                                }
                            default: return walker.skip()
                            }
                        }
                        guard read, let actionID, let actionText else { return false }
                        actions.append((actionID, actionText, notes))
                        return true
                    }
                default: return walker.skip()
                }
            }
            guard members, let id, let text else { return false }
            let place = "recommendations[" + id + "]"
            add(Text(source: "recommendation", item: place, text: text))
            for action in actions {
                add(Text(source: "action", item: place + ".actions[" + action.id + "]", text: action.text))
                for (index, update) in action.notes.enumerated() {
                    add(Text(source: "action", item: place + ".actions[" + action.id + "].updates[" + String(index + 1) + "]", text: update.note, date: update.date))
                }
            }
            return true
        }
        guard read, walker.isAtEnd else { return nil }
        return texts
    }
}

/// A reader of JSON text that walks its structure without building it: arrays item by
/// item, objects member by member, and strings made only when asked for. Each method
/// returns false (or nil) at anything that is not JSON.
struct JSONWalker {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// How deep in arrays and objects the walker is: deeper than the parser allows is
    /// refused rather than risking the stack.
    private var depth = 0

    /// A walker over bytes that stay valid while it is used.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Runs `body` with a walker over the UTF-8 of `text`.
    static func reading<T>(_ text: String, _ body: (inout JSONWalker) -> T) -> T {
        var text = text
        return text.withUTF8 { bytes in
            var walker = JSONWalker(bytes)
            return body(&walker)
        }
    }

    var isAtEnd: Bool {
        var copy = self
        copy.skipSpace()
        return copy.index == bytes.count
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Calls `body` at each item of an array; false when it is not one or `body` says so.
    mutating func items(_ body: (inout JSONWalker) -> Bool) -> Bool {
        guard depth < JSONParser.maximumDepth, take(UInt8(ascii: "[")) else { return false }
        depth += 1
        defer { depth -= 1 }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard body(&self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// Calls `body` with the key of each member of an object, the walker at its value.
    mutating func members(_ body: (String, inout JSONWalker) -> Bool) -> Bool {
        guard depth < JSONParser.maximumDepth, take(UInt8(ascii: "{")) else { return false }
        depth += 1
        defer { depth -= 1 }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), body(key, &self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// A string value, its escapes undone; nil for any other value (null included).
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
        }
        // Escapes: the string from its opening quote goes through the full parser.
        index = start - 1
        guard let end = stringEnd(), let node = try? JSONParser.parse(String(decoding: UnsafeBufferPointer(rebasing: bytes[(start - 1)..<end]), as: UTF8.self)),
              case .scalar(let text, _) = node.value else { return nil }
        index = end
        return text
    }

    /// Where the string at `index` (its opening quote) ends, after its closing quote.
    private func stringEnd() -> Int? {
        var at = index + 1
        while at < bytes.count {
            switch bytes[at] {
            case UInt8(ascii: "\""): return at + 1
            case UInt8(ascii: "\\"): at += 2
            default: at += 1
            }
        }
        return nil
    }

    /// Steps over one value of any kind.
    mutating func skip() -> Bool {
        skipSpace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            guard let end = stringEnd() else { return false }
            index = end
            return true
        case UInt8(ascii: "["): return items { $0.skip() }
        case UInt8(ascii: "{"): return members { _, walker in walker.skip() }
        default:
            // A number, true, false or null: up to the next delimiter.
            let start = index
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
            return index > start
        }
    }
}
