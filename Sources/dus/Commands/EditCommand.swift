import ArgumentParser
import DUSCore
import Foundation

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a review, in your editor or from a file; a published review only with --reason (an amendment).",
        discussion: """
            Without --from, the review opens as Markdown in $VISUAL, else $EDITOR, else vi. When the
            editor closes, the file is checked with every rule of an import. When something is wrong,
            nothing changes and your edit is kept in a file whose name dus prints: fix it there and
            run dus edit REF --from FILE.
            The reference and the status cannot be edited here: dus status moves a review through
            the workflow. The audit trail keeps the review as it was before each edit.
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The review's reference.") var reference: String
    @Option(help: "A review file (.md or .json) holding the whole review as it should be.") var from: String?
    @Option(help: "Why (kept in the audit trail; needed to change a published review).") var reason: String?

    func run() throws {
        let store = try reportingErrors { try database.open() }
        let files = ReviewFiles(catalogue: store.catalogue, today: .today())
        if let from {
            let outcome = try reportingErrors {
                _ = try store.reviewForEditing(reference, reason: reason)
                return try store.edit(reference, to: try files.readOneReview(from), reason: reason, file: from)
            }
            report(outcome)
            return
        }
        // Refused before the editor opens when it could not be saved afterwards.
        let stored = try reportingErrors { try store.reviewForEditing(reference, reason: reason) }
        let draft = try reportingErrors { try EditorFile(name: reference, text: ReviewWriter(catalogue: store.catalogue).markdown(stored)) }
        try reportingErrors { try draft.edit() }
        guard draft.isChanged else {
            draft.remove()
            print("\(reference): the file was not changed; nothing was written")
            return
        }
        let rerun = "dus edit \(reference) --from \(draft.path)" + (reason == nil ? "" : " (with the same --reason)")
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
        }
    }
}

/// A review in a private temporary file, opened in the user's editor.
struct EditorFile {
    let folder: URL
    let path: String
    private let original: Data

    init(name: String, text: String) throws {
        let manager = FileManager.default
        folder = manager.temporaryDirectory.appendingPathComponent("dus-edit-" + UUID().uuidString)
        // Only the user may read it: it holds a review.
        try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = folder.appendingPathComponent(name + ".md").path
        original = Data(text.utf8)
        guard manager.createFile(atPath: path, contents: original, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Opens the file in $VISUAL, else $EDITOR, else vi, on this terminal, and waits.
    /// The editor is run by the shell, so that a value such as `code --wait` works. An
    /// editor that cannot start or exits with an error gives the edit up: the file is
    /// removed.
    func edit() throws {
        do {
            try runEditor()
        } catch {
            remove()
            throw error
        }
    }

    private func runEditor() throws {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$1\"", "sh", path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw EditorError(editor: editor, status: process.terminationStatus) }
    }

    var isChanged: Bool { FileManager.default.contents(atPath: path) != original }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `body`, which reads and stores the edited file: removes the file when it
    /// succeeds, and keeps it, naming it, when it fails, so that no edit is lost.
    func keptOnFailure<T>(rerun: String, _ body: () throws -> T) throws -> T {
        do {
            let result = try body()
            remove()
            return result
        } catch {
            var standardError = FileHandle.standardError
            print("Your edit is kept in \(path): fix it there and run: \(rerun)", to: &standardError)
            throw error
        }
    }
}

struct EditorError: LocalizedError {
    var editor: String
    var status: Int32
    var errorDescription: String? {
        "the editor (\(editor)) stopped with exit status \(status); nothing was changed (set VISUAL or EDITOR to choose another)"
    }
}
