/// Fields computed from a review's dates and lists, never typed in (product.md, "Derived fields").
public struct Derived: Equatable, Sendable {
    /// Event date − release date in calendar days; the release day is day 0.
    public var daysSinceRelease: Int?
    public var releaseBand: ReleaseBand
    public var firstFortnight: DerivedAnswer
    public var releasedFridayOrPreHoliday: DerivedAnswer
    public var ageBand: String
    public var polydrug: DerivedAnswer

    /// The definitions stated once by every output that shows a derived figure.
    public static let definitions: [(name: String, definition: String)] = [
        ("days_since_release", "event date minus release date in calendar days; the release day is day 0"),
        ("release_band", "0-13, 14-27, 28-83, 84+ days after release (weeks 1-2, 3-4, 5-12, later), or not-released"),
        ("first_fortnight", "release day and the 13 days after it (band 0-13)"),
        ("released_friday_or_pre_holiday", "released on a Friday, or the day after release is a bank holiday in England and Wales"),
        ("age_band", "age at the event: 18-24, 25-34, 35-44, 45-54, 55-64, 65+"),
        ("polydrug", "yes when two or more known substances are listed; no when exactly one is and unknown is not listed; otherwise unknown"),
    ]

    public init(for review: Review) {
        if let release = review.releaseDate {
            let days = review.eventDate.days(since: release)
            daysSinceRelease = days
            releaseBand = ReleaseBand(days: days)
            firstFortnight = releaseBand == .firstFortnight ? .yes : .no
            let dayAfterIsHoliday = BankHolidays.isHoliday(release.adding(days: 1))
            if release.isFriday || dayAfterIsHoliday == true {
                releasedFridayOrPreHoliday = .yes
            } else {
                releasedFridayOrPreHoliday = dayAfterIsHoliday == nil ? .unknown : .no
            }
        } else {
            daysSinceRelease = nil
            releaseBand = .notReleased
            firstFortnight = .notApplicable
            releasedFridayOrPreHoliday = .notApplicable
        }
        ageBand = review.age.map(Derived.ageBand(for:)) ?? "unknown"
        let known = review.substances.filter { $0 != "unknown" }
        if known.count >= 2 {
            polydrug = .yes
        } else if known.count == 1 && !review.substances.contains("unknown") {
            polydrug = .no
        } else {
            polydrug = .unknown
        }
    }

    public static func ageBand(for age: Int) -> String {
        switch age {
        case ..<25: return "18-24"
        case 25...34: return "25-34"
        case 35...44: return "35-44"
        case 45...54: return "45-54"
        case 55...64: return "55-64"
        default: return "65+"
        }
    }

    /// The value of a derived catalogue factor, by id.
    public func answer(forFactor id: String) -> DerivedAnswer? {
        switch id {
        case "first_fortnight": return firstFortnight
        case "released_friday_or_pre_holiday": return releasedFridayOrPreHoliday
        case "polydrug": return polydrug
        default: return nil
        }
    }
}

extension Review {
    /// The answer to one catalogue factor: computed for a derived factor, not applicable
    /// where the factor does not apply to this review, otherwise as recorded.
    public func answer(to factor: Catalogue.Factor, derived: Derived) -> DerivedAnswer {
        answer(to: factor, derived: derived, recorded: answer(factor.id))
    }

    /// The answers to every factor of the catalogue, in its order: `answer(to:derived:)`
    /// for each, with the recorded answers looked up once rather than factor by factor.
    public func answers(in catalogue: Catalogue, derived: Derived) -> [DerivedAnswer] {
        var recorded = [Answer](repeating: .unknown, count: catalogue.factors.count)
        for (id, answer) in factors {
            if let position = catalogue.position(of: id) { recorded[position] = answer }
        }
        return catalogue.factors.enumerated().map { answer(to: $1, derived: derived, recorded: recorded[$0]) }
    }

    private func answer(to factor: Catalogue.Factor, derived: Derived, recorded: Answer) -> DerivedAnswer {
        if factor.derived { return derived.answer(forFactor: factor.id) ?? .unknown }
        switch factor.applies {
        case .released where releaseDate == nil, .death where kind != .death, .nearMiss where kind != .nearMiss:
            return .notApplicable
        default:
            switch recorded {
            case .yes: return .yes
            case .no: return .no
            case .unknown: return .unknown
            }
        }
    }
}

/// A yes/no answer that may also be not applicable (a release-only factor with no release).
public enum DerivedAnswer: String, CaseIterable, Sendable {
    case yes, no, unknown
    case notApplicable = "not-applicable"
}

public enum ReleaseBand: String, CaseIterable, Sendable {
    case firstFortnight = "0-13"
    case weeks3to4 = "14-27"
    case weeks5to12 = "28-83"
    case later = "84+"
    case notReleased = "not-released"

    public init(days: Int) {
        switch days {
        case ..<14: self = .firstFortnight
        case 14...27: self = .weeks3to4
        case 28...83: self = .weeks5to12
        default: self = .later
        }
    }
}
