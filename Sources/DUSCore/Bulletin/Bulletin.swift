import Foundation

/// A learning bulletin's content: figures already under disclosure control, and the
/// learning points of the reviews it covers. It holds no review reference, no age and no
/// date finer than the month.
public struct Bulletin: Sendable {
    /// The months covered, in words: "July to September 2025".
    public var period: String
    /// Who issues it, its handling marking (`OFFICIAL-SENSITIVE`), and the month of issue
    /// (a bulletin never shows a date finer than the month).
    public var issuer: String?
    public var marking: String?
    public var issued: String
    public var control: DisclosureControl
    public var reviews: DisclosureControl.Figure
    public var deaths: DisclosureControl.Figure
    public var nearMisses: DisclosureControl.Figure
    public var releaseTiming: [Row]
    /// Every factor with its figures; `shownFactors` are those a bulletin shows.
    public var factors: [FactorRow]
    public var themes: [Row]
    public var substances: [Row]
    /// Learning points grouped by their first theme: the themes of most reviews first
    /// (among counts that may be shown), then the others in catalogue order, without a
    /// theme last; each text once.
    public var learning: [(theme: String?, points: [String])]
    /// Reviews of the period left out: not yet published (and not classified not
    /// drug-related), and classified not drug-related (any status).
    public var unpublished: DisclosureControl.Figure
    public var notDrugRelated: DisclosureControl.Figure
    /// The same figures over the rolling window of whole years that ends with the period,
    /// for the tables too small to show for the period alone.
    public var window: Window?

    /// The figures of the rolling window.
    public struct Window: Sendable {
        /// "October 2022 to September 2025".
        public var period: String
        public var years: Int
        public var reviews: DisclosureControl.Figure
        public var deaths: DisclosureControl.Figure
        public var nearMisses: DisclosureControl.Figure
        public var releaseTiming: [Row]
        public var themes: [Row]
    }

    /// Whether a table of these figures, with `total` reviews, can be shown: its total is
    /// 10 or more and no more than half its cells are hidden. Otherwise a sentence says so
    /// (decisions #1), and the rolling window's figures stand in for it.
    public static func canShow(_ figures: [DisclosureControl.Figure], total: DisclosureControl.Figure) -> Bool {
        guard case .count(let reviews) = total, reviews >= 10, !figures.isEmpty else { return false }
        return figures.count(where: \.isSuppressed) * 2 <= figures.count
    }

    public var showsKinds: Bool { Self.canShow([deaths, nearMisses], total: reviews) }
    public var showsReleaseTiming: Bool { Self.canShow(releaseTiming.map(\.figure), total: reviews) }
    public var showsThemes: Bool { Self.canShow(themes.map(\.figure), total: reviews) }
    public var showsSubstances: Bool { Self.canShow(substances.map(\.figure), total: reviews) }
    /// Whether the factors' figures can be shown at all: 10 reviews or more.
    public var showsFactors: Bool {
        if case .count(let value) = reviews { value >= 10 } else { false }
    }
    /// The factors whose count can be shown (5 or more, not hidden), in a bulletin of 10
    /// reviews or more.
    public var shownFactors: [FactorRow] {
        guard showsFactors else { return [] }
        return factors.filter { if case .count(let value) = $0.risk { value >= control.minCount } else { false } }
    }
    /// The factors no review had at risk (zero is shown, as 0 always is), named.
    public var factorsAtZero: [FactorRow] {
        guard showsFactors else { return [] }
        return factors.filter { $0.risk == .count(0) }
    }
    /// The rest, named: too few reviews, or hidden so that a small count elsewhere cannot
    /// be worked out.
    public var factorsNotShown: [FactorRow] {
        let named = Set((shownFactors + factorsAtZero).map(\.id))
        return factors.filter { !named.contains($0.id) }
    }

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
    public static func definitions(_ control: DisclosureControl, window: Bool = false) -> [(String, String)] {
        var definitions = [
            ("reviews", "published reviews of drug-related deaths and near misses with the event in the period (reviews classified not drug-related are left out)"),
            ("first fortnight", "the release day and the 13 days after it; the other bands are days 14-27, 28-83 and 84 or more after release"),
            ("% of released", "of the reviews with a release from custody recorded, however long before the event"),
            ("risk when", "the answer that counts as the risk: yes, or no for a protective factor (a factor that protects when it is there, such as naloxone handed over on release)"),
            ("share", "reviews with the risk among those where the factor was answered (risk / (risk + no risk)); unknown is never counted as no"),
            ("<\(control.minCount)", "a count from 1 to \(control.minCount - 1), not shown so that no one can be recognised"),
            ("[c]", "a count not shown so that a count under \(control.minCount) cannot be worked out from it: beside a table's total, or (for factors that apply only after a release) from the release table"),
            ("–", "a percentage not shown: a count it rests on is not shown or is under \(control.minCount), or it would rest on fewer than 10 reviews"),
            ("too few to show", "a table is replaced by a sentence when it covers fewer than 10 reviews or more than half its counts would not be shown"),
            ("not yet published", "reviews of events in the period that a panel has not yet published; they are left out until they are"),
        ]
        if window {
            definitions.append(("rolling window", "the same figures over whole years ending with the period, where the period's own are too few to show; each count rounded to the nearest 5 (each on its own, so they may not add up), since the window overlaps other periods' bulletins"))
        }
        return definitions
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

    /// "December 2026": a day's month, as a bulletin shows its date of issue.
    public static func monthLabel(_ day: Day) -> String {
        "\(months[day.month - 1]) \(day.year)"
    }

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

    public var errorDescription: String? {
        switch self {
        case .partMonth(let message):
            return "\(message); a bulletin covers whole months (it never shows a date finer than the month)"
        case .disclosure(let problems):
            return "the bulletin was not written: it would show what a bulletin never shows\n" + problems.map { "  " + $0 }.joined(separator: "\n")
        case .template(let message):
            return message
        }
    }
}

/// Gathers a bulletin's content from the store.
public struct BulletinBuilder {
    public let store: Store
    public var control: DisclosureControl
    public var issuer: String?
    public var marking: String?
    /// The day of issue; the bulletin shows its month.
    public var issued: Day
    /// The length of the rolling window, in whole years ending with the period.
    public var contextYears: Int

