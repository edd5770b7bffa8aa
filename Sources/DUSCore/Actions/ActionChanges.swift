import Foundation

/// Where a recommendation or an action is: `REF/R1` or `REF/R1/A1` (product.md,
/// "Addressing"). References and ids are matched in any case.
public struct ActionAddress: Equatable, Sendable, CustomStringConvertible {
    public var reference: String
    public var recommendation: String
    public var action: String?

    /// Reads `REF/R1` (`wantsAction` false) or `REF/R1/A1` (true); nil when it is not one.
    public init?(_ text: String, wantsAction: Bool) {
        let parts = text.uppercased().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == (wantsAction ? 3 : 2), !parts[0].isEmpty,
              ReviewReader.isLabel(parts[1], prefix: "R"), !wantsAction || ReviewReader.isLabel(parts[2], prefix: "A") else { return nil }
        reference = parts[0]
        recommendation = parts[1]
        action = wantsAction ? parts[2] : nil
    }

    public var description: String { [reference, recommendation, action].compactMap { $0 }.joined(separator: "/") }
}

/// Why a change to an action or a recommendation was refused. Nothing has changed when
/// one is thrown.
public enum ActionChangeError: LocalizedError, Equatable {
    case noRecommendation(String)
    case noAction(String)
    case closed(address: String, status: ActionStatus)
    case notComplete(address: String, status: ActionStatus)
    case inTheFuture(address: String, field: String, date: Day, today: Day)
    case beforeEvent(address: String, field: String, date: Day, event: Day)
    case sameTarget(address: String, date: Day)
    case responseReasons(address: String)
    case emptyText(address: String, option: String)

    public var errorDescription: String? {
        switch self {
        case .noRecommendation(let address):
            return "\(address): no recommendation with this id in the review (dus show lists them)"
        case .noAction(let address):
            return "\(address): no action with this id in the recommendation (dus actions lists them)"
        case .closed(let address, let status):
            return "\(address): is \(status.rawValue); a \(status.rawValue) action takes no more updates"
        case .notComplete(let address, let status):
            return status == .open
                ? "\(address): is not complete; evidence is what shows that a completed action worked (complete it with dus action complete \(address) --evidence TEXT)"
                : "\(address): is \(status.rawValue); evidence is what shows that a completed action worked"
        case .inTheFuture(let address, let field, let date, let today):
            return "\(address): \(field): \(date) is in the future (today is \(today))"
        case .beforeEvent(let address, let field, let date, let event):
            return "\(address): \(field): \(date) is before the review's event date \(event)"
        case .sameTarget(let address, let date):
            return "\(address): \(date) is already the current target date"
        case .responseReasons(let address):
            return "\(address): a response other than agreed needs --response-category and --response-reason"
        case .emptyText(let address, let option):
            return "\(address): \(option) needs some text"
        }
    }
}

/// The changes `dus action` and `dus recommendation` make to a review. Each works on the
/// review value; the store checks the result with every rule of an import and records it
/// (`Store.change`).
public enum ActionChange: Sendable, Equatable {
    /// A dated note of progress.
    case update(note: String, date: Day)
    /// A new current target date, kept after the earlier ones; the note, when given, is
    /// recorded as an update of `date`.
    case revise(target: Day, note: String?, date: Day)
    case complete(date: Day, evidence: String?)
    case withdraw(reason: String)
    /// Evidence that a completed action worked, added after its completion.
    case evidence(String)

    /// The audit event of the change.
    public var event: String {
        switch self {
        case .update: return "action updated"
        case .revise: return "action revised"
        case .complete: return "action completed"
        case .withdraw: return "action withdrawn"
        case .evidence: return "evidence recorded"
        }
    }

