import ArgumentParser
import DUSCore
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Move a review through the workflow: draft → agreed → published.",
        discussion: """
            One step at a time. Publishing needs at least one finding and one learning point, a classification other than suspected, and no exact date in findings, learning or recommendations. Moving a published review back is an amendment and needs --reason.

            Examples:
              dus status nw-2026-0013 agreed
              dus status nw-2024-0011 agreed --reason "a finding names the hostel"
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The review's reference, in any case (yh-2026-0005 finds YH-2026-0005).", transform: { $0.uppercased() }) var reference: String
    @Argument(help: helpListing("The status to move the review to.", rawValues(of: Status.self)), completion: .list(rawValues(of: Status.self))) var status: String
    @Option(help: "Why (kept in the audit trail; needed to move a published review back).") var reason: String?

    func validate() throws {
        let _: Status? = try choice(status, "STATUS")
    }

    func run() throws {
        let target: Status = try choice(status, "STATUS")!
        let change = try reportingErrors { try database.open(.write, actor: actor).move(reference, to: target, reason: reason) }
        print(change.changed ? "\(reference): \(change.from.rawValue) → \(change.to.rawValue)" : "\(reference) is already \(target.rawValue); nothing changed")
    }
}