    public init(store: Store, control: DisclosureControl = DisclosureControl(), issuer: String? = nil, marking: String? = nil,
                issued: Day = .today(), contextYears: Int = 3) {
        self.store = store
        self.control = control
        self.issuer = issuer
        self.marking = marking
        self.issued = issued
        self.contextYears = contextYears
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

    /// The rolling window: `years` whole years (12 months each) ending with the period's
    /// last month; nil when it would begin before the calendar does (year 1).
    public static func window(ending period: BulletinPeriod, years: Int) -> BulletinPeriod? {
        let last = period.to
        let firstMonth = last.year * 12 + (last.month - 1) - years * 12 + 1
        guard firstMonth >= 12, let from = Day(year: firstMonth / 12, month: firstMonth % 12 + 1, day: 1) else { return nil }
        return try? BulletinPeriod(from: from, to: last)
    }

    public func bulletin(for period: BulletinPeriod) throws -> Bulletin {
        // Figures and learning points come from one read transaction: an import landing
        // between two reads could otherwise make them describe different reviews.
        try store.snapshot { try bulletin(for: period, $0) }
    }

    /// The figures of one period's published drug-related reviews, under disclosure control.
    private struct Figures {
        var slice: PatternSlice
        var reviews: DisclosureControl.Figure
        var deaths: DisclosureControl.Figure
        var nearMisses: DisclosureControl.Figure
        var releaseTiming: [Bulletin.Row]
        var timingHidesACount: Bool
        var themes: [Bulletin.Row]
        var substances: [Bulletin.Row]
    }

    /// The figures of the reviews `filter` selects. `rounding` (the rolling window, which
    /// overlaps the bulletins of neighbouring periods) rounds every shown count to the
    /// nearest 5 after suppression, and works percentages out from the rounded counts, so
    /// that subtracting one published figure from another gives nothing exact.
    private func figures(_ filter: ReviewFilter, _ snapshot: StoreSnapshot, rounding: Bool = false) throws -> Figures {
        let slice = try PatternEngine(store: store).report(snapshot, matching: filter).all
        func round(_ figure: DisclosureControl.Figure) -> DisclosureControl.Figure {
            guard rounding, case .count(let value) = figure else { return figure }
            return control.rounded(value)
        }
        func value(_ figure: DisclosureControl.Figure) -> Int { if case .count(let value) = figure { value } else { 0 } }
        let protectedKinds = control.protect([slice.deaths, slice.nearMisses], total: slice.reviews)
        let kinds = (cells: protectedKinds.cells.map(round), total: round(protectedKinds.total))
        let bands = ReleaseBand.allCases
        let bandCounts = bands.map { slice.releaseBands[$0] ?? 0 }
        let protectedTiming = control.protect(bandCounts, total: slice.reviews)
        let timing = (cells: protectedTiming.cells.map(round), total: round(protectedTiming.total))
        let releasedFigures = Array(timing.cells.prefix(4))
        let released = rounding ? releasedFigures.reduce(0) { $0 + value($1) } : slice.released
        let releaseTiming = bands.enumerated().map { index, band in
            Bulletin.Row(
                label: band == .notReleased ? "not released" : band.rawValue.replacingOccurrences(of: "-", with: "–") + " days",
                figure: timing.cells[index],
                percentage: band == .notReleased ? nil
                    : control.percentage(rounding ? value(timing.cells[index]) : bandCounts[index], of: released, shown: releasedFigures))
        }
        return Figures(
            slice: slice,
            // The total of reviews heads two tables: hidden in one, it is hidden in both.
            reviews: timing.total.isSuppressed ? timing.total : kinds.total,
            deaths: kinds.cells[0], nearMisses: kinds.cells[1], releaseTiming: releaseTiming,
            timingHidesACount: timing.cells.contains(where: \.isSuppressed),
            themes: ranked(slice.themeReviews).map { Bulletin.Row(label: $0.label, figure: round($0.figure), percentage: nil) },
            substances: ranked(slice.substances))
    }

    private func bulletin(for period: BulletinPeriod, _ snapshot: StoreSnapshot) throws -> Bulletin {
        let filter = Self.filter(for: period)
        let figures = try figures(filter, snapshot)
        let slice = figures.slice
        let catalogue = store.catalogue

        // A release-only factor can only be at risk, or answered, for released reviews: its
        // count and share bound the number released, and with it a count the release
        // table hides. While that table hides one, such factors show neither.
        let factors = slice.factors.filter { $0.id != "first_fortnight" }.map { count in
            let factor = catalogue.factor(count.id)
            let linked = factor?.applies == .released && figures.timingHidesACount
            // Zero bounds nothing, and is always shown as 0.
            let risk = linked && count.risk > 0 ? .hidden : control.figure(count.risk)
            // The share is withheld when the count beside it, the count of no risk that it
            // would give away, or the count of reviews not answered (the reviews less those
            // answered, which a shown count and share give) is hidden.
            let shown = [risk, control.figure(count.noRisk), control.figure(slice.reviews - count.risk - count.noRisk)]
            let words = catalogue.words(of: count.id)
            return Bulletin.FactorRow(
                id: count.id, question: words.question, riskAnswer: words.riskWhen, risk: risk,
                share: linked ? nil : control.percentage(count.risk, of: count.risk + count.noRisk, shown: shown))
        }

        // What was left out: the period's reviews not yet published, and those classified
        // not drug-related. Each is a count on its own, with no total beside it.
        var unpublished = 0
        for status in Status.allCases where status != .published {
            var other = filter
            other.status = status
            unpublished += try snapshot.count(matching: other)
        }
        var notRelated = filter
        notRelated.status = nil
        notRelated.classification = .notDrugRelated
        notRelated.includesNotDrugRelated = true
        let notDrugRelated = try snapshot.count(matching: notRelated)

        var bulletin = Bulletin(
            period: period.label, issuer: issuer, marking: marking, issued: BulletinPeriod.monthLabel(issued), control: control,
            reviews: figures.reviews, deaths: figures.deaths, nearMisses: figures.nearMisses,
            releaseTiming: figures.releaseTiming, factors: factors, themes: figures.themes, substances: figures.substances,
            learning: try learning(matching: filter, snapshot),
            unpublished: control.figure(unpublished), notDrugRelated: control.figure(notDrugRelated), window: nil)
        // The window stands in for the tables too small to show; it is gathered only then.
        if contextYears > 0 && (!bulletin.showsKinds || !bulletin.showsReleaseTiming || !bulletin.showsThemes),
           let window = Self.window(ending: period, years: contextYears) {
            let wide = try self.figures(Self.filter(for: window), snapshot, rounding: true)
            bulletin.window = Bulletin.Window(
                period: window.label, years: contextYears, reviews: wide.reviews, deaths: wide.deaths, nearMisses: wide.nearMisses,
                releaseTiming: wide.releaseTiming, themes: wide.themes)
        }
        return bulletin
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

    /// The learning points of the reviews, grouped by first theme; each text once. Themes
    /// with the most reviews come first, ordered by counts that may be shown only (5 or
    /// more); the rest follow in catalogue order, so that their order gives nothing away.
    private func learning(matching filter: ReviewFilter, _ snapshot: StoreSnapshot) throws -> [(theme: String?, points: [String])] {
        var groups: [String?: [String]] = [:]
        var reviews: [String: Int] = [:]
        var seen: Set<String> = []
        for notes in try snapshot.learningByReview(matching: filter) {
            for theme in Set(notes.compactMap(\.themes.first)) { reviews[theme, default: 0] += 1 }
            for note in notes {
                guard seen.insert(note.text).inserted else { continue }
                groups[note.themes.first, default: []].append(note.text)
            }
        }
        let catalogueOrder = store.catalogue.themes
        let shown = catalogueOrder.filter { groups[$0] != nil && (reviews[$0] ?? 0) >= control.minCount }
            .sorted { (reviews[$0] ?? 0) > (reviews[$1] ?? 0) }
        let rest = catalogueOrder.filter { groups[$0] != nil && !shown.contains($0) }
        let order: [String?] = (shown + rest).map(Optional.some) + [nil]
        return order.compactMap { theme in groups[theme].map { (theme, $0) } }
    }
}
