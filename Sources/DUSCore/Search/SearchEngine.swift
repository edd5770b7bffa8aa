import Foundation

/// One text that matched a search.
public struct SearchHit: Sendable, Equatable {
    public var reference: String
    public var kind: Kind
    public var eventDate: Day
    public var region: String
    /// `summary`, `finding`, `learning`, `recommendation` or `action` (an action's text
    /// or one of its updates).
    public var source: String
    /// Where the text sits in the review, spelled like a field path in an error message:
    /// `summary`, `findings[2]`, `recommendations[R1].actions[A1].updates[1]`.
    public var item: String
    public var text: String
    /// A few words around the best match, matched words between `**`.
    public var snippet: String
    /// BM25 as FTS5 works it out: lower is better.
    public var rank: Double
    /// The whole text with the matched words between the marker characters.
    var highlighted: String

    /// Higher is better: FTS5's BM25 rank negated, to six significant digits. A word found
    /// in more than half of all texts adds almost nothing (BM25 gives it no weight).
    /// Worked out when asked for (text output shows neither this nor `matches`).
    public var score: Double { Double(String(format: "%.6g", -rank)) ?? -rank }

    /// The matched words as ranges of Unicode code points in `text`, end exclusive
    /// (Python's `text[start:end]`).
    public var matches: [Range<Int>] { SearchEngine.ranges(in: highlighted, of: text) }
}

/// The answer to a search: the best hits, and how many texts and reviews matched in all.
public struct SearchResults: Sendable, Equatable {
    public var query: String
    public var hits: [SearchHit]
    public var matchingTexts: Int
    public var matchingReviews: Int
    /// The most hits asked for; nil for all.
    public var limit: Int?
}

/// `dus search`: full-text search over every text of the reviews a filter selects.
public struct SearchEngine {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// The texts matching `query` in reviews matching `filter`, best first, at most
    /// `limit` of them (nil for all).
    public func search(_ query: SearchQuery, matching filter: ReviewFilter = ReviewFilter(), limit: Int? = nil) throws -> SearchResults {
        let found = try store.searchHits(query.expression, matching: filter, limit: limit)
        let marked = try Store.marked(found.hits.map(\.text), matching: query.expression, start: Self.start, end: Self.end, snippetMarker: "**")
        let hits = found.hits.enumerated().map { index, hit in
            SearchHit(
                reference: hit.reference, kind: hit.kind, eventDate: hit.eventDate, region: hit.region, source: hit.source,
                item: hit.item, text: hit.text, snippet: marked[index].snippet, rank: hit.rank,
                highlighted: marked[index].highlighted)
        }
        return SearchResults(query: query.text, hits: hits, matchingTexts: found.matchingTexts, matchingReviews: found.matchingReviews, limit: limit)
    }

    // Control characters mark the matches in FTS5's highlight. Review texts hardly ever
    // hold them; `ranges(in:of:)` checks that none was there.
    static let start = "\u{2}"
    static let end = "\u{3}"

    /// The marked ranges of `highlighted`, in code points of the unmarked text. Empty when
    /// the text itself held a marker character, rather than ranges that would be wrong.
    static func ranges(in highlighted: String, of text: String) -> [Range<Int>] {
        var text = text
        // A text without a marker byte is what the highlight is, less its markers (FTS5
        // only adds them); checking its bytes spares rebuilding it from the highlight.
        let holdsMarker = text.withUTF8 { $0.contains(0x02) || $0.contains(0x03) }
        if holdsMarker { return [] }
        var ranges: [Range<Int>] = []
        var offset = 0
        var opened: Int?
        var highlighted = highlighted
        highlighted.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case 0x02: opened = offset
                case 0x03:
                    if let start = opened { ranges.append(start..<offset) }
                    opened = nil
                // Code points are counted at their first byte (not a continuation byte).
                case 0x80...0xBF: break
                default: offset += 1
                }
            }
        }
        return ranges
    }
}
