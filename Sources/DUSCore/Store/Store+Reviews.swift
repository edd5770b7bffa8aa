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

/// The columns of a review that are worked out rather than copied: the derived fields and
/// the answers string. `dus import` works them out on its reading thread, which shares the
/// work of an import with the writing thread (the writer makes the JSON lists).
struct StoredColumns: Sendable {
    var derived: Derived
    var answers: String

    init(_ review: Review, catalogue: Catalogue) {
        derived = Derived(for: review)
        answers = Store.answers(for: review, derived: derived, catalogue: catalogue)
    }
}

extension Store {
    // MARK: Answers string

    /// One character per catalogue factor, in catalogue order: `y`, `n`, `u` (unknown) or
    /// `-` (not applicable). Derived factors are computed here.
    static func answers(for review: Review, derived: Derived, catalogue: Catalogue) -> String {
        String(unsafeUninitializedCapacity: catalogue.factors.count) { buffer in
            for (index, factor) in catalogue.factors.enumerated() {
                switch review.answer(to: factor, derived: derived) {
                case .yes: buffer[index] = UInt8(ascii: "y")
                case .no: buffer[index] = UInt8(ascii: "n")
                case .unknown: buffer[index] = UInt8(ascii: "u")
                case .notApplicable: buffer[index] = UInt8(ascii: "-")
                }
            }
            return catalogue.factors.count
        }
    }

    /// The character of the answers string that means "risk present" for `factor`.
    static func riskCharacter(of factor: Catalogue.Factor) -> Character {
        factor.risk == .yes ? "y" : "n"
    }

    // MARK: Writing

    /// Inserts a review with all its parts. The caller holds the transaction.
    func insert(_ review: Review, _ db: Database, now: String) throws {
        try ReviewInserter(db).insert(review, columns: StoredColumns(review, catalogue: catalogue), now: now)
    }

