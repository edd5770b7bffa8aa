import Foundation
import GRDB
import Testing
@testable import DUSCore

/// A review's parts kept in its own row, and the views that show them one row each.
@Suite struct StoredPartsTests {
    /// A review with every part, every optional value set or left out, and texts that
    /// need escaping in JSON.
    static func richReview() -> Review {
        var review = Review(reference: "P-1", kind: .death, eventDate: Day("2025-05-02")!, region: "Wales", supervision: .licence)
        review.summary = "Found \"unresponsive\" at a hostel.\nA second line."
        review.findings = [
            Note(text: "No naloxone on release \\ none offered.", themes: ["naloxone", "release-planning"]),
            Note(text: "Line\u{2028}separator\u{2029}, a tab\there, a \u{1} control, \r and 🙂", themes: []),
        ]
        review.learning = [Note(text: "Offer naloxone to everyone leaving prison.", themes: ["naloxone"])]
        var first = Recommendation(id: "R1", text: "Supply naloxone on release.", to: "Prison healthcare", response: .partlyAgreed)
        first.reasonCategory = .affordability
        first.reason = "Funding is for one year only."
        first.themes = ["naloxone"]
        var revised = Action(id: "A1", text: "Stock kits in reception.", owner: "Head of Healthcare", targetDate: Day("2025-06-30")!)
        revised.revisedTargetDates = [Day("2025-09-30")!, Day("2025-12-31")!]
        revised.updates = [ActionUpdate(date: Day("2025-07-01")!, note: "Kits ordered."), ActionUpdate(date: Day("2025-10-01")!, note: "Awaiting delivery.")]
        var done = Action(id: "A2", text: "Train reception staff.", owner: "Training lead", targetDate: Day("2025-08-01")!)
        done.status = .complete
        done.completedDate = Day("2025-07-28")!
        var withdrawn = Action(id: "A3", text: "Write to the supplier.", owner: "Pharmacy", targetDate: Day("2025-08-01")!)
        withdrawn.status = .withdrawn
        withdrawn.withdrawnReason = "Done by the region instead."
        first.actions = [revised, done, withdrawn]
        let second = Recommendation(id: "R2", text: "Share release dates with treatment services.", response: .agreed)
        review.recommendations = [first, second]
        return review
    }

    static func store() throws -> Store {
        let store = try Store(inMemory: .standard)
        try store.write { db in try store.insert(richReview(), db, now: "2026-01-01T00:00:00Z") }
        return store
    }

    @Test func everyPartComesBackExactlyAsStored() throws {
        let store = try Self.store()
        #expect(try store.review("P-1") == Self.richReview())
        var bare = Review(reference: "P-2", kind: .nearMiss, eventDate: Day("2025-05-03")!, region: "Wales", supervision: .licence)
        bare.findings = [Note(text: "Found by a friend.")]
        try store.write { db in try store.insert(bare, db, now: "2026-01-01T00:00:00Z") }
        #expect(try store.review("P-2") == bare)
    }

