import Foundation
import GRDB

/// Why an edit or a new review was refused. Nothing has changed when one is thrown.
public enum EditError: LocalizedError, Equatable {
    case needsReason(String)
    case otherReference(file: String, expected: String, found: String)
    case statusChanged(reference: String, from: Status, to: Status)
    case referenceTaken(String)
    case notOneReview(file: String, count: Int)
    case changedMeanwhile(String)

    public var errorDescription: String? {
        switch self {
        case .needsReason(let reference):
            return "\(reference): is published; changing anything but its actions is an amendment and needs --reason"
        case .otherReference(let file, let expected, let found):
            return "\(file): reference: is \(found), not \(expected); a review's reference cannot be edited (export it, delete it and import it under the new reference)"
        case .statusChanged(let reference, let from, let to):
            return "\(reference): status: changed from \(from.rawValue) to \(to.rawValue); move a review with `dus status \(reference) \(to.rawValue)`, which applies the workflow's rules"
        case .referenceTaken(let reference):
            return "\(reference): reference: already in the database; change it with `dus edit \(reference)`"
        case .notOneReview(let file, let count):
            return "\(file): holds \(count) reviews; give a file with exactly one"
        case .changedMeanwhile(let reference):
            return "\(reference): was changed by someone else while it was being edited; nothing was written (compare with dus show \(reference))"
        }
    }
}

/// What `dus edit` did.
public enum EditOutcome: String, Equatable, Sendable {
    /// The edited review was the same as the stored one: nothing was written.
    case unchanged
    /// A draft or agreed review was changed (audit event `edited`).
    case edited
    /// A published review was changed, with a reason (audit event `amended`).
    case amended
    /// Only the actions of a published review were changed: progress, not an amendment
    /// (audit event `action updated`).
    case progress = "action updated"
}

extension Store {
    /// The review to edit. Refuses before any editing starts what could not be saved
    /// afterwards: a reference not in the database, and a reason that names someone. (A
    /// published review is refused without a reason only when the edit changes more than
    /// its actions, which is known only afterwards.)
    public func reviewForEditing(_ reference: String, reason: String?) throws -> Review {
        _ = try Self.screenedReason(reason)
        guard let review = try review(reference) else { throw StoreError.notFound(reference: reference) }
        return review
    }

    /// Replaces the review `reference` with `edited`, which the caller has read from `file`
    /// with every rule of an import applied. The reference cannot change, and neither can
    /// the status (`dus status` moves a review); a published review changes only with a
    /// reason (an amendment), unless only its actions change (progress). The audit entry
    /// (`edited`; `amended` or `action updated` for a published review) keeps the review as it was before, so nothing recorded is lost; the review
    /// keeps the time it was first stored. An edit that changes nothing writes nothing.
    /// `file` is nil for an edit made in the editor, whose file is temporary. `opened`,
    /// when given, is the review as it was when the edit began: if the stored review is no
    /// longer the same, someone else changed it meanwhile, and the edit is refused rather
    /// than written over their change.
    public func edit(
        _ reference: String, to edited: Review, reason: String?, file: String?, opened: Review? = nil, now: String = Store.timestamp()
    ) throws -> EditOutcome {
        let reason = try Self.screenedReason(reason)
        if edited.reference != reference { throw EditError.otherReference(file: file ?? reference, expected: reference, found: edited.reference) }
        return try write { db in
            guard let stored = try loadReview(db, where: "reference = ?", [reference]).first else { throw StoreError.notFound(reference: reference) }
            if let opened, opened != stored { throw EditError.changedMeanwhile(reference) }
            if edited.status != stored.status { throw EditError.statusChanged(reference: reference, from: stored.status, to: edited.status) }
            if edited == stored { return .unchanged }
            let isProgress = Self.isProgress(from: stored, to: edited)
            if stored.status == .published && !isProgress && reason == nil { throw EditError.needsReason(reference) }
            try replaceStored(edited, db, now: now)
            let outcome: EditOutcome = stored.status == .published ? (isProgress ? .progress : .amended) : .edited
            try audit(db, reference: reference, event: outcome.rawValue, now: now, reason: reason, detail: file, content: stored, after: edited)
            return outcome
        }
    }

    /// Stores a new review, read from `file` with every rule of an import applied, and
    /// audits it (`created`; `file` is nil for a review made in the editor, whose file is
    /// temporary). Refuses a reference already in the database.
    public func create(_ review: Review, file: String?, now: String = Store.timestamp()) throws {
        try write { db in
            if try contains(review.reference, db) { throw EditError.referenceTaken(review.reference) }
            try insert(review, db, now: now)
            try audit(db, reference: review.reference, event: "created", now: now, detail: file, content: nil)
        }
    }
}

extension ReviewFiles {
    /// The one review in a review file (`.md`, `.json`, or a `.jsonl` file of one line),
    /// with every rule of an import applied. Throws `ProblemsError` with every problem, or
    /// `EditError.notOneReview`.
    public func readOneReview(_ path: String) throws -> Review {
        let (paths, pathProblems) = Self.files(in: [path])
        if !pathProblems.isEmpty { throw ProblemsError(pathProblems) }
        var problems: [Problem] = []
        var reviews: [Review] = []
        for path in paths {
            readReviews(inFile: path) { read in
                problems += read.problems
                if let review = read.review { reviews.append(review) }
            }
        }
        if !problems.isEmpty { throw ProblemsError(problems) }
        guard reviews.count == 1 else { throw EditError.notOneReview(file: path, count: reviews.count) }
        return reviews[0]
    }
}
