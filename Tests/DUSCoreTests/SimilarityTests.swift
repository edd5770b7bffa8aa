import Foundation
import Testing
@testable import DUSCore

/// `dus similar`: risk profiles compared by the factors at risk, unknown never as "no".
@Suite struct SimilarityTests {
    static func review(_ reference: String, kind: Kind = .death, _ answers: [String: Answer]) -> Review {
        var review = Review(reference: reference, kind: kind, eventDate: Day("2025-03-01")!, region: "Wales", supervision: .licence)
        review.factors = answers
        return review
    }

    static func store() throws -> Store {
        let store = try Store(inMemory: .standard)
        let reviews = [
            review("A", ["opioid_use": .yes, "injecting": .yes, "homeless_at_event": .yes, "used_alone": .no]),
            review("B", ["opioid_use": .yes, "injecting": .yes]),
            review("C", kind: .nearMiss, ["homeless_at_event": .yes, "used_alone": .yes]),
            // At risk on nothing A has: left out. Answering "no" is not sharing a risk.
            review("D", ["used_alone": .yes, "opioid_use": .no, "injecting": .no]),
            // Nothing recorded at all.
            review("E", [:]),
        ]
        try store.write { db in
            for review in reviews { try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        }
        return store
    }

    @Test func theClosestProfilesComeFirstByTheShareOfFactorsAtRiskInBoth() throws {
        let results = try SimilarityFinder(store: try Self.store()).similar(to: "A")
        #expect(results.profile == ["opioid_use", "injecting", "homeless_at_event"].sorted { a, b in
            Catalogue.standard.position(of: a)! < Catalogue.standard.position(of: b)!
        })
        #expect(results.compared == 4)
        // B: 2 shared of 3 at risk in either; C: 1 shared of 4.
        #expect(results.results.map(\.reference) == ["B", "C"])
        #expect(results.results.map(\.score) == [0.667, 0.25])
        let c = try #require(results.results.last)
        #expect(c.shared == ["homeless_at_event"] && c.onlyHere == ["used_alone"] && c.onlyThere.count == 2)
    }

    @Test func filtersNarrowTheComparisonAndAReviewWithNoRiskCannotBeCompared() throws {
        let store = try Self.store()
        var nearMisses = ReviewFilter()
        nearMisses.kind = .nearMiss
        #expect(try SimilarityFinder(store: store).similar(to: "A", matching: nearMisses).results.map(\.reference) == ["C"])
        #expect(try SimilarityFinder(store: store).similar(to: "A", limit: 1).results.map(\.reference) == ["B"])
        #expect(throws: SimilarityError.noRiskRecorded("E")) { try SimilarityFinder(store: store).similar(to: "E") }
        #expect(throws: StoreError.notFound(reference: "Z")) { try SimilarityFinder(store: store).similar(to: "Z") }
        let text = SimilarityRenderer.text(try SimilarityFinder(store: store).similar(to: "A"))
        #expect(text.contains("0.667  B  death, 2025-03-01, Wales\n       shared: opioid_use, injecting\n       only in A: homeless_at_event\n"))
        #expect(text.hasSuffix(SimilarityRenderer.definition + "\n"))
    }
}