    /// Makes the change on the action at `address` of `review`. `today` bounds the dates.
    public func apply(to review: inout Review, at address: ActionAddress, today: Day) throws {
        let (r, a) = try Self.place(of: address, in: review)
        var action = review.recommendations[r].actions[a]
        let name = address.description
        func notFuture(_ date: Day, _ field: String) throws {
            if date > today { throw ActionChangeError.inTheFuture(address: name, field: field, date: date, today: today) }
        }
        func notBeforeEvent(_ date: Day, _ field: String) throws {
            if date < review.eventDate { throw ActionChangeError.beforeEvent(address: name, field: field, date: date, event: review.eventDate) }
        }
        /// Updates stay oldest first: a back-dated one goes after those of its day or earlier.
        func record(_ update: ActionUpdate) {
            let place = action.updates.lastIndex { $0.date <= update.date }.map { $0 + 1 } ?? 0
            action.updates.insert(update, at: place)
        }
        func text(_ value: String, _ option: String) throws -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { throw ActionChangeError.emptyText(address: name, option: option) }
            return trimmed
        }
        if case .evidence = self {
            guard action.status == .complete else { throw ActionChangeError.notComplete(address: name, status: action.status) }
        } else if action.status != .open {
            throw ActionChangeError.closed(address: name, status: action.status)
        }
        switch self {
        case .update(let note, let date):
            try notFuture(date, "--date")
            try notBeforeEvent(date, "--date")
            record(ActionUpdate(date: date, note: try text(note, "--note")))
        case .revise(let target, let note, let date):
            if target == action.currentTargetDate { throw ActionChangeError.sameTarget(address: name, date: target) }
            try notBeforeEvent(target, "--target")
            action.revisedTargetDates.append(target)
            if let note { record(ActionUpdate(date: date, note: try text(note, "--note"))) }
        case .complete(let date, let evidence):
            try notFuture(date, "--date")
            try notBeforeEvent(date, "--date")
            action.status = .complete
            action.completedDate = date
            action.evidence = try evidence.map { try text($0, "--evidence") }
        case .withdraw(let reason):
            action.status = .withdrawn
            action.withdrawnReason = try text(reason, "--withdrawn-reason")
        case .evidence(let evidence):
            action.evidence = try text(evidence, "--evidence")
        }
        review.recommendations[r].actions[a] = action
    }

    /// Adds an open action to the recommendation at `address`, with the lowest free id;
    /// returns its address.
    public static func add(
        to review: inout Review, at address: ActionAddress, text: String, owner: String, target: Day
    ) throws -> ActionAddress {
        let r = try recommendationPlace(of: address, in: review)
        if target < review.eventDate {
            throw ActionChangeError.beforeEvent(address: address.description, field: "--target", date: target, event: review.eventDate)
        }
        let ids = Set(review.recommendations[r].actions.map(\.id))
        let id = (1...).lazy.map { "A\($0)" }.first { !ids.contains($0) }!
        review.recommendations[r].actions.append(Action(id: id, text: text, owner: owner, targetDate: target))
        var added = address
        added.action = id
        return added
    }

    /// Adds a recommendation with the lowest free id; returns its address.
    public static func addRecommendation(
        to review: inout Review, text: String, to: String?, themes: [String], response: Response,
        category: ReasonCategory?, reason: String?
    ) throws -> ActionAddress {
        let ids = Set(review.recommendations.map(\.id))
        let id = (1...).lazy.map { "R\($0)" }.first { !ids.contains($0) }!
        let address = ActionAddress(reference: review.reference, recommendation: id)
        if response != .agreed && (category == nil || reason == nil) { throw ActionChangeError.responseReasons(address: address.description) }
        var recommendation = Recommendation(id: id, text: text, to: to, response: response)
        recommendation.themes = themes
        if response != .agreed {
            recommendation.reasonCategory = category
            recommendation.reason = reason
        }
        review.recommendations.append(recommendation)
        return address
    }

    /// Sets the response to the recommendation at `address`: the reason category and reason
    /// are needed unless it is agreed, and are removed when it is.
    public static func respond(
        to review: inout Review, at address: ActionAddress, response: Response, category: ReasonCategory?, reason: String?
    ) throws {
        let r = try recommendationPlace(of: address, in: review)
        if response != .agreed && (category == nil || reason == nil) { throw ActionChangeError.responseReasons(address: address.description) }
        review.recommendations[r].response = response
        review.recommendations[r].reasonCategory = response == .agreed ? nil : category
        review.recommendations[r].reason = response == .agreed ? nil : reason
    }

    private static func recommendationPlace(of address: ActionAddress, in review: Review) throws -> Int {
        let recommendation = ActionAddress(reference: address.reference, recommendation: address.recommendation)
        guard let r = review.recommendations.firstIndex(where: { $0.id == address.recommendation }) else {
            throw ActionChangeError.noRecommendation(recommendation.description)
        }
        return r
    }

    private static func place(of address: ActionAddress, in review: Review) throws -> (Int, Int) {
        let r = try recommendationPlace(of: address, in: review)
        guard let a = review.recommendations[r].actions.firstIndex(where: { $0.id == address.action }) else {
            throw ActionChangeError.noAction(address.description)
        }
        return (r, a)
    }
}

extension ActionAddress {
    public init(reference: String, recommendation: String, action: String? = nil) {
        self.reference = reference
        self.recommendation = recommendation
        self.action = action
    }
}

extension Store {
    /// Makes `change` on the action at `address` and records it (`Store.change`), as
    /// `actor` when given: the one call behind `dus action` and the forms of `dus serve`.
    @discardableResult
    public func change(_ change: ActionChange, at address: ActionAddress, today: Day = .today(), actor: String? = nil) throws -> ChangeOutcome {
        try self.change(address.reference, event: change.event, detail: address.description, today: today, actor: actor) {
            try change.apply(to: &$0, at: address, today: today)
        }
    }
}
