import Foundation
import GRDB
import Testing
@testable import DUSCore

/// `dus doctor` and `dus backup`.
@Suite struct DoctorTests {
    static func store() throws -> (store: Store, folder: URL) {
        let folder = Scratch.root.appendingPathComponent("dus-doctor-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try Store(path: folder.appendingPathComponent("dus.sqlite").path)
        try store.write { db in
            for review in ActionTests.fixtureReviews() { try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        }
        return (store, folder)
    }

    @Test func aHealthyDatabasePassesEveryCheckAndIsLeftAsItWas() throws {
        let (store, folder) = try Self.store()
        let path = folder.appendingPathComponent("dus.sqlite").path
        // The database and its write-ahead log, where a write would land first.
        func files() -> [Data?] { [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) } }
        let before = files()
        let checks = try store.checkHealth()
        #expect(checks.count == 6 && checks.allSatisfy(\.passed))
        #expect(checks.last?.name == "derived fields of 2 reviews")
        #expect(files() == before)
    }

    @Test func storedDerivedFieldsAndSearchTextsThatDoNotMatchAreFound() throws {
        let (store, _) = try Self.store()
        try store.write { db in
            try db.execute(sql: "UPDATE review SET release_band = '84+', answers = 'yyyy' WHERE reference = 'W-1'")
            // One text taken out of the index by hand, as with another tool.
            try db.execute(sql: """
                INSERT INTO search (search, rowid, text)
                SELECT 'delete', id, text FROM search_text WHERE id = (SELECT min(id) FROM search_text)
                """)
        }
        let failed = try store.checkHealth().filter { !$0.passed }
        #expect(failed.map(\.name) == ["search index", "derived fields of 2 reviews"])
        #expect(failed[0].findings == [
            "1 text is missing from the search index",
            // FTS5's own count, which bm25's average length comes from, shows it too.
            "FTS5 counts 10 texts in the search index where the reviews have 11",
            "FTS5 counts 22 words in the search index where the lengths in search_size add up to 26",
            "rebuild the index from the reviews with: dus doctor --rebuild-search",
        ])
        #expect(failed[1].findings == ["W-1: factor answers, release_band: the stored value does not match the one worked out from the review now; re-import the review with --replace to store it again"])
    }

    @Test func theRebuildTheDoctorAdvisesMendsTheIndex() throws {
        let (store, _) = try Self.store()
        try store.write { db in
            try db.execute(sql: "INSERT INTO search (search, rowid, text) SELECT 'delete', id, text FROM search_text WHERE id = (SELECT max(id) FROM search_text)")
            try db.execute(sql: "INSERT INTO search (rowid, text) VALUES (99, 'a stray entry')")
        }
        #expect(try store.checkHealth().first { $0.name == "search index" }?.findings.prefix(2) == [
            "1 text is missing from the search index", "1 entry of the search index belongs to no text",
        ])
        let texts = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM search_text") }
        #expect(try store.rebuildSearchIndex() == texts)
        #expect(try store.checkHealth().allSatisfy(\.passed))
    }

    @Test func lengthsOfTextsThatAreWrongOrMissingAreFoundAndTheRebuildMendsThem() throws {
        let (store, _) = try Self.store()
        let (first, texts) = try store.read { db in
            (try Int64.fetchOne(db, sql: "SELECT min(review_id) FROM search_size")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM search_text WHERE review_id = (SELECT min(review_id) FROM search_size)")!)
        }
        let words = try store.read { db in
            let lengths = try SearchIndexWriter.storedLengths(db)
            return (all: lengths.values.reduce(0, +),
                    first: lengths.filter { $0.key >> 20 == first }.values.reduce(0, +))
        }
        try store.write { db in
            try db.execute(sql: "UPDATE search_size SET sizes = zeroblob(length(sizes)) WHERE review_id = ?", arguments: [first])
        }
        let findings = try #require(try store.checkHealth().first { $0.name == "search index" }?.findings)
        #expect(findings.count == 3)
        #expect(findings.first == "\(texts) texts are indexed with a number of words other than the length in search_size")
        #expect(findings[1] == "FTS5 counts \(words.all) words in the search index where the lengths in search_size add up to \(words.all - words.first)")
        #expect(findings.last == "rebuild the index from the reviews with: dus doctor --rebuild-search")
        try store.write { db in try db.execute(sql: "DELETE FROM search_size WHERE review_id = ?", arguments: [first]) }
        #expect(try store.checkHealth().first { $0.name == "search index" }?.findings.first == "\(texts) texts have no length in search_size")
        // Search says what is wrong rather than ranking with a made-up length.
        let error = #expect(throws: StoreError.self) { try SearchEngine(store: store).search(try SearchQuery("naloxone OR release OR accommodation")) }
        #expect(error?.errorDescription?.contains("search_size has no length for text") == true, "\(String(describing: error))")
        _ = try store.rebuildSearchIndex()
        #expect(try store.checkHealth().allSatisfy(\.passed))
        #expect(try !SearchEngine(store: store).search(try SearchQuery("naloxone")).hits.isEmpty)
    }

    @Test func aBackupIsAWholeCopyAndNeverOverwritesAFile() throws {
        let (store, folder) = try Self.store()
        let copy = folder.appendingPathComponent("copy.sqlite").path
        try store.backup(to: copy)
        let restored = try Store(path: copy)
        #expect(try restored.summaries(matching: ReviewFilter()).map(\.reference) == ["N-1", "W-1"])
        #expect(try restored.checkHealth().allSatisfy(\.passed))
        #expect(throws: CocoaError.self) { try store.backup(to: copy) }
    }
}
