import Foundation
import GRDB

/// Why a redaction or a deletion was refused. Nothing has changed when one is thrown.
public enum CorrectionError: LocalizedError, Equatable {
    case noField(reference: String, field: String)
    case textNotInField(reference: String, field: String)
    case reason(String)
    case nothingToRedact(reference: String, field: String)
    case unreadableAuditEntry(reference: String, id: Int64)

    public var errorDescription: String? {
        switch self {
        case .noField(let reference, let field):
            return "\(reference): \(field): no such text field; give a path such as summary, findings[2], recommendations[R1].reason or recommendations[R1].actions[A1].updates[1]"
        case .textNotInField(let reference, let field):
            return "\(reference): \(field): the text given by --text is neither there nor in any earlier version in the audit trail"
        case .nothingToRedact(let reference, let field):
            return "\(reference): \(field): there is nothing to redact (the text is empty or already [redacted])"
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
    /// Whether the field itself held the text (it may be only in earlier versions).
    public var fieldChanged: Bool
    /// The audit entries whose copy of the review, reason or file name held the text.
    public var auditEntriesChanged: Int
    /// Other fields of the review that still hold the text: each needs its own redaction.
    public var alsoIn: [String]
    /// Whether the log was folded into the file. When another program holds the database
    /// open it cannot be, and the log may keep the old text until that program lets go.
    public var logFolded: Bool
}

/// A path to one free-text field of a review: `summary`, `findings[2]` (or
/// `findings[2].text`), `learning[1]`, `agencies[3]`, `recommendations[R1]` (`.text`,
/// `.to`, `.reason`), `recommendations[R1].actions[A1]` (`.text`, `.owner`,
/// `.withdrawn_reason`, `.evidence`) and `recommendations[R1].actions[A1].updates[2]` (`.note`).
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
             ["recommendations", "actions", "withdrawn_reason"], ["recommendations", "actions", "evidence"]:
            guard let id = parts[0].index, let action = parts[1].index, !id.isEmpty, !action.isEmpty else { return nil }
            let part = parts.count == 3 ? parts[2].name : "text"
            guard ["text", "owner", "withdrawn_reason", "evidence"].contains(part), parts.count == 2 || parts[2].index == nil else { return nil }
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
            return action(id, actionID) {
                switch part {
                case "owner": return text(&$0.owner)
                case "withdrawn_reason": return optional(&$0.withdrawnReason)
                case "evidence": return optional(&$0.evidence)
                default: return text(&$0.text)
                }
            }
        case .update(let id, let actionID, let index):
            return action(id, actionID) { item(&$0.updates, index) { text(&$0.note) } }
        }
    }
}

extension Review {
    /// Every free text of the review with its path, in file order.
    var textFields: [(path: String, text: String)] {
        var fields: [(path: String, text: String)] = []
        if let summary { fields.append(("summary", summary)) }
        for (index, agency) in agencies.enumerated() { fields.append(("agencies[\(index + 1)]", agency)) }
        for (index, note) in findings.enumerated() { fields.append(("findings[\(index + 1)]", note.text)) }
        for (index, note) in learning.enumerated() { fields.append(("learning[\(index + 1)]", note.text)) }
        for recommendation in recommendations {
            let path = "recommendations[\(recommendation.id)]"
            fields.append((path, recommendation.text))
            if let to = recommendation.to { fields.append((path + ".to", to)) }
            if let reason = recommendation.reason { fields.append((path + ".reason", reason)) }
            for action in recommendation.actions {
                let actionPath = path + ".actions[\(action.id)]"
                fields += [(actionPath, action.text), (actionPath + ".owner", action.owner)]
                if let reason = action.withdrawnReason { fields.append((actionPath + ".withdrawn_reason", reason)) }
                for (index, update) in action.updates.enumerated() { fields.append((actionPath + ".updates[\(index + 1)]", update.note)) }
                if let evidence = action.evidence { fields.append((actionPath + ".evidence", evidence)) }
            }
        }
        return fields
    }
}

/// Finding and replacing a redacted text: whole words only, so that redacting `Al`
/// leaves `Alcohol` alone.
enum Redaction {
    /// `text` with every whole-word occurrence of `target` replaced by `[redacted]`.
    static func replacing(_ target: String, in text: String) -> String {
        guard !target.isEmpty, text.contains(target) else { return text }
        func isWordCharacter(_ character: Character?) -> Bool { character.map { $0.isLetter || $0.isNumber } ?? false }
        let checksStart = isWordCharacter(target.first), checksEnd = isWordCharacter(target.last)
        var out = ""
        var rest = text[...]
        while let range = rest.range(of: target) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if (checksStart && isWordCharacter(before)) || (checksEnd && isWordCharacter(after)) {
                out += rest[..<text.index(after: range.lowerBound)]
                rest = rest[text.index(after: range.lowerBound)...]
            } else {
                out += String(rest[..<range.lowerBound]) + Store.redacted
                rest = rest[range.upperBound...]
            }
        }
        return out + rest
    }

    static func occurs(_ target: String, in text: String) -> Bool {
        replacing(target, in: text) != text
    }
}

