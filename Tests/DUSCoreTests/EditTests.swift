import Foundation
import GRDB
import Testing
@testable import DUSCore

/// `dus edit` and `dus new`: a whole review replaced or added, audited, with the rules of
/// an import.
@Suite struct EditTests {
    static let stamp = "2026-01-01T00:00:00Z"

    static func review(_ changes: (inout Review) -> Void = { _ in }) -> Review {
        var review = Review(reference: "NW-1", kind: .death, eventDate: Day("2025-03-01")!, region: "North West", supervision: .licence)
        review.classification = .confirmed
        review.summary = "Released to a hostel on a Friday."
        review.findings = [Note(text: "No naloxone was offered.", themes: ["naloxone"])]
        review.learning = [Note(text: "Offer naloxone at release.", themes: ["naloxone"])]
        changes(&review)
        return review
    }

    static func store(_ changes: (inout Review) -> Void = { _ in }) throws -> Store {
        let store = try Store(inMemory: .standard)
        try store.create(review(changes), file: "nw-1.md", now: stamp)
        return store
    }

    func hits(_ store: Store, _ text: String) throws -> [String] {
        try SearchEngine(store: store).search(SearchQuery(text)).hits.map(\.item)
    }

    @Test func anEditReplacesTheReviewKeepsTheOldOneInTheAuditTrailAndSearchFollows() throws {
        let store = try Self.store()
        var edited = try store.reviewForEditing("NW-1", reason: nil)
        edited.summary = "Released to temporary accommodation on a Friday."
        edited.findings.append(Note(text: "The treatment service was not told of the release.", themes: ["information-sharing"]))
        #expect(try store.edit("NW-1", to: edited, reason: nil, file: nil, now: "2026-02-01T00:00:00Z") == .edited)
        #expect(try store.review("NW-1") == edited)
        let history = try store.history(of: "NW-1")
        #expect(history.map(\.event) == ["created", "edited"])
        #expect(history[0].detail == "nw-1.md" && history[1].detail == nil)
        // The audit entry holds the review as it was: nothing recorded is lost.
        #expect(history[1].content?.contains("Released to a hostel on a Friday.") == true)
        // The review keeps the time it was first stored; the edit is its last change.
        let times = try store.read { db in try Row.fetchOne(db, sql: "SELECT created_at, updated_at FROM review")! }
        #expect(times["created_at"] as String == Self.stamp && times["updated_at"] as String == "2026-02-01T00:00:00Z")
        #expect(try hits(store, "hostel").isEmpty)
        #expect(try hits(store, "temporary accommodation") == ["summary"])
        #expect(try hits(store, "treatment service") == ["findings[2]"])
    }

    @Test func aPublishedReviewChangesOnlyByAnAmendmentWithAReason() throws {
        let store = try Self.store { $0.status = .published }
        // Whether a reason is needed is known only once the edit is made (decisions #3).
        #expect(try store.reviewForEditing("NW-1", reason: nil).status == .published)
        #expect(throws: CorrectionError.self) { try store.reviewForEditing("NW-1", reason: "Told by Mr Brown") }
        var edited = Self.review { $0.status = .published }
        edited.age = 41
        #expect(throws: EditError.needsReason("NW-1")) { try store.edit("NW-1", to: edited, reason: nil, file: "nw-1.md") }
        #expect(try store.review("NW-1")?.age == nil)
        // A reason is screened like any free text.
        #expect(throws: CorrectionError.self) { try store.edit("NW-1", to: edited, reason: "Told by Mr Brown", file: "nw-1.md") }
        #expect(try store.edit("NW-1", to: edited, reason: "Age confirmed by the coroner", file: "nw-1.md") == .amended)
        #expect(try store.review("NW-1")?.age == 41)
        let amendment = try #require(try store.history(of: "NW-1").last)
        #expect(amendment.event == "amended" && amendment.reason == "Age confirmed by the coroner" && amendment.detail == "nw-1.md")
    }

    @Test func theReferenceAndTheStatusCannotBeEditedAndAnUnchangedReviewWritesNothing() throws {
        let store = try Self.store()
        let moved = Self.review { $0.reference = "NW-2" }
        #expect(throws: EditError.otherReference(file: "x.md", expected: "NW-1", found: "NW-2")) {
            try store.edit("NW-1", to: moved, reason: nil, file: "x.md")
        }
        let published = Self.review { $0.status = .published }
        #expect(throws: EditError.statusChanged(reference: "NW-1", from: .draft, to: .published)) {
            try store.edit("NW-1", to: published, reason: nil, file: "x.md")
        }
        #expect(try store.edit("NW-1", to: Self.review(), reason: nil, file: "x.md") == .unchanged)
        #expect(try store.history(of: "NW-1").map(\.event) == ["created"])
        #expect(throws: StoreError.notFound(reference: "NW-9")) { try store.reviewForEditing("NW-9", reason: nil) }
        #expect(throws: StoreError.notFound(reference: "NW-9")) { try store.edit("NW-9", to: Self.review { $0.reference = "NW-9" }, reason: nil, file: nil) }
    }

    @Test func anEditIsRefusedWhenTheReviewChangedSinceItWasOpened() throws {
        let store = try Self.store()
        let opened = try store.reviewForEditing("NW-1", reason: nil)
        var theirs = opened
        theirs.age = 52
        #expect(try store.edit("NW-1", to: theirs, reason: nil, file: "theirs.md") == .edited)
        var mine = opened
        mine.summary = "Released to a night shelter."
        #expect(throws: EditError.changedMeanwhile("NW-1")) { try store.edit("NW-1", to: mine, reason: nil, file: nil, opened: opened) }
        #expect(try store.review("NW-1") == theirs)
        // Opened afresh, the same edit goes in.
        mine.age = 52
        #expect(try store.edit("NW-1", to: mine, reason: nil, file: nil, opened: try store.reviewForEditing("NW-1", reason: nil)) == .edited)
    }

    @Test func aNewReviewIsRefusedWhenItsReferenceIsTaken() throws {
        let store = try Self.store()
        #expect(throws: EditError.referenceTaken("NW-1")) { try store.create(Self.review { $0.age = 30 }, file: "other.md") }
        #expect(try store.review("NW-1")?.age == nil)
        #expect(try store.history(of: "NW-1").count == 1)
    }

    @Test func readOneReviewAppliesEveryRuleAndWantsExactlyOneReview() throws {
        let folder = Scratch.root.appendingPathComponent("dus-edit-tests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = ReviewFiles(catalogue: .standard, today: Day("2026-11-22")!)
        let one = folder.appendingPathComponent("one.json").path
        try Data(ReviewWriter().json(Self.review()).serialized().utf8).write(to: URL(fileURLWithPath: one))
        #expect(try files.readOneReview(one) == Self.review())
        let two = folder.appendingPathComponent("two.json").path
        let pair = JSONValue.array([ReviewWriter().json(Self.review()), ReviewWriter().json(Self.review { $0.reference = "NW-2" })])
        try Data(pair.serialized().utf8).write(to: URL(fileURLWithPath: two))
        #expect(throws: EditError.notOneReview(file: two, count: 2)) { try files.readOneReview(two) }
        let bad = folder.appendingPathComponent("bad.json").path
        try Data(#"{"reference": "NW-1", "kind": "death"}"#.utf8).write(to: URL(fileURLWithPath: bad))
        #expect {
            try files.readOneReview(bad)
        } throws: { error in
            Set((error as? ProblemsError)?.problems.map(\.field) ?? []) == ["event_date", "region", "supervision"]
        }
    }
}
