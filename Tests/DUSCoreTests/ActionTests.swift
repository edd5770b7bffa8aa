import Foundation
import Testing
@testable import DUSCore

/// `dus actions`: which actions are overdue or due soon, and what the counts say.
@Suite struct ActionTests {
    static let asOf = Day("2026-03-01")!

    static func action(_ id: String, owner: String = "Head of Healthcare", target: String, revised: [String] = [],
                       status: ActionStatus = .open, completed: String? = nil, updates: [(String, String)] = []) -> Action {
        var action = Action(id: id, text: "Action \(id).", owner: owner, targetDate: Day(target)!)
        action.revisedTargetDates = revised.compactMap(Day.init)
        action.status = status
        action.completedDate = completed.flatMap(Day.init)
        if status == .withdrawn { action.withdrawnReason = "Superseded by the national protocol." }
        action.updates = updates.map { ActionUpdate(date: Day($0.0)!, note: $0.1) }
        return action
    }

    static func review(_ reference: String, kind: Kind = .death, region: String = "Wales", recommendations: [Recommendation]) -> Review {
        var review = Review(reference: reference, kind: kind, eventDate: Day("2025-01-10")!, region: region, supervision: .licence)
        review.recommendations = recommendations
        return review
    }

    /// Two reviews; seven actions: overdue by a revised date, overdue on its first date,
    /// due on the as-of date, due in 30 days, due in 31 days, complete late, withdrawn.
    static func fixture() throws -> Store {
        let store = try Store(inMemory: .standard)
        try store.write { db in
            for review in fixtureReviews() { try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        }
        return store
    }

    static func fixtureReviews() -> [Review] {
        var naloxone = Recommendation(id: "R1", text: "Supply naloxone on release.", response: .agreed)
        naloxone.themes = ["naloxone"]
        naloxone.actions = [
            action("A1", target: "2025-06-30", revised: ["2025-12-31", "2026-02-27"], updates: [("2025-07-01", "Drafted."), ("2026-01-05", "Awaiting sign-off.")]),
            action("A2", owner: "Approved Premises Area Manager", target: "2026-03-01"),
            action("A3", target: "2026-03-31", status: .complete, completed: "2026-04-02"),
        ]
        var housing = Recommendation(id: "R2", text: "Find accommodation before release.", response: .partlyAgreed)
        housing.reasonCategory = .affordability
        housing.reason = "Funding is for one year only."
        housing.themes = ["accommodation"]
        housing.actions = [
            action("A1", owner: "Temporary Accommodation Manager", target: "2026-01-15"),
            action("A2", owner: "Temporary Accommodation Manager", target: "2026-03-31"),
            action("A3", target: "2026-04-01"),
            action("A4", target: "2025-01-01", status: .withdrawn),
        ]
        return [review("W-1", recommendations: [naloxone]), review("N-1", kind: .nearMiss, region: "North West", recommendations: [housing])]
    }

    func query(_ change: (inout ActionQuery) -> Void = { _ in }) -> ActionQuery {
        var query = ActionQuery(asOf: Self.asOf)
        change(&query)
        return query
    }

    @Test func overdueMeansOpenWithTheCurrentTargetDateBeforeTheAsOfDate() throws {
        let tracker = ActionTracker(store: try Self.fixture())
        let overdue = try tracker.actions(query { $0.overdue = true })
        // W-1/R1/A1's first date passed long ago, but its current (newest revised) date is
        // 2026-02-27: two days overdue. The withdrawn action's old date makes it nothing.
        #expect(overdue.map(\.id) == ["N-1/R2/A1", "W-1/R1/A1"])
        #expect(overdue.map(\.daysOverdue) == [45, 2])
        let revised = try #require(overdue.last)
        #expect(revised.targetDate == Day("2026-02-27") && revised.originalTargetDate == Day("2025-06-30"))
        #expect(revised.lastUpdate == ActionUpdate(date: Day("2026-01-05")!, note: "Awaiting sign-off."))
        // Due on the as-of date is not overdue yet.
        let dueToday = try #require(try tracker.actions(query()).first { $0.id == "W-1/R1/A2" })
        #expect(!dueToday.isOverdue && dueToday.daysUntilDue == 0)
    }

    @Test func dueWithinCountsFromTheAsOfDateInclusiveAndCombinesWithOverdue() throws {
        let tracker = ActionTracker(store: try Self.fixture())
        // 2026-03-01 + 30 days = 2026-03-31; 2026-04-01 is a day too late; the complete
        // action due on 2026-03-31 is not open.
        #expect(try tracker.actions(query { $0.dueWithin = 30 }).map(\.id) == ["W-1/R1/A2", "N-1/R2/A2"])
        #expect(try tracker.actions(query { $0.dueWithin = 31 }).map(\.id) == ["W-1/R1/A2", "N-1/R2/A2", "N-1/R2/A3"])
        #expect(try tracker.actions(query { $0.dueWithin = 0; $0.overdue = true }).map(\.id) == ["N-1/R2/A1", "W-1/R1/A1", "W-1/R1/A2"])
    }

    @Test func actionConditionsAndReviewFiltersNarrowTheList() throws {
        let tracker = ActionTracker(store: try Self.fixture())
        #expect(try tracker.actions(query { $0.owner = "accommodation MANAGER" }).map(\.id) == ["N-1/R2/A1", "N-1/R2/A2"])
        #expect(try tracker.actions(query { $0.response = .partlyAgreed }).count == 4)
        #expect(try tracker.actions(query { $0.theme = "naloxone" }).map(\.reference) == ["W-1", "W-1", "W-1"])
        #expect(try tracker.actions(query { $0.status = .withdrawn }).map(\.id) == ["N-1/R2/A4"])
        #expect(try tracker.actions(query { $0.filter.kind = .nearMiss }).allSatisfy { $0.reference == "N-1" })
        #expect(try tracker.actions(query { $0.filter.region = "Wales"; $0.overdue = true }).map(\.id) == ["W-1/R1/A1"])
    }

    @Test func theSummaryCountsEveryActionAndOpenOnesByOwner() throws {
        let summary = try ActionTracker(store: try Self.fixture()).summary(query { $0.dueWithin = 30; $0.overdue = true })
        // --overdue does not narrow the counts: all seven are counted.
        #expect(summary.actions == 7)
        #expect(summary.byStatus == [.open: 5, .complete: 1, .withdrawn: 1])
        #expect(summary.overdue == 2 && summary.dueSoon == 2)
        // Completed two days after its target date: not on time.
        #expect(summary.completed == 1 && summary.completedOnTime == 0)
        #expect(summary.revised == 1)
        #expect(summary.owners.map(\.owner) == ["Head of Healthcare", "Temporary Accommodation Manager", "Approved Premises Area Manager"])
        #expect(summary.owners.map(\.overdue) == [1, 1, 0] && summary.owners.map(\.open) == [2, 2, 1])
    }

    @Test func theJSONHasTheContractFieldsAndTheTextStatesItsDefinitions() throws {
        let actions = try ActionTracker(store: try Self.fixture()).actions(query { $0.overdue = true })
        let json = ActionRenderer.json(actions, asOf: Self.asOf, dueWithin: nil).serialized()
        #expect(json.contains(#""id":"W-1/R1/A1","reference":"W-1","recommendation":"W-1/R1","response":"agreed""#))
        #expect(json.contains(#""target_date":"2026-02-27","original_target_date":"2025-06-30","revised_target_dates":["2025-12-31","2026-02-27"],"status":"open""#))
        #expect(json.contains(#""overdue":true,"days_overdue":2,"due_in_days":null"#))
        let text = ActionRenderer.text(actions, asOf: Self.asOf, dueWithin: nil)
        #expect(text.hasPrefix("2 actions, as of 2026-03-01: 2 overdue.\n"))
        #expect(text.contains("W-1/R1/A1  open, OVERDUE by 2 days (target 2026-02-27, revised twice from 2025-06-30)"))
        #expect(text.contains("  last update 2026-01-05: Awaiting sign-off."))
        #expect(text.contains("overdue = open, with the target date before 2026-03-01"))
    }

    @Test func theStreamedListIsTheListOfTheActionsByteForByte() throws {
        let tracker = ActionTracker(store: try Self.fixture())
        for change in [{ (_: inout ActionQuery) in }, { $0.overdue = true }, { $0.dueWithin = 30 }, { $0.overdue = true; $0.dueWithin = 45 },
                       { $0.owner = "temporary" }, { $0.status = .complete }, { $0.theme = "naloxone" }, { $0.dueFrom = Day("2026-01-01"); $0.dueTo = Day("2026-03-31") }] {
            let query = query(change)
            var streamed: [UInt8] = []
            try tracker.writeText(query) { streamed.append(contentsOf: $0) }
            let listed = ActionRenderer.textBytes(try tracker.actions(query), asOf: query.asOf, dueWithin: query.dueWithin)
            #expect(streamed == listed, "\(query)")
        }
    }
}

/// Long lists are read in two parts at once, each on a connection of its own
/// (`Store.actionsInParts`): the same list, in the same order, from one state of the file.
@Suite struct ActionPartsTests {
    /// A file of twelve reviews, the fixture's two six times over.
    static func fileStore() throws -> Store {
        let store = try Store(path: Scratch.root.appendingPathComponent("dus-parts-\(UUID().uuidString).sqlite").path)
        try store.write { db in
            for copy in 1...6 {
                for var review in ActionTests.fixtureReviews() {
                    review.reference += "-\(copy)"
                    try store.insert(review, db, now: "2026-01-01T00:00:00Z")
                }
            }
        }
        return store
    }

