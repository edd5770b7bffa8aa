import ArgumentParser
import DUSCore
import Foundation

struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Replace a text typed by mistake (a name, say) with [redacted], in the review and in every audit entry that holds it.",
        discussion: """
            --field names the text by its path, as error messages do: summary, findings[2], learning[1],
            agencies[1], recommendations[R1] (.text, .to, .reason), recommendations[R1].actions[A1] (.text,
            .owner, .withdrawn_reason), recommendations[R1].actions[A1].updates[2]. Without --text the
            whole text is replaced; with it, only that part, wherever it occurs. The text is erased from
            the database file, and an audit entry records the redaction without it.
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The review's reference.") var reference: String
    @Option(help: "The text's path in the review.") var field: String
    @Option(help: "Only this part of the text (all its occurrences).") var text: String?
    @Option(help: "Why (kept in the audit trail).") var reason: String

    func validate() throws {
        if let text, text.isEmpty { throw ValidationError("--text must not be empty") }
    }

    func run() throws {
        let report = try reportingErrors {
            try database.open().redact(reference: reference, field: field, text: text, reason: reason)
        }
        let entries = report.auditEntriesChanged
        print("redacted \(report.reference) \(report.field)" + (entries == 0 ? "" : "; also in \(entries) audit entr\(entries == 1 ? "y" : "ies")"))
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove a review imported by mistake: the review and every copy of it in the audit trail.",
        discussion: "The audit trail keeps its entries (what was done, and when) and records the deletion and its reason.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The review's reference.") var reference: String
    @Option(help: "Why (kept in the audit trail).") var reason: String

    func run() throws {
        try reportingErrors { try database.open().delete(reference: reference, reason: reason) }
        print("deleted \(reference)")
    }
}
