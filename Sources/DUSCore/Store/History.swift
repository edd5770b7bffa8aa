import Foundation
import GRDB

/// One entry of a review's audit trail.
public struct AuditEntry: Sendable, Equatable {
    public var at: String
    /// `imported`, `created`, `replaced`, `edited`, `amended`, `status`, `redacted` or `deleted`.
    public var event: String
    public var reason: String?
    /// The source file of an import or an edit, the path of a redacted text, or a status move
    /// (`draft → agreed`).
    public var detail: String?
    /// The review as it was before a replacement or an amendment, as review-file JSON.
    public var content: String?
}

extension Store {
    /// The audit trail of `reference`, oldest first; it outlives a deleted review.
    public func history(of reference: String) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, event, reason, detail, content FROM audit WHERE reference = ? ORDER BY id", arguments: [reference])
                .map { AuditEntry(at: $0["at"], event: $0["event"], reason: $0["reason"], detail: $0["detail"], content: $0["content"]) }
        }
    }
}

/// `dus history` output.
public enum HistoryRenderer {
    /// One line an entry: when, what, why and from where; entries that keep an earlier
    /// version say so.
    public static func text(_ entries: [AuditEntry], reference: String) -> String {
        var out = "\(reference): \(entries.count) audit entr\(entries.count == 1 ? "y" : "ies"), oldest first\n"
        for entry in entries {
            var line = "\(entry.at)  \(entry.event)"
            // Imports and edits name their file; a redaction its path, a status move its two statuses.
            if let detail = entry.detail { line += ["imported", "created", "replaced", "edited", "amended"].contains(entry.event) ? " from \(detail)" : " \(detail)" }
            if let reason = entry.reason { line += ": \(reason)" }
            if entry.content != nil { line += " (keeps the review as it was before: --format json)" }
            out += line + "\n"
        }
        return out
    }

    /// `{reference, entries: [{at, event, reason, detail, before}]}`, where `before` is the
    /// review as it was before the change (review-file JSON) or null.
    public static func json(_ entries: [AuditEntry], reference: String) -> JSONValue {
        .object([
            ("reference", .string(reference)),
            ("entries", .array(entries.map { entry in
                .object([
                    ("at", .string(entry.at)),
                    ("event", .string(entry.event)),
                    ("reason", .optional(entry.reason)),
                    ("detail", .optional(entry.detail)),
                    ("before", entry.content.flatMap(JSONValue.parse) ?? .null),
                ])
            })),
        ])
    }
}
