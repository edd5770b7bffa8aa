import Foundation
import GRDB
import Testing
@testable import DUSCore

/// `dus search`: the query language, what is found and where, ranking, filters, and an
/// index that stays right as reviews are imported, replaced and deleted.
@Suite struct SearchTests {
    static func review(_ reference: String, kind: Kind = .death, summary: String? = nil, findings: [String] = [], learning: [String] = []) -> Review {
        var review = Review(reference: reference, kind: kind, eventDate: Day("2025-03-01")!, region: "Wales", supervision: .licence)
        review.summary = summary
        review.findings = findings.map { Note(text: $0, themes: []) }
        review.learning = learning.map { Note(text: $0, themes: []) }
        return review
    }

    static func fixture() throws -> Store {
        let store = try Store(inMemory: .standard)
        var withActions = review("S-3", kind: .nearMiss, summary: "Found in a hostel bathroom and revived.")
        var recommendation = Recommendation(id: "R1", text: "Hold naloxone kits at court.", to: "Courts", response: .agreed)
        var action = Action(id: "A1", text: "Agree a stock list with the court manager.", owner: "Head of Healthcare", targetDate: Day("2025-09-30")!)
        action.updates = [ActionUpdate(date: Day("2025-06-01")!, note: "Naloxone stock now held in the cells.")]
        recommendation.actions = [action]
        withActions.recommendations = [recommendation]
        let reviews = [
            review("S-1", summary: "Released on a Friday afternoon to temporary accommodation.",
                   findings: ["No take-home naloxone was handed over on release.", "The treatment service was not told of the release date."],
                   learning: ["Ask about tolerance at the first appointment."]),
            review("S-2", findings: ["Naloxone naloxone naloxone: every kit had expired."],
                   learning: ["Check the naloxone kit at every visit, and replace it when it has expired or been used up."]),
            withActions,
        ]
        try store.write { db in
            for review in reviews { try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        }
        return store
    }

    func search(_ store: Store, _ text: String, filter: ReviewFilter = ReviewFilter(), limit: Int? = nil) throws -> SearchResults {
        try SearchEngine(store: store).search(SearchQuery(text), matching: filter, limit: limit)
    }

    // MARK: The query language

    @Test func wordsPhrasesOrExclusionAndPrefixBecomeQuotedFTS5() throws {
        #expect(try SearchQuery("naloxone release").expression == #""naloxone" AND "release""#)
        #expect(try SearchQuery(#""take-home naloxone" friday"#).expression == #""take-home naloxone" AND "friday""#)
        #expect(try SearchQuery("hostel OR bathroom revived").expression == #"("hostel" OR "bathroom") AND "revived""#)
        #expect(try SearchQuery("naloxone -expired -court").expression == #"(("naloxone") NOT "expired") NOT "court""#)
        #expect(try SearchQuery("releas*").expression == #""releas" *"#)
        // FTS5's own words and punctuation are only text.
        #expect(try SearchQuery(#"NEAR AND say "hi"#).expression == #""NEAR" AND "AND" AND "say" AND "hi""#)
        #expect(try SearchQuery(#"what about "friday" releases?"#).expression == #""what" AND "about" AND "friday" AND "releases?""#)
    }

    @Test func queriesWithNothingToFindAreRefusedWithAReason() {
        #expect(throws: SearchQueryError.nothingToFind) { try SearchQuery("  ? - ! ") }
        #expect(throws: SearchQueryError.onlyExclusions) { try SearchQuery("-naloxone") }
        #expect(throws: SearchQueryError.orWithoutTerm) { try SearchQuery("OR naloxone") }
        #expect(throws: SearchQueryError.orWithoutTerm) { try SearchQuery("naloxone OR") }
        #expect(throws: SearchQueryError.orWithoutTerm) { try SearchQuery("naloxone OR OR kit") }
        // -kit is not something to look for: OR cannot join it to court.
        #expect(throws: SearchQueryError.orWithoutTerm) { try SearchQuery("naloxone -kit OR court") }
    }

    // MARK: What is found

    @Test func everyKindOfTextIsFoundWithItsSourceAndPlace() throws {
        let store = try Self.fixture()
        let places = try Set(search(store, "naloxone").hits.map { "\($0.reference) \($0.source) \($0.item)" })
        #expect(places == [
            "S-1 finding findings[1]",
            "S-2 finding findings[1]", "S-2 learning learning[1]",
            "S-3 recommendation recommendations[R1]",
            "S-3 action recommendations[R1].actions[A1].updates[1]",
        ])
        #expect(try search(store, "hostel").hits.map(\.item) == ["summary"])
        #expect(try search(store, "manager").hits.map(\.item) == ["recommendations[R1].actions[A1]"])
    }

    @Test func wordsAreStemmedAndMustAllOccurInOneText() throws {
        let store = try Self.fixture()
        // "releases" finds "Released" and "release".
        #expect(try search(store, "releases").hits.map(\.item).sorted() == ["findings[1]", "findings[2]", "summary"])
        #expect(try search(store, "naloxone release").hits.map(\.item) == ["findings[1]"])
        #expect(try search(store, "naloxone friday").hits.isEmpty)
        #expect(try search(store, "naloxone -expired").hits.map(\.reference).sorted() == ["S-1", "S-3", "S-3"])
        #expect(try search(store, #""kit had expired""#).hits.map(\.reference) == ["S-2"])
        #expect(try search(store, "treat*").hits.map(\.item) == ["findings[2]"])
    }

    @Test func aShortTextThatSaysTheWordMostRanksFirstAndScoresFallInOrder() throws {
        let results = try search(Self.fixture(), "naloxone")
        #expect(results.hits.first?.text == "Naloxone naloxone naloxone: every kit had expired.")
        #expect(results.hits.map(\.score) == results.hits.map(\.score).sorted(by: >))
        #expect(results.hits.allSatisfy { $0.score >= 0 })
    }

    @Test func matchesAreTheCodePointRangesOfTheMatchedWords() throws {
        let hit = try #require(search(Self.fixture(), "naloxone").hits.first { $0.reference == "S-1" })
        let scalars = Array(hit.text.unicodeScalars)
        let matched = hit.matches.map { String(String.UnicodeScalarView(scalars[$0])) }
        #expect(matched == ["naloxone"])
        #expect(hit.snippet.contains("**naloxone**"))
        // Before the match, a character outside ASCII: ranges count code points, not bytes.
        let store = try Store(inMemory: .standard)
        try store.write { db in try store.insert(Self.review("S-9", findings: ["Café staff gave naloxone."]), db, now: "2026-01-01T00:00:00Z") }
        let accented = try #require(search(store, "naloxone").hits.first)
        #expect(accented.matches == [16..<24])
        // Diacritics are ignored: "cafe" finds "Café".
        #expect(try search(store, "cafe").hits.count == 1)
    }

    @Test func filtersNarrowAndTheLimitKeepsTheCountOfEverything() throws {
        let store = try Self.fixture()
        var nearMisses = ReviewFilter()
        nearMisses.kind = .nearMiss
        let narrowed = try search(store, "naloxone", filter: nearMisses, limit: 1)
        #expect(narrowed.hits.map(\.reference) == ["S-3"])
        #expect(narrowed.matchingTexts == 2 && narrowed.matchingReviews == 1)
        let limited = try search(store, "naloxone", limit: 2)
        #expect(limited.hits.count == 2)
        #expect(limited.matchingTexts == 5)
        #expect(limited.matchingReviews == 3)
        let none = try search(store, "methadone")
        #expect(none.hits.isEmpty && none.matchingTexts == 0)
    }

    /// A limited search counts every match as it ranks them (`DusRankCounts`); the counts
    /// must be those of the whole list, under every filter and for every kind of query.
    @Test func theCountsOfALimitedSearchAreThoseOfTheWholeMatch() throws {
        let folder = Scratch.root.appendingPathComponent("dus-search-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("synthetic.jsonl").path
        try SyntheticWriter(count: 400, seed: 11).write(to: data)
        let store = try Store(path: folder.appendingPathComponent("dus.sqlite").path)
        _ = try Importer(store: store, today: Day("2026-11-22")!).run(paths: [data])
        var deaths = ReviewFilter()
        deaths.kind = .death
        var london = ReviewFilter()
        london.region = "London"
        var published = ReviewFilter()
        published.status = .published
        var checked = 0
        for query in ["naloxone", "release OR prison", "\"take-home naloxone\"", "treat*", "naloxone -friday", "hostel"] {
            for filter in [ReviewFilter(), deaths, london, published] {
                let all = try search(store, query, filter: filter)
                #expect(all.matchingTexts == all.hits.count)
                #expect(all.matchingReviews == Set(all.hits.map(\.reference)).count)
                for limit in [1, 20] {
                    let some = try search(store, query, filter: filter, limit: limit)
                    #expect(some.hits.count == min(limit, all.hits.count), "\(query) \(limit)")
                    #expect(some.matchingTexts == all.matchingTexts, "\(query) \(limit)")
                    #expect(some.matchingReviews == all.matchingReviews, "\(query) \(limit)")
                    #expect(some.hits.map(\.item) == all.hits.prefix(limit).map(\.item), "\(query) \(limit)")
                }
                if all.matchingTexts > 0 { checked += 1 }
            }
        }
        #expect(checked >= 16)
    }

    // MARK: The index stays right

    /// The doctor's check: the index is whole and holds exactly the texts of `search_text`.
    func checkIndex(_ store: Store) throws {
        let check = try #require(try store.checkHealth().first { $0.name == "search index" })
        #expect(check.findings == [])
    }

    @Test func importReplaceAndDeleteKeepTheIndexInStep() throws {
        let folder = Scratch.root.appendingPathComponent("dus-search-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("dus.sqlite").path)
        let writer = ReviewWriter(catalogue: .standard)
        func file(_ name: String, _ reviews: [Review]) throws -> String {
            let url = folder.appendingPathComponent(name)
            try reviews.map { writer.json($0).serialized() }.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let importer = Importer(store: store, today: Day("2026-11-22")!)
        _ = try importer.run(paths: [file("first.jsonl", [Self.review("I-1", findings: ["The hostel had no naloxone."])])])
        // A second import, into a database that already holds reviews.
        _ = try importer.run(paths: [file("second.jsonl", [Self.review("I-2", findings: ["Naloxone was carried by a friend."])])])
        #expect(try search(store, "naloxone").hits.map(\.reference).sorted() == ["I-1", "I-2"])
        _ = try importer.run(paths: [file("third.jsonl", [Self.review("I-1", findings: ["The hostel held no kits."])])], options: ImportOptions(replace: true))
        #expect(try search(store, "naloxone").hits.map(\.reference) == ["I-2"])
        #expect(try search(store, "kits").hits.map(\.reference) == ["I-1"])
        try checkIndex(store)
        // A dry run writes nothing.
        let dry = try importer.run(paths: [file("dry.jsonl", [Self.review("I-6", findings: ["Naloxone in the dry run."])])], options: ImportOptions(dryRun: true))
        #expect(dry.added == ["I-6"])
        #expect(try search(store, "dry").hits.isEmpty)
        try store.write { db in try store.deleteReview(reference: "I-2", db) }
        #expect(try search(store, "naloxone").hits.isEmpty)
        try checkIndex(store)
        // A failed import leaves the index as it was.
        let bad = try file("bad.jsonl", [Self.review("I-3", findings: ["Naloxone given."]), Self.review("i-4")])
        #expect(throws: ProblemsError.self) { try importer.run(paths: [bad]) }
        #expect(try search(store, "given").hits.isEmpty)
        try store.write { db in try store.insert(Self.review("I-5", findings: ["Naloxone given by staff."]), db, now: "2026-01-01T00:00:00Z") }
        #expect(try search(store, "given").hits.map(\.reference) == ["I-5"])
        try checkIndex(store)
    }

    @Test func aLargeImportIndexesEveryTextUnderTheIdThatItsReviewRowGivesIt() throws {
        let folder = Scratch.root.appendingPathComponent("dus-search-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("synthetic.jsonl").path
        try SyntheticWriter(count: 700, seed: 7).write(to: data)
        let store = try Store(path: folder.appendingPathComponent("dus.sqlite").path)
        _ = try Importer(store: store, today: Day("2026-11-22")!).run(paths: [data])
        // And one review without a summary, stored alone.
        try store.write { db in
            try store.insert(Self.review("NS-1", findings: ["Left alone at night."], learning: ["Check on people at night."]), db, now: "2026-01-01T00:00:00Z")
        }
        try checkIndex(store)
        let texts = try store.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM review WHERE summary IS NOT NULL) + (SELECT count(*) FROM finding)
                  + (SELECT count(*) FROM learning) + (SELECT count(*) FROM recommendation)
                  + (SELECT count(*) FROM action) + (SELECT count(*) FROM action_update)
                """)
        }
        // Every text of the first, middle and last reviews is found by its own words.
        let all = try store.reviews(matching: ReviewFilter())
        #expect(all.count == 701)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM search_text") } == texts)
        // The import numbers each review's texts in one order, and the query that lists
        // them for removal, for hits and for analysts (the view search_text) in the same.
        let listed = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT reference, text FROM search_text ORDER BY id")
        }
        let textsByReview = Dictionary(grouping: listed, by: { $0["reference"] as String }).mapValues { $0.map { $0["text"] as String } }
        for review in all {
            var inserted: [String] = []
            review.forEachSearchText { inserted.append($0) }
            #expect(textsByReview[review.reference] ?? [] == inserted, "\(review.reference)")
        }
        #expect(all.contains { $0.summary == nil } && all.contains { $0.recommendations.contains { $0.actions.contains { !$0.updates.isEmpty } } })
        for review in [all.first!, all[350], all.last!] {
            for finding in review.findings {
                let words = finding.text.split(whereSeparator: { !$0.isLetter }).prefix(6).joined(separator: " ")
                let hits = try search(store, #"""# + words + #"""#)
                #expect(hits.hits.contains { $0.reference == review.reference && $0.source == "finding" }, "\(review.reference): \(words)")
            }
        }
    }

    @Test func aDatabaseMadeBeforeSearchHasItsReviewsIndexedWhenOpened() throws {
        let folder = Scratch.root.appendingPathComponent("dus-search-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        try OldDatabase.make(at: path, upTo: "v2-patterns", OldDatabase.review(
            id: 1, reference: "OLD-1", eventDate: "2024-01-01", summary: "Found at a hostel.") + """
            INSERT INTO finding (review_id, position, text, themes) VALUES (1, 1, 'No naloxone on release.', '[]');
            INSERT INTO recommendation (id, review_id, position, label, text, response, themes)
              VALUES (1, 1, 1, 'R1', 'Stock kits.', 'agreed', '[]');
            INSERT INTO action (id, recommendation_id, position, label, text, owner, target_date, current_target_date, status)
              VALUES (1, 1, 1, 'A1', 'Order kits.', 'Healthcare', '2024-06-01', '2024-06-01', 'open');
            INSERT INTO action_update (action_id, position, date, note) VALUES (1, 1, '2024-05-01', 'Kits ordered from pharmacy.');
            """ + OldDatabase.review(id: 2, reference: "OLD-2", kind: "near-miss", eventDate: "2024-02-01") + """
            INSERT INTO finding (review_id, position, text, themes) VALUES (2, 1, 'Naloxone was used by a friend.', '[]');
            INSERT INTO learning (review_id, position, text, themes) VALUES (2, 1, 'Train friends in naloxone.', '[]');
            """)
        let store = try Store(path: path)
        #expect(try Set(search(store, "naloxone").hits.map { "\($0.reference) \($0.item)" }) == ["OLD-1 findings[1]", "OLD-2 findings[1]", "OLD-2 learning[1]"])
        // Each review's texts are numbered from its own id times 2^20, in review order.
        let ids = try store.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM search_text ORDER BY id") }
        let first: Int64 = 1 << 20, second: Int64 = 2 << 20
        let expected: [Int64] = [first, first + 1, first + 2, first + 3, first + 4, second, second + 1]
        #expect(ids == expected)
        #expect(try search(store, "hostel").hits.map(\.item) == ["summary"])
        #expect(try search(store, "pharmacy").hits.map(\.item) == ["recommendations[R1].actions[A1].updates[1]"])
        #expect(try search(store, "kits").hits.map(\.source).sorted() == ["action", "action", "recommendation"])
        try checkIndex(store)
        // A review stored before search is deleted with its texts.
        try store.write { db in try store.deleteReview(reference: "OLD-1", db) }
        #expect(try search(store, "naloxone").hits.map(\.reference) == ["OLD-2", "OLD-2"])
        try checkIndex(store)
    }
}

/// The renderer's quick test for a snippet already on one line agrees with splitting it.
@Suite struct SnippetLineTests {
    @Test func theQuickCheckAgreesWithSplittingOnWhiteSpace() {
        let samples = ["a b", "…no **naloxone** on release…", "a  b", " a", "a ", "a\tb", "a\nb", "a\u{A0}b", "a\u{2028}b",
                       "a\u{3000}b", "café au lait", "a\u{2009}b", "", "x"]
        for sample in samples {
            let split = sample.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(SearchRenderer.isOneLine(sample) == (split == sample), "\(sample.debugDescription)")
        }
    }
}
