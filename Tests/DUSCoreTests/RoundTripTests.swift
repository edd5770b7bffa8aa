import Foundation
import Testing
@testable import DUSCore

/// Every example review survives writing out and reading back, in both spellings.
@Suite struct RoundTripTests {
    static let today = Day("2026-11-22")!

    static var exampleReviews: [Review] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reviews").path
        let files = ReviewFiles(today: today)
        var reviews: [Review] = []
        for path in ReviewFiles.files(in: [folder]).files {
            files.readReviews(inFile: path) { if let review = $0.review { reviews.append(review) } }
        }
        return reviews
    }

    @Test func examplesReadWithBothSpellingsPresent() {
        #expect(Self.exampleReviews.count == 29)
    }

    @Test func markdownRoundTrip() {
        let writer = ReviewWriter()
        let files = ReviewFiles(today: Self.today)
        for review in Self.exampleReviews {
            let read = files.readMarkdown(writer.markdown(review), file: "x.md")
            #expect(read.problems.isEmpty, "\(read.problems)")
            #expect(read.review == review, "\(review.reference)")
        }
    }

    @Test func jsonRoundTrip() {
        let writer = ReviewWriter()
        let files = ReviewFiles(today: Self.today)
        for review in Self.exampleReviews {
            let read = files.readJSON(writer.json(review, derived: true).serialized(pretty: true), file: "x.json")
            #expect(read.first?.review == review, "\(review.reference)")
        }
    }

    @Test func awkwardTextSurvivesBothSpellings() {
        var review = Review(reference: "TST-2025-0009", kind: .nearMiss, eventDate: Day("2025-01-10")!, region: "London", supervision: .other)
        review.summary = "Line one: with a colon\n\n## Not a section\n- not a finding #naloxone"
        review.agencies = ["yes", "Police, local", "\"Quoted\" agency", "no"]
        review.findings = [Note(text: "First line\nsecond line\n\nafter a blank line", themes: ["naloxone", "safeguarding"]),
                           Note(text: "Ends with a colon:", themes: [])]
        var recommendation = Recommendation(id: "R1", text: "off", to: "#hash: team", response: .agreed)
        recommendation.actions = [Action(id: "A1", text: "- starts with a dash", owner: "[Role]", targetDate: Day("2027-01-01")!)]
        review.recommendations = [recommendation]
        let files = ReviewFiles(today: Self.today)
        let writer = ReviewWriter()
        let markdown = files.readMarkdown(writer.markdown(review), file: "x.md")
        #expect(markdown.problems.isEmpty, "\(markdown.problems)")
        #expect(markdown.review == review)
        #expect(files.readJSON(writer.json(review).serialized(), file: "x.json").first?.review == review)
    }
}
