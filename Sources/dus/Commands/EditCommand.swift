import ArgumentParser
import DUSCore
import Foundation

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a review, in your editor or from a file; a published review beyond its actions only with --reason (an amendment).",
        discussion: """
            Without --from, the review opens as Markdown in $VISUAL, else $EDITOR, else vi. When the editor closes, the file is checked with every rule of an import. When something is wrong, nothing changes and your edit is kept in a file whose name dus prints: fix it there and run dus edit REF --from FILE.

            The reference and the status cannot be edited here: dus status moves a review through the workflow. The audit trail keeps the review as it was before each edit.

            Examples:
              dus edit nw-2026-0013
              dus edit nw-2024-0011 --from nw-2024-0011.md --reason "the release date was wrong"
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The review's reference, in any case (yh-2026-0005 finds YH-2026-0005).", transform: { $0.uppercased() }) var reference: String
    @Option(help: "A review file (.md or .json) holding the whole review as it should be.", completion: .file()) var from: String?
    @Option(help: "Why (kept in the audit trail; needed to change a published review beyond its actions).") var reason: String?

    func run() throws {
        let store = try reportingErrors { try database.open(.write, actor: actor) }
        let files = ReviewFiles(catalogue: store.catalogue, today: .today())
        if let from {
            let outcome = try reportingErrors {
                _ = try store.reviewForEditing(reference, reason: reason)
                return try store.edit(reference, to: try files.readOneReview(from), reason: reason, file: from)
            }
            report(outcome)
            return
        }
        try Terminal.requireInteractive(
            "dus edit \(reference) opens an editor, which needs a terminal; without one, write the review to a file (dus show \(reference) > FILE), change it, and run dus edit \(reference) --from FILE")
        // Refused before the editor opens when it could not be saved afterwards.
        let stored = try reportingErrors { try store.reviewForEditing(reference, reason: reason) }
        let draft = try reportingErrors { try EditorFile(name: stored.reference, text: ReviewWriter(catalogue: store.catalogue).markdown(stored)) }
        let rerun = "dus edit \(stored.reference) --from \(draft.path)" + (reason == nil ? "" : " (with the same --reason)")
        try reportingErrors { try draft.edit(rerun: rerun) }
        guard draft.isChanged else {
            draft.keep(rerun: rerun, unsaved: true)
            print("\(stored.reference): the file was not changed; nothing was written")
            return
        }
        let outcome = try draft.keptOnFailure(rerun: rerun) {
            try reportingErrors { try store.edit(reference, to: try files.readOneReview(draft.path), reason: reason, file: nil, opened: stored) }
        }
        report(outcome)
    }

    private func report(_ outcome: EditOutcome) {
        switch outcome {
        case .unchanged: print("\(reference): the same as the stored review; nothing was written")
        case .edited: print("edited \(reference)")
        case .amended: print("amended \(reference)")
        case .progress: print("updated the actions of \(reference) (progress, not an amendment)")
        }
    }
}
