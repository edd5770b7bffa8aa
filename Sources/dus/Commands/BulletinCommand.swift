import ArgumentParser
import DUSCore
import Foundation

struct BulletinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin",
        abstract: "A learning bulletin for a period: published reviews only, figures under disclosure control.",
        discussion: """
            Covers the published reviews of drug-related deaths and near misses with the event in the period (whole months). Counts from 1 to min-count - 1 are shown as <min-count. It leads with the key messages (the learning points, by theme), then what the reviews found, then the figures; a table too small to show for the period is replaced by a sentence and the same figures over a rolling window of --context-years years. Without --out or --html the Markdown goes to standard output; --out writes the Markdown with its charts beside it as SVG files; --html writes one self-contained page (CSS and charts in it) that prints on A4.

            Examples:
              dus bulletin --period 2025-Q1
              dus bulletin --period FY2025-26 --out bulletin.md --html bulletin.html
              dus bulletin --period 2025 --issuer "North West probation region" --marking OFFICIAL-SENSITIVE --html bulletin-2025.html
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "A quarter (2025-Q1), year (2025) or financial year (FY2025-26).") var period: String?
    @Option(help: "The first day of the first month (YYYY-MM-DD).") var from: String?
    @Option(help: "The last day of the last month (YYYY-MM-DD).") var to: String?
    @Option(help: "Write the Markdown bulletin to this file.", completion: .file()) var out: String?
    @Option(help: "Also write it as a standalone HTML page.", completion: .file()) var html: String?
    @Option(help: "A Mustache template instead of the built-in templates/bulletin.md.mustache.", completion: .file()) var template: String?
    @Option(help: "Counts below this are shown as <N.") var minCount = 5
    @Option(help: "Who issues the bulletin, shown at its top and foot (e.g. \"North West probation region\").") var issuer: String?
    @Option(help: "The handling marking, shown at its top and foot (e.g. OFFICIAL-SENSITIVE).") var marking: String?
    @Option(help: "The date of issue (YYYY-MM-DD; default today); the bulletin shows its month only.") var issued: String?
    @Option(help: "Years of the rolling window that stands in for a table too small for the period (0: none).") var contextYears = 3

    func validate() throws {
        if minCount < 2 { throw ValidationError("--min-count must be 2 or more: disclosure control hides counts from 1 to min-count - 1") }
        if !(0...20).contains(contextYears) { throw ValidationError("--context-years must be 0 to 20") }
        if let day = try dateOption(issued, "--issued") ?? Optional(Day.today()), let period = try? bulletinPeriod(), day <= period.to {
            throw ValidationError("\(issued == nil ? "today" : "--issued \(day)") is not after the period, which ends on \(period.to): a bulletin is issued once its period is over (give --issued)")
        }
        for (option, value) in [("--issuer", issuer), ("--marking", marking)] {
            guard let value else { continue }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.count > 200 || trimmed.contains(where: \.isNewline) {
                throw ValidationError("\(option): give 1 to 200 characters on one line")
            }
        }
        _ = try bulletinPeriod()
    }

    private func bulletinPeriod() throws -> BulletinPeriod {
        let range = try eventDates(period: period, from: from, to: to)
        guard let first = range.from, let last = range.to else {
            throw ValidationError("give the period: --period, or both --from and --to")
        }
        do {
            return try BulletinPeriod(from: first, to: last)
        } catch {
            throw ValidationError(error.errorDescription ?? "\(error)")
        }
    }

    func run() throws {
        let period = try bulletinPeriod()
        try reportingErrors {
            let templateText = try templateText(template, builtIn: BulletinRenderer.defaultTemplate)
            let store = try database.open()
            let bulletin = try BulletinBuilder(
                store: store, control: DisclosureControl(minCount: minCount),
                issuer: issuer?.trimmingCharacters(in: .whitespaces), marking: marking?.trimmingCharacters(in: .whitespaces),
                issued: try dateOption(issued, "--issued") ?? .today(), contextYears: contextYears
            ).bulletin(for: period)
            let renderer = BulletinRenderer(bulletin: bulletin, store: store)
            if out == nil && html == nil {
                print(try naming(template) { try renderer.markdown(template: templateText) }, terminator: "")
                return
            }
            // Everything is rendered and checked first: a refused bulletin writes nothing.
            let files = try naming(template) { try renderer.files(template: templateText, markdownPath: out, htmlPath: html) }
            try writeAll(files)
            // Charts of an earlier bulletin of the same name that this one does not draw
            // would be taken for its own.
            if let out {
                let base = (out as NSString).deletingPathExtension
                for stale in [base + "-release-timing.svg", base + "-themes.svg"] where !files.contains(where: { $0.path == stale }) {
                    try? FileManager.default.removeItem(atPath: stale)
                }
            }
            print("wrote " + files.map(\.path).joined(separator: ", "))
        }
    }

    /// Runs `body`, putting the template's path before a template error.
    private func naming<T>(_ template: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch BulletinError.template(let message) where template != nil {
            // Each problem's line, so that every one names the file.
            throw BulletinError.template(templateProblems(message, in: template!))
        }
    }
}
