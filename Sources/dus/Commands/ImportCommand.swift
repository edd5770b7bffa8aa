import ArgumentParser
import DUSCore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import review files (.md, .json, .jsonl) or folders of them, all or nothing.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Update reviews whose reference is already in the database.") var replace = false
    @Flag(help: "Check and report, but change nothing.") var dryRun = false
    @Option(help: "Why a published review is replaced (an amendment, kept in the audit trail).") var reason: String?

    @Argument(help: "Review files or folders.") var paths: [String]

    func validate() throws {
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason needs some text")
        }
    }

    func run() throws {
        let report = try reportingErrors {
            let store = try database.open()
            let options = ImportOptions(replace: replace, dryRun: dryRun, reason: reason)
            return try Importer(store: store).run(paths: paths, options: options)
        }
        let verb = report.isDryRun ? "would import" : "imported"
        print("\(verb) \(report.total) review\(report.total == 1 ? "" : "s"): \(report.added.count) new, \(report.replaced.count) replaced, \(report.unchanged.count) unchanged")
        for reference in report.replaced { print("\(report.isDryRun ? "would replace" : "replaced"): \(reference)") }
    }
}
