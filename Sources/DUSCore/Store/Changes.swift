import Foundation
import GRDB

/// What a change made with `Store.change` recorded.
public struct ChangeOutcome: Equatable, Sendable {
    /// The audit event: the change's own (`action updated`, ...) or `amended`; nil when
    /// the change left the review as it was, and nothing was written.
    public var event: String?
    /// The review as stored after the change.
    public var review: Review
}

extension Store {
    /// Changes one stored review in one transaction: `modify` makes the change on the
    /// review as stored, and the result is checked with every rule of an import (the
    /// identifier screen on every text, strict dates, the publishing rules) before it is
    /// written through the one write path and audited with the actor and the fields changed.
    ///
    /// On a published review, a change only under `recommendations[*].actions[*]` is
    /// progress: it needs no reason and is audited as `event`. Any other change to a
    /// published review is an amendment: it needs `reason` and is audited as `amended`.
    /// `detail` names what was changed (an address such as `REF/R1/A1`). `actor` is who
    /// made it, when not the store's own (a user signed in to `dus serve`).
    public func change(
        _ reference: String, event: String, reason: String? = nil, detail: String? = nil, today: Day = .today(),
        now: String = Store.timestamp(), actor: String? = nil, _ modify: (inout Review) throws -> Void
    ) throws -> ChangeOutcome {
        let reason = try Self.screenedReason(reason)
        return try write { db in
            guard let stored = try loadReview(db, where: "reference = ?", [reference]).first else { throw StoreError.notFound(reference: reference) }
            var changed = stored
            try modify(&changed)
            // Read back as an import reads a file: the same checks, the same normalised texts.
            let text = ReviewWriter(catalogue: catalogue).json(changed).serialized(pretty: false)
            let read = ReviewFiles(catalogue: catalogue, today: today).readJSON(text, file: reference)
            let problems = read.flatMap(\.problems)
            if !problems.isEmpty { throw ProblemsError(problems) }
            guard read.count == 1, let checked = read[0].review else { throw ProblemsError([]) }
            if checked == stored { return ChangeOutcome(event: nil, review: stored) }
            let isProgress = Self.isProgress(from: stored, to: checked)
            if stored.status == .published && !isProgress && reason == nil { throw EditError.needsReason(reference) }
            let recorded = stored.status == .published && !isProgress ? "amended" : event
            try replaceStored(checked, db, now: now)
            // An amendment's entry says why (its reason); the fields changed say where.
            try audit(db, reference: reference, event: recorded, now: now, reason: reason, detail: recorded == "amended" ? nil : detail,
                      content: stored, after: checked, actor: actor)
            return ChangeOutcome(event: recorded, review: checked)
        }
    }

    /// Whether every difference between the two reviews lies under
    /// `recommendations[*].actions[*]`: progress on the actions, never an amendment.
    public static func isProgress(from before: Review, to after: Review) -> Bool {
        guard before.recommendations.count == after.recommendations.count else { return false }
        var (before, after) = (before, after)
        for index in before.recommendations.indices {
            before.recommendations[index].actions = []
            after.recommendations[index].actions = []
        }
        return before == after
    }
}
