import Foundation
import Testing
@testable import DUSCore

/// The pattern engine against hand-computed figures on a small fixture.
@Suite struct PatternTests {
    static func review(
        _ reference: String, kind: Kind = .death, event: String, release: String?, factors: [String: Answer] = [:],
        substances: [String] = [], classification: Classification = .confirmed, findings: [Note] = []
    ) -> Review {
        var review = Review(reference: reference, kind: kind, eventDate: Day(event)!, region: "Wales", supervision: .licence)
        review.releaseDate = release.flatMap(Day.init)
        review.factors = factors
        review.substances = substances
        review.classification = classification
        review.findings = findings
        return review
    }

    /// R1: 13 days after a Friday release, no naloxone, homeless, opioids, heroin + cocaine.
    /// R2: 14 days after a Monday release, naloxone given, opioids, heroin + unknown.
    /// R3: a near miss with no release, no opioid use, alcohol only.
    /// R4: not drug-related (left out by default). R5–R8: 27, 28, 83 and 84 days after release.
    static func fixture() throws -> Store {
        let store = try Store(inMemory: .standard)
        let reviews = [
            review("T-1", event: "2025-01-16", release: "2025-01-03",
                   factors: ["naloxone_supplied_on_release": .no, "homeless_on_release": .yes, "opioid_use": .yes],
                   substances: ["heroin", "cocaine"],
                   findings: [Note(text: "No naloxone.", themes: ["naloxone", "release-planning"]), Note(text: "Again no naloxone.", themes: ["naloxone"])]),
            review("T-2", event: "2025-01-20", release: "2025-01-06",
                   factors: ["naloxone_supplied_on_release": .yes, "opioid_use": .yes], substances: ["heroin", "unknown"],
                   findings: [Note(text: "Naloxone given.", themes: ["naloxone"])]),
            review("T-3", kind: .nearMiss, event: "2025-02-01", release: nil, factors: ["opioid_use": .no], substances: ["alcohol"]),
            review("T-4", event: "2025-03-28", release: "2025-01-01", classification: .notDrugRelated),
            review("T-5", event: "2025-02-03", release: "2025-01-07"),
            review("T-6", event: "2025-02-04", release: "2025-01-07"),
            review("T-7", event: "2025-03-31", release: "2025-01-07"),
            review("T-8", event: "2025-04-02", release: "2025-01-08"),
        ]
        try store.write { db in
            for review in reviews { try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        }
        return store
    }

    static var drugRelated: ReviewFilter {
        var filter = ReviewFilter()
        filter.includesNotDrugRelated = false
        return filter
    }

    private func factor(_ slice: PatternSlice, _ id: String) -> FactorCount {
        slice.factors.first { $0.id == id }!
    }

    @Test func totalsAndReleaseBandsWithTheirEdges() throws {
        let slice = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated).all
        #expect(slice.reviews == 7)
        #expect(slice.deaths == 6)
        #expect(slice.nearMisses == 1)
        #expect(slice.released == 6)
        #expect(slice.releaseBands == [.firstFortnight: 1, .weeks3to4: 2, .weeks5to12: 2, .later: 1, .notReleased: 1])
        #expect(slice.days[13] == 1 && slice.days[14] == 1 && slice.days[27] == 1)
        #expect(slice.days.reduce(0, +) == 3)
    }

    @Test func notDrugRelatedIsLeftOutUnlessAsked() throws {
        let store = try Self.fixture()
        #expect(try PatternEngine(store: store).report(matching: ReviewFilter()).all.reviews == 8)
        #expect(try PatternEngine(store: store).report(matching: Self.drugRelated).all.reviews == 7)
    }

