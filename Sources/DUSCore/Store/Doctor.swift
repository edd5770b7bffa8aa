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
            // The reviews are read first: the search index is checked against their texts.
            let reviews = try reviewFindings(db)
            checks.append(HealthCheck(name: "search index", findings: Self.findings {
                try searchIndexFindings(db, textCounts: reviews.textCounts, damaged: reviews.damaged)
            }))
            let chain = try AuditChain.verify(db)
            checks.append(HealthCheck(name: "audit trail (\(chain.chained) entries chained\(chain.before > 0 ? ", \(chain.before) from before the chain" : ""); head \(chain.head.map { String(format: "%02x", $0) }.joined()))",
                                      findings: chain.findings))
            let (values, derived, count) = (reviews.values, reviews.derived, reviews.count)
            checks.append(HealthCheck(name: "stored values of \(count) review\(count == 1 ? "" : "s")", findings: values))
            checks.append(HealthCheck(name: "derived fields of \(count) review\(count == 1 ? "" : "s")", findings: derived))
            return checks
        }
    }

    /// What a check found, or, when it could not run to the end, why (a damaged value
    /// may stop SQLite's own JSON functions): one check never stops the others.
    private static func findings(_ check: () throws -> [String]) -> [String] {
        do {
            return try check()
        } catch {
            return ["could not be checked to the end: \(error.localizedDescription)"]
        }
    }

    /// Every stored value of every review that cannot be read, named by review and field,
    /// and every derived field that differs from the one worked out from the review now
    /// (a change to the bank holidays or the catalogue would show here).
    ///
    /// Also returns how many searchable texts each readable review has, by review id, and
    /// the ids of the reviews that cannot be read.
    private func reviewFindings(_ db: Database) throws
        -> (values: [String], derived: [String], count: Int, textCounts: [Int64: Int], damaged: Set<Int64>) {
        var textCounts: [Int64: Int] = [:]
        var damaged = Set<Int64>()
        var values: [(String, String)] = []
        var derived: [(String, String)] = []
        var count = 0
        // The actions table, read beside the reviews in the same order (by review id).
        let actionRows = try Row.fetchCursor(db, sql: "SELECT * FROM action ORDER BY review_id, recommendation_position, position")
        var nextAction = try actionRows.next()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM review ORDER BY id")
        var columns: [String: Int]?
        while let row = try rows.next() {
            count += 1
            if columns == nil { columns = StoredRow.columns(of: row) }
            let stored = StoredRow(row, columns: columns)
            let id = row["id"] as Int64? ?? 0
            let reference = (try? stored.text("reference")) ?? "review row \(id)"
            var actions: [Row] = []
            while let action = nextAction, let reviewID = action[0] as Int64?, reviewID <= id {
                if reviewID == id { actions.append(action.copy()) }
                nextAction = try actionRows.next()
            }
            guard let review = try? review(from: row, columns: columns) else {
                damaged.insert(id)
                for damage in ReviewColumn.damagedValues(stored, catalogue: catalogue) {
                    values.append((reference, "\(reference): \(damage.field): stored value cannot be read (\(damage.stored): \(damage.problem))"))
                }
                continue
            }
            var texts = 0
            review.forEachSearchText { _ in texts += 1 }
            textCounts[id] = texts
            let worked = Derived(for: review)
            var differences: [String] = []
            if AnswersCodec.encode(review, derived: worked, catalogue: catalogue) != (try? stored.text("answers")) { differences.append("factor answers") }
            if worked.daysSinceRelease != (try? stored.optionalInteger("days_since_release")) { differences.append("days_since_release") }
            if worked.releaseBand.rawValue != (try? stored.text("release_band")) { differences.append("release_band") }
            if worked.ageBand != (try? stored.text("age_band")) { differences.append("age_band") }
            let actionDifferences = Self.actionDifferences(review, id: id, stored: actions)
            if !actionDifferences.isEmpty {
                derived.append((reference, "\(reference): \(actionDifferences.joined(separator: ", ")): the table action does not match the review's actions; write it afresh with dus doctor --rebuild-search"))
            }
            if !differences.isEmpty {
                derived.append((reference, "\(reference): \(differences.joined(separator: ", ")): the stored value does not match the one worked out from the review now; re-import the review with --replace to store it again"))
            }
        }
        var orphans = 0
        while nextAction != nil {
            orphans += 1
            nextAction = try actionRows.next()
        }
        if orphans > 0 {
            derived.append(("~", counted(orphans, "row", "rows") + " of the table action belong\(orphans == 1 ? "s" : "") to no review; write the table afresh with dus doctor --rebuild-search"))
        }
        var valueLines = values.sorted { $0.0 < $1.0 }.map(\.1)
        if !valueLines.isEmpty {
            valueLines.append("restore each review named from a backup or its file (dus import --replace), or remove it with dus delete")
        }
        return (valueLines, derived.sorted { $0.0 < $1.0 }.map(\.1), count, textCounts, damaged)
    }

    /// The fields of the table `action` that differ from the review's actions, each named
    /// like `recommendations[R1].actions[A1].status (table action)`; a row too many or too
    /// few is named by its place.
    private static func actionDifferences(_ review: Review, id: Int64, stored: [Row]) -> [String] {
        // Rows are matched by their place: recommendation and action positions.
        var rows: [String: Row] = [:]
        for row in stored {
            let place = (row[ActionRecord.Columns.recommendationPosition.name] as DatabaseValue? ?? .null, row[ActionRecord.Columns.position.name] as DatabaseValue? ?? .null)
            rows["\(place.0)/\(place.1)"] = row
        }
        var differences: [String] = []
        for var record in ActionRecord.records(of: review) {
            record.reviewID = id
            let name = "recommendations[\(record.recommendation)].actions[\(record.label)]"
            let place = "\(record.value(.recommendationPosition).databaseValue)/\(record.value(.position).databaseValue)"
            guard let found = rows.removeValue(forKey: place) else {
                differences.append("\(name) (table action) is missing")
                continue
            }
            for column in ActionRecord.Columns.allCases where found[column.name] as DatabaseValue? != record.value(column).databaseValue {
                differences.append("\(name).\(column.name) (table action)")
            }
        }
        if !rows.isEmpty {
            differences.append(counted(rows.count, "row", "rows") + " of the table action \(rows.count == 1 ? "is" : "are") not in the review")
        }
        return differences
    }

    /// What is wrong with the search index, or nothing.
    ///
    /// The index keeps no copy of the texts and no row for each text
    /// (`Schema.keepTextLengths`). FTS5 checks that its own structure is whole; then every
    /// entry it holds, listed word by word (`fts5vocab`), is
    /// compared with the texts of the reviews (the view `search_text`) and their lengths in
    /// `search_size`: each text with words has an entry of that many words, and no more.
    /// FTS5's own count of texts and words, from which bm25 takes the average length,
    /// must match them too (so a text with words, whose length says none and which has no
    /// entry, still shows).
    private func searchIndexFindings(_ db: Database, textCounts: [Int64: Int], damaged: Set<Int64>) throws -> [String] {
        var findings: [String] = []
        do {
            try db.execute(sql: "INSERT INTO search (search, rank) VALUES ('integrity-check', 0)")
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CORRUPT_VTAB || error.resultCode == .SQLITE_CORRUPT {
            findings.append("the search index is damaged")
        }
        // The texts of every readable review, numbered as the index numbers them. A damaged
        // review's texts cannot be listed: its entries are left out of the comparison, and
        // the stored-values check names it.
        var texts = Set<Int64>(minimumCapacity: textCounts.values.reduce(0, +))
        for (review, count) in textCounts {
            for k in 0..<Int64(count) { texts.insert(review * Schema.searchTextIDs + k) }
        }
        let shift = Int64(Schema.searchTextIDs.trailingZeroBitCount)
        let lengths = try SearchIndexWriter.storedLengths(db)
        let unmeasured = texts.filter { lengths[$0] == nil }.count
        let strayLengths = lengths.keys.filter { !texts.contains($0) && !damaged.contains($0 >> shift) }.count
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
                if !damaged.contains(id >> shift) { stray += 1 }
            } else if let length = lengths[id], Int64(length) != row[1] as Int64 {
                misfit += 1
            }
        }
        // A text without a word (only punctuation, say) has no entry to find; one without
        // a length is reported as such.
        let missing = texts.filter { !indexed.contains($0) && (lengths[$0] ?? 0) > 0 }.count
        if missing > 0 { findings.append(counted(missing, "text is", "texts are") + " missing from the search index") }
        if stray > 0 {
            findings.append(counted(stray, "entry", "entries") + " of the search index belong\(stray == 1 ? "s" : "") to no text")
        }
        if misfit > 0 {
            findings.append(counted(misfit, "text is", "texts are") + " indexed with a number of words other than the length in search_size")
        }
        if unmeasured > 0 { findings.append(counted(unmeasured, "text has", "texts have") + " no length in search_size") }
        if strayLengths > 0 {
            findings.append(counted(strayLengths, "length", "lengths") + " in search_size belong\(strayLengths == 1 ? "s" : "") to no text")
        }
        // FTS5's totals include a damaged review's texts, which cannot be counted here.
        if damaged.isEmpty {
            if let totals = try Self.indexTotals(db) {
                if totals.texts != Int64(texts.count) {
                    findings.append("FTS5 counts \(totals.texts) texts in the search index where the reviews have \(texts.count)")
                }
                let words = lengths.values.reduce(Int64(0)) { $0 + Int64($1) }
                if totals.words != words {
                    findings.append("FTS5 counts \(totals.words) words in the search index where the lengths in search_size add up to \(words)")
                }
            } else {
                findings.append("FTS5's count of the texts and words in the search index cannot be read")
            }
        }
        if !findings.isEmpty {
            findings.append("rebuild the index from the reviews with: dus doctor --rebuild-search")
        }
        return findings
    }

    /// FTS5's count of the rows and words of the search index, from which bm25 takes the
    /// average length: the record with id 1 of `search_data`, a varint for the rows and
    /// one for the words of each column (`search` has one). Nil if it cannot be read.
    static func indexTotals(_ db: Database) throws -> (texts: Int64, words: Int64)? {
        guard let block = try Data.fetchOne(db, sql: "SELECT block FROM search_data WHERE id = 1") else {
            // An index that never held a text has no record yet.
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM search_data") == 0 ? (0, 0) : nil
        }
        var bytes = block[...]
        guard let texts = Self.varint(&bytes), let words = Self.varint(&bytes) else { return nil }
        return (Int64(bitPattern: texts), Int64(bitPattern: words))
    }

    /// Reads one of SQLite's variable-length integers (the format of its files, which FTS5
    /// uses): up to eight bytes of seven bits, high bit set when more follow, then a ninth
    /// byte of eight bits.
    static func varint(_ bytes: inout Data.SubSequence) -> UInt64? {
        var value: UInt64 = 0
        for index in 0..<9 {
            guard let byte = bytes.popFirst() else { return nil }
            if index == 8 { return value << 8 | UInt64(byte) }
            value = value << 7 | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 { return value }
        }
        return value
    }

    /// Indexes every text of every readable review afresh, with its length, and writes
    /// the table `action` afresh from the reviews, in one transaction (what `dus doctor`
    /// advises when either does not match the reviews). Returns how many texts.
    public func rebuildSearchIndex() throws -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM action")
            let inserter = try ReviewInserter(db, counter: words)
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM review ORDER BY id")
            var columns: [String: Int]?
            while let row = try rows.next() {
                if columns == nil { columns = StoredRow.columns(of: row) }
                // A damaged review keeps no rows; the stored-values check names it.
                guard let review = try? review(from: row, columns: columns), let id = row["id"] as Int64? else { continue }
                try inserter.insertActions(ActionRecord.records(of: review), reviewID: id)
            }
            return try SearchIndexWriter.rebuild(db, counter: words)
        }
    }

    /// Copies the database, as it is at one moment, to a new file at `path` while other
    /// commands may go on using it (SQLite's online backup). An existing file is never
    /// overwritten.
    public func backup(to path: String) throws {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > 0 {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: path])
        }
        // The copy is the owner's alone, like every database dus makes.
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError.cannotCreate(path: path)
            }
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
