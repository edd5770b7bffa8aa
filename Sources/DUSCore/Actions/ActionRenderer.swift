import Foundation

/// `dus actions` output: a list of actions (text, JSON, CSV) or their counts (`--summary`).
public enum ActionRenderer {
    /// The definitions every output of `dus actions` states once.
    public static func definitions(asOf: Day, dueWithin: Int?) -> [(String, String)] {
        var definitions = [
            ("target date", "the current target date: the newest revised target date, else the target date"),
            ("overdue", "open, with the target date before \(asOf)"),
        ]
        if let dueWithin {
            definitions.append(("due soon", "open, with the target date from \(asOf) to \(asOf.adding(days: dueWithin)) (within \(dueWithin) days)"))
        }
        return definitions
    }

    // MARK: The list

    /// `{"as_of", "actions": [{id, reference, recommendation, response, text, owner,
    /// target_date, original_target_date, revised_target_dates, status, completed_date,
    /// withdrawn_reason, last_update, overdue, days_overdue, due_in_days}]}`.
    public static func json(_ actions: [TrackedAction], asOf: Day, dueWithin: Int?) -> JSONValue {
        .object([
            ("as_of", .string(asOf.description)),
            ("definitions", definitionsJSON(asOf: asOf, dueWithin: dueWithin)),
            ("actions", .array(actions.map { action in
                .object([
                    ("id", .string(action.id)),
                    ("reference", .string(action.reference)),
                    ("recommendation", .string(action.recommendation)),
                    ("response", .string(action.response.rawValue)),
                    ("text", .string(action.text)),
                    ("owner", .string(action.owner)),
                    ("target_date", .string(action.targetDate.description)),
                    ("original_target_date", .string(action.originalTargetDate.description)),
                    ("revised_target_dates", .array(action.revisedTargetDates.map { .string($0.description) })),
                    ("status", .string(action.status.rawValue)),
                    ("completed_date", .optional(action.completedDate?.description)),
                    ("withdrawn_reason", .optional(action.withdrawnReason)),
                    ("last_update", action.lastUpdate.map { .object([("date", .string($0.date.description)), ("note", .string($0.note))]) } ?? .null),
                    ("overdue", .bool(action.isOverdue)),
                    ("days_overdue", action.daysOverdue.map(JSONValue.int) ?? .null),
                    ("due_in_days", action.daysUntilDue.map(JSONValue.int) ?? .null),
                ])
            })),
        ])
    }

    /// One row an action, for a spreadsheet. `target_date` is the current target date;
    /// `recommendation` is the recommendation's address (`REF/R1`), `recommendation_id` its
    /// id. Region and recommendation text come from a query `withDetails`.
    public static func table(_ actions: [TrackedAction]) -> Table {
        Table(
            headers: ["id", "reference", "recommendation", "response", "owner", "status", "target_date", "original_target_date",
                      "revisions", "completed_date", "overdue", "days_overdue", "due_in_days", "text", "last_update_date", "last_update",
                      "region", "recommendation_id", "recommendation_text", "action_id", "evidence"],
            rows: actions.map { action in
                [action.id, action.reference, action.recommendation, action.response.rawValue, action.owner, action.status.rawValue,
                 action.targetDate.description, action.originalTargetDate.description, String(action.revisedTargetDates.count),
                 action.completedDate?.description ?? "", action.isOverdue ? "yes" : "no",
                 action.daysOverdue.map(String.init) ?? "", action.daysUntilDue.map(String.init) ?? "", action.text,
                 action.lastUpdate?.date.description ?? "", action.lastUpdate?.note ?? "",
                 action.region ?? "", action.recommendationID, action.recommendationText ?? "", action.actionID, action.evidence ?? ""]
            })
    }

    /// A heading with the counts, then each action: its address and state, owner, text and
    /// latest update; the definitions last.
    public static func text(_ actions: [TrackedAction], asOf: Day, dueWithin: Int?) -> String {
        String(decoding: textBytes(actions, asOf: asOf, dueWithin: dueWithin), as: UTF8.self)
    }

