import Foundation

/// A learning bulletin's content: figures already under disclosure control, and the
/// learning points of the reviews it covers. It holds no review reference, no age and no
/// date finer than the month.
public struct Bulletin: Sendable {
    /// The months covered, in words: "July to September 2025".
    public var period: String
    public var control: DisclosureControl
    public var reviews: DisclosureControl.Figure
    public var deaths: DisclosureControl.Figure
    public var nearMisses: DisclosureControl.Figure
    public var releaseTiming: [Row]
    public var factors: [FactorRow]
    public var themes: [Row]
    public var substances: [Row]
    /// Learning points grouped by their first theme, in catalogue order (without a
    /// theme last); each text once.
    public var learning: [(theme: String?, points: [String])]

    /// One line of a table: a label, its count, and a percentage where one may be shown.
    public struct Row: Sendable, Equatable {
        public var label: String
        public var figure: DisclosureControl.Figure
        public var percentage: String?
    }

    /// A risk factor: the reviews with the risk present, and the share.
    ///
    /// The tables of a bulletin share their totals, so a count hidden in one could be
    /// worked out from another. The factor table therefore shows no total and no
    /// unknown or not-applicable column; `first_fortnight` is left out (the release
    /// timing table shows it); and while the release timing table hides a count, the
    /// factors that apply only to released reviews show neither count nor share.
    public struct FactorRow: Sendable, Equatable {
        public var id: String
        public var question: String
        /// The answer that counts as the risk: `no` for a protective factor.
        public var riskAnswer: String
        public var risk: DisclosureControl.Figure
        /// risk / (risk + no risk), or nil when withheld.
        public var share: String?
    }

    /// A list id in words, for a reader: `release-planning` is "release planning".
    static func words(_ id: String) -> String {
        id.replacingOccurrences(of: "-", with: " ")
    }

    /// What each figure means, as the bulletin states it.
    public static func definitions(_ control: DisclosureControl) -> [(String, String)] {
        [
            ("reviews", "published reviews of drug-related deaths and near misses with the event in the period (reviews classified not drug-related are left out)"),
            ("first fortnight", "the release day and the 13 days after it; the other bands are days 14-27, 28-83 and 84 or more after release"),
            ("% of released", "of the reviews with a release from custody recorded, however long before the event"),
            ("risk when", "the answer that counts as the risk: yes, or no for a protective factor (a factor that protects when it is there, such as naloxone handed over on release)"),
            ("share", "reviews with the risk among those where the factor was answered (risk / (risk + no risk)); unknown is never counted as no"),
            ("<\(control.minCount)", "a count from 1 to \(control.minCount - 1), not shown so that no one can be recognised"),
            ("[c]", "a count not shown so that a count under \(control.minCount) cannot be worked out from it: beside a table's total, or (for factors that apply only after a release) from the release table"),
            ("–", "a percentage not shown: a count it rests on is not shown or is under \(control.minCount), or it would rest on fewer than 10 reviews"),
        ]
    }
}

/// The months a bulletin covers: whole calendar months, from `--period` or `--from/--to`.
public struct BulletinPeriod: Sendable, Equatable {
    public var from: Day
    public var to: Day

    /// `from` must be the first day of a month and `to` the last day of one: a bulletin
    /// never shows a date finer than the month, so it cannot cover part of one.
    public init(from: Day, to: Day) throws(BulletinError) {
        guard from.day == 1 else { throw .partMonth("--from \(from) is not the first day of a month") }
        guard to.day == Day.daysIn(month: to.month, year: to.year) else { throw .partMonth("--to \(to) is not the last day of a month") }
        guard from <= to else { throw .partMonth("--from \(from) is after --to \(to)") }
        self.from = from
        self.to = to
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// "July 2025", "July to September 2025", "November 2025 to January 2026".
    public var label: String {
        let first = Self.months[from.month - 1], last = Self.months[to.month - 1]
        if from.year == to.year {
            return from.month == to.month ? "\(first) \(from.year)" : "\(first) to \(last) \(to.year)"
        }
        return "\(first) \(from.year) to \(last) \(to.year)"
    }
}

public enum BulletinError: LocalizedError, Equatable {
    case partMonth(String)
    case disclosure([String])
    case template(String)
    case cannotWrite(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .partMonth(let message):
            return "\(message); a bulletin covers whole months (it never shows a date finer than the month)"
        case .disclosure(let problems):
            return "the bulletin was not written: it would show what a bulletin never shows\n" + problems.map { "  " + $0 }.joined(separator: "\n")
        case .template(let message):
            return message
        case .cannotWrite(let path, let reason):
            return "\(path): could not be written (\(reason)); no file of the bulletin was written"
        }
    }
}

