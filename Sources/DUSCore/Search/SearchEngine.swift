import Foundation

/// One text that matched a search: its review, place, text, snippet and rank, as the
/// store found it.
public typealias SearchHit = StoredHit

extension SearchHit {
    /// Higher is better: FTS5's BM25 rank negated, to six significant digits. A word found
    /// in more than half of all texts adds almost nothing (BM25 gives it no weight).
    /// Worked out when asked for (text output shows neither this nor `matches`).
    public var score: Double { Double(String(format: "%.6g", -rank)) ?? -rank }

    /// The matched words as ranges of Unicode code points in `text`, end exclusive
    /// (Python's `text[start:end]`); empty when the search was asked without matches.
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
    /// Whether filters narrowed the search (a message with no hit says so).
    public var isFiltered = false
    /// Whether the query with each best suggestion in place finds a text.
    public var correctedMatches = true

    /// The query as typed, each suggested-for word replaced by its best suggestion.
    public static func corrected(_ query: String, _ suggestions: [Suggestion]) -> String {
        var words = query.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for suggestion in suggestions {
            if let place = words.firstIndex(of: suggestion.word), let best = suggestion.alternatives.first { words[place] = best }
        }
        return words.joined(separator: " ")
    }

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
    /// `limit` of them (nil for all). Without `matches`, the hits' `matches` are left
    /// empty (text output shows only snippets; working matches out is a third of the
    /// marking's work).
    public func search(
        _ query: SearchQuery, matching filter: ReviewFilter = ReviewFilter(), limit: Int? = nil, matches: Bool = true, snippetMarker: String = "**"
    ) throws -> SearchResults {
        let marking = HitMarking(start: Self.start, end: Self.end, snippetMarker: snippetMarker, highlights: matches)
        let found = try store.searchHits(query.expression, matching: filter, limit: limit, marking: marking)
        let hits = found.hits
        var results = SearchResults(query: query.text, hits: hits, matchingTexts: found.matchingTexts, matchingReviews: found.matchingReviews, limit: limit)
        results.isFiltered = filter != ReviewFilter()
        if hits.isEmpty {
            let suggestions = try suggestions(for: query, matching: filter).map { SearchResults.Suggestion(word: $0.word, alternatives: $0.suggestions) }
            results.suggestions = suggestions
            // Each word suggested has hits; whether they are found together is said.
            if let corrected = try? SearchQuery(SearchResults.corrected(query.text, suggestions)), !suggestions.isEmpty {
                results.correctedMatches = try store.searchHits(corrected.expression, matching: filter, limit: 1).matchingTexts > 0
            }
        }
        return results
    }

    /// For each plain word of the query (each once, the first three) that matches no text
    /// under the filter, the
    /// closest words of the index's own vocabulary that do (edit distance 1 or 2), most
    /// frequent first, at most three. The index keeps stems (`naloxon`); each is shown as
    /// the full word its texts use most (`naloxone`), and only words with hits under the
    /// same filter are suggested (decisions #10).
    public func suggestions(for query: SearchQuery, matching filter: ReviewFilter = ReviewFilter()) throws -> [(word: String, suggestions: [String])] {
        var result: [(word: String, suggestions: [String])] = []
        // Each costs a look through the vocabulary and a dozen searches.
        var seen = Set<String>()
        for word in query.plainWords.filter({ seen.insert($0.lowercased()).inserted }).prefix(3) {
            let single = try SearchQuery("\"" + word + "\"")
            guard try store.searchHits(single.expression, matching: filter, limit: 1).matchingTexts == 0 else { continue }
            let lower = word.lowercased()
            let vocabulary = try store.searchVocabulary(lengths: max(1, lower.count - 6)...(lower.count + 2))
            // Stems near the word, the nearest and most used first; a few are looked up. A
            // stem is shorter than its words (`safeguard` for `safeguarding`): it is also
            // compared with the word's beginning.
            let near = vocabulary.compactMap { entry -> (term: String, texts: Int, distance: Int)? in
                var distance = Self.editDistance(lower, entry.term)
                if entry.term.count >= 4 {
                    for length in (entry.term.count - 1)...(entry.term.count + 1) where length < lower.count {
                        distance = min(distance, Self.editDistance(String(lower.prefix(length)), entry.term))
                    }
                }
                return distance <= 2 || Self.editDistance(lower, entry.term) <= 3 ? (entry.term, entry.texts, distance) : nil
            }.sorted { ($0.distance, -$0.texts, $0.term) < ($1.distance, -$1.texts, $1.term) }.prefix(12)
            var found: [(word: String, hits: Int, distance: Int)] = []
            for stem in near {
                guard let full = try fullWords(of: stem.term, matching: filter) else { continue }
                // The stem's most used full word that is within 2 edits of what was typed.
                guard let word = full.words.first(where: { Self.editDistance(lower, $0) <= 2 && $0 != lower }),
                      !found.contains(where: { $0.word == word }) else { continue }
                found.append((word, full.hits, Self.editDistance(lower, word)))
            }
            // Most used first (then the nearer).
            let best = found.sorted { ($0.hits, -$0.distance, $1.word) > ($1.hits, -$1.distance, $0.word) }.prefix(3).map(\.word)
            if !best.isEmpty { result.append((word, best)) }
        }
        return result
    }

    /// The full words the texts holding `stem` use for it, most used first (decisions #10):
    /// words that begin with the stem (else with all of it but its last letter, as some
    /// of Porter's stems end otherwise than their words); with how many texts under the
    /// filter hold the stem; nil when none does.
    private func fullWords(of stem: String, matching filter: ReviewFilter) throws -> (words: [String], hits: Int)? {
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
        let whole = counts.filter { $0.key.hasPrefix(stem) }
        let words = (whole.isEmpty ? counts : whole).sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        return (words.isEmpty ? [stem] : words, found.matchingTexts)
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
