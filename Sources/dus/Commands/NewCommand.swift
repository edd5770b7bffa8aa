import ArgumentParser
import DUSCore
import Foundation

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a review by guided prompts (or --from FILE) and print its reference.",
        discussion: """
            dus asks for what every review needs (kind, event date, release date, region, supervision and reference) unless options give it, checking each answer as an import would. The review then opens in $VISUAL, else $EDITOR, else vi, as Markdown with a line for every factor that applies; leave empty what is not known.

            When the editor closes, the review is checked with every rule of an import and stored as a draft. When something is wrong, nothing is stored and the file is kept, and dus prints its name: fix it there and run dus new --from FILE.

            Prompts go to standard error; standard output has only the reference. The release date is asked only when some other answer is asked too.

            Examples:
              dus new
              dus new --from nw-2026-0013.md
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var actor: ActorOptions
    @Option(help: "A review file (.md or .json) holding the new review; nothing is asked.", completion: .file()) var from: String?
    @Option(help: "The reference (e.g. NW-2026-0013).") var reference: String?
    @Option(help: helpListing("The kind of event.", rawValues(of: Kind.self)), completion: .list(rawValues(of: Kind.self))) var kind: String?
    @Option(help: "The date of the death or near miss (YYYY-MM-DD).") var eventDate: String?
    @Option(help: "The date of the last release from custody (YYYY-MM-DD).") var releaseDate: String?
    @Option(help: helpListing("The probation region, by name, slug or code.", regionSlugs()), completion: .list(regionSlugs())) var region: String?
    @Option(help: helpListing("The supervision type.", rawValues(of: Supervision.self)), completion: .list(rawValues(of: Supervision.self))) var supervision: String?
    @Flag(help: "Store the review as the answers make it, without opening an editor.") var noEdit = false
    @Option(help: "A Mustache template for the new review (default: templates/review.md.mustache, built in).", completion: .file()) var template: String?

    private var given: [NewReview.Field: String] {
        var given: [NewReview.Field: String] = [:]
        given[.reference] = reference?.uppercased()  // any case on the command line
        given[.kind] = kind
        given[.eventDate] = eventDate
        given[.releaseDate] = releaseDate
        given[.region] = region
        given[.supervision] = supervision
        return given
    }

    func validate() throws {
        if from != nil && (!given.isEmpty || noEdit || template != nil) {
            throw ValidationError("--from takes the whole review from the file: give it alone")
        }
    }

    func run() throws {
        // Refused before the database is opened, so that nothing is made.
        let guided = NewReview.Field.allCases.contains { $0.isRequired && given[$0] == nil }
        if from == nil && (guided || !noEdit) {
            try Terminal.requireInteractive(
                "dus new asks questions and opens an editor, which needs a terminal; without one, give the review in a file with --from FILE, or every field as an option with --no-edit")
        }
        let store = try reportingErrors { try database.open(.create, actor: actor) }
        let files = ReviewFiles(catalogue: store.catalogue, today: .today())
        if let from {
            let review = try reportingErrors {
                let review = try files.readOneReview(from)
                try store.create(review, file: from)
                return review
            }
            print(review.reference)
            return
        }
        let template = try reportingErrors { try templateText(self.template, builtIn: NewReview.defaultTemplate) }
        var answers = NewReview(catalogue: store.catalogue, today: .today())
        // The file exists from the start and holds the answers so far, so that Ctrl-C or
        // the end of input loses nothing that was typed.
        let draft = try reportingErrors { try EditorFile(name: reference?.uppercased() ?? "", text: try render(answers, template)) }
        let resume = "dus new --from \(draft.path)"
        if guided {
            var standardError = FileHandle.standardError
            print("A new review: answer each question, then complete the review in your editor (\(userEditor)). The guide docs/review-format.md, shipped with dus, describes every field. Ctrl-C stops and keeps your answers.", to: &standardError)
        }
        do {
            try Terminal.whilePrompting { try ask(&answers, store: store, draft: draft, template: template) }
        } catch let error as InputEnded {
            var standardError = FileHandle.standardError
            print("", to: &standardError)
            let why = Terminal.wasInterrupted ? "stopped" : "the input ended before \(error.field.rawValue) was given"
            print("dus: \(why); nothing was stored. Your answers are kept in \(draft.path): complete the review there and run: \(resume)", to: &standardError)
            throw ExitCode(Terminal.wasInterrupted ? 130 : 1)
        } catch {
            draft.remove()
            throw error
        }
        try reportingErrors { try draft.write(try render(answers, template)) }
        if !noEdit {
            try reportingErrors { try draft.edit(rerun: resume) }
            guard draft.isChanged else {
                draft.keep(rerun: resume, unsaved: true)
                try fail("the file was not saved in the editor; nothing was stored")
            }
        }
        let review = try draft.keptOnFailure(rerun: resume) {
            try reportingErrors {
                let review = try files.readOneReview(draft.path)
                try store.create(review, file: nil)
                return review
            }
        }
        print(review.reference)
    }

    /// The answers: each from its option or, when missing, from a prompt (asked again
    /// until the answer passes). An option that fails is an error, as is the end of input.
    private func ask(_ answers: inout NewReview, store: Store, draft: EditorFile, template: String) throws {
        let given = self.given
        let guided = NewReview.Field.allCases.contains { $0.isRequired && given[$0] == nil }
        var standardError = FileHandle.standardError
        for field in NewReview.Field.allCases {
            if let value = given[field] {
                if let problem = taken(field, value, store) ?? answers.answer(field, value) {
                    throw ValidationError("--\(field.rawValue.replacingOccurrences(of: "_", with: "-")) '\(value)': \(problem)")
                }
                continue
            }
            if !field.isRequired && !guided { continue }
            let suggestion = field == .reference ? answers.suggestedReference(taken: try store.references()) : nil
            while true {
                print(answers.question(field) + (suggestion.map { " [\($0)]" } ?? "") + ": ", terminator: "", to: &standardError)
                guard var line = Terminal.readAnswer() else { throw InputEnded(field: field) }
                if line.trimmingCharacters(in: .whitespaces).isEmpty, let suggestion { line = suggestion }
                guard let problem = taken(field, line, store) ?? answers.answer(field, line) else { break }
                print("  \(problem)", to: &standardError)
            }
            try draft.write(try render(answers, template))
        }
    }

    /// The review file the answers so far start, from the template.
    private func render(_ answers: NewReview, _ template: String) throws -> String {
        do {
            return try answers.file(template: template)
        } catch let error as TemplateError {
            throw TemplateError(templateProblems(error.message, in: self.template ?? "the built-in template"))
        }
    }

    /// Whether a reference is already in the database, as a problem.
    private func taken(_ field: NewReview.Field, _ value: String, _ store: Store) -> String? {
        guard field == .reference, (try? store.contains(value.trimmingCharacters(in: .whitespaces))) == true else { return nil }
        return "already in the database; change it with dus edit"
    }
}

/// Standard input ended before every question was answered.
struct InputEnded: LocalizedError {
    var field: NewReview.Field
    var errorDescription: String? { "the input ended before \(field.rawValue) was given; nothing was stored" }
}
