import ArgumentParser
import DUSCore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import review files (.md, .json, .jsonl) or folders of them, all or nothing.",
        discussion: """
            Examples:
              dus import reviews
              dus import --replace --dry-run nw-2024-0011.md
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions

    @Flag(help: "Update reviews whose reference is already in the database.") var replace = false
    @Flag(help: "Check and report, but change nothing.") var dryRun = false
    @Option(help: "Why a published review is replaced (an amendment, kept in the audit trail); not needed when only its actions change.") var reason: String?

    @Argument(help: "Review files or folders.", completion: .file()) var paths: [String]

    func validate() throws {
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason needs some text")
        }
    }

    func run() throws {
        let report = try reportingErrors {
            // A dry run creates nothing: with no database yet, it checks against an empty one in memory.
            let isMissing = ((try? FileManager.default.attributesOfItem(atPath: database.path))?[.size] as? NSNumber)?.intValue ?? 0 == 0
            let store = dryRun && isMissing ? try Store(inMemory: .standard, actor: try actor.name()) : try database.open(.create, actor: actor)
            let options = ImportOptions(replace: replace, dryRun: dryRun, reason: reason)
            let meter = isatty(STDERR_FILENO) == 1 ? ProgressMeter() : nil
            defer { meter?.finish() }
            return try Importer(store: store).run(paths: paths, options: options, progress: meter.map { meter in { meter.update($0) } })
        }
        let verb = report.isDryRun ? "would import" : "imported"
        print("\(verb) \(report.total) review\(report.total == 1 ? "" : "s"): \(report.added.count) new, \(report.replaced.count) replaced, \(report.unchanged.count) unchanged")
        for reference in report.replaced { print("\(report.isDryRun ? "would replace" : "replaced"): \(reference)") }
    }
}

/// Count, rate and time left on standard error, redrawn at most a few times a second, only
/// on a terminal.
final class ProgressMeter {
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    func update(_ progress: ImportProgress) {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        guard elapsed > 0.5 else { return }
        let rate = Double(progress.reviews) / elapsed
        var line = "\r\(progress.reviews) reviews  \(Int(rate))/s"
        if progress.totalBytes > 0, progress.bytesRead > 0 {
            let left = elapsed * Double(progress.totalBytes - progress.bytesRead) / Double(progress.bytesRead)
            line += String(format: "  %d%%  about %d:%02d left", 100 * progress.bytesRead / progress.totalBytes, Int(left) / 60, Int(left) % 60)
        }
        FileHandle.standardError.write(line + "\u{1B}[K")
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write("\r\u{1B}[K") }
    }
}
