import ArgumentParser
import DUSCore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write reviews out as review files (md or json, one per review) or as CSV tables.",
        discussion: """
            Examples:
              dus export --out reviews-copy
              dus export --period FY2025-26 --status published --format csv --out tables
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json, csv
    }

    @Option(help: "md or json: one review file per review; csv: one file per table.") var format: Format = .md
    @Option(help: "The folder to write to; created when missing.", completion: .directory) var out: String

    func run() throws {
        let written = try reportingErrors {
            let store = try database.open()
            let filter = try filters.makeFilter()
            let exporter = Exporter(catalogue: store.catalogue)
            switch format {
            case .csv: return try exporter.exportCSV({ try store.forEachReview(matching: filter, $0) }, to: out)
            case .json: return try exporter.exportFiles({ try store.forEachReview(matching: filter, $0) }, to: out, spelling: .json)
            case .md: return try exporter.exportFiles({ try store.forEachReview(matching: filter, $0) }, to: out, spelling: .markdown)
            }
        }
        print("wrote \(written) file\(written == 1 ? "" : "s") to \(out)")
    }
}
