import Foundation
import GRDB

/// Why a status move was refused. Nothing has changed when one is thrown.
public enum StatusError: LocalizedError, Equatable {
    case skipsAStep(reference: String, from: Status, to: Status)
    case needsReason(reference: String, from: Status)

    public var errorDescription: String? {
        switch self {
        case .skipsAStep(let reference, let from, let to):
            return "\(reference): \(from.rawValue) → \(to.rawValue) skips agreed; a review moves draft → agreed → published: move it to agreed first"
        case .needsReason(let reference, let from):
            return "\(reference): is \(from.rawValue); moving a published review back is an amendment and needs --reason"
        }
    }
}

/// What `dus status` did.
public struct StatusChange: Equatable, Sendable {
    public var reference: String
    public var from: Status
    public var to: Status
    public var changed: Bool { from != to }
}

extension Store {
    /// Moves a review through the workflow: draft → agreed → published, one step at a
    /// time; back to an earlier status too, which for a published review is an amendment
    /// and needs a reason. Publishing applies the same rules as an imported file (at least
    /// one finding and one learning point, a classification other than suspected, no exact
    /// date in findings, learning or recommendations): a review that breaks them throws
    /// `ProblemsError` naming each field. The move is audited (`status`, with `from → to`).
    public func move(_ reference: String, to status: Status, reason: String?, now: String = Store.timestamp()) throws -> StatusChange {
        let reason = try Self.screenedReason(reason)
        return try write { db in
            guard let review = try loadReview(db, where: "reference = ?", [reference]).first else { throw StoreError.notFound(reference: reference) }
            let change = StatusChange(reference: reference, from: review.status, to: status)
            guard change.changed else { return change }
            let (from, to) = (Status.allCases.firstIndex(of: review.status)!, Status.allCases.firstIndex(of: status)!)
            if to > from + 1 { throw StatusError.skipsAStep(reference: reference, from: review.status, to: status) }
            if review.status == .published && reason == nil { throw StatusError.needsReason(reference: reference, from: review.status) }
            if status == .published {
                // The rules of a published review, as an import applies them.
                let breaches = PublishingRules.breaches(review)
                if !breaches.isEmpty { throw ProblemsError(breaches.map { Problem(file: reference, field: $0.field, message: $0.message) }) }
            }
            try db.execute(sql: "UPDATE review SET status = ?, updated_at = ? WHERE reference = ?", arguments: [status.rawValue, now, reference])
            try audit(db, reference: reference, event: "status", now: now, reason: reason,
                      detail: "\(review.status.rawValue) → \(status.rawValue)", content: nil,
                      changes: [FieldChange(path: "status", old: review.status.rawValue, new: status.rawValue)])
            return change
        }
    }
}
