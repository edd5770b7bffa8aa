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

extension Store {
    // MARK: Answers string

    /// One character per catalogue factor, in catalogue order: `y`, `n`, `u` (unknown) or
    /// `-` (not applicable). Derived factors are computed here.
    func answers(for review: Review, derived: Derived) -> String {
        String(catalogue.factors.map { factor -> Character in
            switch review.answer(to: factor, derived: derived) {
            case .yes: return "y"
            case .no: return "n"
            case .unknown: return "u"
            case .notApplicable: return "-"
            }
        })
    }

    // MARK: Writing

    /// Inserts a review with all its parts. The caller holds the transaction.
    func insert(_ review: Review, _ db: Database, now: String) throws {
        let derived = Derived(for: review)
        try db.execute(
            sql: """
                INSERT INTO review (reference, kind, status, classification, event_date, release_date, review_date,
                  region, supervision, age, sex, ethnicity, event_place, bystander_present, naloxone_given_at_event,
                  ambulance_attended, substances, agencies, summary, answers, days_since_release, release_band, age_band,
                  created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                review.reference, review.kind.rawValue, review.status.rawValue, review.classification.rawValue,
                review.eventDate.description, review.releaseDate?.description, review.reviewDate?.description,
                review.region, review.supervision.rawValue, review.age, review.sex.rawValue, review.ethnicity.rawValue,
                review.eventPlace.rawValue, review.bystanderPresent.rawValue, review.naloxoneGivenAtEvent.rawValue,
                review.ambulanceAttended.rawValue, Store.jsonList(review.substances), Store.jsonList(review.agencies),
                review.summary, answers(for: review, derived: derived), derived.daysSinceRelease,
                derived.releaseBand.rawValue, derived.ageBand, now, now,
            ])
        let reviewID = db.lastInsertedRowID
        for (table, notes) in [("finding", review.findings), ("learning", review.learning)] {
            let statement = try db.cachedStatement(sql: "INSERT INTO \(table) (review_id, position, text, themes) VALUES (?, ?, ?, ?)")
            for (index, note) in notes.enumerated() {
                try statement.execute(arguments: [reviewID, index + 1, note.text, Store.jsonList(note.themes)])
            }
        }
        for (index, recommendation) in review.recommendations.enumerated() {
            try db.cachedStatement(sql: """
                INSERT INTO recommendation (review_id, position, label, text, addressed_to, response, reason_category, reason, themes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    reviewID, index + 1, recommendation.id, recommendation.text, recommendation.to,
                    recommendation.response.rawValue, recommendation.reasonCategory?.rawValue, recommendation.reason,
                    Store.jsonList(recommendation.themes),
                ])
            let recommendationID = db.lastInsertedRowID
            for (actionIndex, action) in recommendation.actions.enumerated() {
                try db.cachedStatement(sql: """
                    INSERT INTO action (recommendation_id, position, label, text, owner, target_date, current_target_date,
                      status, completed_date, withdrawn_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                        recommendationID, actionIndex + 1, action.id, action.text, action.owner,
                        action.targetDate.description, action.currentTargetDate.description, action.status.rawValue,
                        action.completedDate?.description, action.withdrawnReason,
                    ])
                let actionID = db.lastInsertedRowID
                for (position, day) in action.revisedTargetDates.enumerated() {
                    try db.cachedStatement(sql: "INSERT INTO action_revision (action_id, position, target_date) VALUES (?, ?, ?)")
                        .execute(arguments: [actionID, position + 1, day.description])
                }
                for (position, update) in action.updates.enumerated() {
                    try db.cachedStatement(sql: "INSERT INTO action_update (action_id, position, date, note) VALUES (?, ?, ?, ?)")
                        .execute(arguments: [actionID, position + 1, update.date.description, update.note])
                }
            }
        }
    }

    /// Removes a review and everything that belongs to it (the audit trail stays).
    func deleteReview(reference: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM review WHERE reference = ?", arguments: [reference])
    }

    func audit(_ db: Database, reference: String, event: String, now: String, reason: String? = nil, detail: String? = nil, content: Review?) throws {
        try db.cachedStatement(sql: "INSERT INTO audit (reference, at, event, reason, detail, content) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [reference, now, event, reason, detail, content.map { ReviewWriter(catalogue: catalogue).json($0).serialized() }])
    }

    static func jsonList(_ items: [String]) -> String {
        JSONValue.array(items.map(JSONValue.string)).serialized()
    }

    static func parseList(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8),
              let items = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return items
    }

    static func timestamp(_ date: Date = Date()) -> String {
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
                terms.append("\(character) = ?"); arguments.append(factor.risk == .yes ? "y" : "n")
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
