import Foundation
import GRDB
import Testing
@testable import DUSCore

/// `dus status`: draft → agreed → published, with the publishing rules of an import.
@Suite struct WorkflowTests {
    static func store(_ changes: (inout Review) -> Void = { _ in }) throws -> Store {
        let store = try Store(inMemory: .standard)
        var review = Review(reference: "NW-1", kind: .death, eventDate: Day("2025-03-01")!, region: "North West", supervision: .licence)
        review.classification = .confirmed
        review.findings = [Note(text: "No naloxone was offered.", themes: ["naloxone"])]
        review.learning = [Note(text: "Offer naloxone at release.", themes: ["naloxone"])]
        changes(&review)
        try store.write { db in try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        return store
    }

    func events(_ store: Store) throws -> [String] {
        try store.history(of: "NW-1").map { "\($0.event) \($0.detail ?? "") \($0.reason ?? "")" }
    }

    @Test func aReviewMovesOneStepAtATimeAndEachMoveIsAudited() throws {
        let store = try Self.store()
        #expect(throws: StatusError.skipsAStep(reference: "NW-1", from: .draft, to: .published)) {
            try store.move("NW-1", to: .published, reason: nil)
        }
        #expect(try store.move("NW-1", to: .agreed, reason: nil) == StatusChange(reference: "NW-1", from: .draft, to: .agreed))
        #expect(try store.move("NW-1", to: .published, reason: nil).changed)
        #expect(try store.review("NW-1")?.status == .published)
        // The same status again changes nothing and is not audited.
        #expect(try !store.move("NW-1", to: .published, reason: nil).changed)
        #expect(try events(store) == ["status draft → agreed ", "status agreed → published "])
        // Bulletins see it now.
        #expect(try store.summaries(matching: { var filter = ReviewFilter(); filter.status = .published; return filter }()).count == 1)
    }

    @Test func movingAPublishedReviewBackIsAnAmendmentWithAReason() throws {
        let store = try Self.store { $0.status = .published }
        #expect(throws: StatusError.needsReason(reference: "NW-1", from: .published)) { try store.move("NW-1", to: .agreed, reason: nil) }
        #expect(throws: StatusError.needsReason(reference: "NW-1", from: .published)) { try store.move("NW-1", to: .draft, reason: "  ") }
        #expect(try store.move("NW-1", to: .draft, reason: "Published in error").to == .draft)
        #expect(try events(store) == ["status published → draft Published in error"])
        // A reason is screened like any free text.
        #expect(throws: CorrectionError.self) { try store.move("NW-1", to: .agreed, reason: "Asked by Mr Brown") }
    }

    @Test func publishingAppliesTheRulesOfAnImportAndChangesNothingWhenRefused() throws {
        let store = try Self.store {
            $0.status = .agreed
            $0.classification = .suspected
            $0.learning = []
            $0.findings[0].text = "No naloxone was offered on 14 March."
        }
        #expect {
            try store.move("NW-1", to: .published, reason: nil)
        } throws: { error in
            guard let problems = (error as? ProblemsError)?.problems else { return false }
            return Set(problems.map(\.field)) == ["status", "findings[1].text"] && problems.count == 3
                && problems.allSatisfy { $0.file == "NW-1" && $0.line == nil }
        }
        #expect(try store.review("NW-1")?.status == .agreed)
        #expect(try events(store).isEmpty)
        #expect(throws: StoreError.notFound(reference: "NW-9")) { try store.move("NW-9", to: .agreed, reason: nil) }
    }
}
