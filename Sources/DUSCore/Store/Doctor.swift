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
            checks.append(HealthCheck(name: "search index", findings: try searchIndexFindings(db)))
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

    /// What is wrong with the search index, or nothing.
    ///
    /// The index keeps no copy of the texts and no row for each text
    /// (`Schema.keepTextLengths`). FTS5 checks that its own structure is whole; then every
    /// entry it holds, listed word by word (`fts5vocab`, about 4 s for 100,000 reviews), is
    /// compared with the texts of the reviews (the view `search_text`) and their lengths in
    /// `search_size`: each text with words has an entry of that many words, and no more.
    private func searchIndexFindings(_ db: Database) throws -> [String] {
        var findings: [String] = []
        do {
            try db.execute(sql: "INSERT INTO search (search, rank) VALUES ('integrity-check', 0)")
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CORRUPT_VTAB || error.resultCode == .SQLITE_CORRUPT {
            findings.append("the search index is damaged")
        }
        let texts = Set(try Int64.fetchAll(db, sql: "SELECT id FROM search_text"))
        let lengths = try SearchIndexWriter.storedLengths(db)
        let unmeasured = texts.filter { lengths[$0] == nil }.count
        let strayLengths = lengths.keys.filter { !texts.contains($0) }.count
        // The temporary table goes with the transaction, which is rolled back.
        try db.execute(sql: "CREATE VIRTUAL TABLE temp.search_entry USING fts5vocab(main, search, 'instance')")
        var indexed = Set<Int64>()
        var stray = 0
        var misfit = 0
        let entries = try Row.fetchCursor(db, sql: "SELECT doc, count(*) FROM temp.search_entry GROUP BY doc")
        while let row = try entries.next() {
            let id: Int64 = row[0]
            indexed.insert(id)
            if !texts.contains(id) {
                stray += 1
            } else if let length = lengths[id], Int64(length) != row[1] as Int64 {
                misfit += 1
            }
        }
        // A text without a word (only punctuation, say) has no entry to find.
        let missing = texts.filter { !indexed.contains($0) && lengths[$0] != 0 }.count
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        if missing > 0 { findings.append(count(missing, "text is", "texts are") + " missing from the search index") }
        if stray > 0 {
            findings.append(count(stray, "entry", "entries") + " of the search index belong\(stray == 1 ? "s" : "") to no text")
        }
        if misfit > 0 {
            findings.append(count(misfit, "text is", "texts are") + " indexed with a number of words other than its length in search_size")
        }
        if unmeasured > 0 { findings.append(count(unmeasured, "text has", "texts have") + " no length in search_size") }
        if strayLengths > 0 {
            findings.append(count(strayLengths, "length", "lengths") + " in search_size belong\(strayLengths == 1 ? "s" : "") to no text")
        }
        if !findings.isEmpty {
            findings.append("rebuild the index from the reviews with: dus doctor --rebuild-search")
        }
        return findings
    }

    /// Indexes every text of every review afresh, with its length, in one transaction
    /// (what `dus doctor` advises when the search index does not match the reviews).
    /// Returns how many texts.
    public func rebuildSearchIndex() throws -> Int {
        try write { db in try SearchIndexWriter.rebuild(db, counter: words) }
    }

    /// Copies the database, as it is at one moment,    /// Copies the database, as it is at one moment, to a new file at `path` while other
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