    /// Whether the database holds no review at all.
    func holdsNoReviews(_ db: Database) throws -> Bool {
        try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM review)") ?? false)
    }

    /// Runs `body`, which adds reviews (and may remove some), with their texts indexed
    /// for search in a few large steps instead of one by one (see
    /// `Schema.indexEachNewText`). `body` calls the function it is given whenever it has
    /// added enough texts for a step. Call this inside a write transaction, which a
    /// failure then rolls back whole, the dropped trigger included.
    func deferringSearchIndex<T>(_ db: Database, _ body: (_ indexNewTexts: () throws -> Void) throws -> T) throws -> T {
        // Texts of reviews added later have larger ids (`Schema.createSearch`): each step
        // indexes the texts above the last it reached, in id order, in one statement.
        var indexedUpTo = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), -1) FROM search_text") ?? -1
        try db.execute(sql: "DROP TRIGGER search_text_added")
        let indexNewTexts = {
            let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), -1) FROM search_text") ?? -1
            guard next > indexedUpTo else { return }
            try db.execute(sql: "INSERT INTO search (rowid, text) SELECT id, text FROM search_text WHERE id > ? AND id <= ?",
                           arguments: [indexedUpTo, next])
            indexedUpTo = next
        }
        let result = try body(indexNewTexts)
        try indexNewTexts()
        try db.execute(sql: Schema.indexEachNewText)
        return result
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
        // Its texts for search first: their ids run from the review's id times 2^20.
        let firstText = id * Schema.searchTextIDs
        try db.execute(sql: "DELETE FROM search_text WHERE id BETWEEN ? AND ?", arguments: [firstText, firstText + Schema.searchTextIDs - 1])
        try db.execute(sql: "DELETE FROM review WHERE id = ?", arguments: [id])
    }

    func audit(_ db: Database, reference: String, event: String, now: String, reason: String? = nil, detail: String? = nil, content: Review?) throws {
        try RawStatement(db, sql: "INSERT INTO audit (reference, at, event, reason, detail, content) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(.text(reference), .text(now), .text(event), SQLValue(reason), SQLValue(detail),
                     SQLValue(content.map { ReviewWriter(catalogue: catalogue).json($0).serialized() }))
    }

    /// A list of strings as compact JSON (`["a","b"]`), the stored form of list columns.
    static func jsonList(_ items: [String]) -> String {
        var out = "["
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            JSONValue.writeString(item, to: &out)
        }
        return out + "]"
    }

    static func parseList(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8),
              let items = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return items
    }

    public static func timestamp(_ date: Date = Date()) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    // MARK: Reading

    /// The review with this reference, or nil.
    public func review(_ reference: String) throws -> Review? {
        try read { db in try loadReview(db, where: "reference = ?", [reference]).first }
    }

    /// Every review matching the filter, by event date then reference.
    public func reviews(matching filter: ReviewFilter) throws -> [Review] {
        let (clause, arguments) = sqlCondition(for: filter)
        return try read { db in try loadReview(db, where: clause, arguments) }
    }

    /// Calls `body` with each review matching the filter, without holding them all.
    public func forEachReview(matching filter: ReviewFilter, _ body: (Review) throws -> Void) throws {
        let (clause, arguments) = sqlCondition(for: filter)
        try read { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM review WHERE \(clause) ORDER BY event_date, reference", arguments: StatementArguments(arguments))
            for id in ids {
                for review in try loadReview(db, where: "id = ?", [id]) { try body(review) }
            }
        }
    }

    /// Every reference in the database.
    public func references() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT reference FROM review") }
    }

    public func summaries(matching filter: ReviewFilter) throws -> [ReviewSummary] {
        let (clause, arguments) = sqlCondition(for: filter)
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT reference, kind, status, classification, event_date, region, supervision
                FROM review WHERE \(clause) ORDER BY event_date, reference
                """, arguments: StatementArguments(arguments)).map { row in
                ReviewSummary(
                    reference: row["reference"], kind: Kind(rawValue: row["kind"])!, status: Status(rawValue: row["status"])!,
                    classification: Classification(rawValue: row["classification"])!, eventDate: Day(row["event_date"] as String)!,
                    region: row["region"], supervision: Supervision(rawValue: row["supervision"])!)
            }
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
                terms.append("\(character) = ?"); arguments.append(String(Store.riskCharacter(of: factor)))
            case .answer(.unknown):
                terms.append("\(character) IN ('u', '')")
            case .answer(let answer):
                terms.append("\(character) = ?")
                arguments.append(answer == .yes ? "y" : answer == .no ? "n" : "-")
            }
        }
        return (terms.joined(separator: " AND "), arguments)
    }

    func loadReview(_ db: Database, where clause: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [Review] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM review WHERE \(clause) ORDER BY event_date, reference", arguments: StatementArguments(arguments))
        return try rows.map { row in
            var review = Review(
                reference: row["reference"], kind: Kind(rawValue: row["kind"])!, eventDate: Day(row["event_date"] as String)!,
                region: row["region"], supervision: Supervision(rawValue: row["supervision"])!)
            review.status = Status(rawValue: row["status"])!
            review.classification = Classification(rawValue: row["classification"])!
            review.releaseDate = (row["release_date"] as String?).flatMap(Day.init)
            review.reviewDate = (row["review_date"] as String?).flatMap(Day.init)
            review.age = row["age"]
            review.sex = Sex(rawValue: row["sex"]) ?? .unknown
            review.ethnicity = Ethnicity(rawValue: row["ethnicity"]) ?? .unknown
            review.eventPlace = EventPlace(rawValue: row["event_place"]) ?? .unknown
            review.bystanderPresent = Answer(rawValue: row["bystander_present"]) ?? .unknown
            review.naloxoneGivenAtEvent = Answer(rawValue: row["naloxone_given_at_event"]) ?? .unknown
            review.ambulanceAttended = Answer(rawValue: row["ambulance_attended"]) ?? .unknown
            review.substances = Store.parseList(row["substances"])
            review.agencies = Store.parseList(row["agencies"])
            review.summary = row["summary"]
            let answers = Array((row["answers"] as String).utf8)
            for (index, factor) in catalogue.factors.enumerated() where !factor.derived && index < answers.count {
                switch answers[index] {
                case UInt8(ascii: "y"): review.factors[factor.id] = .yes
                case UInt8(ascii: "n"): review.factors[factor.id] = .no
                default: break
                }
            }
            let id: Int64 = row["id"]
            review.findings = try notes(db, table: "finding", reviewID: id)
            review.learning = try notes(db, table: "learning", reviewID: id)
            review.recommendations = try recommendations(db, reviewID: id)
            return review
        }
    }

    private func notes(_ db: Database, table: String, reviewID: Int64) throws -> [Note] {
        try Row.fetchAll(db, sql: "SELECT text, themes FROM \(table) WHERE review_id = ? ORDER BY position", arguments: [reviewID])
            .map { Note(text: $0["text"], themes: Store.parseList($0["themes"])) }
    }

    private func recommendations(_ db: Database, reviewID: Int64) throws -> [Recommendation] {
        try Row.fetchAll(db, sql: "SELECT * FROM recommendation WHERE review_id = ? ORDER BY position", arguments: [reviewID]).map { row in
            var recommendation = Recommendation(
                id: row["label"], text: row["text"], to: row["addressed_to"], response: Response(rawValue: row["response"])!)
            recommendation.reasonCategory = (row["reason_category"] as String?).flatMap(ReasonCategory.init(rawValue:))
            recommendation.reason = row["reason"]
            recommendation.themes = Store.parseList(row["themes"])
            recommendation.actions = try Row.fetchAll(db, sql: "SELECT * FROM action WHERE recommendation_id = ? ORDER BY position", arguments: [row["id"] as Int64]).map { actionRow in
                let actionID: Int64 = actionRow["id"]
                var action = Action(id: actionRow["label"], text: actionRow["text"], owner: actionRow["owner"], targetDate: Day(actionRow["target_date"] as String)!)
                action.status = ActionStatus(rawValue: actionRow["status"])!
                action.completedDate = (actionRow["completed_date"] as String?).flatMap(Day.init)
                action.withdrawnReason = actionRow["withdrawn_reason"]
                action.revisedTargetDates = try String.fetchAll(db, sql: "SELECT target_date FROM action_revision WHERE action_id = ? ORDER BY position", arguments: [actionID]).compactMap(Day.init)
                action.updates = try Row.fetchAll(db, sql: "SELECT date, note FROM action_update WHERE action_id = ? ORDER BY position", arguments: [actionID]).map {
                    ActionUpdate(date: Day($0["date"] as String)!, note: $0["note"])
                }
                return action
            }
            return recommendation
        }
    }
}

/// Writes reviews with all their parts, through statements prepared once.
///
/// This is the import's inner loop: it binds values through the SQLite C API
/// (`RawStatement`) rather than GRDB's general arguments, and one inserter serves a whole
/// import. Use it only inside the `Database` closure that made it.
struct ReviewInserter {
    private let review: RawStatement
    private let finding: RawStatement
    private let learning: RawStatement
    private let recommendation: RawStatement
    private let action: RawStatement
    private let revision: RawStatement
    private let update: RawStatement
    private let searchText: RawStatement

    init(_ db: Database) throws {
        review = try RawStatement(db, sql: """
            INSERT INTO review (reference, kind, status, classification, event_date, release_date, review_date,
              region, supervision, age, sex, ethnicity, event_place, bystander_present, naloxone_given_at_event,
              ambulance_attended, substances, agencies, summary, answers, days_since_release, release_band, age_band,
              created_at, updated_at, finding_themes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        finding = try RawStatement(db, sql: "INSERT INTO finding (review_id, position, text, themes) VALUES (?, ?, ?, ?)")
        learning = try RawStatement(db, sql: "INSERT INTO learning (review_id, position, text, themes) VALUES (?, ?, ?, ?)")
        recommendation = try RawStatement(db, sql: """
            INSERT INTO recommendation (review_id, position, label, text, addressed_to, response, reason_category, reason, themes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        action = try RawStatement(db, sql: """
            INSERT INTO action (recommendation_id, position, label, text, owner, target_date, current_target_date,
              status, completed_date, withdrawn_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        revision = try RawStatement(db, sql: "INSERT INTO action_revision (action_id, position, target_date) VALUES (?, ?, ?)")
        update = try RawStatement(db, sql: "INSERT INTO action_update (action_id, position, date, note) VALUES (?, ?, ?, ?)")
        searchText = try RawStatement(db, sql: "INSERT INTO search_text (id, review_id, source, item, text) VALUES (?, ?, ?, ?, ?)")
    }

    func insert(_ item: Review, columns: StoredColumns, now: String) throws {
        let derived = columns.derived
        let findingThemes = item.findings.map { Store.jsonList($0.themes) }
        let reviewID = Int(try review.execute(
            .text(item.reference), .text(item.kind.rawValue), .text(item.status.rawValue),
            .text(item.classification.rawValue), .text(item.eventDate.description),
            SQLValue(item.releaseDate?.description), SQLValue(item.reviewDate?.description),
            .text(item.region), .text(item.supervision.rawValue), SQLValue(item.age), .text(item.sex.rawValue),
            .text(item.ethnicity.rawValue), .text(item.eventPlace.rawValue), .text(item.bystanderPresent.rawValue),
            .text(item.naloxoneGivenAtEvent.rawValue), .text(item.ambulanceAttended.rawValue),
            .text(Store.jsonList(item.substances)), .text(Store.jsonList(item.agencies)), SQLValue(item.summary),
            .text(columns.answers), SQLValue(derived.daysSinceRelease),
            .text(derived.releaseBand.rawValue), .text(derived.ageBand), .text(now), .text(now),
            .text("[" + findingThemes.joined(separator: ",") + "]")))
        // Every text goes to `search_text` too, for `dus search` (see `Schema.createSearch`).
        var textID = Int64(reviewID) * Schema.searchTextIDs
        func searchable(_ source: String, _ item: String, _ text: String) throws {
            try searchText.execute(.integer(Int(textID)), .integer(reviewID), .text(source), .text(item), .text(text))
            textID += 1
        }
        if let summary = item.summary { try searchable("summary", "summary", summary) }
        for (index, note) in item.findings.enumerated() {
            try finding.execute(.integer(reviewID), .integer(index + 1), .text(note.text), .text(findingThemes[index]))
            try searchable("finding", "findings[\(index + 1)]", note.text)
        }
        for (index, note) in item.learning.enumerated() {
            try learning.execute(.integer(reviewID), .integer(index + 1), .text(note.text), .text(Store.jsonList(note.themes)))
            try searchable("learning", "learning[\(index + 1)]", note.text)
        }
        for (index, recommendation) in item.recommendations.enumerated() {
            let recommendationID = Int(try self.recommendation.execute(
                .integer(reviewID), .integer(index + 1), .text(recommendation.id), .text(recommendation.text),
                SQLValue(recommendation.to), .text(recommendation.response.rawValue),
                SQLValue(recommendation.reasonCategory?.rawValue), SQLValue(recommendation.reason),
                .text(Store.jsonList(recommendation.themes))))
            let recommendationItem = "recommendations[\(recommendation.id)]"
            try searchable("recommendation", recommendationItem, recommendation.text)
            for (actionIndex, action) in recommendation.actions.enumerated() {
                let actionID = Int(try self.action.execute(
                    .integer(recommendationID), .integer(actionIndex + 1), .text(action.id), .text(action.text),
                    .text(action.owner), .text(action.targetDate.description), .text(action.currentTargetDate.description),
                    .text(action.status.rawValue), SQLValue(action.completedDate?.description), SQLValue(action.withdrawnReason)))
                let actionItem = recommendationItem + ".actions[\(action.id)]"
                try searchable("action", actionItem, action.text)
                for (position, day) in action.revisedTargetDates.enumerated() {
                    try revision.execute(.integer(actionID), .integer(position + 1), .text(day.description))
                }
                for (position, update) in action.updates.enumerated() {
                    try self.update.execute(.integer(actionID), .integer(position + 1), .text(update.date.description), .text(update.note))
                    try searchable("action", actionItem + ".updates[\(position + 1)]", update.note)
                }
            }
        }
    }
}
