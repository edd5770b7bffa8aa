import Foundation

/// A column of a table dus writes: its name in SQL. Each table's `Columns` list every
/// column a write fills, and a record says what goes in each, so that the insert, the
/// reader and `dus doctor` spell a column one way. (Migrations keep frozen SQL of their
/// own: a later change here must not change what an old migration did.)
protocol StoredColumn: CaseIterable {
    var name: String { get }
}

/// A table dus writes, with its columns.
protocol StoredTable {
    associatedtype Columns: StoredColumn
    static var table: String { get }
}

extension StoredTable {
    /// `INSERT INTO table (every column) VALUES (?, …)`, the columns in `Columns` order.
    static var insertSQL: String {
        let names = Columns.allCases.map(\.name)
        return "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"
    }
}

/// One row of a table as dus writes it.
protocol StoredRecord: StoredTable {
    func value(_ column: Columns) -> SQLValue
}

extension StoredRecord {
    /// The row's values in `Columns` order, as `insertSQL` binds them.
    var values: [SQLValue] { Columns.allCases.map(value) }
}

/// A controlled list stored as its spelling (`death`, `near-miss`): reading one back
/// checks the spelling (`StoredRow.choice`).
protocol StoredText: RawRepresentable where RawValue == String {}

extension StoredText {
    var stored: SQLValue { .text(rawValue) }
}

extension Kind: StoredText {}
extension Status: StoredText {}
extension Classification: StoredText {}
extension Supervision: StoredText {}
extension Sex: StoredText {}
extension Ethnicity: StoredText {}
extension EventPlace: StoredText {}
extension Answer: StoredText {}
extension ReleaseBand: StoredText {}
extension ActionStatus: StoredText {}
extension Response: StoredText {}

extension ReviewColumn: StoredColumn {
    var name: String { rawValue }
}

/// A review's row of the table `review`: its fields, and the columns worked out from it
/// (`StoredColumns`).
struct ReviewRecord: StoredRecord {
    typealias Columns = ReviewColumn
    static let table = "review"

    let review: Review
    let columns: StoredColumns
    /// When the review was first stored, and when last changed.
    let createdAt: String
    let updatedAt: String

    func value(_ column: ReviewColumn) -> SQLValue {
        switch column {
        case .reference: .text(review.reference)
        case .kind: review.kind.stored
        case .status: review.status.stored
        case .classification: review.classification.stored
        case .eventDate: .text(review.eventDate.description)
        case .releaseDate: SQLValue(review.releaseDate?.description)
        case .reviewDate: SQLValue(review.reviewDate?.description)
        case .region: .text(review.region)
        case .supervision: review.supervision.stored
        case .age: SQLValue(review.age)
        case .sex: review.sex.stored
        case .ethnicity: review.ethnicity.stored
        case .eventPlace: review.eventPlace.stored
        case .bystanderPresent: review.bystanderPresent.stored
        case .naloxoneGivenAtEvent: review.naloxoneGivenAtEvent.stored
        case .ambulanceAttended: review.ambulanceAttended.stored
        case .substances: .text(columns.substances)
        case .agencies: .text(columns.agencies)
        case .summary: SQLValue(review.summary)
        case .answers: .text(columns.answers)
        case .daysSinceRelease: SQLValue(columns.derived.daysSinceRelease)
        case .releaseBand: columns.derived.releaseBand.stored
        case .ageBand: .text(columns.derived.ageBand)
        case .createdAt: .text(createdAt)
        case .updatedAt: .text(updatedAt)
        case .findingThemes: .text(columns.findingThemes)
        case .findings: .text(columns.findings)
        case .learning: .text(columns.learning)
        case .recommendations: .text(columns.recommendations)
        }
    }
}

/// One action's row of the table `action` (migration v8): the action as the review holds
/// it, with its recommendation's id, response and themes, beside the review's JSON.
struct ActionRecord: StoredRecord, Sendable {
    static let table = "action"

    /// The columns, numbered in the order `forEachAction` reads them.
    enum Columns: Int32, StoredColumn {
        case reviewID, reference, recommendationPosition, recommendation, position, label, text, owner, targetDate
        case currentTargetDate, status, completedDate, withdrawnReason, response, themes, revisedTargetDates
        case lastUpdateDate, lastUpdateNote, evidence

