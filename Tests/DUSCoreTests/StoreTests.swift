import Foundation
import GRDB
import Testing
@testable import DUSCore

@Suite struct StoreTests {
    private func temporaryPath() -> String {
        Scratch.root.appendingPathComponent("dus-store-\(UUID().uuidString).sqlite").path
    }

    private var examples: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reviews").path
    }

    @Test func opensInWALModeWithForeignKeysAndAnAuditTrail() throws {
        let path = temporaryPath()
        let store = try Store(path: path)
        let report = try Importer(store: store, today: Day("2026-11-22")!).run(paths: [examples])
        #expect(report.added.count == 29)
        func value<T: DatabaseValueConvertible>(_ sql: String, as type: T.Type = T.self) throws -> T? {
            try store.read { db in try T.fetchOne(db, sql: sql) }
        }
        #expect(try value("PRAGMA journal_mode", as: String.self) == "wal")
        #expect(try value("PRAGMA foreign_keys", as: Bool.self) == true)
        #expect(try value("SELECT count(*) FROM audit WHERE event = 'imported'", as: Int.self) == 29)
        // Analysts' views decode the answers string.
        #expect(try value("SELECT first_fortnight FROM review_factors WHERE reference = 'NW-2024-0011'", as: String.self) == "yes")
        #expect(try value("SELECT homeless_on_release FROM review_factors WHERE reference = 'EM-2024-0006'", as: String.self) == "not-applicable")
        #expect(try value("SELECT count(*) FROM review_factor_answer", as: Int.self) == 29 * 45)
    }

    @Test func keepsEveryRevisedTargetDateUpdateAndWithdrawalReason() throws {
        let store = try Store(inMemory: .standard)
        var review = Review(reference: "TST-2025-0001", kind: .death, eventDate: Day("2025-01-10")!, region: "Wales", supervision: .licence)
        var recommendation = Recommendation(id: "R1", text: "Do the thing.", to: "Someone", response: .notAgreed)
        recommendation.reasonCategory = .affordability
        recommendation.reason = "No money."
        var action = Action(id: "A1", text: "Try anyway.", owner: "Head of Service", targetDate: Day("2025-06-30")!)
        action.revisedTargetDates = [Day("2025-09-30")!, Day("2025-12-31")!]
        action.status = .withdrawn
        action.withdrawnReason = "Superseded by a regional contract."
        action.updates = [ActionUpdate(date: Day("2025-07-01")!, note: "Delayed."), ActionUpdate(date: Day("2025-10-01")!, note: "Delayed again.")]
        recommendation.actions = [action]
        review.recommendations = [recommendation]
        try store.write { db in try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        let stored = try #require(try store.review("TST-2025-0001"))
        #expect(stored == review)
        #expect(stored.recommendations[0].actions[0].currentTargetDate == Day("2025-12-31")!)
    }

    @Test func aDatabaseFromANewerDusIsRefusedAndNotModified() throws {
        let path = temporaryPath()
        _ = try Store(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')") }
        try queue.close()
        let before = FileManager.default.contents(atPath: path)
        #expect(throws: StoreError.newerDatabase(path: path)) { try Store(path: path) }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func aZeroLengthFileCountsAsNew() throws {
        let path = temporaryPath()
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let store = try Store(path: path)
        #expect(try store.summaries(matching: ReviewFilter()).isEmpty)
    }

    @Test func aNewFileHasLargePagesAndAnOlderFileKeepsItsOwn() throws {
        func pageSize(_ store: Store) throws -> Int? { try store.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } }
        let path = temporaryPath()
        #expect(try pageSize(Store(path: path)) == 16384)
        // A file made with SQLite's default pages (as by dus before pages grew) opens,
        // migrates and takes reviews with its pages as they were.
        let older = temporaryPath()
        let queue = try DatabaseQueue(path: older)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA page_size = 4096; CREATE TABLE t (x); DROP TABLE t") }
        try queue.close()
        let store = try Store(path: older)
        #expect(try pageSize(store) == 4096)
        #expect(try Importer(store: store, today: Day("2026-11-22")!).run(paths: [examples]).added.count == 29)
        #expect(try pageSize(store) == 4096)
    }

    @Test func aBusyDatabaseIsReportedAsBusy() throws {
        let path = temporaryPath()
        _ = try Store(path: path)
        let holder = try DatabaseQueue(path: path)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let store = try Store(path: path, busyTimeout: 0.2)
            #expect(throws: StoreError.busy(path: path)) {
                try Importer(store: store, today: Day("2026-11-22")!).run(paths: [examples])
            }
            try db.execute(sql: "ROLLBACK")
        }
    }
}

