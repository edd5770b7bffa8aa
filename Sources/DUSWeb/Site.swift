import Crypto
import DUSCore
import Foundation
import Hummingbird
import Mustache
import Synchronization

/// A page's answer: HTML from a template, or a plain message.
enum Page {
    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func html(status: HTTPResponse.Status, body: String) -> Response { html(body, status: status) }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// The pages of `dus serve`, each a thin handler over the library: it reads the query
/// with the command line's names and messages, asks the store or an engine, and fills a
/// template. Every value from a review goes through Mustache's `{{…}}`, which escapes
/// HTML; only marks dus makes itself (a snippet's `<mark>`) use `{{{…}}}`.
struct Site: Sendable {
    /// Connections to the database, one for each core: pages read through them in turn,
    /// side by side (SQLite's WAL lets readers read while another writes).
    let stores: [Store]
    private let turn = Turn()
    let cache = PageCache()
    let library: MustacheLibrary
    /// Whether people sign in (`--users`): changes are then recorded as the user signed in.
    let signsIn: Bool

    static let pageSize = 50

    /// The connection for the next read.
    var store: Store { stores[turn.next() % stores.count] }
    /// The connection every change goes through, and whose `data_version` the cache reads.
    var writer: Store { stores[0] }

    init(stores: [Store], signsIn: Bool) throws {
        self.stores = stores
        self.signsIn = signsIn
        var library = MustacheLibrary()
        let templates: [(String, [UInt8])] = [
            ("header", PackageResources.header_mustache), ("footer", PackageResources.footer_mustache),
            ("filters", PackageResources.filters_mustache), ("pager", PackageResources.pager_mustache),
            ("action", PackageResources.action_mustache), ("problem", PackageResources.problem_mustache),
            ("dashboard", PackageResources.dashboard_mustache), ("reviews", PackageResources.reviews_mustache),
            ("review", PackageResources.review_mustache), ("search", PackageResources.search_mustache),
            ("actions", PackageResources.actions_mustache), ("sign-in", PackageResources.sign_in_mustache),
            ("patterns", PackageResources.patterns_mustache), ("plans", PackageResources.plans_mustache),
            ("bulletins", PackageResources.bulletins_mustache),
        ]
        for (name, bytes) in templates { try library.register(String(decoding: bytes, as: UTF8.self), named: name) }
        self.library = library
    }

    func addRoutes(to router: Router<WebContext>) {
        router.get("/style.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.style_css)))
        }
        // The pages a bulletin or an action plan makes name no icon; the browser asks anyway.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/") { _, context in self.answer(context) { try self.dashboard(context.signedIn) } }
        addReportRoutes(to: router)
        router.get("/reviews") { request, context in
            self.answer(context) { try self.reviews(FormFields(query: request.uri.query ?? ""), context.signedIn) }
        }
        router.get("/reviews/:reference") { request, context in
            self.answer(context) { try self.review(context.parameters.get("reference") ?? "", context.signedIn) }
        }
        router.get("/search") { request, context in
            self.answer(context) { try self.search(FormFields(query: request.uri.query ?? ""), context.signedIn) }
        }
        router.get("/actions") { request, context in
            self.answer(context) { try self.actions(FormFields(query: request.uri.query ?? ""), context.signedIn) }
        }
        router.post("/actions/:reference/:recommendation/:action/:change") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            let form = FormFields(query: String(buffer: body))
            let parameters = context.parameters
            return self.answer(context) {
                try self.changeAction(
                    "\(parameters.get("reference") ?? "")/\(parameters.get("recommendation") ?? "")/\(parameters.get("action") ?? "")",
                    change: parameters.get("change") ?? "", form: form, by: context.signedIn)
            }
        }
    }

    /// Runs a page; a refusal the user can mend answers 400 with the command line's
    /// message, an unknown reference 404, anything else 500 without detail (no case text
    /// leaves in an error).
    func answer(_ context: WebContext, _ page: () throws -> Response) -> Response {
        do {
            return try page()
        } catch let error as PageError {
            return problem(error.status, error.message, back: error.back, context.signedIn)
        } catch let error as FilterTextError {
            return problem(.badRequest, error.description, context.signedIn)
        } catch StoreError.notFound(let reference) {
            return problem(.notFound, "No review with the reference \(reference).", context.signedIn)
        } catch {
            // No detail: an error of the database may name its file or hold a value.
            return problem(.internalServerError, "dus could not answer this page", context.signedIn)
        }
    }

