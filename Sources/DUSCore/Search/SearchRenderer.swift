import Foundation

/// `dus search` output: JSON for scripts, and text that groups the hits by review.
public struct SearchRenderer {
    public let results: SearchResults

    public init(results: SearchResults) {
        self.results = results
    }

    /// `{"query", "total", "reviews", "limit", "results": [{reference, source, item, text,
    /// snippet, score, matches}]}`, best first; `total` and `reviews` count every match,
    /// `results` holds at most `limit` of them.
    public func json() -> JSONValue {
        .object([
            ("query", .string(results.query)),
            ("total", .int(results.matchingTexts)),
            ("reviews", .int(results.matchingReviews)),
            ("limit", results.limit.map(JSONValue.int) ?? .null),
            ("suggestions", .array(results.suggestions.map { .object([("word", .string($0.word)), ("did_you_mean", .array($0.alternatives.map(JSONValue.string)))]) })),
            ("results", .array(results.hits.map { hit in
                .object([
                    ("reference", .string(hit.reference)),
                    ("status", .string(hit.status.rawValue)),
                    ("source", .string(hit.source)),
                    ("item", .string(hit.item)),
                    ("text", .string(hit.text)),
                    ("snippet", .string(hit.snippet)),
                    ("score", .double(hit.score)),
                    ("matches", .array(hit.matches.map { .array([.int($0.lowerBound), .int($0.upperBound)]) })),
                ])
            })),
        ])
    }

    /// The hits grouped by review, the review with the best hit first; within a review,
    /// best first. `colour` shows matched words in bold instead of between `**`.
    public func text(colour: Bool) -> String {
        let hits = results.hits
        guard !hits.isEmpty else {
            let scope = results.isFiltered ? " in the reviews these filters select" : ""
            guard !results.suggestions.isEmpty else { return "No text matches \(results.query)\(scope).\n" }
            // The query again, each word with no match in its best suggestion's place.
            var out = "No text matches \(results.query)\(scope); did you mean \(SearchResults.corrected(results.query, results.suggestions))?"
            if !results.correctedMatches { out += " (each word is found, but not in one text together)" }
            // The best suggestion only; JSON lists up to three for each word.
            return out + "\n"
        }
        let verb = results.matchingTexts == 1 ? "matches" : "match"
        var out = TextBytes(capacity: hits.count * 160 + 256)
        out.append("\(counted(results.matchingTexts, "text")) in \(counted(results.matchingReviews, "review")) \(verb) \(results.query)")
        out.append(hits.count < results.matchingTexts
            ? "; the best \(hits.count) follow (--limit 0 shows all).\n"
            : ", best first.\n")
        var order: [String] = []
        var groups: [String: [Int]] = [:]
        for (index, hit) in hits.enumerated() {
            if groups[hit.reference] == nil { order.append(hit.reference) }
            groups[hit.reference, default: []].append(index)
        }
        // Read in place: copying a hit would retain and release its every string, and a
        // search can have 160,000 hits.
        hits.withUnsafeBufferPointer { hits in
            for reference in order {
                let group = groups[reference] ?? []
                out.append("\n")
                if colour { out.append("\u{1B}[1m") }
                Self.appendHeading(hits[group[0]], to: &out)
                if colour { out.append("\u{1B}[0m") }
                out.append("\n")
                for index in group {
                    out.append("  ")
                    Self.appendPlace(of: hits[index], to: &out)
                    out.append(": ")
                    out.append(display(hits[index].snippet, colour: colour))
                    out.append("\n")
                }
            }
        }
        return out.text
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// "LDN-2024-0021 (published)  death, November 2024, London", written into `out`.
    static func appendHeading(_ hit: SearchHit, to out: inout TextBytes) {
        out.append(hit.reference)
        out.append(" (")
        out.append(hit.status.rawValue)
        out.append(")  ")
        out.append(hit.kind.rawValue)
        out.append(", ")
        out.append(months[hit.eventDate.month - 1])
        out.append(" ")
        out.append(hit.eventDate.year)
        out.append(", ")
        out.append(hit.region)
    }

    /// Where a hit is, in words: "finding 2", "action A1 of recommendation R2".
    public static func place(of hit: SearchHit) -> String {
        var out = TextBytes(capacity: 64)
        appendPlace(of: hit, to: &out)
        return out.text
    }

    /// Where a hit is, in words, written into `out` (a search can have 160,000 hits):
    /// "summary", "finding 2", "learning point 1", "recommendation R2", "action A1 of
    /// recommendation R2", "action A1 of recommendation R2, update of 2026-02-03".
    static func appendPlace(of hit: SearchHit, to out: inout TextBytes) {
        // The ids between brackets, in order: `recommendations[R2].actions[A1].updates[3]`
        // gives R2, A1, 3.
        var ids: [Substring] = []
        let item = hit.item
        var index = item.startIndex
        while let open = item[index...].firstIndex(of: "["), let close = item[open...].firstIndex(of: "]") {
            ids.append(item[item.index(after: open)..<close])
            index = item.index(after: close)
        }
        switch (hit.source, ids.count) {
        case ("summary", _): out.append("summary")
        case ("finding", 1): out.append("finding "); out.append(ids[0])
        case ("learning", 1): out.append("learning point "); out.append(ids[0])
        case ("recommendation", 1): out.append("recommendation "); out.append(ids[0])
        case ("action", 2), ("action", 3):
            out.append("action ")
            out.append(ids[1])
            out.append(" of recommendation ")
            out.append(ids[0])
            if ids.count == 3 {
                if let date = hit.date {
                    out.append(", update of ")
                    out.append(date.description)
                } else {
                    out.append(", update ")
                    out.append(ids[2])
                }
            }
        default: out.append(item)
        }
    }

    /// Whether the text is already as `display` would make it: no white space but single
    /// spaces between words (nothing else that Unicode calls white space, no space at
    /// either end or two together). Most snippets are; checking the bytes is far quicker
    /// than splitting them.
    static func isOneLine(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return bytes.isEmpty }
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case 0x09...0x0D, 0x1C...0x1F: return false
                case 0x20 where bytes[index + 1] == 0x20: return false
                // U+0085, U+00A0; U+1680; U+2000–200A, 2028, 2029, 202F, 205F; U+3000.
                case 0xC2 where index + 1 < bytes.count && (bytes[index + 1] == 0x85 || bytes[index + 1] == 0xA0): return false
                case 0xE1 where index + 2 < bytes.count && bytes[index + 1] == 0x9A && bytes[index + 2] == 0x80: return false
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && ((0x80...0x8A).contains(bytes[index + 2]) || [0xA8, 0xA9, 0xAF].contains(bytes[index + 2])): return false
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x81 && bytes[index + 2] == 0x9F: return false
                case 0xE3 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80: return false
                default: break
                }
                index += 1
            }
            return true
        }
    }

    /// The snippet on one line, with matched words in bold on a terminal.
    private func display(_ snippet: String, colour: Bool) -> String {
        let line = Self.isOneLine(snippet) ? snippet : snippet.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard colour else { return line }
        var out = ""
        for (index, part) in line.components(separatedBy: "**").enumerated() {
            out += index % 2 == 1 ? "\u{1B}[1m\(part)\u{1B}[0m" : part
        }
        return out
    }
}
