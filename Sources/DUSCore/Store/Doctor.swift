import Foundation
import GRDB

/// One check of `dus doctor`.
public struct HealthCheck: Sendable, Equatable {
    public var name: String
    /// Empty when the check passed.
    public var findings: [String]
    public var passed: Bool { findings.isEmpty }
}

extension Store {
    /// Integrity and schema checks, changing nothing: SQLite's own page and index checks,
    /// foreign keys, the search index against its texts, and every review's stored derived
    /// columns against those worked out again from the review (a change to the bank
    /// holidays or the catalogue would show here).
    public func checkHealth() throws -> [HealthCheck] {
        // FTS5's check is spelled as an insert: it runs in a transaction that is rolled
        // back, which writes nothing to the file.
        try rehearse { db in
            var checks: [HealthCheck] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            checks.append(HealthCheck(name: "SQLite integrity (pages, indexes)", findings: integrity == ["ok"] ? [] : integrity))
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                "a row of \(row[0] as String) (rowid \(row[1] as Int64? ?? 0)) points at a missing row of \(row[2] as String)"
            }
            checks.append(HealthCheck(name: "foreign keys", findings: foreignKeys))
            var search: [String] = []
            // The index keeps no copy of the texts (`Schema.createContentlessSearch`):
            // FTS5 checks that its own structure is whole, and the texts of the reviews
            // (the view search_text) are compared with the entries it holds.
            do {
                try db.execute(sql: "INSERT INTO search (search, rank) VALUES ('integrity-check', 0)")
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CORRUPT_VTAB || error.resultCode == .SQLITE_CORRUPT {
                search.append("the search index is damaged")
            }
            // The texts are listed once (the view reads every review), then compared both ways.
            let compared = try Row.fetchOne(db, sql: """
                WITH texts AS MATERIALIZED (SELECT id FROM search_text)
                SELECT (SELECT count(*) FROM (SELECT id FROM texts EXCEPT SELECT id FROM search_docsize)),
                  (SELECT count(*) FROM (SELECT id FROM search_docsize EXCEPT SELECT id FROM texts))
                """)
            let missing: Int = compared?[0] ?? 0
            let excess: Int = compared?[1] ?? 0
            if missing > 0 {
                search.append("\(missing) text\(missing == 1 ? " is" : "s are") missing from the search index")
            }
            if excess > 0 {
                search.append("\(excess) entr\(excess == 1 ? "y" : "ies") of the search index belong\(excess == 1 ? "s" : "") to no text")
            }
            if !search.isEmpty {
                search.append("rebuild the index from the reviews with: sqlite3 FILE \"\(Schema.rebuildSearch)\"")
            }
            checks.append(HealthCheck(name: "search index", findings: search))
            var derived: [String] = []
            let stored = try Row.fetchAll(db, sql: "SELECT reference, answers, days_since_release, release_band, age_band FROM review ORDER BY reference")
            for row in stored {
                let reference: String = row["reference"]
                guard let review = try loadReview(db, where: "reference = ?", [reference]).first else { continue }
                let columns = StoredColumns(review, catalogue: catalogue)
                var differences: [String] = []
                if columns.answers != row["answers"] { differences.append("factor answers") }
                if columns.derived.daysSinceRelease != row["days_since_release"] { differences.append("days_since_release") }
                if columns.derived.releaseBand.rawValue != row["release_band"] { differences.append("release_band") }
                if columns.derived.ageBand != row["age_band"] { differences.append("age_band") }
                if !differences.isEmpty {
                    derived.append("\(reference): \(differences.joined(separator: ", ")): the stored value does not match the one worked out from the review now; re-import the review with --replace to store it again")
                }
            }
            checks.append(HealthCheck(name: "derived fields of \(stored.count) review\(stored.count == 1 ? "" : "s")", findings: derived))
            return checks
        }
    }

    /// Copies the database, as it is at one moment, to a new file at `path` while other
    /// commands may go on using it (SQLite's online backup). An existing file is never
    /// overwritten.
    public func backup(to path: String) throws {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > 0 {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: path])
        }
        do {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            try destination.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
            try destination.close()
        } catch let error as DatabaseError {
            throw StoreError(databaseError: error, path: path)
        }
    }
}
