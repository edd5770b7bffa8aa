import Foundation
import GRDB

/// Why a redaction or a deletion was refused. Nothing has changed when one is thrown.
public enum CorrectionError: LocalizedError, Equatable {
    case noReview(String)
    case noField(reference: String, field: String)
    case textNotInField(reference: String, field: String)
    case emptyField(reference: String, field: String)
    case reason(String)
    case unreadableAuditEntry(reference: String, id: Int64)

    public var errorDescription: String? {
        switch self {
        case .noReview(let reference):
            return "\(reference): no review with this reference"
        case .noField(let reference, let field):
            return "\(reference): \(field): no such text field; give a path such as summary, findings[2], recommendations[R1].reason or recommendations[R1].actions[A1].updates[1]"
        case .textNotInField(let reference, let field):
            return "\(reference): \(field): the text given by --text is neither there nor in any earlier version in the audit trail"
        case .emptyField(let reference, let field):
            return "\(reference): \(field): holds no text to redact"
        case .reason(let message):
            return "--reason: \(message)"
        case .unreadableAuditEntry(let reference, let id):
            return "\(reference): audit entry \(id) holds a copy that cannot be read, so the text could not be removed from it; nothing was changed"
        }
    }
}

/// What `dus redact` did.
public struct RedactionReport: Equatable, Sendable {
    public var reference: String
    public var field: String
    /// The audit entries whose copy of the review, or reason, held the text.
    public var auditEntriesChanged: Int
}

/// A path to one free-text field of a review: `summary`, `findings[2]` (or
/// `findings[2].text`), `learning[1]`, `agencies[3]`, `recommendations[R1]` (`.text`,
/// `.to`, `.reason`), `recommendations[R1].actions[A1]` (`.text`, `.owner`,
/// `.withdrawn_reason`) and `recommendations[R1].actions[A1].updates[2]` (`.note`).
struct TextField {
    private enum Place {
        case summary
        case finding(Int), learning(Int), agency(Int)
        case recommendation(String, part: String)
        case action(String, String, part: String)
        case update(String, String, Int)
    }

    private let place: Place

    init?(_ path: String) {
        var parts: [(name: String, index: String?)] = []
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            if let open = component.firstIndex(of: "["), component.last == "]" {
                parts.append((String(component[..<open]), String(component[component.index(after: open)..<component.index(before: component.endIndex)])))
            } else {
                parts.append((String(component), nil))
            }
        }
        func number(_ text: String?) -> Int? { text.flatMap(Int.init).flatMap { $0 >= 1 ? $0 : nil } }
        switch parts.map(\.name) {
        case ["summary"] where parts[0].index == nil: place = .summary
        case ["findings"], ["findings", "text"]:
            guard let index = number(parts[0].index), parts.count == 1 || parts[1].index == nil else { return nil }
            place = .finding(index)
        case ["learning"], ["learning", "text"]:
            guard let index = number(parts[0].index), parts.count == 1 || parts[1].index == nil else { return nil }
            place = .learning(index)
        case ["agencies"]:
            guard let index = number(parts[0].index) else { return nil }
            place = .agency(index)
        case ["recommendations", "actions", "updates"], ["recommendations", "actions", "updates", "note"]:
            guard let id = parts[0].index, let action = parts[1].index, let update = number(parts[2].index) else { return nil }
            place = .update(id, action, update)
        case ["recommendations", "actions"], ["recommendations", "actions", "text"], ["recommendations", "actions", "owner"],
             ["recommendations", "actions", "withdrawn_reason"]:
            guard let id = parts[0].index, let action = parts[1].index, !id.isEmpty, !action.isEmpty else { return nil }
            let part = parts.count == 3 ? parts[2].name : "text"
            guard ["text", "owner", "withdrawn_reason"].contains(part), parts.count == 2 || parts[2].index == nil else { return nil }
            place = .action(id, action, part: part)
        case ["recommendations"], ["recommendations", "text"], ["recommendations", "to"], ["recommendations", "reason"]:
            guard let id = parts[0].index, !id.isEmpty else { return nil }
            let part = parts.count == 2 ? parts[1].name : "text"
            guard ["text", "to", "reason"].contains(part), parts.count == 1 || parts[1].index == nil else { return nil }
            place = .recommendation(id, part: part)
        default:
            return nil
        }
    }

    /// The field's text in `review`; nil when the review has no such field, or it is empty.
    func value(in review: Review) -> String? {
        var copy = review
        var found: String?
        _ = update(&copy) { found = $0; return $0 }
        return found
    }

    /// Replaces the field's text with `change(text)`; false when the review has no such field.
    @discardableResult
    func update(_ review: inout Review, _ change: (String) -> String) -> Bool {
        func item<T>(_ items: inout [T], _ index: Int, _ body: (inout T) -> Bool) -> Bool {
            guard index <= items.count else { return false }
            return body(&items[index - 1])
        }
        func text(_ value: inout String) -> Bool { value = change(value); return true }
        func optional(_ value: inout String?) -> Bool {
            guard let old = value else { return false }
            value = change(old)
            return true
        }
        func recommendation(_ id: String, _ body: (inout Recommendation) -> Bool) -> Bool {
            guard let index = review.recommendations.firstIndex(where: { $0.id == id }) else { return false }
            return body(&review.recommendations[index])
        }
        func action(_ id: String, _ actionID: String, _ body: (inout Action) -> Bool) -> Bool {
            recommendation(id) { recommendation in
                guard let index = recommendation.actions.firstIndex(where: { $0.id == actionID }) else { return false }
                return body(&recommendation.actions[index])
            }
        }
        switch place {
        case .summary: return optional(&review.summary)
        case .finding(let index): return item(&review.findings, index) { text(&$0.text) }
        case .learning(let index): return item(&review.learning, index) { text(&$0.text) }
        case .agency(let index): return item(&review.agencies, index) { text(&$0) }
        case .recommendation(let id, let part):
            return recommendation(id) { part == "to" ? optional(&$0.to) : part == "reason" ? optional(&$0.reason) : text(&$0.text) }
        case .action(let id, let actionID, let part):
            return action(id, actionID) { part == "owner" ? text(&$0.owner) : part == "withdrawn_reason" ? optional(&$0.withdrawnReason) : text(&$0.text) }
        case .update(let id, let actionID, let index):
            return action(id, actionID) { item(&$0.updates, index) { text(&$0.note) } }
        }
    }
}

