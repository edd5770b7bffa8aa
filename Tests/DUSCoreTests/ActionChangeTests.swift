import Foundation
import Testing
@testable import DUSCore

/// Keeping actions current: the changes of `dus action`, the evidence field, and progress
/// as opposed to amendment on every route (decisions #3).
@Suite struct ActionChangeTests {
    /// Today for the changes; the as-of date of the fixture's overdue figures.
    static let today = Day("2026-04-10")!
    static let asOf = ActionTests.asOf
    static let address = ActionAddress(reference: "W-1", recommendation: "R1", action: "A2")

    /// The fixture of `ActionTests`, with W-1 published.
    static func store() throws -> Store {
        let store = try Store(inMemory: .standard)
        var reviews = ActionTests.fixtureReviews()
        reviews[0].status = .published
        reviews[0].classification = .confirmed
        reviews[0].findings = [Note(text: "No naloxone was offered.", themes: ["naloxone"])]
        reviews[0].learning = [Note(text: "Offer naloxone at release.", themes: ["naloxone"])]
        try store.write { db in
            for review in reviews { try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        }
        return store
    }

    func apply(_ change: ActionChange, _ store: Store, at address: ActionAddress = Self.address) throws -> ChangeOutcome {
        try store.change(address.reference, event: change.event, detail: address.description, today: Self.today) {
            try change.apply(to: &$0, at: address, today: Self.today)
        }
    }

    func action(_ store: Store, _ address: ActionAddress = Self.address) throws -> Action? {
        try store.review(address.reference)?.recommendations.first { $0.id == address.recommendation }?.actions.first { $0.id == address.action }
    }

    func overdue(_ store: Store) throws -> [String] {
        try ActionTracker(store: store).actions({ var query = ActionQuery(asOf: Self.asOf); query.overdue = true; return query }()).map(\.id)
    }

    @Test func dueTodayIsNotOverdueAndARevisionMovesTheDateEitherWay() throws {
        let store = try Self.store()
        // W-1/R1/A2 is due on the as-of date: not overdue.
        #expect(!(try overdue(store).contains("W-1/R1/A2")))
        _ = try apply(.revise(target: Day("2026-02-28")!, note: nil, date: Self.today), store)
        #expect(try overdue(store).contains("W-1/R1/A2"))
        _ = try apply(.revise(target: Day("2026-04-30")!, note: "Moved back: the board meets in April.", date: Self.today), store)
        #expect(!(try overdue(store).contains("W-1/R1/A2")))
        let action = try #require(try action(store))
        #expect(action.revisedTargetDates == [Day("2026-02-28")!, Day("2026-04-30")!] && action.targetDate == Day("2026-03-01")!)
        #expect(action.updates.last == ActionUpdate(date: Self.today, note: "Moved back: the board meets in April."))
        // Complete and withdrawn actions are never overdue, whatever their dates.
        _ = try apply(.revise(target: Day("2025-12-01")!, note: nil, date: Self.today), store)
        #expect(try overdue(store).contains("W-1/R1/A2"))
        _ = try apply(.complete(date: Self.today, evidence: nil), store)
        #expect(!(try overdue(store).contains("W-1/R1/A2")))
        let withdrawn = ActionAddress(reference: "N-1", recommendation: "R2", action: "A1")
        #expect(try overdue(store).contains("N-1/R2/A1"))
        _ = try apply(.withdraw(reason: "Superseded by the regional protocol."), store, at: withdrawn)
        #expect(!(try overdue(store).contains("N-1/R2/A1")))
    }

    @Test func progressOnAPublishedReviewIsAuditedAsSuchAndNeedsNoReason() throws {
        let store = try Self.store()
        let outcome = try apply(.update(note: "Chased the healthcare lead.", date: Self.today), store)
        #expect(outcome.event == "action updated")
        let entry = try #require(try store.history(of: "W-1").last)
        #expect(entry.event == "action updated" && entry.detail == "W-1/R1/A2" && entry.reason == nil)
        #expect(entry.changes.map(\.path) == ["recommendations[R1].actions[A2].updates[1].date", "recommendations[R1].actions[A2].updates[1].note"])
        // A changed response is an amendment: refused without a reason, `amended` with one.
        let respond = { (reason: String?) in
            try store.change("W-1", event: "response set", reason: reason, today: Self.today) {
                try ActionChange.respond(to: &$0, at: ActionAddress(reference: "W-1", recommendation: "R1"), response: .notAgreed, category: .affordability, reason: "No budget.")
            }
        }
        #expect(throws: EditError.needsReason("W-1")) { try respond(nil) }
        #expect(try store.review("W-1")?.recommendations[0].response == .agreed)
        #expect(try respond("The board's reply arrived.").event == "amended")
    }

    @Test func editAndImportReplaceFollowTheSameRule() throws {
        let store = try Self.store()
        var edited = try #require(try store.review("W-1"))
        edited.recommendations[0].actions[1].updates.append(ActionUpdate(date: Self.today, note: "Chased."))
        #expect(try store.edit("W-1", to: edited, reason: nil, file: nil) == .progress)
        #expect(try store.history(of: "W-1").last?.event == "action updated")
        edited.summary = "Changed."
        #expect(throws: EditError.needsReason("W-1")) { try store.edit("W-1", to: edited, reason: nil, file: nil) }
        #expect(Store.isProgress(from: edited, to: edited))
        var added = edited
        added.recommendations.append(Recommendation(id: "R2", text: "New.", response: .agreed))
        #expect(!Store.isProgress(from: edited, to: added))
    }

    @Test func everyTextIsScreenedAndEveryDateCheckedAndARefusalChangesNothing() throws {
        let store = try Self.store()
        let before = try store.review("W-1")
        #expect(throws: ProblemsError.self) { try apply(.update(note: "Rang Mr John Smith on 07700 900123.", date: Self.today), store) }
        #expect(throws: ActionChangeError.inTheFuture(address: "W-1/R1/A2", field: "--date", date: Day("2026-04-11")!, today: Self.today)) {
            try apply(.update(note: "x", date: Day("2026-04-11")!), store)
        }
        #expect(throws: ActionChangeError.beforeEvent(address: "W-1/R1/A2", field: "--date", date: Day("2025-01-09")!, event: Day("2025-01-10")!)) {
            try apply(.complete(date: Day("2025-01-09")!, evidence: nil), store)
        }
        #expect(throws: ActionChangeError.sameTarget(address: "W-1/R1/A2", date: Day("2026-03-01")!)) {
            try apply(.revise(target: Day("2026-03-01")!, note: nil, date: Self.today), store)
        }
        #expect(throws: ActionChangeError.notComplete(address: "W-1/R1/A2", status: .open)) { try apply(.evidence("Audited."), store) }
        #expect(try store.review("W-1") == before)
        _ = try apply(.withdraw(reason: "Superseded."), store)
        for change in [ActionChange.update(note: "x", date: Self.today), .revise(target: Day("2026-05-01")!, note: nil, date: Self.today),
                       .complete(date: Self.today, evidence: nil), .withdraw(reason: "Again.")] {
            #expect(throws: ActionChangeError.closed(address: "W-1/R1/A2", status: .withdrawn)) { try apply(change, store) }
        }
        #expect(ActionAddress("w-1/r1/a2", wantsAction: true) == Self.address)
        #expect(ActionAddress("W-1/R1", wantsAction: true) == nil && ActionAddress("W-1/R01/A1", wantsAction: true) == nil)
    }

    @Test func evidenceIsKeptInBothSpellingsAndCountedInTheSummary() throws {
        let store = try Self.store()
        _ = try apply(.complete(date: Self.today, evidence: "Naloxone on 41 of 44 checklists audited."), store)
        let review = try #require(try store.review("W-1"))
        #expect(try action(store)?.evidence == "Naloxone on 41 of 44 checklists audited.")
        let files = ReviewFiles(today: Self.today)
        let writer = ReviewWriter()
        #expect(files.readMarkdown(writer.markdown(review), file: "x.md").review == review)
        #expect(files.readJSON(writer.json(review).serialized(), file: "x.json").first?.review == review)
        #expect(writer.markdown(review).contains("        evidence: Naloxone on 41 of 44 checklists audited.\n"))
        // Evidence belongs to a completed action only.
        var open = review
        open.recommendations[0].actions[0].evidence = "Too soon."
        let read = files.readJSON(writer.json(open).serialized(), file: "x.json").first
        #expect(read?.problems.map(\.field) == ["recommendations[R1].actions[A1].evidence"])
        let summary = try ActionTracker(store: store).summary(ActionQuery(asOf: Self.asOf))
        // A3 of W-1 was complete already, without evidence.
        #expect(summary.completed == 2 && summary.completedWithEvidence == 1)
    }
}