/// Gathers a bulletin's content from the store.
public struct BulletinBuilder {
    public let store: Store
    public var control: DisclosureControl

    public init(store: Store, control: DisclosureControl = DisclosureControl()) {
        self.store = store
        self.control = control
    }

    /// The filter a bulletin reads: published reviews of drug-related events in the period.
    public static func filter(for period: BulletinPeriod) -> ReviewFilter {
        var filter = ReviewFilter()
        filter.from = period.from
        filter.to = period.to
        filter.status = .published
        filter.includesNotDrugRelated = false
        return filter
    }

    public func bulletin(for period: BulletinPeriod) throws -> Bulletin {
        // Figures and learning points come from one read transaction: an import landing
        // between two reads could otherwise make them describe different reviews.
        try store.snapshot { try bulletin(for: period, $0) }
    }

    private func bulletin(for period: BulletinPeriod, _ snapshot: StoreSnapshot) throws -> Bulletin {
        let filter = Self.filter(for: period)
        let slice = try PatternEngine(store: store).report(snapshot, matching: filter).all
        let catalogue = store.catalogue
        let control = self.control

        let kinds = control.protect([slice.deaths, slice.nearMisses], total: slice.reviews)
        let bands = ReleaseBand.allCases
        let bandCounts = bands.map { slice.releaseBands[$0] ?? 0 }
        let timing = control.protect(bandCounts, total: slice.reviews)
        let releasedFigures = Array(timing.cells.prefix(4))
        let timingHidesACount = timing.cells.contains(where: \.isSuppressed)
        let releaseTiming = bands.enumerated().map { index, band in
            Bulletin.Row(
                label: band == .notReleased ? "not released" : band.rawValue.replacingOccurrences(of: "-", with: "–") + " days",
                figure: timing.cells[index],
                percentage: band == .notReleased ? nil
                    : control.percentage(bandCounts[index], of: slice.released, shown: releasedFigures))
        }

        // A release-only factor can only be at risk, or answered, for released reviews: its
        // count and share bound the number released, and with it a count the release
        // table hides. While that table hides one, such factors show neither.
        let factors = slice.factors.filter { $0.id != "first_fortnight" }.map { count in
            let factor = catalogue.factor(count.id)
            let linked = factor?.applies == .released && timingHidesACount
            // Zero bounds nothing, and is always shown as 0.
            let risk = linked && count.risk > 0 ? .hidden : control.figure(count.risk)
            // The share is withheld when the count beside it, or the count of no risk that
            // it would give away, is hidden.
            let shown = [risk, control.figure(count.noRisk)]
            return Bulletin.FactorRow(
                id: count.id, question: factor?.question ?? count.id, riskAnswer: factor?.risk.rawValue ?? "yes", risk: risk,
                share: linked ? nil : control.percentage(count.risk, of: count.risk + count.noRisk, shown: shown))
        }

        return Bulletin(
            period: period.label, control: control,
            // The total of reviews heads two tables: hidden in one, it is hidden in both.
            reviews: timing.total.isSuppressed ? timing.total : kinds.total,
            deaths: kinds.cells[0], nearMisses: kinds.cells[1],
            releaseTiming: releaseTiming, factors: factors,
            themes: ranked(slice.themeReviews), substances: ranked(slice.substances),
            learning: try learning(matching: filter, snapshot))
    }

    /// Counts with no published total: primary suppression only. Shown counts come first,
    /// most first; the suppressed ones after them in name order, so that their order
    /// gives nothing away.
    private func ranked(_ counts: [String: Int]) -> [Bulletin.Row] {
        let rows = counts.filter { $0.value > 0 }.map { (id: $0.key, count: $0.value, figure: control.figure($0.value)) }
        let shown = rows.filter { !$0.figure.isSuppressed }.sorted { ($0.count, $1.id) > ($1.count, $0.id) }
        let hidden = rows.filter { $0.figure.isSuppressed }.sorted { $0.id < $1.id }
        return (shown + hidden).map { Bulletin.Row(label: Bulletin.words($0.id), figure: $0.figure, percentage: nil) }
    }

    /// The learning points of the reviews, grouped by first theme; each text once.
    private func learning(matching filter: ReviewFilter, _ snapshot: StoreSnapshot) throws -> [(theme: String?, points: [String])] {
        var groups: [String?: [String]] = [:]
        var seen: Set<String> = []
        for note in try snapshot.learningPoints(matching: filter) {
            guard seen.insert(note.text).inserted else { continue }
            groups[note.themes.first, default: []].append(note.text)
        }
        let order: [String?] = store.catalogue.themes.map(Optional.some) + [nil]
        return order.compactMap { theme in groups[theme].map { (theme, $0) } }
    }
}
