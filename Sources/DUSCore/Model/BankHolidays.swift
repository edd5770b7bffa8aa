/// Bank holidays in England and Wales, 2000–2040.
///
/// The regular holidays are computed from the rules (New Year's Day, Good Friday, Easter
/// Monday, the early May, spring and summer bank holidays, Christmas Day and Boxing Day,
/// with substitute weekdays when they fall at a weekend). Days moved or added by
/// proclamation live in `exceptions`; extend it when a new one is announced.
public enum BankHolidays {
    public static let supportedYears = 2000...2040

    /// A change to the regular rules for one year.
    struct Exception {
        /// Regular holidays that did not happen that year.
        var removed: [Day]
        /// Days that were holidays instead, or as well.
        var added: [Day]
    }

    static let exceptions: [Int: Exception] = [
        // Golden Jubilee: spring bank holiday moved to 4 June, extra day 3 June.
        2002: Exception(removed: [d("2002-05-27")], added: [d("2002-06-03"), d("2002-06-04")]),
        // Royal wedding.
        2011: Exception(removed: [], added: [d("2011-04-29")]),
        // Diamond Jubilee: spring bank holiday moved to 4 June, extra day 5 June.
        2012: Exception(removed: [d("2012-05-28")], added: [d("2012-06-04"), d("2012-06-05")]),
        // VE Day 75: early May bank holiday moved to Friday 8 May.
        2020: Exception(removed: [d("2020-05-04")], added: [d("2020-05-08")]),
        // Platinum Jubilee: spring bank holiday moved to 2 June, extra day 3 June;
        // state funeral of Queen Elizabeth II on 19 September.
        2022: Exception(removed: [d("2022-05-30")], added: [d("2022-06-02"), d("2022-06-03"), d("2022-09-19")]),
        // Coronation of King Charles III.
        2023: Exception(removed: [], added: [d("2023-05-08")]),
    ]

    private static func d(_ text: String) -> Day { Day(text)! }

    /// Whether the day is a bank holiday in England and Wales; nil outside 2000–2040.
    public static func isHoliday(_ day: Day) -> Bool? {
        guard supportedYears.contains(day.year) else { return nil }
        return known.contains(day)
    }

    /// Every bank holiday of the supported years, worked out once (import asks for each review).
    private static let known: Set<Day> = Set(supportedYears.flatMap { holidays(in: $0) })

    /// The bank holidays of one year, in date order.
    public static func holidays(in year: Int) -> [Day] {
        var days = regular(in: year)
        if let exception = exceptions[year] {
            days.removeAll { exception.removed.contains($0) }
            days.append(contentsOf: exception.added)
        }
        return days.sorted()
    }

    static func regular(in year: Int) -> [Day] {
        let easter = easterSunday(year)
        var days: [Day] = []
        // New Year's Day, or the next Monday when it falls at a weekend.
        days.append(nextWeekday(Day(year: year, month: 1, day: 1)!))
        days.append(easter.adding(days: -2))
        days.append(easter.adding(days: 1))
        days.append(firstMonday(year: year, month: 5))
        days.append(lastMonday(year: year, month: 5))
        days.append(lastMonday(year: year, month: 8))
        // Christmas and Boxing Day with substitutes: a weekend day moves to the next free weekday.
        let christmas = Day(year: year, month: 12, day: 25)!
        let offsets: [Int]
        switch christmas.weekday {
        case 5: offsets = [0, 3]  // Fri: Boxing Day (Sat) moves to Mon 28
        case 6: offsets = [2, 3]  // Sat: Mon 27 and Tue 28
        case 7: offsets = [1, 2]  // Sun: Boxing Day Mon 26, Christmas substitute Tue 27
        default: offsets = [0, 1]
        }
        days += offsets.map { christmas.adding(days: $0) }
        return days
    }

    private static func nextWeekday(_ day: Day) -> Day {
        switch day.weekday {
        case 6: return day.adding(days: 2)
        case 7: return day.adding(days: 1)
        default: return day
        }
    }

    private static func firstMonday(year: Int, month: Int) -> Day {
        let first = Day(year: year, month: month, day: 1)!
        return first.adding(days: (8 - first.weekday) % 7)
    }

    private static func lastMonday(year: Int, month: Int) -> Day {
        let last = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
        return last.adding(days: -((last.weekday - 1) % 7))
    }

    /// Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm.
    static func easterSunday(_ year: Int) -> Day {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return Day(year: year, month: month, day: day)!
    }
}
