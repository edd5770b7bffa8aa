import Foundation
import GRDB

/// One line of `dus list`.
public struct ReviewSummary: Equatable, Sendable {
    public var reference: String
    public var kind: Kind
    public var status: Status
    public var classification: Classification
    public var eventDate: Day
    public var region: String
    public var supervision: Supervision
}

/// The columns of a review that are worked out rather than copied: the derived fields,
/// the answers string and the JSON of its lists and parts. `dus import` works them out on
/// its parsing threads (`ReadingThreads`), leaving the writing thread only the writing.
struct StoredColumns: Sendable {
    var derived: Derived
    var answers: String
    var substances: String
    var agencies: String
    /// One JSON list of themes per finding, in one list (`[["a"],[]]`), for `dus patterns`.
    var findingThemes: String
    var findings: String
    var learning: String
    var recommendations: String
    /// The review's rows of the table `action`.
    var actions: [ActionRecord] = []
    /// The digests of the review's `imported` audit entry, when the import worked them out.
    var imported: AuditTrail.Sealed?

    init(_ review: Review, catalogue: Catalogue) {
        derived = Derived(for: review)
        answers = AnswersCodec.encode(review, derived: derived, catalogue: catalogue)
        substances = StoredParts.list(review.substances)
        agencies = StoredParts.list(review.agencies)
        findingThemes = StoredParts.lists(review.findings.map(\.themes))
        findings = StoredParts.json(review.findings)
        learning = StoredParts.json(review.learning)
        recommendations = StoredParts.json(review.recommendations)
        actions = ActionRecord.records(of: review)
    }
}

extension Store {
    // MARK: Writing

    /// Inserts a review with all its parts. The caller holds the transaction.
    func insert(_ review: Review, _ db: Database, now: String) throws {
        try ReviewInserter(db, counter: words).insert(review, columns: StoredColumns(review, catalogue: catalogue), now: now)
    }

