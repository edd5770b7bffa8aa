import ArgumentParser
import DUSCore
import Foundation

struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "What recurs across reviews: totals, release timing, risk factors with Wilson intervals, substances, themes, pairs.",
        discussion: """
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

    func run() throws {
        let report = try reportingErrors {
            var filter = try filters.makeFilter()
            filter.includesNotDrugRelated = includeNotDrugRelated || filter.classification == .notDrugRelated
            return try PatternEngine(store: try database.open()).report(matching: filter, by: by)
        }
        let renderer = PatternRenderer(report: report)
        switch format {
        case .json: print(renderer.json().serialized(pretty: true))
        case .csv: print(renderer.csv(), terminator: "")
        case .text:
            let colour = colourWanted()
            print(renderer.text(colour: colour), terminator: "")
        }
    }
}

extension PatternReport.Grouping: ExpressibleByArgument {}
