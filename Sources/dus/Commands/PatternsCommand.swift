import ArgumentParser
import DUSCore
import Foundation

struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "What recurs across reviews: totals, release timing, risk factors with Wilson intervals, substances, themes, pairs.",
        discussion: """
            The report opens with what it counts: the filters, the reviews by status (drafts included unless --status says otherwise) and the reviews classified not drug-related left out. Factors are shown by their catalogue question, under their groups, with the answer that counts as the risk ("risk when") and the share with the risk. Text fits 80 columns (COLUMNS sets another width; a wider terminal is used).

            Examples:
              dus patterns --period FY2025-26 --by kind
              dus patterns --kind death --format json
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions
    @Option(help: "Slices side by side, one for each value of this.") var by: PatternReport.Grouping?
    @Flag(help: "Count reviews classified not-drug-related too.") var includeNotDrugRelated = false
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    @Option(help: "The output format.") var format: Format = .text
    @Flag(help: "Show each factor's id beside its question.") var ids = false
    @Option(help: "With --format csv: write one CSV per table (totals, release bands, factors, substances, themes, pairs) into this folder.",
            completion: .directory) var out: String?

    func validate() throws {
        if out != nil && format != .csv { throw ValidationError("--out DIR is for --format csv: a file per table") }
    }

    func run() throws {
        let report = try reportingErrors {
            var filter = try filters.makeFilter()
            filter.includesNotDrugRelated = includeNotDrugRelated || filter.classification == .notDrugRelated
            return try PatternEngine(store: try database.open()).report(matching: filter, by: by)
        }
        let renderer = PatternRenderer(report: report)
        switch format {
        case .json: print(renderer.json().serialized(pretty: true))
        case .csv:
            guard let out else {
                print(renderer.csv(), terminator: "")
                return
            }
            let files = renderer.tables().map { (URL(fileURLWithPath: out).appendingPathComponent($0.name + ".csv").path, $0.table.csv()) }
            try reportingErrors { try writeAll(files) }
            print("wrote \(files.count) tables to \(out): " + renderer.tables().map { $0.name + ".csv" }.joined(separator: ", "))
        case .text:
            let colour = colourWanted()
            print(renderer.text(colour: colour, width: terminalWidth(), ids: ids), terminator: "")
        }
    }
}

extension PatternReport.Grouping: ExpressibleByArgument {}
