import ArgumentParser
import DUSCore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one review as a review file (md) or as JSON with its derived fields.",
        discussion: """
            Examples:
              dus show nw-2024-0011
              dus show nw-2024-0011 --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json
    }

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The output format.") var format: Format = .md
    @Argument(help: "The review's reference, in any case (yh-2026-0005 finds YH-2026-0005).", transform: { $0.uppercased() }) var reference: String

    func run() throws {
        let review = try reportingErrors { () -> Review in
            guard let review = try database.open().review(reference) else { throw StoreError.notFound(reference: reference) }
            return review
        }
        let writer = ReviewWriter()
        switch format {
        case .json:
            print(writer.json(review, derived: true).serialized(pretty: true))
        case .md:
            print(writer.markdown(review), terminator: "")
        }
    }
}
