import Foundation
import GRDB
import Testing
@testable import DUSCore

/// The search index without FTS5's row for each text's length: `search_size` keeps the
/// lengths, and `dus_bm25` ranks with them as FTS5's own bm25 does with its own.
@Suite struct SearchLengthTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reviews").path

    /// The example reviews, and one whose texts have accents, other scripts and punctuation.
    static func store() throws -> Store {
        let store = try Store(inMemory: .standard)
        _ = try Importer(store: store, today: Day("2026-11-22")!).run(paths: [examples])
        var review = ActionTests.fixtureReviews()[0]
        review.reference = "X-1"
        review.summary = "Café naïve Straße — déjà vu: naloxone, NALOXONE; naloxone's kit (x2) was given 3 times… Ελληνικά 日本語"
        // A text without a word: length 0, and no entry in the index.
        review.findings.append(Note(text: "— … ?"))
        try store.write { db in try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        return store
    }

    /// A second index of the same texts as FTS5 makes it by default, with its own lengths.
    static func addReference(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE temp.reference USING fts5 (text, tokenize = '\(Schema.searchTokenizer)');
            INSERT INTO temp.reference (rowid, text) SELECT id, text FROM search_text;
            CREATE VIRTUAL TABLE temp.reference_entry USING fts5vocab(temp, reference, 'instance');
            """)
    }

    @Test func eachTextsLengthIsTheNumberOfWordsFTS5IndexesForIt() throws {
        let store = try Self.store()
        try store.write { db in
            try Self.addReference(db)
            let stored = try SearchIndexWriter.storedLengths(db)
            let texts = try Int64.fetchAll(db, sql: "SELECT id FROM search_text")
            #expect(stored.count == texts.count && texts.count > 29 * 5)
            var counted: [Int64: UInt32] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT doc, count(*) FROM temp.reference_entry GROUP BY doc") {
                counted[row[0]] = UInt32(row[1] as Int)
            }
            #expect(stored.filter { $0.value > 0 } == counted)
            #expect(stored.values.filter { $0 == 0 }.count == 1)
            let summary = try Int64.fetchOne(db, sql: "SELECT id FROM search_text WHERE reference = 'X-1' AND source = 'summary'")!
            // Café naïve Straße déjà vu naloxone NALOXONE naloxone s kit x2 was given 3 times Ελληνικά 日本語
            #expect(stored[summary] == 17)
        }
    }

    @Test func scoresAreFTS5sOwnBM25ToTheLastBit() throws {
        let store = try Self.store()
        let queries = ["naloxone", "release*", "\"take home naloxone\"", "naloxone OR overdose", "release -naloxone",
                       "cafe", "naive naloxone", "treatment prison", "was"]
        try store.write { db in
            try Self.addReference(db)
            for text in queries {
                let expression = try SearchQuery(text).expression
                let ours = try Row.fetchAll(db, sql: """
                    SELECT rowid, dus_bm25(search) AS score FROM search WHERE search MATCH ? ORDER BY score, rowid
                    """, arguments: [expression]).map { [$0[0] as Double, $0[1] as Double] }
                let theirs = try Row.fetchAll(db, sql: """
                    SELECT rowid, bm25(reference) FROM temp.reference WHERE reference MATCH ? ORDER BY bm25(reference), rowid
                    """, arguments: [expression]).map { [$0[0] as Double, $0[1] as Double] }
                #expect(!ours.isEmpty, "\(text)")
                #expect(ours == theirs, "\(text)")
            }
        }
    }

    /// `dus_bm25` finds each review's lengths by stepping on through `search_size` when the
    /// next review with a hit is close, and by a new search of it when far: both the same.
    @Test func scoresOfHitsFarApartAndCloseTogetherAreBM25s() throws {
        let store = try Store(inMemory: .standard)
        try store.write { db in
            for number in 1...60 {
                var review = ActionTests.fixtureReviews()[1]
                review.reference = "G-\(number)"
                if [1, 2, 20, 21, 23, 45, 60].contains(number) { review.summary = "A zebrafinch was seen \(String(repeating: "again ", count: number % 7))." }
                try store.insert(review, db, now: "2026-01-01T00:00:00Z")
            }
            try Self.addReference(db)
            for text in ["zebrafinch", "zebrafinch OR accommodation", "accommodation -zebrafinch"] {
                let expression = try SearchQuery(text).expression
                let ours = try Row.fetchAll(db, sql: "SELECT rowid, dus_bm25(search) AS score FROM search WHERE search MATCH ? ORDER BY score, rowid",
                                            arguments: [expression]).map { [$0[0] as Double, $0[1] as Double] }
                let theirs = try Row.fetchAll(db, sql: "SELECT rowid, bm25(reference) FROM temp.reference WHERE reference MATCH ? ORDER BY bm25(reference), rowid",
                                              arguments: [expression]).map { [$0[0] as Double, $0[1] as Double] }
                #expect(!ours.isEmpty && ours == theirs, "\(text)")
            }
        }
    }

    @Test func aRemovedOrReplacedReviewTakesItsLengthsWithIt() throws {
        let store = try Self.store()
        func rows() throws -> Int { try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM search_size")! } }
        #expect(try rows() == 30)
        #expect(try store.delete(reference: "X-1", reason: "entered twice in error"))
        #expect(try rows() == 29)
        var review = ActionTests.fixtureReviews()[1]
        review.reference = "NW-2024-0011"
        try store.write { db in try store.replaceStored(review, db, now: "2026-01-02T00:00:00Z") }
        #expect(try rows() == 29)
        #expect(try store.checkHealth().allSatisfy(\.passed))
    }

    @Test func aVersion4DatabaseIsIndexedAgainWithItsLengthsAndRanksAsBefore() throws {
        let path = Scratch.root.appendingPathComponent("dus-v4-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try OldDatabase.make(at: path, upTo: "v4-parts-in-review", """
            \(OldDatabase.review(id: 1, reference: "OLD-1", eventDate: "2024-01-01", summary: "Released on a Friday without naloxone."))
            \(OldDatabase.review(id: 2, reference: "OLD-2", eventDate: "2024-02-01", summary: "Naloxone was given by a friend; naloxone kit empty."))
            \(OldDatabase.review(id: 3, reference: "OLD-3", eventDate: "2024-03-01", summary: "No fixed abode after release."))
            """)
        let store = try Store(path: path)
        let hits = try SearchEngine(store: store).search(try SearchQuery("naloxone")).hits
        #expect(hits.map(\.reference) == ["OLD-2", "OLD-1"])
        try store.write { db in
            try Self.addReference(db)
            #expect(try SearchIndexWriter.storedLengths(db).values.sorted() == [5, 6, 9])
            let reference = try Double.fetchAll(db, sql: "SELECT -bm25(reference) FROM temp.reference WHERE reference MATCH 'naloxone' ORDER BY rank")
            #expect(hits.map(\.score) == reference.map { Double(String(format: "%.6g", $0))! })
            #expect(try !db.tableExists("search_docsize"))
        }
        // (The derived fields of these hand-made rows are not what dus would store.)
        #expect(try store.checkHealth().first { $0.name == "search index" }?.passed == true)
    }
}
