import ArgumentParser
import DUSCore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write reviews out as review files (md or json, one per review) or as CSV tables.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions
    @Option(help: "md or json (one file per review), or csv (one file per table).") var format: OutputFormat = .md
    @Option(help: "The folder to write to; created when missing.") var out: String

    func validate() throws {
        if format == .text { throw ValidationError("--format must be md, json or csv") }
    }

    func run() throws {
        let written = try reportingErrors {
            let store = try database.open()
            let exporter = Exporter(store: store)
            switch format {
            case .csv: return try exporter.exportCSV(matching: try filters.makeFilter(), to: out)
            case .json: return try exporter.exportFiles(matching: try filters.makeFilter(), to: out, spelling: .json)
            default: return try exporter.exportFiles(matching: try filters.makeFilter(), to: out, spelling: .markdown)
            }
        }
        print("wrote \(written) file\(written == 1 ? "" : "s") to \(out)")
    }
}
