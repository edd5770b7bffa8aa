import ArgumentParser
import DUSCore
import Foundation

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search of summaries, findings, learning, recommendations, actions and action updates.",
        discussion: """
            Words are stemmed (release finds released and releases) and must all occur in the same text. "quoted phrase" finds the words together; a OR b finds either; -word leaves out texts with that word; word* finds words that begin so. Hits are ranked (BM25), best first, with the matched words between ** in snippets.

            Examples:
              dus search friday release --limit 4
              dus search '"take-home naloxone"' --kind death --format json
            """)

    // -word is part of the query, not an option: unrecognised words all go to the query.
    @Argument(parsing: .allUnrecognized, help: "What to look for.") var query: [String]
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions
    @Option(help: "The most hits to show (default 20); 0 shows all.") var limit: Int?
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "The output format.") var format: Format = .text

    /// The words of the query; a lone `--` (the end of options) is not one of them.
    private var words: [String] { query.filter { $0 != "--" } }

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 (all) or more") }
        if let option = words.first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("unknown option '\(option)'; see 'dus search --help'")
        }
        _ = try parsedQuery()
    }

    private func parsedQuery() throws -> SearchQuery {
        do {
            return try SearchQuery(words.joined(separator: " "))
        } catch {
            throw ValidationError(error.errorDescription ?? "\(error)")
        }
    }

    func run() throws {
        let query = try parsedQuery()
        let results = try reportingErrors {
            // The best 20 unless told otherwise, as JSON too: a common word matches a text in
            // every few reviews, and all of them at once would take minutes and gigabytes.
            let most = limit ?? 20
            return try SearchEngine(store: try database.open()).search(
                query, matching: try filters.makeFilter(), limit: most == 0 ? nil : most, matches: format == .json)
        }
        let renderer = SearchRenderer(results: results)
        switch format {
        case .json: print(renderer.json().serialized(pretty: true))
        case .text:
            let colour = colourWanted()
            print(renderer.text(colour: colour), terminator: "")
        }
    }
}
