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
            ("results", .array(results.hits.map { hit in
                .object([
                    ("reference", .string(hit.reference)),
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
        guard !hits.isEmpty else { return "No text matches \(results.query).\n" }
        let verb = results.matchingTexts == 1 ? "matches" : "match"
        var out = "\(counted(results.matchingTexts, "text")) in \(counted(results.matchingReviews, "review")) \(verb) \(results.query)"
        out += hits.count < results.matchingTexts
            ? "; the best \(hits.count) follow (--limit 0 shows all).\n"
            : ", best first.\n"
        var order: [String] = []
        var groups: [String: [SearchHit]] = [:]
        for hit in hits {
            if groups[hit.reference] == nil { order.append(hit.reference) }
            groups[hit.reference, default: []].append(hit)
        }
        for reference in order {
            let group = groups[reference]!
            let first = group[0]
            let heading = "\(reference)  \(first.kind.rawValue), \(first.eventDate), \(first.region)"
            out += "\n" + (colour ? "\u{1B}[1m\(heading)\u{1B}[0m" : heading) + "\n"
            for hit in group {
                out += "  \(hit.item): \(display(hit.snippet, colour: colour))\n"
            }
        }
        return out
    }

    /// The snippet on one line, with matched words in bold on a terminal.
    private func display(_ snippet: String, colour: Bool) -> String {
        let line = snippet.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard colour else { return line }
        var out = ""
        for (index, part) in line.components(separatedBy: "**").enumerated() {
            out += index % 2 == 1 ? "\u{1B}[1m\(part)\u{1B}[0m" : part
        }
        return out
    }
}