    /// Whether the database holds no review at all.
    func holdsNoReviews(_ db: Database) throws -> Bool {
        try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM review)") ?? false)
    }

    /// Drops the index named, in the transaction `db` is in, and returns the SQL that makes
    /// it again as it was (nil when there is no such index): for a load that makes it at
    /// the end. Should the load fail, the rollback brings the index back.
    func dropIndexForLoad(_ name: String, _ db: Database) throws -> String? {
        guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name]) else { return nil }
        try db.execute(sql: "DROP INDEX \(name.quotedDatabaseIdentifier)")
        return sql
    }

    /// Whether a review with this reference is stored.
    public func contains(_ reference: String) throws -> Bool {
        try read { db in try contains(reference, db) }
    }

    /// Whether a review with this reference is stored.
    func contains(_ reference: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM review WHERE reference = ?)"), arguments: [reference]) ?? false
    }

    /// Removes a review and everything that belongs to it (the audit trail stays).
    func deleteReview(reference: String, _ db: Database) throws {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM review WHERE reference = ?", arguments: [reference]) else { return }
        let readable = try Row.fetchOne(db, sql: "SELECT * FROM review WHERE id = ?", arguments: [id]).map { (try? review(from: $0)) != nil } ?? false
        guard readable else {
            // A damaged review's texts cannot be read back as they were indexed, and FTS5
            // removes an entry only given its text: the review goes, and the index is
            // built again from the reviews that remain.
            try db.execute(sql: "DELETE FROM review WHERE id = ?", arguments: [id])
            _ = try SearchIndexWriter.rebuild(db, counter: words)
            return
        }
        // Its texts leave the search index first. The index keeps no copy of them
        // (`Schema.createContentlessSearch`): FTS5 removes an entry given the text it indexed.
        try db.execute(sql: "INSERT INTO search (search, rowid, text) SELECT 'delete', id, text FROM (\(Schema.searchTexts(ofReviewsWhere: "review.id = ?1")))",
                       arguments: [id])
        // The lengths of its texts (`search_size`) go with the row (ON DELETE CASCADE).
        try db.execute(sql: "DELETE FROM review WHERE id = ?", arguments: [id])
    }

    func audit(_ db: Database, reference: String, event: String, now: String, reason: String? = nil, detail: String? = nil, content: Review?,
               after: Review? = nil, changes: [FieldChange]? = nil, actor: String? = nil) throws {
        try AuditTrail(db, catalogue: catalogue, actor: actor ?? self.actor).record(
            reference: reference, event: event, now: now, reason: reason, detail: detail, content: content, after: after, changes: changes)
    }

    public static func timestamp(_ date: Date = Date()) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    // MARK: Reading

    /// A number that changes when another connection commits a change to the database
    /// (SQLite's `data_version`): what was worked out from an earlier one may be stale.
    public func dataVersion() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// The review with this reference, or nil.
    public func review(_ reference: String) throws -> Review? {
        try read { db in try loadReview(db, where: "reference = ?", [reference]).first }
    }

    /// Every review matching the filter, by event date then reference.
    public func reviews(matching filter: ReviewFilter) throws -> [Review] {
        let (clause, arguments) = sqlCondition(for: filter)
        return try read { db in try loadReview(db, where: clause, arguments) }
    }

    /// The `limit` reviews matching the filter with the latest event dates, latest first
    /// (read through the index `review_patterns`, which begins with the event date).
    public func newestReviews(matching filter: ReviewFilter, limit: Int) throws -> [Review] {
        let (clause, arguments) = sqlCondition(for: filter)
        return try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM review WHERE \(clause) ORDER BY event_date DESC, reference DESC LIMIT ?",
                arguments: StatementArguments(arguments + [limit]))
            let columns = rows.first.map(StoredRow.columns(of:))
            return try rows.map { row in try review(from: row, columns: columns) }
        }
    }

    /// Calls `body` with each review matching the filter, without holding them all.
    public func forEachReview(matching filter: ReviewFilter, _ body: (Review) throws -> Void) throws {
        let (clause, arguments) = sqlCondition(for: filter)
        try read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM review WHERE \(clause) ORDER BY event_date, reference", arguments: StatementArguments(arguments))
            var columns: [String: Int]?
            while let row = try rows.next() {
                if columns == nil { columns = StoredRow.columns(of: row) }
                try body(try review(from: row, columns: columns))
            }
        }
    }

    /// Every reference in the database.
    public func references() throws -> [String] {
        try read { db in
            try DatabaseValue.fetchAll(db, sql: "SELECT reference FROM review").compactMap { value in
                if case .string(let reference) = value.storage { reference } else { nil }
            }
        }
    }

    /// One line for each review the filter selects, by event date and reference, read
    /// from the covering index `review_patterns` (migration v9) through the SQLite C API.
    public func summaries(matching filter: ReviewFilter) throws -> [ReviewSummary] {
        let (clause, arguments) = sqlCondition(for: filter)
        return try read { db in
            let rows = try RawStatement(db, sql: """
                SELECT reference, kind, status, classification, event_date, region, supervision, id
                FROM review WHERE \(clause) ORDER BY event_date, reference
                """)
            try rows.start(arguments: StatementArguments(arguments))
            var summaries: [ReviewSummary] = []
            while try rows.step() {
                guard rows.isText(0) else {
                    throw StoreError.damaged(DamagedValue(field: "reference", stored: rows.storedType(0), problem: "not text"), reference: "review row \(rows.integer(7))")
                }
                let reference = rows.text(0)
                func choice<T: RawRepresentable>(_ column: Int32, _ name: String, _ type: T.Type) throws -> T where T.RawValue == String {
                    guard rows.isText(column), let value = T(rawValue: rows.text(column)) else {
                        throw StoreError.damaged(DamagedValue(field: name, stored: rows.storedType(column), problem: "not a value dus knows"), reference: reference)
                    }
                    return value
                }
                guard rows.isText(4), let eventDate = Day(rows.text(4)) else {
                    throw StoreError.damaged(DamagedValue(field: "event_date", stored: rows.storedType(4), problem: "not a date"), reference: reference)
                }
                let region = rows.isText(5) ? rows.text(5) : ""
                guard catalogue.regions.contains(where: { $0.name == region }) else {
                    throw StoreError.damaged(DamagedValue(field: "region", stored: rows.storedType(5), problem: "not a region dus knows"), reference: reference)
                }
                summaries.append(ReviewSummary(
                    reference: reference, kind: try choice(1, "kind", Kind.self), status: try choice(2, "status", Status.self),
                    classification: try choice(3, "classification", Classification.self), eventDate: eventDate, region: region,
                    supervision: try choice(6, "supervision", Supervision.self)))
            }
            return summaries
        }
    }

    /// The WHERE clause and its arguments for a filter. Values are always bound, never spliced.
    func sqlCondition(for filter: ReviewFilter) -> (String, [(any DatabaseValueConvertible)?]) {
        var terms: [String] = ["1"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let from = filter.from { terms.append("event_date >= ?"); arguments.append(from.description) }
        if let to = filter.to { terms.append("event_date <= ?"); arguments.append(to.description) }
        if let kind = filter.kind { terms.append("kind = ?"); arguments.append(kind.rawValue) }
        if let region = filter.region { terms.append("region = ?"); arguments.append(region) }
        if let supervision = filter.supervision { terms.append("supervision = ?"); arguments.append(supervision.rawValue) }
        if let status = filter.status { terms.append("status = ?"); arguments.append(status.rawValue) }
        if let classification = filter.classification { terms.append("classification = ?"); arguments.append(classification.rawValue) }
        if !filter.includesNotDrugRelated { terms.append("classification <> 'not-drug-related'") }
        for condition in filter.factors {
            guard let factor = catalogue.factor(condition.factor), let position = catalogue.position(of: condition.factor) else { continue }
            let character = "substr(answers, \(position + 1), 1)"
            switch condition.expected {
            case .risk:
                terms.append("\(character) = ?"); arguments.append(String(UnicodeScalar(AnswersCodec.riskByte(of: factor))))
            case .answer(.unknown):
                terms.append("\(character) IN ('u', '')")
            case .answer(let answer):
                terms.append("\(character) = ?"); arguments.append(String(UnicodeScalar(AnswersCodec.byte(answer))))
            }
        }
        return (terms.joined(separator: " AND "), arguments)
    }

    func loadReview(_ db: Database, where clause: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [Review] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM review WHERE \(clause) ORDER BY event_date, reference", arguments: StatementArguments(arguments))
        let columns = rows.first.map(StoredRow.columns(of:))
        return try rows.map { row in try review(from: row, columns: columns) }
    }

    /// The review a stored row holds; `StoreError.damaged` names the first value that
    /// cannot be read.
    func review(from row: Row, columns: [String: Int]? = nil) throws -> Review {
        let stored = StoredRow(row, columns: columns)
        let reference = try stored.reference()
        do throws(DamagedValue) {
            return try review(from: stored, reference: reference)
        } catch {
            throw StoreError.damaged(error, reference: reference)
        }
    }

    private func review(from row: StoredRow, reference: String) throws(DamagedValue) -> Review {
        var review = Review(
            reference: reference, kind: try row.choice("kind", Kind.self), eventDate: try row.day("event_date"),
            region: try row.region(catalogue), supervision: try row.choice("supervision", Supervision.self))
        review.status = try row.choice("status", Status.self)
        review.classification = try row.choice("classification", Classification.self)
        review.releaseDate = try row.optionalDay("release_date")
        review.reviewDate = try row.optionalDay("review_date")
        review.age = try row.optionalInteger("age")
        review.sex = try row.choice("sex", Sex.self)
        review.ethnicity = try row.choice("ethnicity", Ethnicity.self)
        review.eventPlace = try row.choice("event_place", EventPlace.self)
        review.bystanderPresent = try row.choice("bystander_present", Answer.self)
        review.naloxoneGivenAtEvent = try row.choice("naloxone_given_at_event", Answer.self)
        review.ambulanceAttended = try row.choice("ambulance_attended", Answer.self)
        review.substances = try row.texts("substances")
        review.agencies = try row.texts("agencies")
        review.summary = try row.optionalText("summary")
        let answers = try row.text("answers")
        guard let factors = AnswersCodec.factors(answers, catalogue: catalogue) else {
            throw row.damaged("answers", "not one of y, n, u or - for each factor")
        }
        review.factors = factors
        let (findings, learning, recommendations) = (try row.text("findings"), try row.text("learning"), try row.text("recommendations"))
        do throws(StoredParts.Damaged) {
            review.findings = try StoredParts.notes(findings, column: "findings")
            review.learning = try StoredParts.notes(learning, column: "learning")
            review.recommendations = try StoredParts.recommendations(recommendations)
        } catch {
            throw row.damaged(error.column, error.problem)
        }
        // The columns worked out from the review are read to be sure they can be.
        for column in [ReviewColumn.daysSinceRelease, .releaseBand, .ageBand, .findingThemes, .createdAt, .updatedAt] {
            try column.check(row, catalogue: catalogue)
        }
        return review
    }
}

