import GRDB

/// Counts what recurs across the reviews of a filter, in one pass over the stored rows.
public struct PatternEngine {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// The report for the slice the filter selects, and the side-by-side slices of `grouping`.
    public func report(matching filter: ReviewFilter, by grouping: PatternReport.Grouping? = nil) throws -> PatternReport {
        let catalogue = store.catalogue
        let (clause, arguments) = store.sqlCondition(for: filter)
        var accumulators: [String: Accumulator] = [:]
        var order: [String] = []
        var all = Accumulator(catalogue: catalogue)
        var keyByReview: [Int64: String] = [:]

        try store.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, kind, event_date, region, supervision, days_since_release, answers, substances
                FROM review WHERE \(clause)
                """, arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let isDeath = (row[1] as String) == "death"
                let days: Int? = row[5]
                let answers: String = row[6]
                let substances: String = row[7]
                all.add(isDeath: isDeath, days: days, answers: answers, substances: substances)
                if let grouping {
                    let key: String
                    switch grouping {
                    case .quarter:
                        let date: String = row[2]
                        let month = Int(date.dropFirst(5).prefix(2)) ?? 1
                        key = "\(date.prefix(4))-Q\((month - 1) / 3 + 1)"
                    case .year: key = String((row[2] as String).prefix(4))
                    case .region: key = row[3]
                    case .supervision: key = row[4]
                    case .kind: key = row[1]
                    }
                    keyByReview[id] = key
                    if accumulators[key] == nil {
                        accumulators[key] = Accumulator(catalogue: catalogue)
                        order.append(key)
                    }
                    accumulators[key]!.add(isDeath: isDeath, days: days, answers: answers, substances: substances)
                }
            }
            let themes = try Row.fetchCursor(db, sql: """
                SELECT review_id, themes FROM finding JOIN review ON review.id = finding.review_id WHERE \(clause)
                ORDER BY review_id
                """, arguments: StatementArguments(arguments))
            while let row = try themes.next() {
                let reviewID: Int64 = row[0]
                let list = Accumulator.words(in: row[1] as String)
                all.addThemes(list, review: reviewID)
                if let key = keyByReview[reviewID] { accumulators[key]!.addThemes(list, review: reviewID) }
            }
        }

        var report = PatternReport(all: all.slice(key: nil, catalogue: catalogue), grouping: grouping)
        if let grouping {
            let keys: [String]
            switch grouping {
            case .quarter, .year: keys = order.sorted()
            case .region: keys = catalogue.regions.map(\.name).filter(order.contains)
            case .supervision: keys = Supervision.allCases.map(\.rawValue).filter(order.contains)
            case .kind: keys = Kind.allCases.map(\.rawValue).filter(order.contains)
            }
            report.slices = keys.map { accumulators[$0]!.slice(key: $0, catalogue: catalogue) }
        }
        return report
    }
}

/// Running counts for one slice.
struct Accumulator {
    var reviews = 0, deaths = 0, nearMisses = 0, released = 0
    var bands: [ReleaseBand: Int] = [:]
    var days = Array(repeating: 0, count: 28)
    /// Per factor: risk, no risk, unknown, not applicable.
    var counts: [[Int]]
    let riskAnswers: [UInt8]
    var pairCounts: [Int]
    var substances: [String: Int] = [:]
    var themeFindings: [String: Int] = [:]
    var themeReviews: [String: Int] = [:]
    var lastThemeReview: Int64 = -1
    var themesOfReview: Set<String> = []
    let factorCount: Int

    init(catalogue: Catalogue) {
        factorCount = catalogue.factors.count
        riskAnswers = catalogue.factors.map { $0.risk == .yes ? UInt8(ascii: "y") : UInt8(ascii: "n") }
        counts = Array(repeating: [0, 0, 0, 0], count: factorCount)
        pairCounts = Array(repeating: 0, count: factorCount * factorCount)
    }

    mutating func add(isDeath: Bool, days daysSinceRelease: Int?, answers: String, substances list: String) {
        reviews += 1
        if isDeath { deaths += 1 } else { nearMisses += 1 }
        if let daysSinceRelease {
            released += 1
            bands[ReleaseBand(days: daysSinceRelease), default: 0] += 1
            if (0..<28).contains(daysSinceRelease) { days[daysSinceRelease] += 1 }
        } else {
            bands[.notReleased, default: 0] += 1
        }
        var atRisk: [Int] = []
        var index = 0
        for byte in answers.utf8 where index < factorCount {
            switch byte {
            case UInt8(ascii: "-"): counts[index][3] += 1
            case UInt8(ascii: "u"): counts[index][2] += 1
            case riskAnswers[index]: counts[index][0] += 1; atRisk.append(index)
            default: counts[index][1] += 1
            }
            index += 1
        }
        // Factors added to the catalogue after the review was stored read as unknown.
        while index < factorCount {
            counts[index][2] += 1
            index += 1
        }
        for (position, a) in atRisk.enumerated() {
            for b in atRisk[(position + 1)...] { pairCounts[a * factorCount + b] += 1 }
        }
        for substance in Accumulator.words(in: list) { substances[substance, default: 0] += 1 }
    }

    /// Themes come ordered by review, so a review's distinct themes are counted once.
    mutating func addThemes(_ themes: [String], review: Int64) {
        if review != lastThemeReview {
            lastThemeReview = review
            themesOfReview = []
        }
        for theme in themes {
            themeFindings[theme, default: 0] += 1
            if themesOfReview.insert(theme).inserted { themeReviews[theme, default: 0] += 1 }
        }
    }

    /// The strings of a stored JSON list of ids (ids never hold quotes or escapes).
    static func words(in list: String) -> [String] {
        list.split(separator: "\"").enumerated().compactMap { $0.offset % 2 == 1 ? String($0.element) : nil }
    }

    func slice(key: String?, catalogue: Catalogue) -> PatternSlice {
        var slice = PatternSlice(key: key)
        slice.reviews = reviews
        slice.deaths = deaths
        slice.nearMisses = nearMisses
        slice.released = released
        slice.releaseBands = bands
        slice.days = days
        slice.factors = catalogue.factors.enumerated().map { index, factor in
            FactorCount(id: factor.id, isDerived: factor.derived, risk: counts[index][0], noRisk: counts[index][1],
                        unknown: counts[index][2], notApplicable: counts[index][3])
        }
        slice.substances = substances
        slice.themeFindings = themeFindings
        slice.themeReviews = themeReviews
        var pairs: [(a: String, b: String, count: Int)] = []
        for a in 0..<factorCount {
            for b in (a + 1)..<factorCount where pairCounts[a * factorCount + b] > 0 {
                pairs.append((catalogue.factors[a].id, catalogue.factors[b].id, pairCounts[a * factorCount + b]))
            }
        }
        // Most frequent first; ties in catalogue order, so the output is reproducible.
        slice.pairs = Array(pairs.enumerated().sorted { $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset }.map(\.element).prefix(10))
        return slice
    }
}