extension Review {
    /// The review with every occurrence of `text` in its free text replaced by `replacement`.
    func replacingText(_ text: String, with replacement: String) -> Review {
        func swap(_ value: String) -> String { value.replacingOccurrences(of: text, with: replacement) }
        var review = self
        review.summary = review.summary.map(swap)
        review.agencies = review.agencies.map(swap)
        for index in review.findings.indices { review.findings[index].text = swap(review.findings[index].text) }
        for index in review.learning.indices { review.learning[index].text = swap(review.learning[index].text) }
        for index in review.recommendations.indices {
            var recommendation = review.recommendations[index]
            recommendation.text = swap(recommendation.text)
            recommendation.to = recommendation.to.map(swap)
            recommendation.reason = recommendation.reason.map(swap)
            for actionIndex in recommendation.actions.indices {
                var action = recommendation.actions[actionIndex]
                action.text = swap(action.text)
                action.owner = swap(action.owner)
                action.withdrawnReason = action.withdrawnReason.map(swap)
                for updateIndex in action.updates.indices { action.updates[updateIndex].note = swap(action.updates[updateIndex].note) }
                recommendation.actions[actionIndex] = action
            }
            review.recommendations[index] = recommendation
        }
        return review
    }
}

extension Store {
    /// What a redacted text becomes.
    public static let redacted = "[redacted]"

