import Testing
@testable import DUSCore

@Suite struct DerivedTests {
    private func review(event: String, release: String?, age: Int? = nil, substances: [String] = []) -> Review {
        var review = Review(reference: "TST-1", kind: .death, eventDate: Day(event)!, region: "Wales", supervision: .licence)
        review.releaseDate = release.flatMap(Day.init)
        review.age = age
        review.substances = substances
        return review
    }

    @Test(arguments: [
        (0, "0-13", "yes"), (13, "0-13", "yes"), (14, "14-27", "no"), (27, "14-27", "no"),
        (28, "28-83", "no"), (83, "28-83", "no"), (84, "84+", "no"), (400, "84+", "no"),
    ])
    func releaseBandEdges(days: Int, band: String, fortnight: String) {
        let release = Day("2025-01-06")!  // a Monday
        let derived = Derived(for: review(event: release.adding(days: days).description, release: release.description))
        #expect(derived.daysSinceRelease == days)
        #expect(derived.releaseBand.rawValue == band)
        #expect(derived.firstFortnight.rawValue == fortnight)
    }

    @Test func noReleaseDateMeansNotReleasedAndNotApplicable() {
        let derived = Derived(for: review(event: "2025-03-01", release: nil))
        #expect(derived.daysSinceRelease == nil)
        #expect(derived.releaseBand == .notReleased)
        #expect(derived.firstFortnight == .notApplicable)
        #expect(derived.releasedFridayOrPreHoliday == .notApplicable)
    }

    @Test func fridayAndPreHolidayReleases() {
        #expect(Derived(for: review(event: "2025-02-20", release: "2025-02-14")).releasedFridayOrPreHoliday == .yes)  // Friday
        #expect(Derived(for: review(event: "2025-04-25", release: "2025-04-17")).releasedFridayOrPreHoliday == .yes)  // day before Good Friday
        #expect(Derived(for: review(event: "2025-05-30", release: "2025-05-23")).releasedFridayOrPreHoliday == .yes)  // Friday before a bank holiday Monday
        #expect(Derived(for: review(event: "2025-08-30", release: "2025-08-24")).releasedFridayOrPreHoliday == .yes)  // Sunday before the August bank holiday
        #expect(Derived(for: review(event: "2023-05-10", release: "2023-05-07")).releasedFridayOrPreHoliday == .yes)  // before the Coronation holiday
        #expect(Derived(for: review(event: "2025-02-20", release: "2025-02-12")).releasedFridayOrPreHoliday == .no)  // Wednesday
    }

    @Test func ageBands() {
        let bands = [18, 24, 25, 34, 35, 44, 45, 54, 55, 64, 65, 110].map { Derived(for: review(event: "2025-03-01", release: nil, age: $0)).ageBand }
        #expect(bands == ["18-24", "18-24", "25-34", "25-34", "35-44", "35-44", "45-54", "45-54", "55-64", "55-64", "65+", "65+"])
        #expect(Derived(for: review(event: "2025-03-01", release: nil)).ageBand == "unknown")
    }

    @Test func polydrugCountsKnownSubstancesOnly() {
        func polydrug(_ substances: [String]) -> DerivedAnswer { Derived(for: review(event: "2025-03-01", release: nil, substances: substances)).polydrug }
        #expect(polydrug(["heroin", "cocaine"]) == .yes)
        #expect(polydrug(["heroin", "cocaine", "unknown"]) == .yes)
        #expect(polydrug(["heroin"]) == .no)
        #expect(polydrug(["heroin", "unknown"]) == .unknown)
        #expect(polydrug(["unknown"]) == .unknown)
        #expect(polydrug([]) == .unknown)
    }
}
