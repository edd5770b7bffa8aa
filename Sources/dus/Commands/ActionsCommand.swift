import ArgumentParser
import DUSCore
import Foundation

struct ActionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "The actions of the reviews' recommendations: what is overdue, due soon, done or withdrawn.",
        discussion: """
            An action is overdue when it is open and its current target date (the newest revised target date, else the target date) is before the as-of date, today in Europe/London unless --as-of is given. --overdue and --due-within together list both.

            Which date each filter reads: --due-from, --due-to and --due-period select actions by their current target date (when they are due); the review filters (--from, --to, --period and the rest) select the reviews by their event date.

            --group-by owner makes chase lists: one section per owner, most overdue first (--format md or html); with --out DIR, one file per region and owner, to send to each.

            Examples:
              dus actions --overdue --region north-west
              dus actions --due-within 30 --summary
              dus actions --due-period 2027-Q1 --format csv > due-2027-q1.csv
              dus actions --overdue --due-within 30 --group-by owner --format md --out chase/
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
    @Option(help: "Actions whose current target date is on or after this date (YYYY-MM-DD).") var dueFrom: String?
    @Option(help: "Actions whose current target date is on or before this date (YYYY-MM-DD).") var dueTo: String?
    @Option(help: "Actions whose current target date falls in a quarter (2027-Q1), year (2027) or financial year (FY2026-27).")
    var duePeriod: String?
    @Flag(help: "Counts by status and owner instead of the list.") var summary = false
    enum Grouping: String, ExpressibleByArgument, CaseIterable {
        case owner
    }

    @Option(help: "Chase lists: one section per owner, most overdue first (with --format md or html).") var groupBy: Grouping?
    @Option(help: "With --group-by owner: write one file per region and owner into this folder.", completion: .directory) var out: String?
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv, md, html
    }

    @Option(help: "text, json or csv; with --summary also md; with --group-by owner, md or html.") var format: Format = .text

    func validate() throws {
        _ = try makeQuery()
        if summary && groupBy != nil { throw ValidationError("--summary and --group-by are two different reports: give one") }
        if summary && format == .html { throw ValidationError("--summary renders as text, json, md or csv") }
        if groupBy != nil && ![.md, .html].contains(format) { throw ValidationError("--group-by owner writes chase lists: give --format md or html") }
        if !summary && groupBy == nil && [.md, .html].contains(format) {
            throw ValidationError("--format \(format.rawValue) is for chase lists (--group-by owner)\(format == .md ? " or --summary" : ""); the list is text, json or csv")
        }
        if let out {
            if groupBy == nil { throw ValidationError("--out DIR is for chase lists (--group-by owner)") }
            let name = URL(fileURLWithPath: out).lastPathComponent.lowercased()
            if ["md", "html", "csv", "txt", "json"].contains((name as NSString).pathExtension) {
                throw ValidationError("--out \(out): give a folder, not a file name: chase lists are a file per region and owner")
            }
            // Lists left from an earlier run would read as current: the folder starts empty.
            if let inside = try? FileManager.default.contentsOfDirectory(atPath: out), !inside.isEmpty {
                throw ValidationError("--out \(out): the folder is not empty; give a new or empty folder, so that no earlier list is taken for a current one")
            }
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
        if let duePeriod {
            if dueFrom != nil || dueTo != nil { throw ValidationError("--due-period cannot be combined with --due-from or --due-to") }
            do {
                (query.dueFrom, query.dueTo) = try ReviewFilter.period(duePeriod)
            } catch {
                throw ValidationError("--due-period " + error.description)
            }
        } else {
            query.dueFrom = try dateOption(dueFrom, "--due-from")
            query.dueTo = try dateOption(dueTo, "--due-to")
        }
        if let from = query.dueFrom, let to = query.dueTo, to < from { throw ValidationError("--due-to \(to) is before --due-from \(from)") }
        // A century is further ahead than any action is planned; it also keeps dates in range.
        if let dueWithin, !(0...36_500).contains(dueWithin) { throw ValidationError("--due-within must be 0 to 36500 days") }
        if let owner, owner.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--owner must not be empty") }
        query.dueWithin = dueWithin
        query.owner = owner
        query.status = try choice(actionStatus, "--action-status")
        // A chase list is of what is still to be done, unless a status is asked for.
        if groupBy != nil && query.status == nil { query.status = .open }
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
        var query = try makeQuery()
        let tracker = try reportingErrors { ActionTracker(store: try database.open()) }
        if summary {
            let counts = try reportingErrors { try tracker.summary(query) }
            switch format {
            case .json: print(ActionRenderer.json(counts).serialized(pretty: true))
            case .md: print(ActionRenderer.markdown(counts), terminator: "")
            case .csv: print(ActionRenderer.table(counts).csv(), terminator: "")
            default: print(ActionRenderer.text(counts), terminator: "")
            }
            return
        }
        query.withDetails = format == .csv || out != nil
        if format == .text && groupBy == nil {
            try reportingErrors { try tracker.writeText(query) { FileHandle.standardOutput.write(Data($0)) } }
            return
        }
        let actions = try reportingErrors { try tracker.actions(query) }
        if groupBy != nil {
            try chase(actions, query)
            return
        }
        switch format {
        case .json: print(ActionRenderer.json(actions, asOf: query.asOf, dueWithin: query.dueWithin).serialized(pretty: true))
        case .csv: print(ActionRenderer.table(actions).csv(), terminator: "")
        // Text went out above as it was read; md and html are chase lists.
        case .text, .md, .html: break
        }
    }

    /// Chase lists: to standard output, or one file per region and owner into `out`.
    private func chase(_ actions: [TrackedAction], _ query: ActionQuery) throws {
        let list = ChaseList(actions, asOf: query.asOf, dueWithin: query.dueWithin, byRegion: out != nil)
        func render(_ sections: [ChaseList.Section]? = nil) -> String { format == .html ? list.html(sections) : list.markdown(sections) }
        guard let out else {
            print(render(), terminator: "")
            return
        }
        var names: Set<String> = []
        var files: [(path: String, contents: String)] = []
        for section in list.sections {
            var name = ChaseList.fileName(section)
            // Two owners spelled alike apart from case or punctuation keep a file each.
            var suffix = 2
            while names.contains(name) { name = ChaseList.fileName(section) + "-\(suffix)"; suffix += 1 }
            names.insert(name)
            files.append((URL(fileURLWithPath: out).appendingPathComponent(name + "." + format.rawValue).path, render([section])))
        }
        try reportingErrors { try writeAll(files) }
        print("wrote \(files.count) chase list\(files.count == 1 ? "" : "s") to \(out)" + (files.isEmpty ? ": nothing to chase" : ""))
    }
}
