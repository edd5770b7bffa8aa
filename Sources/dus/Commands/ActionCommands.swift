import ArgumentParser
import DUSCore
import Foundation

/// `dus action ...`: keep an action current.
struct ActionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: "Keep an action current: record progress, revise its target date, complete or withdraw it, add one.",
        discussion: """
            These are progress, not amendments: on a review of any status, a published one included, they need no --reason. Each is checked like an import (the identifier screen on every text, real dates) and kept in the audit trail with who made it (--user) and the fields it changed. A complete or withdrawn action takes no more updates.

            Examples:
              dus action update nw-2024-0011/R1/A1 --note "Chased the healthcare lead; draft checklist seen."
              dus action revise nw-2024-0011/R1/A1 --target 2027-03-31 --note "Waiting for the new contract."
              dus action complete nw-2024-0011/R1/A1 --evidence "Naloxone on 41 of 44 release checklists audited in March."
              dus action withdraw nw-2024-0011/R2/A1 --withdrawn-reason "Superseded by the regional protocol."
              dus action add nw-2024-0011/R1 --text "Audit the release checklist quarterly." --owner "Head of Healthcare" --target 2027-06-30
            """,
        subcommands: [
            ActionUpdateCommand.self, ActionReviseCommand.self, ActionCompleteCommand.self, ActionWithdrawCommand.self,
            ActionEvidenceCommand.self, ActionAddCommand.self,
        ])
}

/// `REF/R1/A1` from the command line, or a usage error saying what is expected.
func actionAddress(_ text: String) throws -> ActionAddress {
    guard let address = ActionAddress(text, wantsAction: true) else {
        throw ValidationError("'\(text)' is not an action's address; write REF/R1/A1 (dus actions lists them)")
    }
    return address
}

/// `REF/R1` from the command line, or a usage error saying what is expected.
func recommendationAddress(_ text: String) throws -> ActionAddress {
    guard let address = ActionAddress(text, wantsAction: false) else {
        throw ValidationError("'\(text)' is not a recommendation's address; write REF/R1 (dus show REF lists them)")
    }
    return address
}

/// What each `dus action` command on one action takes: the database, the actor and the
/// action's address.
struct OneAction: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The action: REF/R1/A1.") var address: String

    func validate() throws {
        _ = try actionAddress(address)
    }

    /// Makes `change` on the action and says what was recorded.
    func apply(_ change: ActionChange, today: Day) throws {
        let address = try actionAddress(address)
        var before: Action?
        let outcome = try reportingErrors {
            try database.open(.write, actor: actor).change(address.reference, event: change.event, detail: address.description, today: today) {
                before = $0.recommendations.first { $0.id == address.recommendation }?.actions.first { $0.id == address.action }
                try change.apply(to: &$0, at: address, today: today)
            }
        }
        guard let action = outcome.review.recommendations.first(where: { $0.id == address.recommendation })?.actions.first(where: { $0.id == address.action }) else { return }
        if case .evidence = change, outcome.event != nil, before?.evidence != nil {
            print("\(address): the earlier evidence is replaced (dus history \(address.reference) keeps it)")
        }
        var state = action.status.rawValue
        if let completed = action.completedDate { state += " on \(completed)" }
        if action.status == .open { state += ", target \(action.currentTargetDate)" }
        print("\(address): \(outcome.event ?? "unchanged; nothing was written") (\(state))")
    }
}

/// A date option that must be given, read strictly as `YYYY-MM-DD`.
func requiredDate(_ text: String, _ option: String) throws -> Day {
    guard let day = Day(text) else { throw ValidationError("\(option) '\(text)' is not a real date YYYY-MM-DD") }
    return day
}

struct ActionUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Record progress on an action: a dated note.")

    @OptionGroup var action: OneAction
    @Option(help: "What was done or found.") var note: String
    @Option(help: "The date of the progress (YYYY-MM-DD; default today, never in the future).") var date: String?

    func run() throws {
        let today = Day.today()
        try action.apply(.update(note: note, date: try dateOption(date, "--date") ?? today), today: today)
    }
}

struct ActionReviseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revise",
        abstract: "Give an action a new target date; the earlier dates are kept.")

    @OptionGroup var action: OneAction
    @Option(help: "The new target date (YYYY-MM-DD), later or earlier than the current one.") var target: String
    @Option(help: "Why, recorded as an update of today.") var note: String?

    func run() throws {
        let today = Day.today()
        try action.apply(.revise(target: try requiredDate(target, "--target"), note: note, date: today), today: today)
    }
}

struct ActionCompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete", abstract: "Mark an action complete, with evidence that it worked.")

    @OptionGroup var action: OneAction
    @Option(help: "The date it was completed (YYYY-MM-DD; default today; not in the future nor before the event).") var date: String?
    @Option(help: "What shows that the action worked (an audit, a measure, a changed process).") var evidence: String?

    func run() throws {
        let today = Day.today()
        try action.apply(.complete(date: try dateOption(date, "--date") ?? today, evidence: evidence), today: today)
    }
}

