import ArgumentParser
import DUSCore
import Foundation

struct ActionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "The actions of the reviews' recommendations: what is overdue, due soon, done or withdrawn.",
        discussion: """
            An action is overdue when it is open and its current target date (the newest revised target date, else the target date) is before the as-of date, today in Europe/London unless --as-of is given. --overdue and --due-within together list both.

            Examples:
              dus actions --overdue --region north-west
              dus actions --due-within 30 --summary
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions
    @Flag(help: "Only overdue actions.") var overdue = false
    @Option(help: "Only open actions due within this many days of the as-of date (0: due that day).") var dueWithin: Int?
    @Option(help: "The date overdue and due soon are judged on (YYYY-MM-DD; default today).") var asOf: String?
    @Option(help: "Actions whose owner contains this text (any case).") var owner: String?
    @Option(help: helpListing("The action's status.", rawValues(of: ActionStatus.self)), completion: .list(rawValues(of: ActionStatus.self)))
    var actionStatus: String?
    @Option(help: helpListing("The response to the recommendation.", rawValues(of: Response.self)), completion: .list(rawValues(of: Response.self)))
    var response: String?
    @Option(help: helpListing("A theme of the recommendation.", Catalogue.standard.themes), completion: .list(Catalogue.standard.themes))
    var theme: String?
    @Flag(help: "Counts by status and owner instead of the list.") var summary = false
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    @Option(help: "The output format (csv for the list only, not with --summary).") var format: Format = .text

    func validate() throws {
        _ = try makeQuery()
        if format == .csv && summary {
            throw ValidationError("--format csv is for the list: with --summary, use text or json")
        }
    }

    private func makeQuery(catalogue: Catalogue = .standard) throws -> ActionQuery {
        var query = ActionQuery(asOf: .today())
        if let asOf {
            guard let day = Day(asOf) else { throw ValidationError("--as-of '\(asOf)' is not a real date YYYY-MM-DD") }
            query.asOf = day
        }
        query.filter = try filters.makeFilter(catalogue: catalogue)
        query.overdue = overdue
        // A century is further ahead than any action is planned; it also keeps dates in range.
        if let dueWithin, !(0...36_500).contains(dueWithin) { throw ValidationError("--due-within must be 0 to 36500 days") }
        if let owner, owner.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--owner must not be empty") }
        query.dueWithin = dueWithin
        query.owner = owner
        query.status = try choice(actionStatus, "--action-status")
        query.response = try choice(response, "--response")
        if let theme {
            guard catalogue.themes.contains(theme) else {
                throw ValidationError("--theme '\(theme)' is not a theme; the themes are \(catalogue.themes.joined(separator: ", "))")
            }
            query.theme = theme
        }
        return query
    }

    func run() throws {
        let query = try makeQuery()
        let tracker = try reportingErrors { ActionTracker(store: try database.open()) }
        if summary {
            let counts = try reportingErrors { try tracker.summary(query) }
            print(format == .json ? ActionRenderer.json(counts).serialized(pretty: true) : ActionRenderer.text(counts), terminator: format == .json ? "\n" : "")
            return
        }
        let actions = try reportingErrors { try tracker.actions(query) }
        switch format {
        case .json: print(ActionRenderer.json(actions, asOf: query.asOf, dueWithin: query.dueWithin).serialized(pretty: true))
        case .csv: print(ActionRenderer.table(actions).csv(), terminator: "")
        case .text:
            ActionRenderer.writeText(actions, asOf: query.asOf, dueWithin: query.dueWithin) { FileHandle.standardOutput.write(Data($0)) }
        }
    }
}
