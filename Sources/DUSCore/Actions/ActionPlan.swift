import Foundation

/// `dus action-plan`: the recommendations and actions of reviews in the columns of the
/// published HMPPS action plans (Rec, Response, Action taken or planned, Owner, Original
/// target date, Latest update, Revised target date / Complete), as of a date.
public struct ActionPlan: Sendable, Equatable {
    public var reviews: [Review]
    /// The date the plan describes: updates after it are left out, an action completed
    /// after it counts as open, and overdue is judged on it.
    public var asOf: Day
    /// Open actions due from the as-of date to this many days after it are "due soon".
    public var dueSoonDays = 30

    public init(reviews: [Review], asOf: Day) {
        self.reviews = reviews
        self.asOf = asOf
    }

    /// The statuses a plan of many reviews includes unless the filter names one: the
    /// reviews whose responses have been agreed.
    public static let defaultStatuses: [Status] = [.agreed, .published]

    /// The action's status as of the plan's date: complete only once completed.
    public func status(of action: Action) -> ActionStatus {
        if action.status == .complete, let completed = action.completedDate, completed > asOf { return .open }
        return action.status
    }

    public func isOverdue(_ action: Action) -> Bool {
        status(of: action) == .open && action.currentTargetDate < asOf
    }

    public func isDueSoon(_ action: Action) -> Bool {
        status(of: action) == .open && action.currentTargetDate >= asOf && action.currentTargetDate <= asOf.adding(days: dueSoonDays)
    }

    /// The newest update dated on or before the as-of date (updates are kept oldest first;
    /// of two on one day, the one recorded later), as `dus actions` shows the last.
    public func latestUpdate(of action: Action) -> ActionUpdate? {
        action.updates.last { $0.date <= asOf }
    }

    /// Counts over some reviews: recommendations by response, actions by status as of the
    /// plan's date, overdue and due soon.
    public struct Tally: Sendable, Equatable {
        public var recommendations = 0
        public var byResponse: [Response: Int] = [:]
        public var actions = 0
        public var byStatus: [ActionStatus: Int] = [:]
        public var overdue = 0
        public var dueSoon = 0
    }

    public func counts(of reviews: [Review]) -> Tally {
        var counts = Tally()
        for recommendation in reviews.flatMap(\.recommendations) {
            counts.recommendations += 1
            counts.byResponse[recommendation.response, default: 0] += 1
            for action in recommendation.actions {
                counts.actions += 1
                counts.byStatus[status(of: action), default: 0] += 1
                if isOverdue(action) { counts.overdue += 1 }
                if isDueSoon(action) { counts.dueSoon += 1 }
            }
        }
        return counts
    }
}

/// The action plan as Markdown, a single-file HTML page, or CSV.
public enum ActionPlanRenderer {
    static let headers = ["Rec", "Response", "Action taken or planned", "Owner", "Original target date", "Latest update", "Revised target date / Complete"]

    public static func markdown(_ plan: ActionPlan) -> String {
        var out = plan.reviews.count == 1 ? "# Action plan: \(plan.reviews[0].reference)\n\n" : "# Action plans\n\n"
        out += "As of \(plan.asOf)"
        if plan.reviews.count != 1 { out += ", \(counted(plan.reviews.count, "review"))" }
        out += ".\n\n"
        if plan.reviews.isEmpty {
            out += "No review matches: nothing to report.\n\n"
        } else if plan.reviews.count > 1 {
            out += countsText(plan.counts(of: plan.reviews), plan) + "\n"
        }
        for review in plan.reviews {
            if plan.reviews.count > 1 { out += "## \(review.reference)\n\n" }
            out += "\(review.region) · \(review.kind.rawValue) · event \(monthYear(review.eventDate)) · review \(review.status.rawValue)\n\n"
            out += countsText(plan.counts(of: [review]), plan) + "\n"
            if review.recommendations.isEmpty {
                out += "No recommendations recorded.\n\n"
            } else {
                out += Table(headers: headers, rows: rows(review, plan)).markdown() + "\n"
            }
        }
        out += "Definitions:\n\n"
        for (term, definition) in definitions(plan) { out += "- \(term): \(definition)\n" }
        return out
    }

    /// One self-contained page (no file beside it), printable on A4 landscape.
    public static func html(_ plan: ActionPlan) -> String {
        let title = plan.reviews.count == 1 ? "Action plan: \(plan.reviews[0].reference)" : "Action plans as of \(plan.asOf)"
        return MarkdownHTML.page(title: title, markdown: markdown(plan), layout: .landscape)
    }

