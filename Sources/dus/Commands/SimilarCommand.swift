import ArgumentParser
import DUSCore
import Foundation

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "The reviews whose risk profiles (the factors at risk) are closest to one review's.",
        discussion: """
            Examples:
              dus similar nw-2024-0011
              dus similar nw-2024-0011 --kind death --limit 5
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions
    @Argument(help: "The review's reference, in any case (yh-2026-0005 finds YH-2026-0005).", transform: { $0.uppercased() }) var reference: String
    @Option(help: "How many reviews to show.") var limit: Int = 10
    @Option(help: "The output format.") var format: Format = .text

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() throws {
        let results = try reportingErrors {
            try SimilarityFinder(store: try database.open()).similar(to: reference, matching: try filters.makeFilter(), limit: limit)
        }
        switch format {
        case .json: print(SimilarityRenderer.json(results).serialized(pretty: true))
        case .text: print(SimilarityRenderer.text(results), terminator: "")
        }
    }
}