/// Writes reviews, each in one row, and indexes their texts for search, through
/// statements prepared once.
///
/// This is the import's inner loop: it binds values through the SQLite C API
/// (`RawStatement`) rather than GRDB's general arguments, and one inserter serves a whole
/// import. Each text goes into the index by a one-row insert: FTS5 gathers those in
/// memory and writes them out as one segment when it holds 32 MB or the transaction ends.
/// (A statement that writes several rows, or fires a trigger, makes FTS5 write out what
/// it holds at its start: texts indexed that way would make one small segment each.)
/// Use it only inside the `Database` closure that made it.
final class ReviewInserter {
    private let review: RawStatement
    fileprivate let action: RawStatement
    private let index: SearchIndexWriter

    init(_ db: Database, counter: WordCounter) throws {
        review = try RawStatement(db, sql: ReviewRecord.insertSQL)
        action = try RawStatement(db, sql: ActionRecord.insertSQL)
        index = try SearchIndexWriter(db, counter: counter)
    }

    /// Stores the review, its actions (the table `action`) and its texts in the search
    /// index. `createdAt` is when it was first stored: now, unless it replaces a review.
    func insert(_ item: Review, columns: StoredColumns, now: String, createdAt: String? = nil) throws {
        let reviewID = try review.execute(ReviewRecord(review: item, columns: columns, createdAt: createdAt ?? now, updatedAt: now).values)
        try insertActions(columns.actions, reviewID: reviewID)
        // Text k of the review is row id * 2^20 + k of the index (`Schema.searchTexts`).
        try item.forEachSearchText { text in try index.add(text, reviewID: reviewID) }
        try index.finish(reviewID: reviewID)
    }
}