    /// One row an action (a recommendation without actions gets one row of its own), every
    /// cell filled in, for a spreadsheet.
    public static func table(_ plan: ActionPlan) -> Table {
        var table = Table(headers: [
            "reference", "region", "recommendation", "recommendation_text", "response", "reason_category", "reason",
            "action", "action_text", "owner", "original_target_date", "current_target_date", "times_revised",
            "status_as_of", "completed_date", "overdue", "latest_update_date", "latest_update", "evidence", "withdrawn_reason", "as_of",
        ])
        for review in plan.reviews {
            for recommendation in review.recommendations {
                let head = [review.reference, review.region, recommendation.id, recommendation.text, recommendation.response.rawValue,
                            recommendation.reasonCategory?.rawValue ?? "", recommendation.reason ?? ""]
                if recommendation.actions.isEmpty {
                    table.rows.append(head + Array(repeating: "", count: 13) + [plan.asOf.description])
                }
                for action in recommendation.actions {
                    let update = plan.latestUpdate(of: action)
                    let status = plan.status(of: action)
                    table.rows.append(head + [
                        action.id, action.text, action.owner, action.targetDate.description, action.currentTargetDate.description,
                        String(action.revisedTargetDates.count), status.rawValue,
                        status == .complete ? action.completedDate?.description ?? "" : "", plan.isOverdue(action) ? "yes" : "no",
                        update?.date.description ?? "", update?.note ?? "", status == .complete ? action.evidence ?? "" : "",
                        action.withdrawnReason ?? "", plan.asOf.description,
                    ])
                }
            }
        }
        return table
    }

    // MARK: Parts

    static func rows(_ review: Review, _ plan: ActionPlan) -> [[String]] {
        var rows: [[String]] = []
        for recommendation in review.recommendations {
            let rec = "\(recommendation.id) \(recommendation.text)"
            let response = responseText(recommendation)
            if recommendation.actions.isEmpty {
                rows.append([rec, response, "No action recorded", "", "", "", ""])
            }
            // The recommendation and response head its first action, as in the published plans.
            for (index, action) in recommendation.actions.enumerated() {
                let update = plan.latestUpdate(of: action).map { "\($0.date): \($0.note)" } ?? "–"
                rows.append([
                    index == 0 ? rec : "", index == 0 ? response : "", "\(action.id) \(action.text)", action.owner,
                    action.targetDate.description, update, stateText(action, plan),
                ])
            }
        }
        return rows
    }

    static func responseText(_ recommendation: Recommendation) -> String {
        let words = ["agreed": "Agreed", "partly-agreed": "Partly agreed", "not-agreed": "Not agreed"][recommendation.response.rawValue] ?? recommendation.response.rawValue
        guard recommendation.response != .agreed else { return words }
        let category = recommendation.reasonCategory.map { " (\($0.rawValue))" } ?? ""
        return words + category + (recommendation.reason.map { ": " + $0 } ?? "")
    }

    /// "Complete (2025-08-05). Evidence: ...", "Withdrawn: ...", or the revised target
    /// date with how overdue or how soon due the action is.
    static func stateText(_ action: Action, _ plan: ActionPlan) -> String {
        switch plan.status(of: action) {
        case .complete:
            let completed = action.completedDate.map { "Complete (\($0))" } ?? "Complete"
            return completed + (action.evidence.map { ". Evidence: " + $0 } ?? "")
        case .withdrawn:
            return "Withdrawn" + (action.withdrawnReason.map { ": " + $0 } ?? "")
        case .open:
            var parts: [String] = []
            if let revised = action.revisedTargetDates.last {
                let times = action.revisedTargetDates.count
                parts.append("Revised to \(revised) (\(times == 1 ? "once" : times == 2 ? "twice" : "\(times) times"))")
            }
            if plan.isOverdue(action) {
                let days = plan.asOf.days(since: action.currentTargetDate)
                parts.append("OVERDUE by \(counted(days, "day"))")
            } else if plan.isDueSoon(action) {
                let days = action.currentTargetDate.days(since: plan.asOf)
                parts.append(days == 0 ? "due today" : "due in \(counted(days, "day"))")
            } else {
                parts.append("open")
            }
            return parts.joined(separator: "; ")
        }
    }

    static func countsText(_ counts: ActionPlan.Tally, _ plan: ActionPlan) -> String {
        var out = "- Recommendations: \(counts.recommendations): \(counts.byResponse[.agreed] ?? 0) agreed, "
        out += "\(counts.byResponse[.partlyAgreed] ?? 0) partly agreed, \(counts.byResponse[.notAgreed] ?? 0) not agreed\n"
        out += "- Actions: \(counts.actions): \(counts.byStatus[.open] ?? 0) open (\(counts.overdue) overdue, "
        out += "\(counts.dueSoon) due within \(plan.dueSoonDays) days), \(counts.byStatus[.complete] ?? 0) complete, "
        out += "\(counts.byStatus[.withdrawn] ?? 0) withdrawn\n"
        return out
    }

    static func definitions(_ plan: ActionPlan) -> [(String, String)] {
        [
            ("current target date", "the newest revised target date, else the original target date; revisions are not dated, so a plan as of an earlier date shows the target as it is now"),
            ("overdue", "open as of \(plan.asOf), with the current target date before it"),
            ("due within \(plan.dueSoonDays) days", "open, with the current target date from \(plan.asOf) to \(plan.asOf.adding(days: plan.dueSoonDays))"),
            ("latest update", "the newest update dated on or before \(plan.asOf)"),
            ("complete", "completed on or before \(plan.asOf); an action completed later counts as open"),
        ]
    }

    static func monthYear(_ day: Day) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(months[day.month - 1]) \(day.year)"
    }
}