    @Test func unknownIsNeverCountedAsNo() throws {
        let slice = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated).all
        let naloxone = factor(slice, "naloxone_supplied_on_release")
        #expect((naloxone.risk, naloxone.noRisk, naloxone.unknown, naloxone.notApplicable) == (1, 1, 4, 1))
        #expect(naloxone.share.share == 0.5)
        let interval = try #require(naloxone.share.interval)
        #expect(abs(interval.low - 0.0945) < 0.0001 && abs(interval.high - 0.9055) < 0.0001)
        #expect(naloxone.completeness.share == 2.0 / 6.0)
        let opioids = factor(slice, "opioid_use")
        #expect((opioids.risk, opioids.noRisk, opioids.unknown, opioids.notApplicable) == (2, 1, 4, 0))
        let homeless = factor(slice, "homeless_on_release")
        #expect((homeless.risk, homeless.noRisk, homeless.unknown, homeless.notApplicable) == (1, 0, 5, 1))
        let nothingRecorded = factor(slice, "injecting")
        #expect(nothingRecorded.share.share == nil && nothingRecorded.share.interval == nil)
    }

    @Test func derivedFactorsAreCounted() throws {
        let slice = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated).all
        let fortnight = factor(slice, "first_fortnight")
        #expect((fortnight.risk, fortnight.noRisk, fortnight.unknown, fortnight.notApplicable) == (1, 5, 0, 1))
        let friday = factor(slice, "released_friday_or_pre_holiday")
        #expect(friday.risk == 1 && friday.notApplicable == 1)
        // polydrug: T-1 yes (two known), T-2 unknown (heroin + unknown), T-3 no (alcohol only), T-5..T-8 none listed.
        let polydrug = factor(slice, "polydrug")
        #expect((polydrug.risk, polydrug.noRisk, polydrug.unknown, polydrug.notApplicable) == (1, 1, 5, 0))
    }

    @Test func substancesThemesAndPairs() throws {
        let slice = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated).all
        #expect(slice.substances == ["heroin": 2, "cocaine": 1, "unknown": 1, "alcohol": 1])
        #expect(slice.themeFindings == ["naloxone": 3, "release-planning": 1])
        #expect(slice.themeReviews == ["naloxone": 2, "release-planning": 1])
        // T-1 has six factors at risk (15 pairs); T-2 only opioid use. Ties keep catalogue order.
        #expect(slice.pairs.count == 10)
        #expect(slice.pairs.allSatisfy { $0.count == 1 })
        #expect(slice.pairs[0].a == "first_fortnight" && slice.pairs[0].b == "released_friday_or_pre_holiday")
    }

    @Test func slicesByKindSideBySide() throws {
        let report = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated, by: .kind)
        #expect(report.slices.map(\.key) == ["death", "near-miss"])
        #expect(report.slices.map(\.reviews) == [6, 1])
        let quarters = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated, by: .quarter)
        #expect(quarters.slices.map(\.key) == ["2025-Q1", "2025-Q2"])
        #expect(quarters.slices.map(\.reviews) == [6, 1])
    }

    @Test func jsonHasTheContractShape() throws {
        let report = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated)
        let json = PatternRenderer(report: report).json().serialized()
        #expect(json.contains(#""totals":{"reviews":7,"deaths":6,"near_misses":1,"released":6}"#))
        #expect(json.contains(#""release_bands":{"0-13":1,"14-27":2,"28-83":2,"84+":1,"not-released":1}"#))
        #expect(json.contains(#"{"id":"naloxone_supplied_on_release","risk":1,"no_risk":1,"unknown":4,"not_applicable":1,"share":0.5,"ci_low":0.0945,"ci_high":0.9055"#))
        #expect(json.contains(#"{"id":"injecting","risk":0,"no_risk":0,"unknown":7,"not_applicable":0,"share":null,"ci_low":null,"ci_high":null"#))
        #expect(!json.contains(#""change""#))
    }

    @Test func everyFactorOfEverySliceHasAChangeNullInTheFirst() throws {
        let report = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated, by: .quarter)
        let json = PatternRenderer(report: report).json().serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let slices = try #require(object["slices"] as? [[String: Any]])
        #expect(slices.count == 2)
        for slice in slices {
            let factors = try #require(slice["factors"] as? [[String: Any]])
            #expect(factors.allSatisfy { $0.keys.contains("change") })
        }
        let first = try #require(slices[0]["factors"] as? [[String: Any]])
        #expect(first.allSatisfy { $0["change"] is NSNull })
    }

    @Test func csvHasOneRowPerFactor() throws {
        let report = try PatternEngine(store: Self.fixture()).report(matching: Self.drugRelated, by: .kind)
        let lines = PatternRenderer(report: report).csv().split(separator: "\r\n")
        #expect(lines.count == 1 + 2 * 45)
        #expect(lines.contains("death,opioid_use,2,0,4,0,1.0000,0.3424,1.0000,0.3333,,history of opioid use,yes"))
    }
}

@Suite struct WilsonTests {
    @Test func atZeroAtNAndAtSmallN() throws {
        let zero = try #require(Proportion(0, of: 10).interval)
        #expect(zero.low == 0 && abs(zero.high - 0.2775) < 0.0001)
        let all = try #require(Proportion(10, of: 10).interval)
        #expect(abs(all.low - 0.7225) < 0.0001 && abs(all.high - 1) < 1e-9)
        let one = try #require(Proportion(1, of: 1).interval)
        #expect(abs(one.low - 0.2065) < 0.0001 && abs(one.high - 1) < 1e-9)
        let half = try #require(Proportion(50, of: 100).interval)
        #expect(abs(half.low - 0.4038) < 0.0001 && abs(half.high - 0.5962) < 0.0001)
        #expect(Proportion(0, of: 0).interval == nil && Proportion(0, of: 0).share == nil)
    }

    @Test func aChangeIsMarkedOnlyWhenIntervalsDoNotOverlap() {
        #expect(Proportion(0, of: 20).differsClearly(from: Proportion(20, of: 20)))
        #expect(!Proportion(1, of: 2).differsClearly(from: Proportion(2, of: 3)))
        #expect(!Proportion(0, of: 0).differsClearly(from: Proportion(5, of: 5)))
    }
}