    /// The texts search shows are read from the stored JSON in Swift, and listed by the
    /// view `search_text` in SQL: the same texts, places and order, escapes and all.
    @Test func theTextsReadFromTheStoredJSONAreTheViewsTexts() throws {
        let store = try Self.store()
        try store.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM review"))
            let texts = try #require(StoredTexts.texts(
                summary: row["summary"], findings: row["findings"], learning: row["learning"], recommendations: row["recommendations"]))
            let view = try Row.fetchAll(db, sql: "SELECT source, item, text FROM search_text ORDER BY id")
            #expect(texts.map { [$0.source, $0.item, $0.text] } == view.map { [$0["source"] as String, $0["item"], $0["text"]] })
            #expect(texts.count == 11)
        }
        #expect(StoredTexts.texts(summary: nil, findings: "[{\"text\":\"a\"", learning: "[]", recommendations: "[]") == nil)
    }

    @Test func aDamagedColumnIsNamedAndNothingIsGuessed() throws {
        let store = try Self.store()
        try store.write { db in try db.execute(sql: #"UPDATE review SET recommendations = '[{"id":"R1","response":"agreed"}]'"#) }
        #expect(throws: StoreError.damaged(reference: "P-1", field: "recommendations", stored: "text of 33 bytes", problem: "text is missing")) {
            try store.review("P-1")
        }
        try store.write { db in try db.execute(sql: "UPDATE review SET learning = 'not json'") }
        let error = try #require(throws: StoreError.self) { try store.review("P-1") }
        #expect(error.errorDescription?.hasPrefix("P-1: learning: stored value cannot be read (text of 8 bytes: not JSON") == true)
        #expect(error.errorDescription?.hasSuffix("; run dus doctor") == true)
    }

    @Test func theViewsShowOnePartARowAsTheTablesDid() throws {
        let store = try Self.store()
        try store.read { db in
            let findings = try Row.fetchAll(db, sql: "SELECT reference, position, text, themes FROM finding ORDER BY position")
            #expect(findings.map { $0["position"] as Int } == [1, 2])
            #expect(findings[0]["text"] as String == "No naloxone on release \\ none offered.")
            #expect(findings[0]["themes"] as String == #"["naloxone","release-planning"]"#)
            #expect(findings[1]["themes"] as String == "[]")
            let recommendations = try Row.fetchAll(db, sql: "SELECT label, addressed_to, response, reason_category, reason FROM recommendation ORDER BY position")
            #expect(recommendations.map { $0["label"] as String } == ["R1", "R2"])
            #expect(recommendations[0]["reason_category"] as String == "affordability" && recommendations[1]["addressed_to"] as String? == nil)
            let actions = try Row.fetchAll(db, sql: "SELECT recommendation, label, target_date, current_target_date, status, completed_date, withdrawn_reason FROM action ORDER BY position")
            #expect(actions.map { "\($0["recommendation"] as String)/\($0["label"] as String)" } == ["R1/A1", "R1/A2", "R1/A3"])
            #expect(actions[0]["target_date"] as String == "2025-06-30" && actions[0]["current_target_date"] as String == "2025-12-31")
            #expect(actions[1]["current_target_date"] as String == "2025-08-01" && actions[1]["completed_date"] as String == "2025-07-28")
            #expect(actions[2]["withdrawn_reason"] as String == "Done by the region instead.")
            #expect(try String.fetchAll(db, sql: "SELECT target_date FROM action_revision ORDER BY position") == ["2025-09-30", "2025-12-31"])
            #expect(try String.fetchAll(db, sql: "SELECT date || ' ' || note FROM action_update ORDER BY position") == ["2025-07-01 Kits ordered.", "2025-10-01 Awaiting delivery."])
            let texts = try Row.fetchAll(db, sql: "SELECT id & 1048575 AS k, source, item FROM search_text ORDER BY id")
            #expect(texts.map { "\($0["k"] as Int) \($0["source"] as String) \($0["item"] as String)" } == [
                "0 summary summary", "1 finding findings[1]", "2 finding findings[2]", "3 learning learning[1]",
                "4 recommendation recommendations[R1]", "5 action recommendations[R1].actions[A1]",
                "6 action recommendations[R1].actions[A1].updates[1]", "7 action recommendations[R1].actions[A1].updates[2]",
                "8 action recommendations[R1].actions[A2]", "9 action recommendations[R1].actions[A3]",
                "10 recommendation recommendations[R2]",
            ])
        }
    }

    @Test func theAnswersStringGivesEachFactorTheAnswerTheReviewGivesIt() throws {
        var generator = Generator(seed: 11)
        var reviews = (1...400).map { generator.review(number: $0) }
        // And answers to factors that do not apply, which count as not applicable.
        var odd = Self.richReview()
        odd.releaseDate = nil
        odd.factors = Dictionary(uniqueKeysWithValues: Catalogue.standard.factors.filter { !$0.derived }.map { ($0.id, Answer.yes) })
        reviews.append(odd)
        for review in reviews {
            let derived = Derived(for: review)
            let expected = Catalogue.standard.factors.map { factor -> Character in
                switch review.answer(to: factor, derived: derived) {
                case .yes: "y"
                case .no: "n"
                case .unknown: "u"
                case .notApplicable: "-"
                }
            }
            #expect(AnswersCodec.encode(review, derived: derived, catalogue: .standard) == String(expected), "\(review.reference)")
        }
        let characters = reviews.flatMap { Array(AnswersCodec.encode($0, derived: Derived(for: $0), catalogue: .standard)) }
        #expect(Set(characters) == ["y", "n", "u", "-"])
    }
}
