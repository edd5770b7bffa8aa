import Testing
@testable import DUSCore

@Suite struct DayTests {
    @Test func parsesStrictDates() {
        #expect(Day("2025-02-14")?.description == "2025-02-14")
        #expect(Day("2025-02-30") == nil)
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2025-2-14") == nil)
    }
}
