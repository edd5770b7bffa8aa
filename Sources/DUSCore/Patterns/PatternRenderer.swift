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
                let words = catalogue.words(of: factor.id)
                var fields: [(String, JSONValue)] = [
                    ("id", .string(factor.id)), ("risk", .int(factor.risk)), ("no_risk", .int(factor.noRisk)),
                    ("unknown", .int(factor.unknown)), ("not_applicable", .int(factor.notApplicable)),
                    ("share", Self.number(factor.share.share)), ("ci_low", Self.number(interval?.low)),
                    ("ci_high", Self.number(interval?.high)), ("completeness", Self.number(factor.completeness.share)),
                ]
                if isSlice {
                    fields.append(("change", previous.flatMap { change(factor, $0.factors[index]) }.map(JSONValue.string) ?? .null))
                }
                // Added after the fields scripts already read: the factor in words.
                fields += [("question", .string(words.question)), ("risk_when", .string(words.riskWhen))]
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

    /// The factor table: one row per factor (per slice with `--by`).
    public func csv() -> String {
        tables()[2].table.csv()
    }

    /// Every table of the report, for `--format csv --out DIR`: totals, release bands,
    /// factors, substances, themes and pairs, each with a `slice` column (`all`, or the
    /// slice's key with `--by`).
    public func tables() -> [(name: String, table: Table)] {
        let slices = report.grouping == nil ? [report.all] : report.slices
        var totals = Table(headers: ["slice", "reviews", "deaths", "near_misses", "released"]
            + Status.allCases.map { "status_\($0.rawValue)" } + ["not_drug_related", "not_drug_related_reviews"])
        // The whole report first (with --by too): what was left out, or counted, is the report's.
        let notDrugRelated: [String] = report.notDrugRelatedLeftOut.map { ["left out", String($0)] }
            ?? report.notDrugRelatedCounted.map { ["counted", String($0)] } ?? ["", ""]
        if report.grouping != nil {
            let all = report.all
            totals.rows.append(["all", String(all.reviews), String(all.deaths), String(all.nearMisses), String(all.released)]
                + Status.allCases.map { String(all.byStatus[$0] ?? 0) } + notDrugRelated)
        }
        var bands = Table(headers: ["slice", "band", "reviews", "share_of_released"])
        var factors = Table(headers: ["slice", "factor", "risk", "no_risk", "unknown", "not_applicable",
                                      "share", "ci_low", "ci_high", "completeness", "change", "question", "risk_when"])
        var substances = Table(headers: ["slice", "substance", "reviews"])
        var themes = Table(headers: ["slice", "theme", "findings", "reviews"])
        var pairs = Table(headers: ["slice", "factor", "with", "reviews"])
        var previous: PatternSlice?
        for slice in slices {
            let key = slice.key ?? "all"
            totals.rows.append([key, String(slice.reviews), String(slice.deaths), String(slice.nearMisses), String(slice.released)]
                + Status.allCases.map { String(slice.byStatus[$0] ?? 0) }
                + (slice.key == nil ? notDrugRelated : ["", ""]))
            for band in ReleaseBand.allCases {
                let count = slice.releaseBands[band] ?? 0
                bands.rows.append([key, band.rawValue, String(count),
                                   band == .notReleased ? "" : Self.format(Proportion(count, of: slice.released).share)])
            }
            for (index, factor) in slice.factors.enumerated() {
                let interval = factor.share.interval
                let words = catalogue.words(of: factor.id)
                factors.rows.append([
                    key, factor.id, String(factor.risk), String(factor.noRisk), String(factor.unknown),
                    String(factor.notApplicable), Self.format(factor.share.share), Self.format(interval?.low),
                    Self.format(interval?.high), Self.format(factor.completeness.share),
                    previous.flatMap { change(factor, $0.factors[index]) } ?? "", words.question, words.riskWhen,
                ])
            }
            for (id, count) in self.substances(slice) { substances.rows.append([key, id, String(count)]) }
            for (id, findings, reviews) in self.themes(slice) { themes.rows.append([key, id, String(findings), String(reviews)]) }
            for pair in slice.pairs { pairs.rows.append([key, pair.a, pair.b, String(pair.count)]) }
            previous = slice
        }
        return [("totals", totals), ("release-bands", bands), ("factors", factors), ("substances", substances), ("themes", themes), ("pairs", pairs)]
    }

    private static func format(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? ""
    }

    // MARK: Text

    /// A report for a terminal, `width` columns wide (80 unless the terminal is wider):
    /// what it counts first, then the definitions, totals, release timing, the factors in
    /// words under their catalogue groups, substances, themes and pairs. `colour` adds ANSI
    /// colour to headings and bars; `ids` shows each factor's id beside its question.
    public func text(colour: Bool, width: Int = 80, ids: Bool = false) -> String {
        let width = max(60, width)
        func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        func bar(_ share: Double?, width: Int = 20) -> String {
            guard let share else { return "" }
            let filled = Int((share * Double(width)).rounded())
            let text = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            return colour ? "\u{1B}[36m\(text)\u{1B}[0m" : text
        }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "–" }
        func wrapped(_ text: String, _ first: String = "  ", _ rest: String = "    ") -> String {
            Self.wrapped(text, width: width, first: first, rest: rest)
        }

        let slice = report.all
        var out = bold("Patterns") + "\n"
        out += wrapped("Slice: " + sliceDescription() + ".")
        out += wrapped(countsDescription(slice) + ".")
        out += "\n" + bold("Definitions") + "\n"
        for (name, definition) in PatternReport.definitions { out += wrapped("\(name): \(definition)") }
        out += "\n" + bold("Totals") + "\n"
        out += wrapped("\(slice.reviews) reviews: \(slice.deaths) deaths, \(slice.nearMisses) near misses; \(slice.released) with a release date")
        if slice.reviews == 0 { return out + "\nNo reviews match these filters.\n" }

        // With --by, only the factors are sliced in the text; the CSV slices every table.
        let whole = report.grouping == nil ? "" : "; all slices together"
        out += "\n" + bold("Release timing") + " (reviews by days from release to the event\(whole))\n"
        var bands = Table(headers: ["band", "reviews", "share of released", ""])
        for band in ReleaseBand.allCases {
            let count = slice.releaseBands[band] ?? 0
            let share = band == .notReleased ? nil : Proportion(count, of: slice.released).share
            bands.rows.append([band.rawValue, String(count), band == .notReleased ? "" : percent(share), bar(share)])
        }
        out += indent(bands.text())
        out += wrapped("day 0–27: " + slice.days.enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " "))

        if report.grouping == nil {
            out += "\n" + bold("Risk factors") + "\n"
            out += wrapped("share with the risk = risk / (risk + no risk), among the reviews where the factor was answered; 95% Wilson interval; * derived from dates and lists")
            var group = ""
            for factor in slice.factors {
                let words = catalogue.words(of: factor.id)
                if words.group != group {
                    group = words.group
                    out += "\n" + wrapped(bold(group), "  ", "  ")
                }
                let question = words.question + (factor.isDerived ? " *" : "") + (ids ? " [\(factor.id)]" : "")
                out += wrapped(question, "    ", "      ")
                let interval = factor.share.interval.map { " (\(percent($0.low))–\(percent($0.high)))" } ?? ""
                // The bar beside the share it draws, not beside completeness.
                let detail = [
                    "risk when: \(words.riskWhen)",
                    "\(factor.risk) of \(factor.risk + factor.noRisk) answered with the risk: \(percent(factor.share.share))\(interval)"
                        + (factor.share.share == nil ? "" : " " + bar(factor.share.share, width: 10)),
                    "unknown \(factor.unknown)", "not applicable \(factor.notApplicable)",
                    "complete \(percent(factor.completeness.share))",
                ]
                out += joinedWrapped(detail, width: width, indent: "      ")
            }
        } else {
            out += "\n" + bold("Risk factors by \(report.grouping!.rawValue)") + "\n"
            out += wrapped("each cell: share with the risk (risk / answered); ▲ or ▼ where the 95% intervals do not overlap the previous slice's")
            out += slicedFactors(width: width, ids: ids, percent: percent, bold: bold)
        }
        out += wrapped("recording completeness overall: \(percent(slice.overallCompleteness.share))")

        out += "\n" + bold("Substances") + (whole.isEmpty ? "" : " (all slices together)") + "\n"
        out += indent(Table(headers: ["substance", "reviews"], rows: substances(slice).map { [$0.0, String($0.1)] }).text())
        out += "\n" + bold("Themes of findings") + (whole.isEmpty ? "" : " (all slices together)") + "\n"
        out += indent(Table(headers: ["theme", "findings", "reviews"], rows: themes(slice).map { [$0.0, String($0.1), String($0.2)] }).text())
        out += "\n" + bold("Factors most often at risk together") + (whole.isEmpty ? "" : " (all slices together)") + "\n"
        if slice.pairs.isEmpty { out += "  none\n" }
        if !slice.pairs.isEmpty { out += wrapped("both at risk: each factor with the answer that counts as its risk") }
        for pair in slice.pairs {
            let (a, b) = (catalogue.words(of: pair.a), catalogue.words(of: pair.b))
            out += wrapped("\(pair.count) reviews: " + a.question + ": \(a.riskWhen)" + (ids ? " [\(pair.a)]" : ""), "  ", "      ")
            out += wrapped("and " + b.question + ": \(b.riskWhen)" + (ids ? " [\(pair.b)]" : ""), "      ", "        ")
        }
        return out
    }

    /// The filters in words: "event date 2025-01-01 to 2025-12-31; kind death".
    func sliceDescription() -> String {
        let filter = report.filter
        var parts: [String] = []
        switch (filter.from, filter.to) {
        case let (from?, to?): parts.append("event date \(from) to \(to)")
        case let (from?, nil): parts.append("event date from \(from)")
        case let (nil, to?): parts.append("event date to \(to)")
        default: break
        }
        if let kind = filter.kind { parts.append("kind \(kind.rawValue)") }
        if let region = filter.region { parts.append("region \(region)") }
        if let supervision = filter.supervision { parts.append("supervision \(supervision.rawValue)") }
        if let status = filter.status { parts.append("status \(status.rawValue)") }
        if let classification = filter.classification { parts.append("classification \(classification.rawValue)") }
        for condition in filter.factors {
            switch condition.expected {
            case .risk:
                let words = catalogue.words(of: condition.factor)
                parts.append("\(words.question): \(words.riskWhen) (the risk)")
            case .answer(let answer): parts.append("\(catalogue.words(of: condition.factor).question): \(answer.rawValue)")
            }
        }
        return parts.isEmpty ? "every review (no filter)" : parts.joined(separator: "; ")
    }

    /// "27 reviews: 12 published, 8 agreed, 7 draft; 2 classified not drug-related left out".
    func countsDescription(_ slice: PatternSlice) -> String {
        let statuses = Status.allCases.reversed().map { "\(slice.byStatus[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        var out = "\(slice.reviews) review\(slice.reviews == 1 ? "" : "s"): \(statuses)"
        if let leftOut = report.notDrugRelatedLeftOut {
            out += leftOut == 0
                ? "; none classified not drug-related"
                : "; \(leftOut) classified not drug-related left out (--include-not-drug-related counts them)"
        } else if report.filter.includesNotDrugRelated && report.filter.classification == nil {
            out += "; \(report.notDrugRelatedCounted ?? 0) classified not drug-related counted too"
        }
        return out
    }

    /// Parts joined by " · ", wrapped at the joins (a part longer than a line is wrapped
    /// at its spaces).
    private func joinedWrapped(_ parts: [String], width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for part in parts {
            let candidate = line == indent ? line + part : line + " · " + part
            if TextWidth.of(candidate) <= width || line == indent {
                line = candidate
            } else {
                lines.append(line)
                line = indent + part
            }
        }
        lines.append(line)
        return lines.flatMap { TextWidth.wrap($0.dropFirst(indent.count).description, width: width, first: indent, rest: indent + "  ") }
            .joined(separator: "\n") + "\n"
    }

    /// The factors by slice: a block of as many slices as fit the width, then the next.
    private func slicedFactors(width: Int, ids: Bool, percent: (Double?) -> String, bold: (String) -> String) -> String {
        let slices = report.slices
        let questionWidth = 30
        let cellWidth = 14
        let perBlock = max(1, (width - 2 - questionWidth) / (cellWidth + 2))
        var out = ""
        var start = 0
        while start < slices.count {
            let block = Array(slices[start..<min(start + perBlock, slices.count)])
            if slices.count > perBlock { out += "\n  slices \(start + 1) to \(start + block.count) of \(slices.count)\n" }
            // Names wrap at spaces and after hyphens (`post-sentence-supervision`).
            let names = block.map { slice in
                TextWidth.wrap((slice.key ?? "").replacingOccurrences(of: "-", with: "- "), width: cellWidth)
                    .map { $0.replacingOccurrences(of: "- ", with: "-") }
            }
            let nameLines = names.map(\.count).max() ?? 1
            for line in 0..<nameLines {
                var header = "  " + TextWidth.padded("", to: questionWidth)
                for name in names { header += "  " + TextWidth.padded(line < name.count ? name[line] : "", to: cellWidth) }
                out += header.trailingSpacesRemoved + "\n"
            }
            var counts = "  " + TextWidth.padded("", to: questionWidth)
            for slice in block { counts += "  " + TextWidth.padded("n=\(slice.reviews)", to: cellWidth) }
            out += counts.trailingSpacesRemoved + "\n"
            var group = ""
            for (index, factor) in report.all.factors.enumerated() {
                let words = catalogue.words(of: factor.id)
                if words.group != group {
                    group = words.group
                    out += Self.wrapped(bold(group), width: width)
                }
                let question = words.question + (factor.isDerived ? " *" : "") + " (risk when \(words.riskWhen))"
                // An id is a word that cannot be broken: it gets a line of its own.
                let lines = TextWidth.wrap(question, width: questionWidth + 2, first: "  ", rest: "    ") + (ids ? ["    [\(factor.id)]"] : [])
                var cells = ""
                for (offset, slice) in block.enumerated() {
                    let count = slice.factors[index]
                    let previousSlice = start + offset > 0 ? slices[start + offset - 1] : nil
                    let mark = previousSlice.flatMap { change(count, $0.factors[index]) }.map { $0 == "up" ? " ▲" : " ▼" } ?? ""
                    cells += "  " + TextWidth.padded("\(percent(count.share.share)) (\(count.risk)/\(count.risk + count.noRisk))\(mark)", to: cellWidth)
                }
                out += (TextWidth.padded(lines[0], to: questionWidth + 2) + cells).trailingSpacesRemoved + "\n"
                for line in lines.dropFirst() { out += line + "\n" }
            }
            start += perBlock
        }
        return out
    }

    /// `text` wrapped to `width`, each line ended: the first after `first`, the rest after `rest`.
    private static func wrapped(_ text: String, width: Int, first: String = "  ", rest: String = "    ") -> String {
        TextWidth.wrap(text, width: width, first: first, rest: rest).joined(separator: "\n") + "\n"
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}

extension String {
    /// The string without spaces at its end.
    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
