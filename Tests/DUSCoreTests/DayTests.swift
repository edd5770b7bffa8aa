import Testing
@testable import DUSCore

@Suite struct DayTests {
    @Test func parsesOnlyRealDatesInTheStrictForm() {
        #expect(Day("2025-02-14")?.description == "2025-02-14")
        #expect(Day(year: 987, month: 1, day: 2)?.description == "0987-01-02")
        #expect(Day("0987-01-02") == Day(year: 987, month: 1, day: 2))
        #expect(Day(year: 9999, month: 12, day: 31)?.description == "9999-12-31")
        #expect(Day("2025-02-30") == nil)
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2025-2-14") == nil)
        #expect(Day("2025-02-14T00:00") == nil)
        #expect(Day("14/02/2025") == nil)
    }

    @Test func arithmeticAndWeekdays() {
        let day = Day("2025-02-14")!
        #expect(day.isFriday)
        #expect(day.adding(days: 7).description == "2025-02-21")
        #expect(Day("2025-03-01")!.days(since: Day("2025-02-28")!) == 1)
        #expect(Day("2024-03-01")!.days(since: Day("2024-02-28")!) == 2)
        #expect(Day(ordinal: Day("1999-12-31")!.ordinal + 1).description == "2000-01-01")
    }

    @Test func periodsCoverQuartersYearsAndFinancialYears() throws {
        #expect(try ReviewFilter.period("2025-Q1") == (Day("2025-01-01")!, Day("2025-03-31")!))
        #expect(try ReviewFilter.period("2024-Q4") == (Day("2024-10-01")!, Day("2024-12-31")!))
        #expect(try ReviewFilter.period("2025") == (Day("2025-01-01")!, Day("2025-12-31")!))
        #expect(try ReviewFilter.period("FY2025-26") == (Day("2025-04-01")!, Day("2026-03-31")!))
        #expect(try ReviewFilter.period("FY1999-00") == (Day("1999-04-01")!, Day("2000-03-31")!))
        #expect(throws: FilterError.badPeriod("FY2025-27")) { try ReviewFilter.period("FY2025-27") }
        #expect(throws: FilterError.badPeriod("2025-Q5")) { try ReviewFilter.period("2025-Q5") }
    }

    @Test func arithmeticStaysWithinTheYearsADateIsWrittenIn() {
        #expect(Day("9999-12-30")!.adding(days: 30).description == "9999-12-31")
        #expect(Day("0001-01-02")!.adding(days: -5).description == "0001-01-01")
        #expect(Day("2026-11-22")!.adding(days: 36_500).year == 2126)
    }
}