extension ReviewInserter {
    /// The review's rows of the table `action`.
    func insertActions(_ records: [ActionRecord], reviewID: Int64) throws {
        for var record in records {
            record.reviewID = reviewID
            try action.execute(record.values)
        }
    }
}

/// Adds entries to the audit trail: `content` is the review as it was before the event,
/// when the event changed or removed it. An import makes one for all its entries.
/// Every entry records who made it (`actor`) and, for a change, the fields it changed,
/// and is chained to the entry before it (`AuditChain`).
final class AuditTrail {
    private let statement: RawStatement
    private let catalogue: Catalogue
    private let actor: String
    /// The chain value of the newest entry.
    private var previous: Data
    private var salts = AuditChain.SaltSource()

    init(_ db: Database, catalogue: Catalogue, actor: String) throws {
        statement = try RawStatement(db, sql: AuditRecord.insertSQL)
        self.catalogue = catalogue
        self.actor = actor
        previous = try AuditChain.head(db)
    }

    /// The digests of an entry, worked out before it is written (an import works out those
    /// of its `imported` entries on its parsing threads); only the chain link waits for
    /// the entry before.
    struct Sealed: Sendable {
        var salt: Data
        var contentDigest: Data
        var digest: Data
    }

    static func seal(reference: String, now: String, event: String, actor: String, reason: String?, detail: String?, content: String?,
                     changes: String?, salt: Data) -> Sealed {
        let contentDigest = AuditChain.contentDigest(salt: salt, fields: [reason, detail, content, changes])
        return Sealed(salt: salt, contentDigest: contentDigest, digest: AuditChain.digest(fields: [reference, now, event, actor], contentDigest: contentDigest))
    }

    /// `changes` when given, else the fields that differ between `content` (before) and
    /// `after`, when both are known.
    func record(reference: String, event: String, now: String, reason: String? = nil, detail: String? = nil, content: Review?,
                after: Review? = nil, changes: [FieldChange]? = nil) throws {
        let writer = ReviewWriter(catalogue: catalogue)
        var fieldChanges = changes ?? []
        if changes == nil, let content, let after { fieldChanges = FieldChange.between(content, after, writer: writer) }
        let contentText = content.map { writer.json($0).serialized() }
        let changesText = fieldChanges.isEmpty ? nil : FieldChange.json(fieldChanges).serialized()
        let sealed = Self.seal(reference: reference, now: now, event: event, actor: actor, reason: reason, detail: detail, content: contentText,
                               changes: changesText, salt: salts.next())
        try write(reference: reference, event: event, now: now, reason: reason, detail: detail, content: contentText, changes: changesText, sealed: sealed)
    }

    /// An `imported` entry whose digests were worked out already, for `actor` and `now`.
    func recordImported(reference: String, now: String, detail: String?, sealed: Sealed) throws {
        try write(reference: reference, event: "imported", now: now, reason: nil, detail: detail, content: nil, changes: nil, sealed: sealed)
    }

    private func write(reference: String, event: String, now: String, reason: String?, detail: String?, content: String?, changes: String?,
                       sealed: Sealed) throws {
        let chain = AuditChain.link(previous: previous, digest: sealed.digest)
        try statement.execute(AuditRecord(
            reference: reference, at: now, event: event, reason: reason, detail: detail, content: content, actor: actor, changes: changes,
            salt: sealed.salt, contentDigest: sealed.contentDigest, digest: sealed.digest, chain: chain).values)
        previous = chain
    }
}

extension Review {
    /// Calls `body` with each text search covers, in the order that numbers them in the
    /// index, the order of `Schema.searchTexts` (a test holds the two together): the
    /// summary, findings, learning points, then each recommendation followed by its
    /// actions, each action followed by its updates.
    func forEachSearchText(_ body: (String) throws -> Void) rethrows {
        if let summary { try body(summary) }
        for note in findings { try body(note.text) }
        for note in learning { try body(note.text) }
        for recommendation in recommendations {
            try body(recommendation.text)
            for action in recommendation.actions {
                try body(action.text)
                for update in action.updates { try body(update.note) }
            }
        }
    }
}