struct ActionWithdrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw", abstract: "Withdraw an action that will not be carried out, saying why.")

    @OptionGroup var action: OneAction
    @Option(help: "Why the action is withdrawn (kept with the action).") var withdrawnReason: String

    func run() throws {
        try action.apply(.withdraw(reason: withdrawnReason), today: .today())
    }
}

struct ActionEvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Record evidence that a completed action worked (it replaces earlier evidence).")

    @OptionGroup var action: OneAction
    @Option(help: "What shows that the action worked.") var evidence: String

    func run() throws {
        try action.apply(.evidence(evidence), today: .today())
    }
}

struct ActionAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add an action to a recommendation; it gets the next free id (A2, A3, ...).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The recommendation: REF/R1.") var address: String
    @Option(help: "What will be done.") var text: String
    @Option(help: "Who owns it: a role or department, not a person.") var owner: String
    @Option(help: "The target date (YYYY-MM-DD).") var target: String

    func validate() throws {
        _ = try recommendationAddress(address)
    }

    func run() throws {
        let today = Day.today()
        let address = try recommendationAddress(address)
        let target = try requiredDate(target, "--target")
        var added = address
        let outcome = try reportingErrors {
            try database.open(.write, actor: actor).change(address.reference, event: "action added", detail: address.description, today: today) {
                added = try ActionChange.add(to: &$0, at: address, text: text, owner: owner, target: target)
            }
        }
        print("\(added): \(outcome.event ?? "unchanged") (open, target \(target))")
    }
}

/// `dus recommendation ...`: add a recommendation or set its response.
struct RecommendationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommendation",
        abstract: "Add a recommendation to a review, or set the response to one.",
        discussion: """
            On a published review both are amendments, not progress: they need --reason, which says why the review is changed. The response's own reason is --response-reason, with --response-category; both are needed unless the response is agreed.

            Examples:
              dus recommendation add nw-2026-0013 --text "Offer naloxone at every release." --to "Prison healthcare provider" --response agreed --theme naloxone
              dus recommendation respond nw-2024-0011/R1 --response not-agreed --response-category affordability --response-reason "No budget this year." --reason "The board's reply arrived."
            """,
        subcommands: [RecommendationAddCommand.self, RecommendationRespondCommand.self])
}

/// The response options shared by `recommendation add` and `respond`.
struct ResponseOptions: ParsableArguments {
    @Option(help: helpListing("The response to the recommendation.", rawValues(of: Response.self)), completion: .list(rawValues(of: Response.self)))
    var response: String
    @Option(help: helpListing("Why it is not (fully) agreed: the category.", rawValues(of: ReasonCategory.self)), completion: .list(rawValues(of: ReasonCategory.self)))
    var responseCategory: String?
    @Option(help: "Why it is not (fully) agreed, in words.") var responseReason: String?

    func validate() throws {
        _ = try values()
    }

    func values() throws -> (Response, ReasonCategory?, String?) {
        let response: Response = try choice(response, "--response")!
        let category: ReasonCategory? = try choice(responseCategory, "--response-category")
        if response == .agreed && (category != nil || responseReason != nil) {
            throw ValidationError("--response-category and --response-reason are for a response other than agreed")
        }
        return (response, category, responseReason)
    }
}

struct RecommendationAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a recommendation to a review; it gets the next free id (R2, R3, ...).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The review's reference.", transform: { $0.uppercased() }) var reference: String
    @Option(help: "What is recommended.") var text: String
    @Option(help: "The organisation or role it is addressed to.") var to: String?
    @Option(name: .customLong("theme"), help: helpListing("A theme (repeatable).", Catalogue.standard.themes), completion: .list(Catalogue.standard.themes))
    var themes: [String] = []
    @OptionGroup var response: ResponseOptions
    @Option(help: "Why the review is changed (needed on a published review: an amendment).") var reason: String?

    func run() throws {
        let (answer, category, responseReason) = try response.values()
        var added = ActionAddress(reference: reference, recommendation: "R?")
        let outcome = try reportingErrors {
            try database.open(.write, actor: actor).change(reference, event: "recommendation added", reason: reason, detail: nil) {
                added = try ActionChange.addRecommendation(
                    to: &$0, text: text, to: to, themes: themes, response: answer, category: category, reason: responseReason)
            }
        }
        print("\(added): \(outcome.event ?? "unchanged") (\(answer.rawValue))")
    }
}

struct RecommendationRespondCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond", abstract: "Set the response to a recommendation.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The recommendation: REF/R1.") var address: String
    @OptionGroup var response: ResponseOptions
    @Option(help: "Why the review is changed (needed on a published review: an amendment).") var reason: String?

    func validate() throws {
        _ = try recommendationAddress(address)
    }

    func run() throws {
        let address = try recommendationAddress(address)
        let (answer, category, responseReason) = try response.values()
        let outcome = try reportingErrors {
            try database.open(.write, actor: actor).change(address.reference, event: "response set", reason: reason, detail: address.description) {
                try ActionChange.respond(to: &$0, at: address, response: answer, category: category, reason: responseReason)
            }
        }
        print(outcome.event.map { "\(address): \($0) (\(answer.rawValue))" } ?? "\(address): already \(answer.rawValue); nothing was written")
    }
}
