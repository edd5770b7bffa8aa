import ArgumentParser
import DUSCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check review files without importing them: one line per problem.",
        discussion: """
            Examples:
              dus validate reviews
              dus validate nw-2026-0013.md
            """)

    @Argument(help: "Review files or folders.", completion: .file()) var paths: [String]

    func run() throws {
        let (count, problems) = validateReviewFiles(paths)
        if !problems.isEmpty {
            try fail(with: problems, summary: "\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(paths.joined(separator: " "))")
        }
        print("\(count) review\(count == 1 ? "" : "s") checked: no problems")
    }
}
