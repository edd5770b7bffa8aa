import Crypto
import DUSCore
import Foundation
import HTTPTypes
import Hummingbird

/// The pages for learning leads and managers that show what the command line's reports
/// show: patterns, action plans and bulletins. Action plans and bulletins are the same
/// single-file pages `dus action-plan` and `dus bulletin --html` write.
extension Site {
    func addReportRoutes(to router: Router<WebContext>) {
        router.get("/patterns") { request, context in
            self.answer(context) { try self.patterns(FormFields(query: request.uri.query ?? ""), context.signedIn) }
        }
        router.get("/action-plan") { request, context in
            self.answer(context) { try self.plans(FormFields(query: request.uri.query ?? ""), context.signedIn) }
        }
        router.get("/action-plan/:reference") { request, context in
            self.answer(context) { try self.plan(of: context.parameters.get("reference") ?? "") }
        }
        router.get("/action-plans.html") { request, context in
            self.answer(context) { try self.plans(matching: FormFields(query: request.uri.query ?? "")) }
        }
        router.get("/bulletins") { request, context in
            self.answer(context) { try self.bulletins(FormFields(query: request.uri.query ?? ""), context.signedIn) }
        }
        router.get("/bulletins/:file") { request, context in
            self.answer(context) { try self.bulletin(FormFields(query: request.uri.query ?? ""), file: context.parameters.get("file") ?? "") }
        }
    }

    // MARK: Patterns

    private func patterns(_ query: FormFields, _ who: SignedIn) throws -> Response {
        let (text, filter) = try Self.filter(query)
        let grouping: PatternReport.Grouping? = try FilterText.choice(query.value("by"), "--by")
        let report = try PatternEngine(store: store).report(matching: filter, by: grouping)
        let slices = grouping == nil ? [report.all] : report.slices
        let charts = slices.map { slice -> [String: Any] in
            let name = slice.key ?? "all reviews"
            return ["svg": Self.releaseChart(slice, name: name),
                    "caption": "\(name): \(Self.counted(slice.released, "review", "reviews")) of someone released from custody, by days from release to the event"]
        }
        return Page.html(render("patterns", [
            "title": "Patterns", "filter": Self.filterContext(text), "charts": charts,
            "groupings": PatternReport.Grouping.allCases.map { ["value": $0.rawValue, "selected": $0 == grouping] },
            "report": PatternRenderer(report: report).text(colour: false, width: 100),
        ], who))
    }

    /// A bar for each release band of the slice, drawn in black and white, with its count:
    /// an SVG with a title and a description for screen readers.
    static func releaseChart(_ slice: PatternSlice, name: String) -> String {
        let bands = ReleaseBand.allCases.filter { $0 != .notReleased }
        let counts = bands.map { slice.releaseBands[$0] ?? 0 }
        let most = max(counts.max() ?? 0, 1)
        let (width, bar, gap, left) = (560, 22, 8, 150)
        let height = bands.count * (bar + gap) + gap
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">"
        svg += "<title>Release timing: \(MarkdownHTML.escaped(name))</title><desc>"
        svg += zip(bands, counts).map { "\(Self.bandWords($0.0)): \($0.1)" }.joined(separator: "; ") + "</desc>"
        for (index, (band, count)) in zip(bands, counts).enumerated() {
            let y = gap + index * (bar + gap)
            let length = (width - left - 60) * count / most
            svg += "<text x=\"0\" y=\"\(y + 16)\" font-size=\"13\" fill=\"#1b1b1b\">\(Self.bandWords(band))</text>"
            svg += "<rect x=\"\(left)\" y=\"\(y)\" width=\"\(length)\" height=\"\(bar)\" fill=\"\(band == .firstFortnight ? "#1b1b1b" : "#8a8a8a")\"/>"
            svg += "<text x=\"\(left + length + 6)\" y=\"\(y + 16)\" font-size=\"13\" fill=\"#1b1b1b\">\(count)</text>"
        }
        return svg + "</svg>"
    }

    static func bandWords(_ band: ReleaseBand) -> String {
        switch band {
        case .firstFortnight: "days 0–13"
        case .weeks3to4: "days 14–27"
        case .weeks5to12: "days 28–83"
        case .later: "day 84 or later"
        case .notReleased: "not released"
        }
    }

    // MARK: Action plans

    private func plans(_ query: FormFields, _ who: SignedIn) throws -> Response {
        let (text, filter) = try Self.filter(query)
        let reviews = try planReviews(filter)
        let (shown, pages) = try Self.page(reviews, query, path: "/action-plan")
        let kept = query.pairs.filter { $0.name != "page" }
        return Page.html(render("plans", [
            "title": "Action plans", "filter": Self.filterContext(text), "asOf": Day.today().description,
            "count": Self.counted(reviews.count, "review", "reviews") + " with their recommendations and actions.",
            "plan": "/action-plans.html" + (kept.isEmpty ? "" : "?" + FormFields.encode(kept)),
            "reviews": shown.map { ["reference": $0.reference, "status": $0.status.rawValue, "eventDate": $0.eventDate.description, "region": $0.region] },
        ].merging(pages) { $1 }, who))
    }

