import Foundation
import GRDB
import Testing
@testable import DUSCore

/// `dus doctor` and `dus backup`.
@Suite struct DoctorTests {
    static func store() throws -> (store: Store, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dus-doctor-" + UUID().uuidString)
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
        let before = FileManager.default.contents(atPath: path)
        let checks = try store.checkHealth()
        #expect(checks.count == 4 && checks.allSatisfy(\.passed))
        #expect(checks.last?.name == "derived fields of 2 reviews")
        #expect(FileManager.default.contents(atPath: path) == before)
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
            "rebuild the index from the reviews with: sqlite3 FILE \"\(Schema.rebuildSearch)\"",
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
        try store.write { db in try db.execute(sql: Schema.rebuildSearch) }
        #expect(try store.checkHealth().allSatisfy(\.passed))
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