    /// `text` as UTF-8 bytes.
    public static func textBytes(_ actions: [TrackedAction], asOf: Day, dueWithin: Int?) -> [UInt8] {
        var bytes: [UInt8] = []
        writeText(actions, asOf: asOf, dueWithin: dueWithin) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// `text` handed to `write` in pieces of about 64 KB, as UTF-8 (a list of 80,000
    /// actions is tens of megabytes).
    public static func writeText(
        _ actions: [TrackedAction], asOf: Day, dueWithin: Int?, to write: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        var out = TextBytes(capacity: 80 * 1024)
        // Read in place: copying each action would retain and release its every string.
        try actions.withUnsafeBufferPointer { actions in
            let dueSoon = dueWithin.map { days in actions.count { $0.isDue(within: days) } }
            out.append(heading(count: actions.count, overdue: actions.count(where: \.isOverdue), dueSoon: dueSoon, asOf: asOf, dueWithin: dueWithin))
            for index in actions.indices {
                entry(actions[index], into: &out)
                if out.bytes.count >= 64 * 1024 { try out.flush(to: write) }
            }
        }
        out.append(footing(asOf: asOf, dueWithin: dueWithin))
        try out.flush(to: write)
    }

    /// The first line of the list: "80 actions, as of 2026-11-22: 12 overdue, 3 due within 30 days."
    static func heading(count: Int, overdue: Int, dueSoon: Int?, asOf: Day, dueWithin: Int?) -> String {
        var out = "\(counted(count, "action")), as of \(asOf): \(overdue) overdue"
        if let dueWithin, let dueSoon { out += ", \(dueSoon) due within \(counted(dueWithin, "day"))" }
        return out + ".\n"
    }

    /// The end of the list: its definitions.
    static func footing(asOf: Day, dueWithin: Int?) -> String {
        "\n" + definitionsText(asOf: asOf, dueWithin: dueWithin)
    }

    /// One action of the list: its address and state, owner, text and latest update.
    static func entry(_ action: TrackedAction, into out: inout TextBytes) {
        out.append("\n")
        out.append(action.reference)
        out.append("/")
        out.append(action.recommendationID)
        out.append("/")
        out.append(action.actionID)
        out.append("  ")
        state(of: action, into: &out)
        out.append("\n  owner: ")
        out.append(action.owner)
        out.append("\n  ")
        out.appendOneLine(action.text)
        out.append("\n")
        if let update = action.lastUpdate {
            out.append("  last update ")
            out.append(update.date.description)
            out.append(": ")
            out.appendOneLine(update.note)
            out.append("\n")
        }
    }

    /// "open, overdue by 54 days (target 2025-09-30, revised once from 2025-06-30)".
    static func state(of action: TrackedAction) -> String {
        var out = TextBytes(capacity: 80)
        state(of: action, into: &out)
        return out.text
    }

    static func state(of action: TrackedAction, into out: inout TextBytes) {
        switch action.status {
        case .open:
            if let days = action.daysOverdue {
                out.append("open, OVERDUE by ")
                out.append(days)
                out.append(days == 1 ? " day" : " days")
            } else if let days = action.daysUntilDue {
                if days == 0 {
                    out.append("open, due today")
                } else {
                    out.append("open, due in ")
                    out.append(days)
                    out.append(days == 1 ? " day" : " days")
                }
            } else {
                out.append("open")
            }
        case .complete:
            out.append("complete")
            if let day = action.completedDate {
                out.append(" on ")
                out.append(day.description)
            }
        case .withdrawn:
            out.append("withdrawn")
            if let reason = action.withdrawnReason {
                out.append(": ")
                out.appendOneLine(reason)
            }
        }
        out.append(" (target ")
        out.append(action.targetDate.description)
        let revisions = action.revisedTargetDates.count
        if revisions > 0 {
            out.append(", revised \(revisions == 1 ? "once" : revisions == 2 ? "twice" : "\(revisions) times") from \(action.originalTargetDate)")
        }
        out.append(")")
    }

    // MARK: The summary

    /// `{"as_of", "due_within", "actions", "open", "complete", "withdrawn", "overdue",
    /// "due_soon", "completed_on_time", "completed_with_evidence",
    /// "completed_without_evidence", "revised", "owners": [{owner, open, overdue,
    /// due_soon}], "definitions"}`.
    public static func json(_ summary: ActionSummary) -> JSONValue {
        .object([
            ("as_of", .string(summary.asOf.description)),
            ("due_within", summary.dueWithin.map(JSONValue.int) ?? .null),
            ("actions", .int(summary.actions)),
            ("open", .int(summary.byStatus[.open] ?? 0)),
            ("complete", .int(summary.byStatus[.complete] ?? 0)),
            ("withdrawn", .int(summary.byStatus[.withdrawn] ?? 0)),
            ("overdue", .int(summary.overdue)),
            ("due_soon", summary.dueSoon.map(JSONValue.int) ?? .null),
            ("completed_on_time", .int(summary.completedOnTime)),
            ("completed_with_evidence", .int(summary.completedWithEvidence)),
            ("completed_without_evidence", .int(summary.completed - summary.completedWithEvidence)),
            ("revised", .int(summary.revised)),
            ("owners", .array(summary.owners.map { owner in
                .object([
                    ("owner", .string(owner.owner)), ("open", .int(owner.open)), ("overdue", .int(owner.overdue)),
                    ("due_soon", summary.dueWithin == nil ? .null : .int(owner.dueSoon)),
                ])
            })),
            ("definitions", definitionsJSON(asOf: summary.asOf, dueWithin: summary.dueWithin, summary: true)),
        ])
    }

    /// The summary's figures as rows of (measure, count), and the open actions by owner.
    private static func figures(_ summary: ActionSummary) -> [(String, Int?)] {
        [
            ("actions", summary.actions), ("open", summary.byStatus[.open] ?? 0), ("overdue", summary.overdue),
            ("due soon", summary.dueSoon), ("complete", summary.completed), ("completed on or before the target date", summary.completedOnTime),
            ("completed with evidence", summary.completedWithEvidence), ("completed without evidence", summary.completed - summary.completedWithEvidence),
            ("withdrawn", summary.byStatus[.withdrawn] ?? 0), ("target date revised", summary.revised),
        ].filter { $0.0 != "due soon" || summary.dueWithin != nil }
    }

    /// The summary as Markdown: the figures, the owners, the definitions.
    public static func markdown(_ summary: ActionSummary) -> String {
        var out = "# Actions as of \(summary.asOf)\n\n"
        out += Table(headers: ["Measure", "Actions"], rows: figures(summary).map { [$0.0, $0.1.map(String.init) ?? ""] }).markdown()
        if !summary.owners.isEmpty {
            out += "\n## Open actions by owner, most overdue first\n\n"
            out += ownerTable(summary).markdown()
        }
        out += "\nDefinitions:\n\n"
        for (term, definition) in definitions(asOf: summary.asOf, dueWithin: summary.dueWithin) + [onTime, withEvidence] {
            out += "- \(term): \(definition)\n"
        }
        return out
    }

    /// The summary as one CSV table: a row per figure (owner empty), then a row per owner
    /// and figure of the open actions.
    public static func table(_ summary: ActionSummary) -> Table {
        var table = Table(headers: ["as_of", "owner", "measure", "actions"])
        for (measure, count) in figures(summary) { table.rows.append([summary.asOf.description, "", measure, count.map(String.init) ?? ""]) }
        for owner in summary.owners {
            var measures = [("open", owner.open), ("overdue", owner.overdue)]
            if summary.dueWithin != nil { measures.append(("due soon", owner.dueSoon)) }
            for (measure, count) in measures { table.rows.append([summary.asOf.description, owner.owner, measure, String(count)]) }
        }
        return table
    }

    private static func ownerTable(_ summary: ActionSummary) -> Table {
        var headers = ["owner", "open", "overdue"]
        if summary.dueWithin != nil { headers.append("due soon") }
        return Table(headers: headers, rows: summary.owners.map { owner in
            [owner.owner, String(owner.open), String(owner.overdue)] + (summary.dueWithin == nil ? [] : [String(owner.dueSoon)])
        })
    }

    public static func text(_ summary: ActionSummary) -> String {
        let open = summary.byStatus[.open] ?? 0
        var out = "\(counted(summary.actions, "action")), as of \(summary.asOf):\n"
        out += "  open        \(open): \(summary.overdue) overdue"
        if let dueSoon = summary.dueSoon, let days = summary.dueWithin {
            out += ", \(dueSoon) due within \(counted(days, "day"))"
        }
        out += "\n"
        out += "  complete    \(summary.completed): \(summary.completedOnTime) on or before the target date; "
            + "\(summary.completedWithEvidence) with evidence that it worked, \(summary.completed - summary.completedWithEvidence) without\n"
        out += "  withdrawn   \(summary.byStatus[.withdrawn] ?? 0)\n"
        out += "  target date revised: \(counted(summary.revised, "action"))\n"
        if !summary.owners.isEmpty {
            let table = ownerTable(summary)
            out += "\nOpen actions by owner, most overdue first:\n"
            out += table.text().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return out + "\n" + definitionsText(asOf: summary.asOf, dueWithin: summary.dueWithin, summary: true)
    }

    // MARK: Helpers

    private static let onTime = ("on or before the target date", "complete, with the completed date no later than the target date")
    private static let withEvidence = ("with evidence", "complete, with evidence recorded of what shows that the action worked")

    private static func definitionsJSON(asOf: Day, dueWithin: Int?, summary: Bool = false) -> JSONValue {
        .object((definitions(asOf: asOf, dueWithin: dueWithin) + (summary ? [onTime, withEvidence] : [])).map { ($0.0, .string($0.1)) })
    }

    private static func definitionsText(asOf: Day, dueWithin: Int?, summary: Bool = false) -> String {
        (definitions(asOf: asOf, dueWithin: dueWithin) + (summary ? [onTime, withEvidence] : [])).map { "\($0.0) = \($0.1)\n" }.joined()
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