    /// The reviews of the action plans: agreed and published, unless a status is asked for.
    private func planReviews(_ filter: ReviewFilter) throws -> [Review] {
        let reviews = try store.reviews(matching: filter)
        return filter.status == nil ? reviews.filter { ActionPlan.defaultStatuses.contains($0.status) } : reviews
    }

    private func plans(matching query: FormFields) throws -> Response {
        let (_, filter) = try Self.filter(query)
        return Page.standalone(ActionPlanRenderer.html(ActionPlan(reviews: try planReviews(filter), asOf: Day.today())))
    }

    private func plan(of reference: String) throws -> Response {
        guard let review = try store.review(reference.uppercased()) else {
            throw PageError(status: .notFound, message: "No review with the reference \(reference).", back: "/action-plan")
        }
        return Page.standalone(ActionPlanRenderer.html(ActionPlan(reviews: [review], asOf: Day.today())))
    }

    // MARK: Bulletins

    private func bulletins(_ query: FormFields, _ who: SignedIn) throws -> Response {
        var context: [String: Any] = [
            "title": "Bulletins", "minCount": DisclosureControl().minCount, "period": query.value("period") ?? "",
            "issuer": query.value("issuer") ?? "", "marking": query.value("marking") ?? "",
        ]
        if query.value("period") != nil {
            let (period, _) = try bulletinSettings(query)
            let kept = FormFields.encode(query.pairs.filter { ["period", "issuer", "marking"].contains($0.name) })
            context["prepared"] = ["title": "Learning bulletin: \(period)", "preview": "/bulletins/preview.html?" + kept,
                                   "html": "/bulletins/bulletin.html?" + kept, "markdown": "/bulletins/bulletin.md?" + kept]
        }
        return Page.html(render("bulletins", context, who))
    }

    /// The bulletin's period and builder, from the query, refused with the command line's
    /// messages.
    private func bulletinSettings(_ query: FormFields) throws -> (BulletinPeriod, BulletinBuilder) {
        let range = try FilterText.eventDates(period: query.value("period"), from: nil, to: nil)
        guard let first = range.from, let last = range.to else { throw FilterTextError("give the period: --period") }
        let period: BulletinPeriod
        do {
            period = try BulletinPeriod(from: first, to: last)
        } catch {
            throw FilterTextError(error.errorDescription ?? "\(error)")
        }
        for (name, value) in [("--issuer", query.value("issuer")), ("--marking", query.value("marking"))] {
            if let value, value.count > 200 || value.contains(where: \.isNewline) { throw FilterTextError("\(name): give 1 to 200 characters on one line") }
        }
        let builder = BulletinBuilder(store: store, issuer: query.value("issuer"), marking: query.value("marking"), issued: Day.today())
        return (period, builder)
    }

    private func bulletin(_ query: FormFields, file: String) throws -> Response {
        guard ["preview.html", "bulletin.html", "bulletin.md"].contains(file) else {
            throw PageError(status: .notFound, message: "There is no such bulletin file.", back: "/bulletins")
        }
        let (period, builder) = try bulletinSettings(query)
        let renderer: BulletinRenderer
        let markdown: String
        do {
            renderer = BulletinRenderer(bulletin: try builder.bulletin(for: period), store: store)
            markdown = try renderer.markdown(charts: file == "bulletin.md" ? BulletinRenderer.ChartNames() : BulletinRenderer.htmlCharts)
        } catch let error as BulletinError {
            throw PageError(status: .badRequest, message: error.errorDescription ?? "\(error)", back: "/bulletins")
        }
        let name = "bulletin-\(query.value("period") ?? "period")".filter { $0.isLetter || $0.isNumber || $0 == "-" }
        switch file {
        case "bulletin.md":
            return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).md\""],
                            body: .init(byteBuffer: ByteBuffer(string: markdown)))
        case "bulletin.html":
            var response = Page.standalone(renderer.html(markdown: markdown))
            response.headers[.contentDisposition] = "attachment; filename=\"\(name).html\""
            return response
        default:
            return Page.standalone(renderer.html(markdown: markdown))
        }
    }
}

extension Page {
    /// A page that carries its own style sheet (a bulletin, an action plan): the policy
    /// lets in that style sheet, by its hash, and nothing else (decisions #9).
    static func standalone(_ html: String) -> Response {
        var response = Page.html(html)
        var hashes: [String] = []
        var rest = Substring(html)
        while let open = rest.range(of: "<style>"), let close = rest[open.upperBound...].range(of: "</style>") {
            let css = rest[open.upperBound..<close.lowerBound]
            hashes.append("'sha256-" + Data(SHA256.hash(data: Data(css.utf8))).base64EncodedString() + "'")
            rest = rest[close.upperBound...]
        }
        response.headers[.contentSecurityPolicy] = Gate.policy(styles: hashes)
        return response
    }
}

extension HTTPField.Name {
    static let contentDisposition = Self("Content-Disposition")!
}