    private func problem(_ status: HTTPResponse.Status, _ message: String, back: String = "/", _ who: SignedIn) -> Response {
        let title = status == .notFound ? "Not found" : status == .badRequest ? "Cannot show this" : "Something went wrong"
        return Page.html(render("problem", ["title": title, "message": message, "back": back], who), status: status)
    }

    /// The page `template` with `context`, and who is signed in for its header.
    func render(_ template: String, _ context: [String: Any], _ who: SignedIn? = nil) -> String {
        var context = context
        if let who {
            context["who"] = ["name": who.name, "role": who.role.rawValue, "signsIn": signsIn, "csrf": who.formToken]
        }
        // Every template is built in: a name that is not is a fault of dus, said so.
        return library.render(Self.withoutNil(context) ?? [:], withTemplate: template) ?? "dus: no page template \(template)"
    }

    /// The context with every absent value left out, at any depth: Mustache would show
    /// an absent value held in `Any` as "nil", where a section should simply not show.
    static func withoutNil(_ value: Any?) -> Any? {
        guard let value else { return nil }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.flatMap { withoutNil($0.value) } }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues { withoutNil($0) } }
        if let list = value as? [Any] { return list.compactMap { withoutNil($0) } }
        return value
    }

    // MARK: Pages

    /// What the dashboard shows, worked out once for each state of the database.
    struct Dashboard: Sendable {
        var statuses: [(status: String, count: Int)] = []
        var summary: ActionSummary
        var learning: [Review]
    }

    private func dashboard(_ who: SignedIn) throws -> Response {
        let today = Day.today()
        let data = try cache.value("dashboard", store: writer) { () throws -> Dashboard in
            let store = self.store
            var statuses: [(status: String, count: Int)] = []
            try store.snapshot { snapshot in
                for status in Status.allCases {
                    var filter = ReviewFilter()
                    filter.status = status
                    statuses.append((status.rawValue, try snapshot.count(matching: filter)))
                }
            }
            var query = ActionQuery(asOf: today)
            query.dueWithin = 28
            var published = ReviewFilter()
            published.status = .published
            let learning = try store.newestReviews(matching: published, limit: 40).filter { !$0.learning.isEmpty }.prefix(5)
            return Dashboard(statuses: statuses, summary: try ActionTracker(store: store).summary(query), learning: Array(learning))
        }
        let learning = data.learning.map { review -> [String: Any] in
            ["reference": review.reference, "kind": review.kind.rawValue, "month": Self.month(review.eventDate), "region": review.region,
             "points": review.learning.map(\.text)]
        }
        return Page.html(render("dashboard", [
            "title": "Learning reviews", "statuses": data.statuses.map { ["status": $0.status, "count": $0.count] },
            "total": data.statuses.reduce(0) { $0 + $1.count }, "asOf": today.description, "overdue": data.summary.overdue,
            "dueSoon": data.summary.dueSoon ?? 0, "open": data.summary.byStatus[.open] ?? 0, "learning": learning,
        ], who))
    }

    private func reviews(_ query: FormFields, _ who: SignedIn) throws -> Response {
        let (text, filter) = try Self.filter(query)
        let all = try store.summaries(matching: filter)
        let (shown, pages) = try Self.page(all, query, path: "/reviews")
        return Page.html(render("reviews", [
            "title": "Reviews", "filter": Self.filterContext(text), "count": Self.counted(all.count, "review", "reviews"),
            "reviews": shown.map { summary -> [String: Any] in
                ["reference": summary.reference, "kind": summary.kind.rawValue, "status": summary.status.rawValue,
                 "eventDate": summary.eventDate.description, "region": summary.region, "supervision": summary.supervision.rawValue]
            },
        ].merging(pages) { $1 }, who))
    }

    private func review(_ reference: String, _ who: SignedIn, problem: (anchor: String, message: String)? = nil) throws -> Response {
        guard let review = try store.review(reference.uppercased()) else {
            throw PageError(status: .notFound, message: "No review with the reference \(reference).", back: "/reviews")
        }
        let derived = Derived(for: review)
        let today = Day.today()
        let back = "/reviews/\(review.reference)"
        let history = try store.history(of: review.reference).map { entry -> [String: Any] in
            ["at": entry.at, "event": entry.event, "reason": entry.reason as Any, "by": entry.actor ?? "",
             "changes": entry.changes.map { ["path": $0.path, "old": $0.old ?? "", "new": $0.new ?? ""] }]
        }
        let recommendations = review.recommendations.map { recommendation -> [String: Any] in
            ["id": recommendation.id, "text": recommendation.text, "to": recommendation.to ?? "", "response": recommendation.response.rawValue,
             "reason": recommendation.reason as Any,
             "actions": recommendation.actions.map { action in
                 actionContext(reference: review.reference, recommendation: recommendation.id, action: action, today: today, back: back, who: who,
                               problem: problem)
             }]
        }
        return Page.html(status: problem == nil ? .ok : .badRequest, body: render("review", [
            "title": review.reference, "kind": review.kind.rawValue, "status": review.status.rawValue,
            "classification": review.classification.rawValue, "eventDate": review.eventDate.description, "region": review.region,
            "supervision": review.supervision.rawValue, "daysSinceRelease": derived.daysSinceRelease.map(String.init) ?? "not released from custody",
            "releaseBand": derived.releaseBand.rawValue, "ageBand": derived.ageBand, "summary": review.summary as Any,
            "hasFindings": !review.findings.isEmpty, "findings": review.findings.map { ["text": $0.text, "themes": $0.themes.joined(separator: ", ")] },
            "hasLearning": !review.learning.isEmpty, "learning": review.learning.map { ["text": $0.text] },
            "hasRecommendations": !review.recommendations.isEmpty, "recommendations": recommendations, "history": history,
        ], who))
    }

    /// One action as the template `action` shows it, with its forms while it is open (for
    /// an editor).
    private func actionContext(reference: String, recommendation: String, action: Action, today: Day, back: String, who: SignedIn,
                               problem: (anchor: String, message: String)?) -> [String: Any] {
        let address = "\(reference)/\(recommendation)/\(action.id)"
        let anchor = "\(recommendation)-\(action.id)"
        let overdue = action.status == .open && action.currentTargetDate < today
        let stateText = overdue ? "open, overdue by \(today.ordinal - action.currentTargetDate.ordinal) days" : action.status.rawValue
        var context: [String: Any] = [
            "reference": reference, "address": address, "anchor": anchor, "state": overdue ? "overdue" : action.status.rawValue,
            "stateText": stateText, "text": action.text, "owner": action.owner, "target": action.currentTargetDate.description,
            "original": action.revisedTargetDates.isEmpty ? nil as String? as Any : action.targetDate.description,
            "completed": action.completedDate?.description as Any, "withdrawn": action.withdrawnReason as Any, "evidence": action.evidence as Any,
            "lastUpdate": action.updates.last.map { ["date": $0.date.description, "note": $0.note] } as Any,
        ]
        if action.status == .open && who.role == .editor {
            let mine = problem?.anchor == anchor ? problem?.message : nil
            context["forms"] = ["csrf": who.formToken, "back": back + "#" + anchor, "today": today.description, "problem": mine as Any, "open": mine != nil]
        }
        return context
    }

    private func search(_ query: FormFields, _ who: SignedIn) throws -> Response {
        let (text, filter) = try Self.filter(query)
        var context: [String: Any] = ["title": "Search", "filter": Self.filterContext(text), "query": query.value("q") ?? ""]
        guard let words = query.value("q") else { return Page.html(render("search", context, who)) }
        // A query of hundreds of words would keep the server busy for minutes.
        guard words.count <= 500, words.split(whereSeparator: \.isWhitespace).count <= 32 else {
            throw PageError(status: .badRequest, message: "A search takes at most 32 words and 500 characters.", back: "/search")
        }
        let parsed: SearchQuery
        do {
            parsed = try SearchQuery(words)
        } catch {
            throw PageError(status: .badRequest, message: error.errorDescription ?? "\(error)", back: "/search")
        }
        let page = try Self.pageNumber(query)
        // Kept while the database stays as it is, as the list of actions is: the same search
        // (a page of it, a search shared by link) is not ranked again.
        let key = "search?" + FormFields.encode(query.pairs)
        let results = try cache.value(key, store: writer) {
            try SearchEngine(store: store).search(parsed, matching: filter, limit: page * Self.pageSize, matches: false, snippetMarker: "\u{1}")
        }
        let hits = Array(results.hits.dropFirst((page - 1) * Self.pageSize))
        var groups: [[String: Any]] = []
        var index: [String: Int] = [:]
        for hit in hits {
            let line: [String: Any] = ["place": SearchRenderer.place(of: hit), "snippet": Self.marked(hit.snippet)]
            if let at = index[hit.reference] {
                var hitsOfGroup = groups[at]["hits"] as? [[String: Any]] ?? []
                hitsOfGroup.append(line)
                groups[at]["hits"] = hitsOfGroup
            } else {
                index[hit.reference] = groups.count
                groups.append(["reference": hit.reference, "status": hit.status.rawValue, "kind": hit.kind.rawValue,
                               "month": Self.month(hit.eventDate), "region": hit.region, "hits": [line]])
            }
        }
        context["searched"] = true
        context["summary"] = results.matchingTexts == 0
            ? "No text matches \(words)\(results.isFiltered ? " under these filters" : "")."
            : "\(Self.counted(results.matchingTexts, "text", "texts")) in \(Self.counted(results.matchingReviews, "review", "reviews")) match \(words), best first."
        if let best = results.suggestions.first, let alternative = best.alternatives.first {
            let corrected = SearchResults.corrected(words, results.suggestions)
            var pairs = query.pairs.filter { $0.name != "q" && $0.name != "page" }
            pairs.insert(("q", corrected), at: 0)
            context["suggestion"] = ["words": alternative == corrected ? alternative : corrected, "link": "/search?" + FormFields.encode(pairs)]
        }
        context["groups"] = groups
        let pageCount = max(1, (results.matchingTexts + Self.pageSize - 1) / Self.pageSize)
        context.merge(Self.pager(query, path: "/search", page: page, pageCount: pageCount)) { $1 }
        return Page.html(render("search", context, who))
    }

    private func actions(_ query: FormFields, _ who: SignedIn) throws -> Response {
        let (text, filter) = try Self.filter(query)
        var actionQuery = ActionQuery(asOf: Day.today())
        actionQuery.filter = filter
        actionQuery.overdue = query.value("overdue") != nil
        if let days = query.value("due-within") {
            guard let number = Int(days), (0...36_500).contains(number) else { throw FilterTextError("--due-within '\(days)' is not a number of days (0 to 36500)") }
            actionQuery.dueWithin = number
        }
        actionQuery.owner = query.value("owner")
        func day(_ name: String) throws -> Day? {
            guard let value = query.value(name) else { return nil }
            guard let day = Day(value) else { throw FilterTextError("--\(name) '\(value)' is not a real date YYYY-MM-DD") }
            return day
        }
        (actionQuery.dueFrom, actionQuery.dueTo) = (try day("due-from"), try day("due-to"))
        // Open actions unless a status is asked for (as chase lists do).
        if !actionQuery.overdue && actionQuery.dueWithin == nil { actionQuery.status = .open }
        // The whole sorted list is kept while the database stays as it is: its pages follow.
        let listed = "actions?" + FormFields.encode(query.pairs.filter { $0.name != "page" })
        let all = try cache.value(listed, store: writer) { try ActionTracker(store: store).actions(actionQuery) }
        let (shown, pages) = try Self.page(all, query, path: "/actions")
        let today = actionQuery.asOf
        // By owner, the owner of the longest-overdue action first; in the list's order within.
        var owners: [String] = []
        var byOwner: [String: [[String: Any]]] = [:]
        for tracked in shown {
            let owner = tracked.stored.owner
            if byOwner[owner] == nil { owners.append(owner) }
            var action = Action(id: tracked.actionID, text: tracked.stored.text, owner: owner, targetDate: tracked.originalTargetDate)
            action.revisedTargetDates = tracked.stored.revisedTargetDates
            action.status = tracked.stored.status
            action.completedDate = tracked.stored.completedDate
            action.withdrawnReason = tracked.stored.withdrawnReason
            action.evidence = tracked.stored.evidence
            if let update = tracked.stored.lastUpdate { action.updates = [update] }
            byOwner[owner, default: []].append(actionContext(
                reference: tracked.stored.reference, recommendation: tracked.recommendationID, action: action, today: today,
                back: "/actions?" + FormFields.encode(query.pairs), who: who, problem: nil))
        }
        let heading = "\(Self.counted(all.count, "action", "actions")) as of \(today)" + (actionQuery.overdue ? ", overdue" : "")
            + (actionQuery.dueWithin.map { " (overdue or due within \($0) days)" } ?? "") + "."
        return Page.html(render("actions", [
            "title": "Actions", "filter": Self.filterContext(text), "heading": heading, "overdue": actionQuery.overdue,
            "dueWithin": query.value("due-within") ?? "", "owner": query.value("owner") ?? "", "dueFrom": query.value("due-from") ?? "",
            "dueTo": query.value("due-to") ?? "",
            "owners": owners.map { ["owner": $0, "count": Self.counted(byOwner[$0]?.count ?? 0, "action", "actions") + " on this page", "actions": byOwner[$0] ?? []] },
        ].merging(pages) { $1 }, who))
    }

    // MARK: Forms

    /// A change to an action from one of its forms, made by the library as `dus action`
    /// makes it; a refusal is shown next to the form, on the review's page.
    private func changeAction(_ path: String, change: String, form: FormFields, by who: SignedIn) throws -> Response {
        guard let token = form.value("csrf"), Gate.same(token, who.formToken) else {
            return Page.text(.forbidden, "This form did not come from this server's page (its token is missing or wrong); reload the page and try again.")
        }
        guard who.role == .editor else { return Page.text(.forbidden, "\(who.name) is a reader: readers cannot change reviews.") }
        guard let address = ActionAddress(path, wantsAction: true) else {
            throw PageError(status: .notFound, message: "\(path) is not an action's address (REF/R1/A1).", back: "/actions")
        }
        let today = Day.today()
        let anchor = "\(address.recommendation)-\(address.action ?? "")"
        func date(_ name: String, default value: Day?) throws -> Day {
            guard let text = form.value(name) else {
                if let value { return value }
                throw ActionFormError("\(address): --\(name) needs a date YYYY-MM-DD")
            }
            guard let day = Day(text) else { throw ActionFormError("\(address): --\(name) '\(text)' is not a real date YYYY-MM-DD") }
            return day
        }
        do {
            let made: ActionChange
            switch change {
            case "update":
                guard let note = form.value("note") else { throw ActionFormError("\(address): --note needs some text") }
                made = .update(note: note, date: try date("date", default: today))
            case "revise":
                made = .revise(target: try date("target", default: nil), note: form.value("note"), date: today)
            case "complete":
                made = .complete(date: try date("date", default: today), evidence: form.value("evidence"))
            case "withdraw":
                guard let reason = form.value("withdrawn-reason") else { throw ActionFormError("\(address): --withdrawn-reason needs some text") }
                made = .withdraw(reason: reason)
            default:
                throw PageError(status: .notFound, message: "\(change) is not a change this server makes.", back: "/actions")
            }
            try writer.change(made, at: address, today: today, actor: signsIn ? who.name : nil)
            cache.changed()
        } catch let error as ActionFormError {
            return try review(address.reference, who, problem: (anchor, error.message))
        } catch let error as ActionChangeError {
            return try review(address.reference, who, problem: (anchor, error.errorDescription ?? "\(error)"))
        } catch let error as ProblemsError {
            return try review(address.reference, who, problem: (anchor, error.problems.map { "\($0)" }.joined(separator: "; ")))
        } catch StoreError.notFound {
            throw PageError(status: .notFound, message: "No review with the reference \(address.reference).", back: "/actions")
        }
        let back = form.value("back").map { Gate.safeNext($0) } ?? "/reviews/\(address.reference)#\(anchor)"
        return Response(status: .seeOther, headers: [.location: back])
    }

    // MARK: Query helpers

    /// The filters of the query, by the command line's names, and the filter they make.
    static func filter(_ query: FormFields) throws -> (FilterText, ReviewFilter) {
        var text = FilterText()
        (text.from, text.to, text.period, text.kind) = (query.value("from"), query.value("to"), query.value("period"), query.value("kind"))
        (text.region, text.supervision, text.status) = (query.value("region"), query.value("supervision"), query.value("status"))
        (text.classification, text.factors) = (query.value("classification"), Array(Set(query.values("factor"))).sorted())
        guard text.factors.count <= 50 else { throw FilterTextError("--factor: at most 50 conditions") }
        return (text, try text.filter())
    }

    /// The filter form's values and lists, with what was chosen.
    static func filterContext(_ text: FilterText) -> [String: Any] {
        func list<T: RawRepresentable & CaseIterable>(_ name: String, _ label: String, _ type: T.Type, _ chosen: String?) -> [String: Any]
        where T.RawValue == String {
            ["name": name, "label": label, "options": T.allCases.map { ["value": $0.rawValue, "text": $0.rawValue, "selected": $0.rawValue == chosen] }]
        }
        let region = text.region.flatMap { Catalogue.standard.region(matching: $0)?.name }
        let regions: [String: Any] = ["name": "region", "label": "Region",
                                      "options": Catalogue.standard.regions.map { ["value": $0.slug, "text": $0.name, "selected": $0.name == region] }]
        return [
            "period": text.period ?? "", "from": text.from ?? "", "to": text.to ?? "", "factor": text.factors.first ?? "",
            "lists": [list("kind", "Kind", Kind.self, text.kind), list("status", "Status", Status.self, text.status), regions,
                      list("supervision", "Supervision", Supervision.self, text.supervision),
                      list("classification", "Classification", Classification.self, text.classification)],
        ]
    }

    static func pageNumber(_ query: FormFields) throws -> Int {
        guard let text = query.value("page") else { return 1 }
        guard let page = Int(text), (1...100_000).contains(page) else { throw FilterTextError("page '\(text)' is not a page number (1 to 100000)") }
        return page
    }

    /// One page of a list, and the links to the pages either side.
    static func page<T>(_ all: [T], _ query: FormFields, path: String) throws -> ([T], [String: Any]) {
        let page = try pageNumber(query)
        let pageCount = max(1, (all.count + pageSize - 1) / pageSize)
        let shown = Array(all.dropFirst((page - 1) * pageSize).prefix(pageSize))
        return (shown, pager(query, path: path, page: page, pageCount: pageCount))
    }

    static func pager(_ query: FormFields, path: String, page: Int, pageCount: Int) -> [String: Any] {
        func link(_ number: Int) -> String {
            path + "?" + FormFields.encode(query.pairs.filter { $0.name != "page" && $0.name != "key" } + [("page", String(number))])
        }
        return [
            "pages": pageCount > 1 ? ["page": page, "pageCount": pageCount] as [String: Any] : nil as [String: Any]? as Any,
            "previous": page > 1 ? link(page - 1) : nil as String? as Any,
            "next": page < pageCount ? link(page + 1) : nil as String? as Any,
        ]
    }

    /// A snippet as HTML: its text escaped, the matched words (between `\u{1}`s) marked.
    static func marked(_ snippet: String) -> String {
        var out = ""
        var isOpen = false
        for piece in snippet.split(separator: "\u{1}", omittingEmptySubsequences: false).enumerated() {
            if piece.offset > 0 {
                out += isOpen ? "</mark>" : "<mark>"
                isOpen.toggle()
            }
            out += MarkdownHTML.escaped(String(piece.element))
        }
        return out + (isOpen ? "</mark>" : "")
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func month(_ day: Day) -> String { "\(months[day.month - 1]) \(day.year)" }

    static func counted(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
}

/// A page that cannot be shown: its status and what to tell the user.
struct PageError: Error {
    var status: HTTPResponse.Status
    var message: String
    var back = "/"
}

/// A form value that is missing or not a date, named as the command line's option is.
struct ActionFormError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Takes turns: each call gives the next number.
final class Turn: Sendable {
    private let count = Atomic<Int>(0)

    func next() -> Int { count.add(1, ordering: .relaxed).newValue & Int.max }
}
