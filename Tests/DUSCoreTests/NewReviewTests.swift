import Foundation
import Testing
@testable import DUSCore

/// `dus new`: each answer checked by the import's own rules, and the file they start.
@Suite struct NewReviewTests {
    static let today = Day("2026-11-22")!

    func answered(_ answers: [(NewReview.Field, String)]) throws -> NewReview {
        var review = NewReview(catalogue: .standard, today: Self.today)
        for (field, answer) in answers {
            let problem = review.answer(field, answer)
            try #require(problem == nil, "\(field): \(problem ?? "")")
        }
        return review
    }

    @Test func eachAnswerIsCheckedAsAnImportWouldCheckIt() throws {
        var review = NewReview(catalogue: .standard, today: Self.today)
        #expect(review.answer(.kind, "overdose") != nil)
        #expect(review.answer(.kind, "") == "an answer is needed")
        #expect(review.answer(.kind, "near-miss") == nil)
        #expect(review.answer(.eventDate, "2026-02-30")?.contains("not a real calendar date") == true)
        #expect(review.answer(.eventDate, "2026-12-01")?.contains("future") == true)
        #expect(review.answer(.eventDate, "2026-10-01") == nil)
        #expect(review.answer(.releaseDate, "2026-10-09")?.contains("after the event date") == true)
        #expect(review.answer(.releaseDate, "") == nil)
        #expect(review.answers[.releaseDate] == nil)
        #expect(review.answer(.region, "Atlantis")?.hasPrefix("unknown region") == true)
        // Any accepted spelling; kept as the display name.
        #expect(review.answer(.region, "NW") == nil)
        #expect(review.answers[.region] == "North West")
        #expect(review.answer(.supervision, "license") != nil)
        #expect(review.answer(.supervision, "licence") == nil)
        #expect(review.answer(.reference, "nw-2026-1")?.contains("lower case is refused") == true)
        #expect(review.answer(.reference, "A1234BC")?.contains("looks like") == true)
        #expect(review.answer(.reference, "NW-2026-0010") == nil)
        // A refused answer leaves the one before it.
        #expect(review.answers[.kind] == "near-miss" && review.answers[.eventDate] == "2026-10-01")
    }

    @Test func theSuggestedReferenceIsTheRegionsNextNumberForTheYear() throws {
        let review = try answered([(.kind, "death"), (.eventDate, "2026-03-01"), (.region, "Kent, Surrey and Sussex")])
        #expect(review.suggestedReference(taken: []) == "KSS-2026-0001")
        #expect(review.suggestedReference(taken: ["KSS-2026-0009", "KSS-2026-0011", "KSS-2025-0040", "NW-2026-0050"]) == "KSS-2026-0012")
        #expect(NewReview(catalogue: .standard, today: Self.today).suggestedReference(taken: []) == nil)
    }

    @Test func theFileStartsAValidDraftWithALineForEachFactorThatApplies() throws {
        let released = try answered([(.kind, "death"), (.eventDate, "2026-10-01"), (.releaseDate, "2026-09-25"),
                                     (.region, "North West"), (.supervision, "licence"), (.reference, "NW-2026-0010")])
        let text = try released.file()
        let read = ReviewFiles(catalogue: .standard, today: Self.today).readMarkdown(text, file: "new.md")
        #expect(read.problems.isEmpty)
        let review = try #require(read.review)
        #expect(review.reference == "NW-2026-0010" && review.status == .draft && review.releaseDate == Day("2026-09-25"))
        #expect(review.factors.isEmpty && review.summary == nil && review.findings.isEmpty)
        #expect(text.contains("\n  naloxone_supplied_on_release:  # (no) take-home naloxone was handed over on release\n"))
        #expect(!text.contains("first_fortnight"))  // derived: never typed in

        // Without a release date, the factors that need one are left out.
        let notReleased = try answered([(.kind, "near-miss"), (.eventDate, "2026-10-01"), (.region, "Wales"),
                                        (.supervision, "community-order"), (.reference, "WAL-2026-0003")])
        let other = try notReleased.file()
        #expect(!other.contains("naloxone_supplied_on_release") && !other.contains("release_date"))
        #expect(other.contains("  naloxone_held_at_event:"))
        #expect(ReviewFiles(catalogue: .standard, today: Self.today).readMarkdown(other, file: "new.md").problems.isEmpty)
    }

    @Test func aTemplateThatAsksForAnUnknownValueIsRefused() throws {
        let review = try answered([(.kind, "death")])
        #expect(throws: TemplateError.self) { try review.file(template: "reference: {{refrence}}\n") }
        #expect(throws: TemplateError.self) { try review.file(template: "{{#factor_groups}}\n") }
        #expect(try review.file(template: "{{%CONTENT_TYPE: TEXT}}kind: {{kind}} & {{#factor_groups}}{{#factors}}{{id}}{{/factors}}{{/factor_groups}}\n").hasPrefix("kind: death & naloxone_refusednaloxone_held_at_event"))
    }
}
