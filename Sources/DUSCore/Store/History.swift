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
    /// Who made the change (nil in entries made before dus recorded it).
    public var actor: String? = nil
    /// The fields the change changed, in the paths `dus redact` takes.
    public var changes: [FieldChange] = []
}

/// One field changed by an edit, an amendment, a replacement or a status move: its path
/// (as `dus redact` names it: `summary`, `factors.naloxone_supplied_on_release`,
/// `recommendations[R1].actions[A1].updates[2].note`), and its values before and after
/// (nil where there was none).
public struct FieldChange: Equatable, Sendable {
    public var path: String
    public var old: String?
    public var new: String?

    public init(path: String, old: String?, new: String?) {
        self.path = path
        self.old = old
        self.new = new
    }

    /// The fields that differ between two versions of a review, in the order of the format.
    static func between(_ old: Review, _ new: Review, writer: ReviewWriter) -> [FieldChange] {
        let before = leaves(writer.json(old)), after = leaves(writer.json(new))
        let oldValues = Dictionary(before, uniquingKeysWith: { first, _ in first })
        let newValues = Dictionary(after, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        var changes: [FieldChange] = []
        for (path, _) in before + after where seen.insert(path).inserted {
            let was = oldValues[path] ?? nil, now = newValues[path] ?? nil
            guard was != now else { continue }
            // A factor left out is unknown: the format keeps only answers given.
            let isFactor = path.hasPrefix("factors.")
            changes.append(FieldChange(path: path, old: was ?? (isFactor ? "unknown" : nil), new: now ?? (isFactor ? "unknown" : nil)))
        }
        return changes
    }

    /// Every scalar of a review's JSON with its path: items of a list with ids by id
    /// (`[R1]`), other items by place from 1 (`[2]`), lists of words as one value.
    private static func leaves(_ value: JSONValue, path: String = "") -> [(String, String?)] {
        switch value {
        case .object(let pairs):
            return pairs.flatMap { key, value in leaves(value, path: path.isEmpty ? key : "\(path).\(key)") }
        case .array(let items):
            if items.allSatisfy({ if case .object = $0 { return false } else { return true } }) {
                return [(path, items.isEmpty ? nil : items.compactMap(scalar).joined(separator: ", "))]
            }
            return items.enumerated().flatMap { index, item -> [(String, String?)] in
                var label = String(index + 1)
                if case .object(let pairs) = item, let id = pairs.first(where: { $0.0 == "id" }), case .string(let text) = id.1 { label = text }
                return leaves(item, path: "\(path)[\(label)]")
            }
        default:
            return [(path, scalar(value))]
        }
    }

    private static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return text
        case .array, .object: return value.serialized()
        }
    }

    /// `[{path, old, new}]`.
    static func json(_ changes: [FieldChange]) -> JSONValue {
        .array(changes.map { .object([("path", .string($0.path)), ("old", .optional($0.old)), ("new", .optional($0.new))]) })
    }

    /// The changes kept in an audit entry (`json`'s shape); an unreadable value reads as none.
    static func parse(_ text: String?) -> [FieldChange] {
        guard let text, case .array(let items)? = JSONValue.parse(text) else { return [] }
        return items.compactMap { item in
            guard case .object(let pairs) = item else { return nil }
            func string(_ key: String) -> String? {
                guard case .string(let value)? = pairs.first(where: { $0.0 == key })?.1 else { return nil }
                return value
            }
            return string("path").map { FieldChange(path: $0, old: string("old"), new: string("new")) }
        }
    }
}

extension Store {
    /// The audit trail of `reference`, oldest first; it outlives a deleted review.
    public func history(of reference: String) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, at, event, reason, detail, content, actor, changes FROM audit WHERE reference = ? ORDER BY id", arguments: [reference])
                .map { row in
                    let stored = StoredRow(row)
                    do throws(DamagedValue) {
                        return AuditEntry(
                            at: try stored.text("at"), event: try stored.text("event"), reason: try stored.optionalText("reason"),
                            detail: try stored.optionalText("detail"), content: try stored.optionalText("content"),
                            actor: try stored.optionalText("actor"), changes: FieldChange.parse(try stored.optionalText("changes")))
                    } catch {
                        throw StoreError.damaged(error.inAuditEntry(row["id"]), reference: reference)
                    }
                }
        }
    }
}