/// A large `.jsonl` import goes through the reading thread in batches: every problem is
/// still reported, in order, and nothing is written unless everything is right.
@Suite struct LargeImportTests {
    static func temporaryFolder() throws -> URL {
        let folder = Scratch.root.appendingPathComponent("dus-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func problemsInLaterBatchesRollBackTheWholeImport() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = Generator(seed: 5)
        let writer = ReviewWriter(catalogue: .standard)
        var lines = (1...1_000).map { writer.json(generator.review(number: $0)).serialized() }
        let good = lines.joined(separator: "\n") + "\n"
        lines[299] = lines[299].replacingOccurrences(of: "\"kind\":", with: "\"knid\":")
        lines[899] = "{not json"
        let bad = folder.appendingPathComponent("bad.jsonl").path
        try lines.joined(separator: "\n").write(toFile: bad, atomically: true, encoding: .utf8)

        let path = folder.appendingPathComponent("dus.sqlite").path
        let store = try Store(path: path)
        let importer = Importer(store: store, today: Day("2026-11-22")!)
        #expect {
            _ = try importer.run(paths: [bad])
        } throws: { error in
            let problems = (error as? ProblemsError)?.problems ?? []
            return problems.map(\.line) == [300, 300, 900] && problems[0].field == "knid" && problems[1].field == "kind" && problems[2].message.hasPrefix("is not valid JSON")
        }
        #expect(try store.summaries(matching: ReviewFilter()).isEmpty)
        // A first load makes the patterns' covering index at its end: the rollback keeps it.
        func patternsIndex() throws -> String? {
            try store.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'review_patterns'") }
        }
        let index = try patternsIndex()
        #expect(index?.hasPrefix("CREATE INDEX review_patterns ON review") == true)

        let goodPath = folder.appendingPathComponent("good.jsonl").path
        try good.write(toFile: goodPath, atomically: true, encoding: .utf8)
        var calls = 0
        let report = try importer.run(paths: [goodPath]) { progress in
            calls += 1
            #expect(progress.bytesRead <= progress.totalBytes)
        }
        #expect(report.added.count == 1_000)
        #expect(calls == 1_000)
        #expect(try store.summaries(matching: ReviewFilter()).count == 1_000)
        #expect(try patternsIndex() == index)
        #expect(try store.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func aReferenceTwiceInOneImportNamesWhereItFirstCame() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = Generator(seed: 9)
        let writer = ReviewWriter(catalogue: .standard)
        let first = generator.review(number: 1), second = generator.review(number: 2)
        var again = generator.review(number: 3)
        again.reference = first.reference
        let a = folder.appendingPathComponent("a.jsonl").path, b = folder.appendingPathComponent("b.jsonl").path
        try [first, second].map { writer.json($0).serialized() }.joined(separator: "\n").write(toFile: a, atomically: true, encoding: .utf8)
        try writer.json(again).serialized().write(toFile: b, atomically: true, encoding: .utf8)

        let expected = Problem(file: b, line: 1, field: "reference", message: "\(first.reference) appears twice in this import (first in \(a):1)")
        let store = try Store(inMemory: .standard)
        #expect {
            _ = try Importer(store: store, today: Day("2026-11-22")!).run(paths: [a, b])
        } throws: { error in
            (error as? ProblemsError)?.problems == [expected]
        }
        let checked = validateReviewFiles([a, b], today: Day("2026-11-22")!)
        #expect(checked.problems.map(\.message) == ["\(first.reference) appears twice (first in \(a):1)"])
    }

    /// `count` generated reviews, one per line, in a new `.jsonl` file in `folder`.
    static func generatedFile(_ count: Int, seed: UInt64, in folder: URL, name: String = "reviews.jsonl") throws -> String {
        var generator = Generator(seed: seed)
        let writer = ReviewWriter(catalogue: .standard)
        let path = folder.appendingPathComponent(name).path
        try (1...count).map { writer.json(generator.review(number: $0)).serialized() }.joined(separator: "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// What another program opening the file would see: its journal mode and reviews.
    static func inspect(_ path: String) throws -> (journalMode: String, reviews: Int, integrity: String) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
             try Int.fetchOne(db, sql: "SELECT count(*) FROM review") ?? -1,
             try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "")
        }
    }

    @Test func aFirstImportIntoANewFileLeavesItInWALWithEveryReview() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.generatedFile(700, seed: 11, in: folder)
        let path = folder.appendingPathComponent("new.sqlite").path
        do {
            let store = try Store(path: path)
            #expect(store.isNewFile)
            let report = try Importer(store: store, today: Day("2026-11-22")!).run(paths: [file])
            #expect(report.added.count == 700)
        }
        let seen = try Self.inspect(path)
        #expect(seen.journalMode == "wal")
        #expect(seen.reviews == 700)
        #expect(seen.integrity == "ok")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))

        // The file is no longer new: the same reviews again are found and left unchanged.
        let again = try Store(path: path)
        #expect(!again.isNewFile)
        let report = try Importer(store: again, today: Day("2026-11-22")!).run(paths: [file])
        #expect(report.unchanged.count == 700 && report.added.isEmpty)
    }

    @Test func aFailedFirstImportLeavesAnEmptyDatabaseInWAL() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.generatedFile(600, seed: 12, in: folder)
        try (String(contentsOfFile: file, encoding: .utf8) + "\n{\"reference\": \"SYN-BAD\"}").write(toFile: file, atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("new.sqlite").path
        do {
            let store = try Store(path: path)
            #expect(throws: ProblemsError.self) { try Importer(store: store, today: Day("2026-11-22")!).run(paths: [file]) }
        }
        let seen = try Self.inspect(path)
        #expect(seen.journalMode == "wal")
        #expect(seen.reviews == 0)
        #expect(seen.integrity == "ok")
    }

    @Test func aFailedImportIntoAnExistingEmptyDatabaseLeavesItByteForByte() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("empty.sqlite").path
        do { _ = try Store(path: path) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let file = try Self.generatedFile(300, seed: 13, in: folder)
        try (String(contentsOfFile: file, encoding: .utf8) + "\n{\"reference\": \"SYN-BAD\"}").write(toFile: file, atomically: true, encoding: .utf8)
        do {
            let store = try Store(path: path)
            #expect(!store.isNewFile)
            #expect(throws: ProblemsError.self) { try Importer(store: store, today: Day("2026-11-22")!).run(paths: [file]) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aFileLeftByAnInterruptedFirstImportOpensAsItWasBefore() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("live.sqlite").path
        let crashed = folder.appendingPathComponent("crashed.sqlite").path
        do { _ = try Store(path: path) }
        // A first import stopped half way: a transaction in rollback-journal mode whose
        // pages have already reached the file. Copying the file and its journal in the
        // middle of it leaves what a machine stopping there would leave.
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode = TRUNCATE") == "truncate")
            try db.execute(sql: "PRAGMA cache_size = 2")
            try db.execute(sql: "BEGIN")
            try db.execute(sql: "UPDATE factor SET question = 'overwritten'")
            for number in 0..<3_000 {
                try db.execute(sql: "INSERT INTO audit (reference, at, event) VALUES (?, 'now', 'imported')", arguments: ["SYN-\(number)"])
            }
            try FileManager.default.copyItem(atPath: path, toPath: crashed)
            try FileManager.default.copyItem(atPath: path + "-journal", toPath: crashed + "-journal")
            try db.execute(sql: "ROLLBACK")
        }
        try queue.close()
        #expect((try FileManager.default.attributesOfItem(atPath: crashed + "-journal")[.size] as? NSNumber)?.intValue ?? 0 > 0)

        let store = try Store(path: crashed)
        #expect(try store.summaries(matching: ReviewFilter()).isEmpty)
        let seen = try Self.inspect(crashed)
        #expect(seen.journalMode == "wal")
        #expect(seen.integrity == "ok")
        let check = try DatabaseQueue(path: crashed)
        defer { try? check.close() }
        #expect(try check.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit") } == 0)
        #expect(try check.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM factor WHERE question = 'overwritten'") } == 0)
    }
}
