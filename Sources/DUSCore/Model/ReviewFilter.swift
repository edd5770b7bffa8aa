/// Which reviews a command looks at: the filters shared by `list`, `patterns`, `search`,
/// `similar`, `actions` and `export`, combined with AND.
public struct ReviewFilter: Sendable, Equatable {
    /// On the event date, inclusive.
    public var from: Day?
    public var to: Day?
    public var kind: Kind?
    /// The region's display name.
    public var region: String?
    public var supervision: Supervision?
    public var status: Status?
    public var classification: Classification?
    public var factors: [FactorCondition] = []
    /// `patterns` leaves out reviews classified not-drug-related unless asked.
    public var includesNotDrugRelated = true

    public init() {}

    /// `--factor ID` (risk present) or `--factor ID=ANSWER`.
    public struct FactorCondition: Sendable, Equatable {
        public enum Expected: Sendable, Equatable {
            case risk
            case answer(DerivedAnswer)
        }

        public var factor: String
        public var expected: Expected

        public init(factor: String, expected: Expected) {
            self.factor = factor
            self.expected = expected
        }

        /// Parses `ID` or `ID=ANSWER` against the catalogue.
        public init(parsing text: String, catalogue: Catalogue) throws(FilterError) {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard let id = parts.first, catalogue.factor(id) != nil else {
                throw .unknownFactor(parts.first ?? text)
            }
            factor = id
            if parts.count == 2 {
                guard let answer = DerivedAnswer(rawValue: parts[1]) else { throw .badAnswer(text) }
                expected = .answer(answer)
            } else {
                expected = .risk
            }
        }
    }

    /// A calendar quarter `2025-Q1`, a calendar year `2025`, or a financial year
    /// `FY2025-26` (April 2025 to March 2026), as inclusive first and last days.
    public static func period(_ text: String) throws(FilterError) -> (from: Day, to: Day) {
        let upper = text.uppercased()
        if upper.count == 4, let year = Int(upper), (1900...9999).contains(year) {
            return (Day(year: year, month: 1, day: 1)!, Day(year: year, month: 12, day: 31)!)
        }
        if upper.count == 7, upper.dropFirst(4).hasPrefix("-Q"), let year = Int(upper.prefix(4)),
           let quarter = Int(upper.suffix(1)), (1...4).contains(quarter), (1900...9999).contains(year) {
            let first = Day(year: year, month: quarter * 3 - 2, day: 1)!
            let lastMonth = quarter * 3
            return (first, Day(year: year, month: lastMonth, day: Day.daysIn(month: lastMonth, year: year))!)
        }
        if upper.count == 9, upper.hasPrefix("FY"), upper.dropFirst(6).first == "-",
           let year = Int(upper.dropFirst(2).prefix(4)), let next = Int(upper.suffix(2)),
           (1900...9998).contains(year), next == (year + 1) % 100 {
            return (Day(year: year, month: 4, day: 1)!, Day(year: year + 1, month: 3, day: 31)!)
        }
        throw .badPeriod(text)
    }
}

public enum FilterError: Error, Equatable, CustomStringConvertible {
    case unknownFactor(String)
    case badAnswer(String)
    case badPeriod(String)
    case unknownRegion(String)

    public var description: String {
        switch self {
        case .unknownFactor(let id): return "unknown factor '\(id)'; `dus factors` lists the catalogue"
        case .badAnswer(let text): return "'\(text)': the answer must be yes, no, unknown or not-applicable"
        case .badPeriod(let text): return "'\(text)' is not a period: use a quarter (2025-Q1), a year (2025) or a financial year (FY2025-26)"
        case .unknownRegion(let text): return "unknown region '\(text)'; `dus factors` lists the regions"
        }
    }
}
