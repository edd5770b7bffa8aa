import Foundation

/// `dus patterns` output: a terminal report, JSON (product.md's shape) or CSV.
public struct PatternRenderer {
    public let report: PatternReport
    public let catalogue: Catalogue

    public init(report: PatternReport, catalogue: Catalogue = .standard) {
        self.report = report
        self.catalogue = catalogue
    }

    // MARK: JSON

    public func json() -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("definitions", .object(PatternReport.definitions.map { ($0.0, JSONValue.string($0.1)) })),
        ]
        pairs += sliceJSON(report.all, isSlice: false, previous: nil)
        if let grouping = report.grouping {
            pairs.append(("by", .string(grouping.rawValue)))
            var previous: PatternSlice?
            pairs.append(("slices", .array(report.slices.map { slice in
                defer { previous = slice }
                return .object([("key", .string(slice.key ?? ""))] + sliceJSON(slice, isSlice: true, previous: previous))
            })))
        }
        return .object(pairs)
    }

    private static func number(_ value: Double?) -> JSONValue {
        guard let value else { return .null }
        return .double((value * 10_000).rounded() / 10_000)
    }

    /// A slice of `--by` has `change` on each factor, `null` in the first slice (nothing to
    /// compare with); the whole report has none.
    private func sliceJSON(_ slice: PatternSlice, isSlice: Bool, previous: PatternSlice?) -> [(String, JSONValue)] {
        var result: [(String, JSONValue)] = [
            ("totals", .object([("reviews", .int(slice.reviews)), ("deaths", .int(slice.deaths)),
                                ("near_misses", .int(slice.nearMisses)), ("released", .int(slice.released))])),
            ("release_bands", .object(ReleaseBand.allCases.map { ($0.rawValue, JSONValue.int(slice.releaseBands[$0] ?? 0)) })),
            ("days_since_release", .array(slice.days.enumerated().map { .object([("day", .int($0.offset)), ("count", .int($0.element))]) })),
            ("factors", .array(slice.factors.enumerated().map { index, factor in
                let interval = factor.share.interval
                var fields: [(String, JSONValue)] = [
                    ("id", .string(factor.id)), ("risk", .int(factor.risk)), ("no_risk", .int(factor.noRisk)),
                    ("unknown", .int(factor.unknown)), ("not_applicable", .int(factor.notApplicable)),
                    ("share", Self.number(factor.share.share)), ("ci_low", Self.number(interval?.low)),
                    ("ci_high", Self.number(interval?.high)), ("completeness", Self.number(factor.completeness.share)),
                ]
                if isSlice {
                    fields.append(("change", previous.flatMap { change(factor, $0.factors[index]) }.map(JSONValue.string) ?? .null))
                }
                return .object(fields)
            })),
            ("completeness", Self.number(slice.overallCompleteness.share)),
            ("substances", .array(substances(slice).map { .object([("id", .string($0.0)), ("count", .int($0.1))]) })),
            ("themes", .array(themes(slice).map { .object([("id", .string($0.0)), ("findings", .int($0.1)), ("reviews", .int($0.2))]) })),
            ("pairs", .array(slice.pairs.map { .object([("a", .string($0.a)), ("b", .string($0.b)), ("count", .int($0.count))]) })),
        ]
        if slice.reviews == 0 { result.append(("empty", .bool(true))) }
        return result
    }

    /// "up" or "down" when the share's interval does not overlap the previous slice's.
    func change(_ factor: FactorCount, _ previous: FactorCount) -> String? {
        guard factor.share.differsClearly(from: previous.share), let now = factor.share.share, let then = previous.share.share else { return nil }
        return now > then ? "up" : "down"
    }

    /// Substances by count, most first; ties in catalogue order.
    func substances(_ slice: PatternSlice) -> [(String, Int)] {
        catalogue.substances.compactMap { id in slice.substances[id].map { (id, $0) } }
            .enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }.map(\.element)
    }

    func themes(_ slice: PatternSlice) -> [(String, Int, Int)] {
        catalogue.themes.compactMap { id in slice.themeFindings[id].map { (id, $0, slice.themeReviews[id] ?? 0) } }
            .enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }.map(\.element)
    }

    // MARK: CSV

    /// One row per factor (per slice with `--by`).
    public func csv() -> String {
        var table = Table(headers: ["slice", "factor", "risk", "no_risk", "unknown", "not_applicable", "share", "ci_low", "ci_high", "completeness", "change"])
        let slices = report.grouping == nil ? [report.all] : report.slices
        var previous: PatternSlice?
        for slice in slices {
            for (index, factor) in slice.factors.enumerated() {
                let interval = factor.share.interval
                table.rows.append([
                    slice.key ?? "all", factor.id, String(factor.risk), String(factor.noRisk), String(factor.unknown),
                    String(factor.notApplicable), Self.format(factor.share.share), Self.format(interval?.low),
                    Self.format(interval?.high), Self.format(factor.completeness.share),
                    previous.flatMap { change(factor, $0.factors[index]) } ?? "",
                ])
            }
            previous = slice
        }
        return table.csv()
    }

    private static func format(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? ""
    }

    // MARK: Text

    /// A report for a terminal; `colour` adds ANSI colour to headings and bars.
    public func text(colour: Bool) -> String {
        func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        func bar(_ share: Double?, width: Int = 20) -> String {
            guard let share else { return "" }
            let filled = Int((share * Double(width)).rounded())
            let text = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            return colour ? "\u{1B}[36m\(text)\u{1B}[0m" : text
        }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "–" }

        let slice = report.all
        var out = bold("Patterns") + "\n\nDefinitions\n"
        for (name, definition) in PatternReport.definitions { out += "  \(name): \(definition)\n" }
        out += "\n" + bold("Totals") + "\n"
        out += "  \(slice.reviews) reviews: \(slice.deaths) deaths, \(slice.nearMisses) near misses; \(slice.released) with a release date\n"
        if slice.reviews == 0 { return out + "\nNo reviews match these filters.\n" }

        out += "\n" + bold("Release timing") + " (reviews by days from release to the event)\n"
        var bands = Table(headers: ["band", "reviews", "share of released", ""])
        for band in ReleaseBand.allCases {
            let count = slice.releaseBands[band] ?? 0
            let share = band == .notReleased ? nil : Proportion(count, of: slice.released).share
            bands.rows.append([band.rawValue, String(count), band == .notReleased ? "" : percent(share), bar(share)])
        }
        out += indent(bands.text())
        out += "  day 0–27: " + slice.days.enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " ") + "\n"

        if report.grouping == nil {
            out += "\n" + bold("Risk factors") + " (share = risk / (risk + no risk), 95% Wilson interval)\n"
            var factors = Table(headers: ["factor", "risk", "no risk", "unknown", "n/a", "share", "95% CI", "complete", ""])
            for factor in slice.factors {
                let interval = factor.share.interval
                factors.rows.append([
                    factor.id + (factor.isDerived ? "*" : ""), String(factor.risk), String(factor.noRisk), String(factor.unknown),
                    String(factor.notApplicable), percent(factor.share.share),
                    interval.map { "\(percent($0.low))–\(percent($0.high))" } ?? "–", percent(factor.completeness.share),
                    bar(factor.share.share),
                ])
            }
            out += indent(factors.text()) + "  * derived from dates and lists\n"
        } else {
            out += "\n" + bold("Risk factors by \(report.grouping!.rawValue)") + " (share, with ▲/▼ where the 95% intervals do not overlap the previous column)\n"
            var table = Table(headers: ["factor"] + report.slices.map { "\($0.key ?? "") (n=\($0.reviews))" })
            for (index, factor) in slice.factors.enumerated() {
                var previous: PatternSlice?
                let cells = report.slices.map { column -> String in
                    defer { previous = column }
                    let count = column.factors[index]
                    let mark = previous.flatMap { change(count, $0.factors[index]) }.map { $0 == "up" ? " ▲" : " ▼" } ?? ""
                    return "\(percent(count.share.share)) (\(count.risk)/\(count.risk + count.noRisk))\(mark)"
                }
                table.rows.append([factor.id] + cells)
            }
            out += indent(table.text())
        }
        out += "  recording completeness overall: \(percent(slice.overallCompleteness.share))\n"

        out += "\n" + bold("Substances") + "\n"
        out += indent(Table(headers: ["substance", "reviews"], rows: substances(slice).map { [$0.0, String($0.1)] }).text())
        out += "\n" + bold("Themes of findings") + "\n"
        out += indent(Table(headers: ["theme", "findings", "reviews"], rows: themes(slice).map { [$0.0, String($0.1), String($0.2)] }).text())
        out += "\n" + bold("Factors most often at risk together") + "\n"
        out += indent(Table(headers: ["factor", "with", "reviews"], rows: slice.pairs.map { [$0.a, $0.b, String($0.count)] }).text())
        return out
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
