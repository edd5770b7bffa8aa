import ArgumentParser
import DUSCore
import Foundation

struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Replace a text typed by mistake (a name, say) with [redacted], in the review and in every audit entry that holds it.",
        discussion: """
            --field names the text by its path, as error messages do: summary, findings[2], learning[1], agencies[1], recommendations[R1] (.text, .to, .reason), recommendations[R1].actions[A1] (.text, .owner, .withdrawn_reason, .evidence), recommendations[R1].actions[A1].updates[2]. Without --text the whole text is replaced; with it, only that part, wherever it occurs. The text is erased from the database file, and an audit entry records the redaction without it.

            Examples:
              dus redact yh-2026-0005 --field "findings[2]" --text "Jo Bloggs" --reason "a name typed by mistake"
              dus redact yh-2026-0005 --field summary --reason "the summary names the hostel"
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The review's reference, in any case (yh-2026-0005 finds YH-2026-0005).", transform: { $0.uppercased() }) var reference: String
    @Option(help: "The text's path in the review.") var field: String
    @Option(help: "Only this part of the text (all its occurrences).") var text: String?
    @Option(help: "Why (kept in the audit trail).") var reason: String

    func validate() throws {
        if let text, text.isEmpty { throw ValidationError("--text must not be empty") }
    }

    func run() throws {
        let report = try reportingErrors {
            try database.open(.write, actor: actor).redact(reference: reference, field: field, text: text, reason: reason)
        }
        let entries = report.auditEntriesChanged
        let auditPart = entries == 0 ? "" : "\(entries) audit entr\(entries == 1 ? "y" : "ies")"
        if report.fieldChanged {
            print("redacted \(report.reference) \(report.field)" + (entries == 0 ? "" : "; also in \(auditPart)"))
        } else {
            print("redacted \(report.reference): in \(auditPart) (\(report.field) no longer holds it)")
        }
        if !report.alsoIn.isEmpty {
            print("still there, in: \(report.alsoIn.joined(separator: ", ")); redact each with its --field")
        }
        if !report.logFolded { warnLogNotFolded() }
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove a review imported by mistake: the review and every copy of it in the audit trail.",
        discussion: """
            The audit trail keeps its entries (what was done, and when) and records the deletion and its reason.

            Examples:
              dus delete nw-2026-0013 --reason "imported twice: it is NW-2026-0012"
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The review's reference, in any case (yh-2026-0005 finds YH-2026-0005).", transform: { $0.uppercased() }) var reference: String
    @Option(help: "Why (kept in the audit trail).") var reason: String

    func run() throws {
        let folded = try reportingErrors { try database.open(.write, actor: actor).delete(reference: reference, reason: reason) }
        print("deleted \(reference)")
        if !folded { warnLogNotFolded() }
    }
}

/// The correction is saved, but another program holds the database open: its log may keep
/// the old text until that program closes it and the next command folds the log in.
private func warnLogNotFolded() {
    var standardError = FileHandle.standardError
    print("dus: note: another program has the database open, so its log (the -wal file) could not be folded in yet and may hold the old text until every program using the database has closed it (SQLite then folds the log in)", to: &standardError)
}