/// `dus history` output.
public enum HistoryRenderer {
    /// Stored times (UTC, ISO 8601) in Europe/London with their offset:
    /// `2026-07-01 11:15:03 +01:00` (`T` between date and time in JSON). Made once a render.
    struct LondonTime {
        private let reader = ISO8601DateFormatter()
        private let writer = DateFormatter()

        init(json: Bool) {
            writer.locale = Locale(identifier: "en_GB_POSIX")
            writer.timeZone = TimeZone(identifier: "Europe/London")
            writer.dateFormat = json ? "yyyy-MM-dd'T'HH:mm:ssxxx" : "yyyy-MM-dd HH:mm:ss xxx"
        }

        func callAsFunction(_ stored: String) -> String {
            reader.date(from: stored).map(writer.string(from:)) ?? stored
        }
    }

    /// One line an entry: when (Europe/London), who, what, why and from where, then a line
    /// for each field changed (`factors.x: unknown → no`); entries that keep an earlier
    /// version say so.
    public static func text(_ entries: [AuditEntry], reference: String) -> String {
        let londonTime = LondonTime(json: false)
        var out = "\(reference): \(entries.count) audit entr\(entries.count == 1 ? "y" : "ies"), oldest first; times in Europe/London\n"
        for entry in entries {
            var line = "\(londonTime(entry.at))  \(entry.actor ?? "(not recorded)")  \(entry.event)"
            // Imports and edits name their file; a redaction its path, a status move its two statuses.
            if let detail = entry.detail { line += ["imported", "created", "replaced", "edited", "amended"].contains(entry.event) ? " from \(detail)" : " \(detail)" }
            if let reason = entry.reason { line += ": \(reason)" }
            if entry.content != nil { line += " (keeps the review as it was before: --format json)" }
            out += line + "\n"
            if entry.event == "status" { continue }  // its one change is on the line
            for change in entry.changes {
                let (old, new) = shown(change.old, change.new)
                out += "    \(change.path): \(old) → \(new)\n"
            }
        }
        return out
    }

    /// The two values of a change on one line each; a long text is shown around the part
    /// that changed (`…`), so that a one-word amendment of a summary can be seen.
    static func shown(_ old: String?, _ new: String?) -> (String, String) {
        guard let old, let new else { return (shorten(old), shorten(new)) }
        let before = Array(old.replacingOccurrences(of: "\n", with: " ")), after = Array(new.replacingOccurrences(of: "\n", with: " "))
        guard before.count > 80 || after.count > 80 else { return (String(before), String(after)) }
        var prefix = 0
        while prefix < min(before.count, after.count), before[prefix] == after[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(before.count, after.count) - prefix, before[before.count - 1 - suffix] == after[after.count - 1 - suffix] { suffix += 1 }
        func window(_ text: [Character]) -> String {
            let start = max(0, prefix - 20), end = min(text.count, max(text.count - suffix + 20, start))
            var part = String(text[start..<end])
            if part.count > 120 { part = String(part.prefix(119)) + "…" }
            return (start > 0 ? "…" : "") + part + (end < text.count ? "…" : "")
        }
        return (window(before), window(after))
    }

    /// A value on one line, shortened past 80 characters; none as `(none)`.
    private static func shorten(_ value: String?) -> String {
        guard let value else { return "(none)" }
        let flat = value.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 80 ? String(flat.prefix(79)) + "…" : flat
    }

    /// `{reference, entries: [{at, event, by, reason, changes: [{path, old, new}], detail, before}]}`,
    /// where `before` is the review as it was before the change (review-file JSON) or null.
    public static func json(_ entries: [AuditEntry], reference: String) -> JSONValue {
        let londonTime = LondonTime(json: true)
        return .object([
            ("reference", .string(reference)),
            ("entries", .array(entries.map { entry in
                .object([
                    ("at", .string(londonTime(entry.at))),
                    ("event", .string(entry.event)),
                    ("by", .optional(entry.actor)),
                    ("reason", .optional(entry.reason)),
                    ("changes", FieldChange.json(entry.changes)),
                    ("detail", .optional(entry.detail)),
                    ("before", entry.content.flatMap(JSONValue.parse) ?? .null),
                ])
            })),
        ])
    }
}
