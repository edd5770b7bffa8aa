import Foundation

/// What someone typed into `dus search`, turned into an FTS5 query.
///
/// Raw text never reaches `MATCH`: the query is read as words, "quoted phrases", `OR`
/// between two of them, `-word` to leave texts out, and `word*` for words that begin
/// so. Each word or phrase goes to FTS5 as a quoted string, so punctuation and FTS5's own
/// keywords are only ever text, and every query that reads here is valid FTS5. All the
/// words must occur in the same text; `OR` binds the two terms either side of it.
public struct SearchQuery: Sendable, Equatable {
    /// What was typed.
    public let text: String
    /// The FTS5 expression for `MATCH`.
    public let expression: String

    public init(_ text: String) throws(SearchQueryError) {
        self.text = text
        var groups: [[Term]] = []
        var exclusions: [Term] = []
        var orPending = false
        var afterExclusion = false
        for token in Self.tokens(of: text) {
            switch token {
            case .or:
                // OR joins the two terms beside it, and -word is not a term to look for.
                if orPending || groups.isEmpty || afterExclusion { throw .orWithoutTerm }
                orPending = true
            case .term(let term) where term.isExcluded:
                if orPending { throw .orWithoutTerm }
                exclusions.append(term)
                afterExclusion = true
            case .term(let term):
                afterExclusion = false
                if orPending {
                    groups[groups.count - 1].append(term)
                    orPending = false
                } else {
                    groups.append([term])
                }
            }
        }
        if orPending { throw .orWithoutTerm }
        if groups.isEmpty { throw exclusions.isEmpty ? .nothingToFind : .onlyExclusions }
        var expression = groups.map { group in
            group.count == 1 ? group[0].fts : "(" + group.map(\.fts).joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        // FTS5's NOT takes something on its left to leave texts out of.
        for term in exclusions { expression = "(" + expression + ") NOT " + term.fts }
        self.expression = expression
    }

    /// The single words looked for as they are (not in a phrase, not `word*`, not
    /// `-word`), in the order typed: the words a suggestion can stand in for.
    public var plainWords: [String] {
        Self.tokens(of: text).compactMap { token in
            guard case .term(let term) = token, !term.isPrefix, !term.isExcluded,
                  term.words.allSatisfy({ $0.isLetter }) else { return nil }
            return term.words
        }
    }

    struct Term {
        var words: String
        var isPrefix = false
        var isExcluded = false

        /// The term as an FTS5 string: inside double quotes (doubled to escape) the
        /// table's own tokenizer splits it, so `take-home` is the phrase "take home".
        var fts: String {
            "\"" + words.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (isPrefix ? " *" : "")
        }
    }

    enum Token {
        case term(Term)
        case or
    }

    /// Splits the query at white space, keeping "quoted phrases" whole. Terms with no
    /// letter or digit (a lone `?` or `-`) are dropped: there is nothing in them to find.
    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        var characters = Substring(text)
        while let first = characters.first {
            if first.isWhitespace {
                characters = characters.dropFirst()
                continue
            }
            var term = Term(words: "")
            if first == "-", characters.count > 1, !characters.dropFirst().first!.isWhitespace {
                term.isExcluded = true
                characters = characters.dropFirst()
            }
            if characters.first == "\"" {
                let rest = characters.dropFirst()
                let end = rest.firstIndex(of: "\"") ?? rest.endIndex
                term.words = String(rest[..<end])
                characters = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
                if characters.first == "*" {
                    term.isPrefix = true
                    characters = characters.drop { $0 == "*" }
                }
            } else {
                let end = characters.firstIndex(where: \.isWhitespace) ?? characters.endIndex
                var word = characters[..<end]
                characters = characters[end...]
                if word == "OR" && !term.isExcluded {
                    tokens.append(.or)
                    continue
                }
                if word.hasSuffix("*") {
                    term.isPrefix = true
                    while word.last == "*" { word = word.dropLast() }
                }
                term.words = String(word)
            }
            if term.words.contains(where: { $0.isLetter || $0.isNumber }) {
                tokens.append(.term(term))
            }
        }
        return tokens
    }
}

public enum SearchQueryError: LocalizedError, Equatable {
    case nothingToFind
    case onlyExclusions
    case orWithoutTerm

    public var errorDescription: String? {
        switch self {
        case .nothingToFind:
            return "the query has no word to look for; give one or more words, or a \"quoted phrase\""
        case .onlyExclusions:
            return "the query only leaves words out (-word); give a word to look for as well"
        case .orWithoutTerm:
            return "OR needs a word or \"phrase\" to look for on each side (not a -word), as in: naloxone OR overdose"
        }
    }
}
