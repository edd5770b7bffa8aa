import Testing
@testable import DUSCore

@Suite struct BankHolidayTests {
    private func holidays(_ year: Int) -> [String] { BankHolidays.holidays(in: year).map(\.description) }

    @Test func anOrdinaryYearFollowsTheRules() {
        #expect(holidays(2025) == ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"])
    }

    @Test func weekendHolidaysMoveToSubstituteWeekdays() {
        // New Year's Day 2022 was a Saturday; Christmas 2021 a Saturday; Christmas 2022 a Sunday.
        #expect(holidays(2022).first == "2022-01-03")
        #expect(holidays(2021).suffix(2) == ["2021-12-27", "2021-12-28"])
        #expect(holidays(2022).suffix(2) == ["2022-12-26", "2022-12-27"])
        // Christmas 2026 is a Friday: Boxing Day moves to Monday 28th.
        #expect(holidays(2026).suffix(2) == ["2026-12-25", "2026-12-28"])
        #expect(holidays(2011).first == "2011-01-03")
    }

    @Test func easterIsComputed() {
        #expect(BankHolidays.easterSunday(2000).description == "2000-04-23")
        #expect(BankHolidays.easterSunday(2019).description == "2019-04-21")
        #expect(BankHolidays.easterSunday(2038).description == "2038-04-25")
    }

    @Test func goldenJubilee2002() {
        #expect(holidays(2002) == ["2002-01-01", "2002-03-29", "2002-04-01", "2002-05-06", "2002-06-03", "2002-06-04", "2002-08-26", "2002-12-25", "2002-12-26"])
    }

    @Test func royalWedding2011() {
        #expect(holidays(2011).contains("2011-04-29"))
        #expect(holidays(2011).count == 9)
    }

    @Test func diamondJubilee2012() {
        let days = holidays(2012)
        #expect(days.contains("2012-06-04") && days.contains("2012-06-05"))
        #expect(!days.contains("2012-05-28"))
    }

    @Test func veDay2020() {
        let days = holidays(2020)
        #expect(days.contains("2020-05-08"))
        #expect(!days.contains("2020-05-04"))
    }

    @Test func platinumJubileeAndStateFuneral2022() {
        let days = holidays(2022)
        #expect(days.contains("2022-06-02") && days.contains("2022-06-03") && days.contains("2022-09-19"))
        #expect(!days.contains("2022-05-30"))
    }

    @Test func coronation2023() {
        let days = holidays(2023)
        #expect(days.contains("2023-05-08") && days.contains("2023-05-01"))
        #expect(days.count == 9)
    }

    @Test func everySupportedYearHasItsHolidays() {
        for year in BankHolidays.supportedYears {
            #expect(holidays(year).count >= 8, "\(year)")
            #expect(BankHolidays.holidays(in: year).allSatisfy { $0.weekday <= 5 }, "\(year)")
        }
        #expect(BankHolidays.isHoliday(Day("2041-01-01")!) == nil)
    }
}
