import Foundation
import GRDB

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
    /// Higher is better: FTS5's BM25 rank negated, to six significant digits. A word found
    /// in more than half of all texts adds almost nothing (BM25 gives it no weight).
    public var score: Double
    /// The matched words as ranges of Unicode code points in `text`, end exclusive
    /// (Python's `text[start:end]`).
    public var matches: [Range<Int>]
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
        let (clause, filterArguments) = store.sqlCondition(for: filter)
        let arguments = StatementArguments([query.expression] + filterArguments)
        // A text's review is its row id shifted right by 20 (`Schema.createContentlessSearch`):
        // the ranking and the counts need only the index, and the review row for a filter.
        let shift = Int64(Schema.searchTextIDs.trailingZeroBitCount)
        let reviewOfText = "(search.rowid >> \(shift))"
        let from = filter == ReviewFilter()
            ? "FROM search WHERE search MATCH ?"
            : "FROM search JOIN review ON review.id = \(reviewOfText) WHERE search MATCH ? AND \(clause)"
        return try store.read { db in
            let counts = try Row.fetchOne(db, sql: "SELECT count(*), count(DISTINCT \(reviewOfText)) \(from)", arguments: arguments)
            // Ranked by `dus_bm25`: FTS5's bm25 with the texts' lengths from `search_size`
            // (`Schema.keepTextLengths`). Called here rather than as FTS5's `rank`, so
            // that its error, should a length be missing, reaches the user whole.
            let ranked = try Row.fetchAll(
                db, sql: "SELECT search.rowid, dus_bm25(search) AS score \(from) ORDER BY score, search.rowid LIMIT ?",
                arguments: arguments + [limit ?? -1]).map { (id: $0[0] as Int64, rank: $0[1] as Double) }
            // The texts of the hits come from their reviews' rows: the index keeps no copy.
            let reviewIDs = Set(ranked.map { $0.id >> shift }).sorted()
            var texts: [Int64: Row] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT texts.id, texts.source, texts.item, texts.text, review.reference, review.kind, review.event_date, review.region
                FROM (\(Schema.searchTexts(ofReviewsWhere: "review.id IN (SELECT value FROM json_each(?1))"))) AS texts
                JOIN review ON review.id = texts.review_id
                WHERE texts.id IN (SELECT value FROM json_each(?2))
                """, arguments: [reviewIDs.description, ranked.map(\.id).description])
            while let row = try rows.next() { texts[row["id"]] = row.copy() }
            let found = try ranked.map { hit in
                guard let row = texts[hit.id] else {
                    throw StoreError.damaged(reference: "review row \(hit.id >> shift)",
                                             column: "search index", problem: "it holds a text the review does not have; run dus doctor")
                }
                return (row: row, text: row["text"] as String, rank: hit.rank)
            }
            let marked = try Self.marked(found.map(\.text), matching: query.expression)
            let hits = found.enumerated().map { index, hit in
                SearchHit(
                    reference: hit.row["reference"], kind: Kind(rawValue: hit.row["kind"])!, eventDate: Day(hit.row["event_date"] as String)!,
                    region: hit.row["region"], source: hit.row["source"], item: hit.row["item"], text: hit.text,
                    snippet: Self.marked(marked[index].snippet, with: "**"),
                    score: Double(String(format: "%.6g", -hit.rank)) ?? -hit.rank,
                    matches: Self.ranges(in: marked[index].highlighted, of: hit.text))
            }
            return SearchResults(
                query: query.text, hits: hits, matchingTexts: counts?[0] ?? 0, matchingReviews: counts?[1] ?? 0, limit: limit)
        }
    }

    /// FTS5's snippet (a few words around the best match) and highlight (the whole text)
    /// of each text, matches between `start` and `end`.
    ///
    /// The store's index keeps no copy of its texts, so FTS5 cannot make these from it:
    /// the texts are indexed again, alone, in a private in-memory table with the same
    /// tokenizer, and the same query marks them there as it would have in the store.
    static func marked(_ texts: [String], matching expression: String) throws -> [(snippet: String, highlighted: String)] {
        guard !texts.isEmpty else { return [] }
        let scratch = try DatabaseQueue()
        return try scratch.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE hit USING fts5 (text, tokenize = '\(Schema.searchTokenizer)')")
            try db.execute(sql: "INSERT INTO hit (rowid, text) SELECT key, value FROM json_each(?)",
                           arguments: [StoredParts.list(texts)])
            var marked = texts.map { (snippet: $0, highlighted: $0) }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT rowid, snippet(hit, 0, '\(start)', '\(end)', '…', 20), highlight(hit, 0, '\(start)', '\(end)')
                FROM hit WHERE hit MATCH ?
                """, arguments: [expression])
            while let row = try rows.next() {
                marked[row[0]] = (row[1], row[2])
            }
            return marked
        }
    }

    // Control characters mark the matches in FTS5's output. Review texts hardly ever hold
    // them; `ranges(in:of:)` checks that none was there, and `marked` is only for display.
    static let start = "\u{2}"
    static let end = "\u{3}"

    static func marked(_ text: String, with marker: String) -> String {
        text.replacingOccurrences(of: start, with: marker).replacingOccurrences(of: end, with: marker)
    }

    /// The marked ranges of `highlighted`, in code points of the unmarked text. Empty when
    /// the text itself held a marker character, rather than ranges that would be wrong.
    static func ranges(in highlighted: String, of text: String) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var offset = 0
        var opened: Int?
        var plain = String.UnicodeScalarView()
        for scalar in highlighted.unicodeScalars {
            switch scalar {
            case "\u{2}": opened = offset
            case "\u{3}":
                if let start = opened { ranges.append(start..<offset) }
                opened = nil
            default:
                plain.append(scalar)
                offset += 1
            }
        }
        return String(plain) == text ? ranges : []
    }
}
