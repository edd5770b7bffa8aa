/// What recurs across a slice of reviews: the figures of `dus patterns`.
public struct PatternSlice: Sendable {
    /// The slice's key with `--by` ("2025-Q1", "North West", "death"), or nil for all.
    public var key: String?
    public var reviews = 0
    public var deaths = 0
    public var nearMisses = 0
    /// Reviews with a release date.
    public var released = 0
    /// Reviews by status.
    public var byStatus: [Status: Int] = [:]
    public var releaseBands: [ReleaseBand: Int] = [:]
    /// Reviews by days since release, for days 0–27.
    public var days: [Int] = Array(repeating: 0, count: 28)
    public var factors: [FactorCount] = []
    public var substances: [String: Int] = [:]
    public var themeFindings: [String: Int] = [:]
    public var themeReviews: [String: Int] = [:]
    /// The ten most frequent pairs of factors both at risk.
    public var pairs: [(a: String, b: String, count: Int)] = []

    /// Share of applicable answers of recorded (non-derived) factors that are not unknown.
    public var overallCompleteness: Proportion {
        let recorded = factors.filter { !$0.isDerived }
        return Proportion(recorded.reduce(0) { $0 + $1.risk + $1.noRisk }, of: recorded.reduce(0) { $0 + $1.applicable })
    }
}

/// The counts of one catalogue factor in a slice.
public struct FactorCount: Sendable, Equatable {
    public var id: String
    public var isDerived: Bool
    public var risk = 0
    public var noRisk = 0
    public var unknown = 0
    public var notApplicable = 0

    /// risk / (risk + no risk); unknown is never counted as no.
    public var share: Proportion { Proportion(risk, of: risk + noRisk) }
    public var applicable: Int { risk + noRisk + unknown }
    /// Answered (risk or no risk) among the reviews it applies to.
    public var completeness: Proportion { Proportion(risk + noRisk, of: applicable) }
}

public struct PatternReport: Sendable {
    public enum Grouping: String, CaseIterable, Sendable {
        case quarter, year, region, supervision, kind
    }

    public var all: PatternSlice
    public var grouping: Grouping?
    public var slices: [PatternSlice] = []
    /// The filter the report counted.
    public var filter = ReviewFilter()
    /// Reviews the filter selects but for their classification, not drug-related, left
    /// out (nil when they were counted, or the filter asked for a classification).
    public var notDrugRelatedLeftOut: Int?
    /// Reviews classified not drug-related among those counted, when they were counted
    /// (nil when left out, or the filter asked for a classification).
    public var notDrugRelatedCounted: Int?

    /// The definitions every pattern output states once.
    public static let definitions: [(String, String)] = [
        ("share", "the share with the risk: risk / (risk + no risk), reviews with the risk among those where the factor was answered; unknown is never counted as no"),
        ("risk when", "the answer that counts as the risk: yes, or no for a protective factor (naloxone handed over on release: the risk is no)"),
        ("95% CI", "Wilson score interval for the share"),
        ("not applicable", "a release-only factor where no release date is recorded"),
        ("completeness", "answered (risk or no risk) / reviews the factor applies to"),
        ("overall completeness", "the same over every recorded (non-derived) factor together"),
        ("release band", "days from release to the event: 0-13 (first fortnight = release day and the 13 days after it), 14-27, 28-83, 84+, or not-released"),
        ("released", "reviews with a release date, however long ago"),
        ("change marks", "with --by, ▲ or ▼ marks a share whose interval does not overlap the previous slice's"),
    ] + Derived.definitions.filter { ["polydrug", "released_friday_or_pre_holiday"].contains($0.name) }.map { ($0.name, $0.definition) }
}
