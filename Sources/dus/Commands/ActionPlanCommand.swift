import ArgumentParser
import DUSCore
import Foundation

struct ActionPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action-plan",
        abstract: "The action plan of a review, or of the reviews the filters select, in the columns of the published HMPPS plans.",
        discussion: """
            Columns: Rec, Response, Action taken or planned, Owner, Original target date, Latest update, Revised target date / Complete. Above each table: recommendations by response and actions by status, overdue and due within 30 days, as of --as-of (default today). Without a reference, the plan covers the agreed and published reviews the filters select (--status chooses others). The review filters select on the event date.

            Examples:
              dus action-plan nw-2024-0011
              dus action-plan --region north-west --format html --out north-west-plan.html
              dus action-plan --period FY2025-26 --format csv --out plan.csv
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "One review's reference (any case); without it, every review the filters select.", transform: { $0.uppercased() })
    var reference: String?
    @OptionGroup var filters: FilterOptions
    @Option(help: "The date the plan describes (YYYY-MM-DD; default today).") var asOf: String?
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, html, csv
    }

    @Option(help: "md (Markdown), html (one page that prints on A4 landscape) or csv (default: from --out's extension, else md).")
    var format: Format?

    /// The format asked for, else the one --out's name ends with, else Markdown.
    var chosenFormat: Format {
        format ?? out.flatMap { Format(rawValue: ($0 as NSString).pathExtension.lowercased()) } ?? .md
    }
    @Option(help: "Write to this file instead of standard output.", completion: .file()) var out: String?

    func validate() throws {
        _ = try dateOption(asOf, "--as-of")
        let filter = try filters.makeFilter()
        if reference != nil && filter != ReviewFilter() {
            throw ValidationError("give a reference or filters, not both")
        }
    }

    func run() throws {
        let asOf = try dateOption(asOf, "--as-of") ?? .today()
        let filter = try filters.makeFilter()
        let reviews: [Review] = try reportingErrors {
            let store = try database.open()
            if let reference {
                guard let review = try store.review(reference) else { throw StoreError.notFound(reference: reference) }
                return [review]
            }
            let reviews = try store.reviews(matching: filter)
            return filter.status == nil ? reviews.filter { ActionPlan.defaultStatuses.contains($0.status) } : reviews
        }
        let plan = ActionPlan(reviews: reviews, asOf: asOf)
        let text: String
        switch chosenFormat {
        case .md: text = ActionPlanRenderer.markdown(plan)
        case .html: text = ActionPlanRenderer.html(plan)
        case .csv: text = ActionPlanRenderer.table(plan).csv()
        }
        if let out {
            try reportingErrors { try writeAll([(out, text)]) }
            print("wrote \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}