    /// Replaces `text` (or, when nil, the whole text of `field`) with `[redacted]` in the
    /// review and in every audit entry of the review that holds it (a copy of an earlier
    /// version, or a reason), and records a `redacted` audit entry that holds no copy. A
    /// `text` no longer in the field (an amendment took it out) is still removed from the
    /// audit entries that hold it.
    ///
    /// The text is erased from the file, not only hidden: the write zeroes what it frees
    /// (`secure_delete`), the search index is rebuilt without it, and the log is folded
    /// into the file.
    public func redact(reference: String, field path: String, text: String?, reason: String, now: String = Store.timestamp()) throws -> RedactionReport {
        let reason = try Self.checkedReason(reason)
        guard let field = TextField(path) else { throw CorrectionError.noField(reference: reference, field: path) }
        return try erasing { db in
            guard var review = try loadReview(db, where: "reference = ?", [reference]).first else {
                throw CorrectionError.noReview(reference)
            }
            guard let current = field.value(in: review) else { throw CorrectionError.noField(reference: reference, field: path) }
            let target = text ?? current
            guard !target.isEmpty, current != Self.redacted else { throw CorrectionError.emptyField(reference: reference, field: path) }
            // A text already removed from the review by an amendment may still sit in the
            // copies of earlier versions: then only those change.
            let isInField = current.contains(target)
            if isInField { field.update(&review) { $0.replacingOccurrences(of: target, with: Self.redacted) } }

            var changed = 0
            let reader = ReviewFiles(catalogue: catalogue, today: .today())
            let writer = ReviewWriter(catalogue: catalogue)
            for row in try Row.fetchAll(db, sql: "SELECT id, reason, content FROM audit WHERE reference = ? ORDER BY id", arguments: [reference]) {
                let id: Int64 = row["id"]
                var reasonText: String? = row["reason"]
                var content: String? = row["content"]
                if let old = content, old.contains(Self.jsonEscaped(target)) {
                    // The copy is read as a review, so that only texts change, never keys.
                    guard let copy = reader.readJSON(old, file: "audit").first?.review else {
                        throw CorrectionError.unreadableAuditEntry(reference: reference, id: id)
                    }
                    content = writer.json(copy.replacingText(target, with: Self.redacted)).serialized()
                }
                reasonText = reasonText.map { $0.replacingOccurrences(of: target, with: Self.redacted) }
                if content != row["content"] || reasonText != row["reason"] {
                    try db.execute(sql: "UPDATE audit SET reason = ?, content = ? WHERE id = ?", arguments: [reasonText, content, id])
                    changed += 1
                }
            }
            guard isInField || changed > 0 else { throw CorrectionError.textNotInField(reference: reference, field: path) }
            if isInField { try replaceStored(review, db, now: now) }
            try audit(db, reference: reference, event: "redacted", now: now, reason: reason, detail: path, content: nil)
            return RedactionReport(reference: reference, field: path, auditEntriesChanged: changed)
        }
    }

    /// Removes a review imported by mistake, with every copy of it in its audit entries;
    /// the entries themselves stay (what happened, and when), and a `deleted` entry with
    /// the reason is added. Erased from the file like a redaction.
    public func delete(reference: String, reason: String, now: String = Store.timestamp()) throws {
        let reason = try Self.checkedReason(reason)
        try erasing { db in
            guard try contains(reference, db) else { throw CorrectionError.noReview(reference) }
            try deleteReview(reference: reference, db)
            try db.execute(sql: "UPDATE audit SET content = NULL WHERE reference = ?", arguments: [reference])
            try audit(db, reference: reference, event: "deleted", now: now, reason: reason, content: nil)
        }
    }

    /// The review stored again in place of the one with its reference, keeping when it
    /// was first stored.
    private func replaceStored(_ review: Review, _ db: Database, now: String) throws {
        let created = try String.fetchOne(db, sql: "SELECT created_at FROM review WHERE reference = ?", arguments: [review.reference]) ?? now
        try deleteReview(reference: review.reference, db)
        try insert(review, db, now: now)
        try db.execute(sql: "UPDATE review SET created_at = ? WHERE reference = ?", arguments: [created, review.reference])
    }

    /// A reason is required, and is screened like every free text: a correction must not
    /// bring in what it removes.
    private static func checkedReason(_ reason: String) throws -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CorrectionError.reason("a reason is required") }
        if let kind = IdentifierScreen.identifier(in: trimmed) {
            throw CorrectionError.reason("contains what looks like \(kind); reviews are pseudonymous: reword it")
        }
        return trimmed
    }

    private static func jsonEscaped(_ text: String) -> String {
        var out = ""
        JSONValue.writeString(text, to: &out)
        return String(out.dropFirst().dropLast())
    }

    /// Runs `body` in one transaction with freed space zeroed, then rebuilds the search
    /// index's segments without the deleted entries and folds the log into the file, so
    /// that no removed text stays anywhere in the database's files.
    private func erasing<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA secure_delete = ON")
                defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    // FTS5 marks deleted entries and drops them only when segments merge.
                    try db.execute(sql: "INSERT INTO search (search) VALUES ('optimize')")
                    return .commit
                }
                if path != nil { try db.checkpoint(.truncate) }
                return result!
            }
        } catch let error as DatabaseError {
            throw StoreError(databaseError: error, path: path ?? ":memory:")
        }
    }
}