extension JSONValue {
    /// The value with `change` applied to every string in it (not to object keys).
    func mappingStrings(_ change: (String) -> String) -> JSONValue {
        switch self {
        case .string(let text): return .string(change(text))
        case .array(let items): return .array(items.map { $0.mappingStrings(change) })
        case .object(let pairs): return .object(pairs.map { ($0.0, $0.1.mappingStrings(change)) })
        default: return self
        }
    }
}

extension Store {
    /// What a redacted text becomes.
    public static let redacted = "[redacted]"

    /// Replaces `text` (or, when nil, the whole text of `field`) with `[redacted]` in
    /// that field of the review, and wherever it occurs in the review's audit entries
    /// (copies of earlier versions, reasons, the names of files imported from); records a
    /// `redacted` audit entry that holds no copy. Whole words only: redacting `Al` leaves
    /// `Alcohol` alone. A text no longer in the field (an amendment took it out, or an
    /// earlier redaction) is still removed from the audit entries that hold it. Other
    /// fields of the review that hold it are named in the report, not changed: the panel
    /// decides each one.
    ///
    /// The text is erased from the file, not only hidden: the write zeroes what it frees
    /// (`secure_delete`), the search index is rebuilt without it, and the log is folded
    /// into the file when no other program holds it open.
    @discardableResult
    public func redact(reference: String, field path: String, text: String?, reason: String, now: String = Store.timestamp()) throws -> RedactionReport {
        let reason = try Self.checkedReason(reason)
        guard let field = TextField(path) else { throw CorrectionError.noField(reference: reference, field: path) }
        if let text, text.isEmpty || Self.redacted.contains(text) { throw CorrectionError.nothingToRedact(reference: reference, field: path) }
        var (report, logFolded) = try erasing { db -> RedactionReport in
            guard var review = try loadReview(db, where: "reference = ?", [reference]).first else {
                throw StoreError.notFound(reference: reference)
            }
            let current = field.value(in: review)
            guard let target = text ?? current else { throw CorrectionError.noField(reference: reference, field: path) }
            if text == nil && current == Self.redacted { throw CorrectionError.nothingToRedact(reference: reference, field: path) }
            if reason.contains(target) {
                throw CorrectionError.reason("holds the text being redacted; give the reason without it")
            }
            let fieldChanged = current.map { Redaction.occurs(target, in: $0) } ?? false
            if fieldChanged { field.update(&review) { Redaction.replacing(target, in: $0) } }

            var changed = 0
            var erased: [FieldChange] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, reason, detail, content, changes FROM audit WHERE reference = ? ORDER BY id", arguments: [reference]) {
                let id: Int64 = row["id"]
                let stored = StoredRow(row)
                let original: (reason: String?, detail: String?, content: String?, changes: String?)
                do throws(DamagedValue) {
                    original = (try stored.optionalText("reason"), try stored.optionalText("detail"), try stored.optionalText("content"), try stored.optionalText("changes"))
                } catch {
                    throw StoreError.damaged(error.inAuditEntry(id), reference: reference)
                }
                var content = original.content
                if let old = content, old.contains(Self.jsonEscaped(target)) || old.contains(target) {
                    // Texts only, never keys; an old copy need not pass today's rules.
                    guard let copy = JSONValue.parse(old) else { throw CorrectionError.unreadableAuditEntry(reference: reference, id: id) }
                    content = copy.mappingStrings { Redaction.replacing(target, in: $0) }.serialized()
                }
                let reasonText = original.reason.map { Redaction.replacing(target, in: $0) }
                let detail = original.detail.map { Redaction.replacing(target, in: $0) }
                // The field changes hold old and new values: the text goes from them too.
                var changes = original.changes
                if let old = changes, old.contains(Self.jsonEscaped(target)) || old.contains(target) {
                    let redacted = FieldChange.parse(old).map {
                        FieldChange(path: $0.path, old: $0.old.map { Redaction.replacing(target, in: $0) }, new: $0.new.map { Redaction.replacing(target, in: $0) })
                    }
                    changes = FieldChange.json(redacted).serialized()
                }
                if content != original.content || reasonText != original.reason || detail != original.detail || changes != original.changes {
                    // The salt goes with the text, so the digest kept for the chain cannot
                    // confirm a guess at what was removed.
                    try auditDoor.whileOpen {
                        try db.execute(sql: "UPDATE audit SET reason = ?, detail = ?, content = ?, changes = ?, salt = NULL WHERE id = ?",
                                       arguments: [reasonText, detail, content, changes, id])
                    }
                    erased.append(AuditChain.erasure(of: id, "redacted"))
                    changed += 1
                }
            }
            guard fieldChanged || changed > 0 else { throw CorrectionError.textNotInField(reference: reference, field: path) }
            if fieldChanged { try replaceStored(review, db, now: now) }
            try audit(db, reference: reference, event: "redacted", now: now, reason: reason, detail: path, content: nil, changes: erased)
            let others = review.textFields.filter { $0.path != path && Redaction.occurs(target, in: $0.text) }.map(\.path)
            return RedactionReport(reference: reference, field: path, fieldChanged: fieldChanged, auditEntriesChanged: changed,
                                   alsoIn: others, logFolded: true)
        }
        report.logFolded = logFolded
        return report
    }

    /// Removes a review imported by mistake, with every copy of it in its audit entries;
    /// the entries themselves stay (what happened, and when), and a `deleted` entry with
    /// the reason is added. Erased from the file like a redaction.
    /// Returns whether the log was folded into the file (see `RedactionReport.logFolded`).
    @discardableResult
    public func delete(reference: String, reason: String, now: String = Store.timestamp()) throws -> Bool {
        let reason = try Self.checkedReason(reason)
        return try erasing { db in
            guard try contains(reference, db) else { throw StoreError.notFound(reference: reference) }
            try deleteReview(reference: reference, db)
            // Copies of the review and the field changes (old and new values) both hold its text.
            let holding = "reference = ? AND (content IS NOT NULL OR changes IS NOT NULL)"
            let copies = try Int64.fetchAll(db, sql: "SELECT id FROM audit WHERE \(holding) ORDER BY id", arguments: [reference])
            try auditDoor.whileOpen {
                try db.execute(sql: "UPDATE audit SET content = NULL, changes = NULL, salt = NULL WHERE \(holding)", arguments: [reference])
            }
            try audit(db, reference: reference, event: "deleted", now: now, reason: reason, content: nil,
                      changes: copies.map { AuditChain.erasure(of: $0, "copy of the review removed") })
        }.logFolded
    }

    /// The one way a stored review is replaced (`import --replace`, an edit, an amendment,
    /// a redaction): its rows and index entries go, and the new review is stored in its
    /// place, keeping when it was first stored. An import passes its own inserter and the
    /// columns its reading threads worked out.
    func replaceStored(_ review: Review, columns: StoredColumns? = nil, inserter: ReviewInserter? = nil, _ db: Database, now: String) throws {
        let created = try String.fetchOne(db, sql: "SELECT CAST(created_at AS TEXT) FROM review WHERE reference = ?", arguments: [review.reference]) ?? now
        try deleteReview(reference: review.reference, db)
        try (inserter ?? ReviewInserter(db, counter: words)).insert(
            review, columns: columns ?? StoredColumns(review, catalogue: catalogue), now: now, createdAt: created)
    }

    /// A correction's reason is required, and screened like every free text.
    private static func checkedReason(_ reason: String) throws -> String {
        guard let reason = try screenedReason(reason) else { throw CorrectionError.reason("a reason is required") }
        return reason
    }

    /// A reason for the audit trail, trimmed (nil when empty), and screened like every
    /// free text: a change must not bring in an identifier, nor what a correction removes.
    static func screenedReason(_ reason: String?) throws -> String? {
        guard let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
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

    /// Runs `body` in one transaction (freed space is zeroed on every connection: see
    /// `Store.init`), and rebuilds the search index's segments without the deleted
    /// entries, so that no removed text stays in the database; then folds the log into
    /// the file. The change is committed before that
    /// last step, which only another program holding the file open can stop: it is then
    /// not an error, and the second value returned is false.
    private func erasing<T>(_ body: (Database) throws -> T) throws -> (T, logFolded: Bool) {
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    // FTS5 marks deleted entries and drops them only when segments merge.
                    try db.execute(sql: "INSERT INTO search (search) VALUES ('optimize')")
                    return .commit
                }
                var folded = path == nil
                if !folded, let (log, copied) = try? db.checkpoint(.truncate) { folded = log == copied }
                return (result!, folded)
            }
        } catch let error as DatabaseError {
            throw StoreError(databaseError: error, path: path ?? ":memory:")
        }
    }
}