    static let query = ActionQuery(asOf: ActionTests.asOf)

    @Test func thePartsTogetherAreTheWholeTableInItsOrder() throws {
        let store = try Self.fileStore()
        var whole: [StoredAction] = []
        try store.forEachAction(matching: ReviewFilter()) { whole.append($0) }
        let parts = try store.actionsInParts(matching: ReviewFilter(), parts: 2, start: { _ in [StoredAction]() }, add: { $0.append($1) }, end: { _ in })
        #expect(parts.count == 2)
        #expect(parts.allSatisfy { !$0.isEmpty })
        #expect(parts.flatMap { $0 } == whole)
        #expect(whole.count == 42)
    }

    @Test func theStreamedListOfAFileIsTheListOfTheActionsByteForByte() throws {
        let tracker = ActionTracker(store: try Self.fileStore())
        for change in [{ (_: inout ActionQuery) in }, { $0.overdue = true }, { $0.dueWithin = 30 }, { $0.owner = "temporary" }, { $0.status = .complete }] {
            var query = Self.query
            change(&query)
            var streamed: [UInt8] = []
            try tracker.writeText(query) { streamed.append(contentsOf: $0) }
            let listed = ActionRenderer.textBytes(try tracker.actions(query), asOf: query.asOf, dueWithin: query.dueWithin)
            #expect(streamed == listed, "\(query)")
        }
    }

    @Test func aChangeCommittedAsThePartsBeginIsReadWholeOrNotAtAll() throws {
        let store = try Self.fileStore()
        let other = try Store(path: store.path!)
        let parts = try store.actionsInParts(
            matching: ReviewFilter(), status: nil, due: DueDates(), parts: 2, start: { _ in [String]() }, add: { $0.append($1.owner) }, end: { _ in },
            othersBegin: { try? other.write { try $0.execute(sql: "UPDATE action SET owner = 'Another owner'") } })
        // Read again as one part, after the change: never old owners beside new ones.
        #expect(parts.count == 1)
        #expect(parts.flatMap { $0 } == Array(repeating: "Another owner", count: 42))
    }
}
