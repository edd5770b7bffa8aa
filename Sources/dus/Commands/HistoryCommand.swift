import ArgumentParser
import DUSCore
import Foundation

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The audit trail of a review: every import, replacement, amendment, redaction and deletion, oldest first.",
        discussion: """
            Examples:
              dus history nw-2024-0011
              dus history nw-2024-0011 --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The review's reference, in any case (yh-2026-0005 finds YH-2026-0005).", transform: { $0.uppercased() }) var reference: String
    @Option(help: "The output format (json includes each earlier version of the review).") var format: Format = .text

    func run() throws {
        let entries = try reportingErrors { try database.open().history(of: reference) }
        // The trail outlives a deleted review: only a reference never seen has none.
        if entries.isEmpty { try fail("\(reference): no review with this reference has ever been stored") }
        switch format {
        case .json: print(HistoryRenderer.json(entries, reference: reference).serialized(pretty: true))
        case .text: print(HistoryRenderer.text(entries, reference: reference), terminator: "")
        }
    }
}
