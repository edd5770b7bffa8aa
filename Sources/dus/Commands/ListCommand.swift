import ArgumentParser
import DUSCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the reviews that match the filters, by event date.",
        discussion: """
            Examples:
              dus list --period 2026-Q1 --status published
              dus list --kind near-miss --region north-west --format csv
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv, md
    }

    @Option(help: "The output format.") var format: Format = .text

    func run() throws {
        let summaries = try reportingErrors { try database.open().summaries(matching: try filters.makeFilter()) }
        let listing = ReviewListing(summaries: summaries)
        switch format {
        case .json: print(listing.json().serialized(pretty: true))
        case .csv: print(listing.table.csv(), terminator: "")
        case .md: print(listing.table.markdown(), terminator: "")
        case .text:
            print(listing.table.text(), terminator: "")
            print("\(summaries.count) review\(summaries.count == 1 ? "" : "s")")
        }
    }
}
