import Foundation

/// One text that matched a search.
public struct SearchHit: Sendable, Equatable {
    public var reference: String
    /// The review's status: a hit in a draft may change before it is published.
    public var status: Status
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
    /// An action update's date.
    public var date: Day?
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
    /// With no hit, the words of the index closest to each word of the query that
    /// matches nothing (`SearchEngine.suggestions`).
    public var suggestions: [Suggestion] = []

    public struct Suggestion: Sendable, Equatable {
        public var word: String
        public var alternatives: [String]
    }
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
                reference: hit.reference, status: hit.status, kind: hit.kind, eventDate: hit.eventDate, region: hit.region, source: hit.source,
                item: hit.item, text: hit.text, date: hit.date, snippet: marked[index].snippet, rank: hit.rank,
                highlighted: marked[index].highlighted)
        }
        var results = SearchResults(query: query.text, hits: hits, matchingTexts: found.matchingTexts, matchingReviews: found.matchingReviews, limit: limit)
        if hits.isEmpty {
            results.suggestions = try suggestions(for: query, matching: filter).map { SearchResults.Suggestion(word: $0.word, alternatives: $0.suggestions) }
        }
        return results
    }

    /// For each plain word of the query that matches no text under the filter, the
    /// closest words of the index's own vocabulary that do (edit distance 1 or 2: those
    /// at the smallest distance found), most frequent first, at most three. The index keeps stems (`naloxon`); each is shown as
    /// the full word its texts use most (`naloxone`), and only words with hits under the
    /// same filter are suggested (decisions #10).
    public func suggestions(for query: SearchQuery, matching filter: ReviewFilter = ReviewFilter()) throws -> [(word: String, suggestions: [String])] {
        var result: [(word: String, suggestions: [String])] = []
        for word in query.plainWords {
            let single = try SearchQuery("\"" + word + "\"")
            guard try store.searchHits(single.expression, matching: filter, limit: 1).matchingTexts == 0 else { continue }
            let lower = word.lowercased()
            let vocabulary = try store.searchVocabulary(lengths: max(1, lower.count - 3)...(lower.count + 2))
            // Stems near the word, the nearest and most used first; a few are looked up.
            let near = vocabulary.compactMap { entry -> (term: String, texts: Int, distance: Int)? in
                let distance = Self.editDistance(lower, entry.term)
                return distance <= 3 ? (entry.term, entry.texts, distance) : nil
            }.sorted { ($0.distance, -$0.texts, $0.term) < ($1.distance, -$1.texts, $1.term) }.prefix(8)
            var found: [(word: String, hits: Int, distance: Int)] = []
            for stem in near {
                guard let full = try fullWord(of: stem.term, near: lower, matching: filter) else { continue }
                let distance = Self.editDistance(lower, full.word)
                guard distance <= 2, full.word != lower, !found.contains(where: { $0.word == full.word }) else { continue }
                found.append((full.word, full.hits, distance))
            }
            // The nearest words only, the most used first.
            let nearest = found.map(\.distance).min()
            let best = found.filter { $0.distance == nearest }.sorted { ($0.hits, $1.word) > ($1.hits, $0.word) }.prefix(3).map(\.word)
            if !best.isEmpty { result.append((word, best)) }
        }
        return result
    }

    /// The word the texts holding `stem` use for it (a word that begins with the stem, or
    /// with all of it but its last letter, as Porter's stems do): of those, the nearest to
    /// `typed`, then the most used; with how many texts under the filter hold the stem;
    /// nil when none does.
    private func fullWord(of stem: String, near typed: String, matching filter: ReviewFilter) throws -> (word: String, hits: Int)? {
        // As a prefix: FTS5 would stem a whole word again (`releas` to `relea`), not a prefix.
        guard let query = try? SearchQuery("\"" + stem + "\"*") else { return nil }
        let found = try store.searchHits(query.expression, matching: filter, limit: 50)
        guard found.matchingTexts > 0 else { return nil }
        let root = stem.count > 3 ? String(stem.dropLast()) : stem
        var counts: [String: Int] = [:]
        for hit in found.hits {
            for word in hit.text.lowercased().split(whereSeparator: { !$0.isLetter }) where word.hasPrefix(root) {
                counts[String(word), default: 0] += 1
            }
        }
        let word = counts.map { (word: $0.key, count: $0.value, distance: Self.editDistance(typed, $0.key)) }
            .min { ($0.distance, -$0.count, $0.word) < ($1.distance, -$1.count, $1.word) }?.word ?? stem
        return (word, found.matchingTexts)
    }

    /// The optimal string alignment distance: insertions, deletions, substitutions and
    /// swaps of two neighbouring letters each count 1.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
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