        var name: String {
            switch self {
            case .reviewID: "review_id"
            case .reference: "reference"
            case .recommendationPosition: "recommendation_position"
            case .recommendation: "recommendation"
            case .position: "position"
            case .label: "label"
            case .text: "text"
            case .owner: "owner"
            case .targetDate: "target_date"
            case .currentTargetDate: "current_target_date"
            case .status: "status"
            case .completedDate: "completed_date"
            case .withdrawnReason: "withdrawn_reason"
            case .response: "response"
            case .themes: "themes"
            case .revisedTargetDates: "revised_target_dates"
            case .lastUpdateDate: "last_update_date"
            case .lastUpdateNote: "last_update_note"
            case .evidence: "evidence"
            }
        }
    }

    /// The review's row id: known once the review is written.
    var reviewID: Int64 = 0
    var reference: String
    var recommendationPosition: Int, recommendation: String, position: Int, label: String
    var text: String, owner: String, targetDate: String, currentTargetDate: String, status: String
    var completedDate: String?, withdrawnReason: String?, response: String, themes: String, revisedTargetDates: String
    var lastUpdateDate: String?, lastUpdateNote: String?, evidence: String?

    /// The rows of every action of the review, in order (without its row id).
    static func records(of review: Review) -> [ActionRecord] {
        var records: [ActionRecord] = []
        for (recommendationIndex, recommendation) in review.recommendations.enumerated() where !recommendation.actions.isEmpty {
            let themes = recommendation.themes.isEmpty ? "[]" : StoredParts.list(recommendation.themes)
            for (actionIndex, action) in recommendation.actions.enumerated() {
                records.append(ActionRecord(
                    reference: review.reference, recommendationPosition: recommendationIndex + 1, recommendation: recommendation.id,
                    position: actionIndex + 1, label: action.id, text: action.text, owner: action.owner,
                    targetDate: action.targetDate.description, currentTargetDate: action.currentTargetDate.description,
                    status: action.status.rawValue, completedDate: action.completedDate?.description, withdrawnReason: action.withdrawnReason,
                    response: recommendation.response.rawValue, themes: themes,
                    revisedTargetDates: action.revisedTargetDates.isEmpty ? "[]" : StoredParts.list(action.revisedTargetDates.map(\.description)),
                    lastUpdateDate: action.updates.last?.date.description, lastUpdateNote: action.updates.last?.note,
                    evidence: action.evidence))
            }
        }
        return records
    }

    func value(_ column: Columns) -> SQLValue {
        switch column {
        case .reviewID: .integer(Int(reviewID))
        case .reference: .text(reference)
        case .recommendationPosition: .integer(recommendationPosition)
        case .recommendation: .text(recommendation)
        case .position: .integer(position)
        case .label: .text(label)
        case .text: .text(text)
        case .owner: .text(owner)
        case .targetDate: .text(targetDate)
        case .currentTargetDate: .text(currentTargetDate)
        case .status: .text(status)
        case .completedDate: SQLValue(completedDate)
        case .withdrawnReason: SQLValue(withdrawnReason)
        case .response: .text(response)
        case .themes: .text(themes)
        case .revisedTargetDates: .text(revisedTargetDates)
        case .lastUpdateDate: SQLValue(lastUpdateDate)
        case .lastUpdateNote: SQLValue(lastUpdateNote)
        case .evidence: SQLValue(evidence)
        }
    }
}

/// One entry of the table `audit`: what happened to a review, when, by whom, and the
/// digests that chain it to the entry before (`AuditChain`).
struct AuditRecord: StoredRecord {
    static let table = "audit"

    enum Columns: String, StoredColumn {
        case reference, at, event, reason, detail, content, actor, changes, salt
        case contentDigest = "content_digest", digest, chain

        var name: String { rawValue }
    }

    var reference: String, at: String, event: String, reason: String?, detail: String?, content: String?, actor: String
    var changes: String?, salt: Data, contentDigest: Data, digest: Data, chain: Data

    func value(_ column: Columns) -> SQLValue {
        switch column {
        case .reference: .text(reference)
        case .at: .text(at)
        case .event: .text(event)
        case .reason: SQLValue(reason)
        case .detail: SQLValue(detail)
        case .content: SQLValue(content)
        case .actor: .text(actor)
        case .changes: SQLValue(changes)
        case .salt: .blob(salt)
        case .contentDigest: .blob(contentDigest)
        case .digest: .blob(digest)
        case .chain: .blob(chain)
        }
    }
}

/// The table `search_size`: a review's row holds the length in words of each of its
/// texts, as little-endian 32-bit counts in the order that numbers them. Its one writer
/// binds the bytes in place (`SearchIndexWriter`).
enum SearchSizeTable: StoredTable {
    static let table = "search_size"

    enum Columns: String, StoredColumn {
        case reviewID = "review_id", sizes

        var name: String { rawValue }
    }
}
