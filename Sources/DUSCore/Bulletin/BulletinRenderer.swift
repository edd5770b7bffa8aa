import Foundation
import Mustache

/// Renders a bulletin: Markdown from a Mustache template, a standalone HTML page, and the
/// release-timing chart as SVG. Every output is checked before it is returned: a
/// bulletin that would show a review reference, an exact date or an age is refused.
public struct BulletinRenderer {
    public let bulletin: Bulletin
    /// Whether a word shaped like a reference (`NW-2025-0007`) is the reference of a
    /// stored review: no review's reference may appear in a bulletin.
    public let isReference: (String) throws -> Bool

    public init(bulletin: Bulletin, isReference: @escaping (String) throws -> Bool) {
        self.bulletin = bulletin
        self.isReference = isReference
    }

    /// A renderer for a bulletin of reviews in `store`.
    public init(bulletin: Bulletin, store: Store) {
        self.init(bulletin: bulletin) { word in try store.contains(word) }
    }

    /// The template in `templates/`, built into the binary.
    public static var defaultTemplate: String {
        String(decoding: PackageResources.bulletin_md_mustache, as: UTF8.self)
    }

    /// The file names (or, for the HTML page, the placeholders) of the charts a bulletin
    /// shows; nil for a chart not shown.
    public struct ChartNames: Sendable, Equatable {
        public var release: String?
        public var themes: String?

        public init(release: String? = nil, themes: String? = nil) {
            self.release = release
            self.themes = themes
        }
    }

    /// The Markdown bulletin from `template` (Mustache text); `charts` names the chart
    /// files to show, if they are written beside the bulletin.
    public func markdown(template: String = BulletinRenderer.defaultTemplate, charts: ChartNames = ChartNames()) throws -> String {
        try checked(template)(charts)
    }

    /// Compiles `template` and checks what it shows, once; the function returned renders
    /// it with the charts' file names, which the user chose and so are not checked.
    private func checked(_ template: String) throws -> (_ charts: ChartNames) -> String {
        let compiled: MustacheTemplate
        do {
            // A name the values lack would render as nothing: a silent gap in the bulletin.
            compiled = try TemplateNames.compiled(template, values: Self.valueNames, listedUnder: "Bulletins")
        } catch let error as TemplateError {
            throw BulletinError.template(error.message)
        }
        try check(compiled.render(context(charts: ChartNames(release: "chart.svg", themes: "chart.svg"))))
        return { charts in compiled.render(self.context(charts: charts)) }
    }

    /// One HTML page of the Markdown bulletin, through cmark-gfm: its CSS and its charts
    /// (inline SVG) in it, so that it refers to no other file and can be sent as it is.
    /// The Markdown must have been rendered with `htmlCharts` as its chart names.
    public func html(markdown: String) -> String {
        var inline: [String: String] = [:]
        if let chart = releaseChart() { inline[Self.htmlCharts.release!] = chart }
        if let chart = themesChart() { inline[Self.htmlCharts.themes!] = chart }
        return MarkdownHTML.page(title: "Learning bulletin: \(bulletin.period)", markdown: markdown, inline: inline)
    }

    /// The chart names the Markdown of the HTML page is rendered with: placeholders that
    /// `html(markdown:)` replaces with the charts themselves.
    public static let htmlCharts = ChartNames(release: "dus-chart-release-timing", themes: "dus-chart-themes")

    /// The names of the values `context` holds: "" for the top level, and for each list
    /// the keys of its items (a list that is empty in one bulletin still has names a
    /// template may use).
    static let valueNames: [String: Set<String>] = {
        let row: Set<String> = ["label", "count", "percentage"]
        return [
            "": ["period", "issued", "issuer", "marking", "min_count", "min_count_less_one", "empty", "reviews", "deaths", "near_misses",
                 "factors_at_zero", "has_factors_at_zero", "factors_shown", "factors_sentence", "substances_sentence", "substances_named",
                 "has_substances_named",
                 "kinds_shown", "unpublished", "not_drug_related", "release_timing", "release_shown", "release_chart",
                 "factors", "has_factors", "factors_not_shown", "has_factors_not_shown",
                 "themes", "themes_shown", "themes_chart", "substances", "substances_shown", "has_learning", "learning",
                 "kinds_sentence", "release_sentence", "themes_sentence", "themes_named", "has_themes_named", "window_period", "window_years", "window_reviews", "window_deaths", "window_near_misses",
                 "window_kinds_shown", "window_release_timing", "window_release_shown", "window_themes", "window_themes_shown",
                 "definitions"],
            "release_timing": row, "window_release_timing": row, "themes": row, "window_themes": row, "substances": row,
            "factors": ["id", "question", "risk_answer", "count", "percentage"],
            "learning": ["theme", "points"],
            "definitions": ["term", "definition"],
        ]
    }()

    /// The values a template can use; the README lists them. A value that may be missing
    /// (issuer, marking, a chart) is `false` when it is: Mustache would show nil as "nil".
    func context(charts: ChartNames) -> [String: Any] {
        func rows(_ rows: [Bulletin.Row]) -> [[String: Any]] {
            rows.map { ["label": $0.label, "count": $0.figure.description, "percentage": $0.percentage ?? "–"] }
        }
        let definitions = Bulletin.definitions(bulletin.control, window: bulletin.window != nil)
        let window = bulletin.window
        let windowShows = (
            kinds: window.map { Bulletin.canShow([$0.deaths, $0.nearMisses], total: $0.reviews) } ?? false,
            release: window.map { Bulletin.canShow($0.releaseTiming.map(\.figure), total: $0.reviews) } ?? false,
            themes: window.map { Bulletin.canShow($0.themes.map(\.figure), total: $0.reviews) } ?? false)
        let minCount = bulletin.control.minCount
        // Why a table gives way to a sentence, and whether the window stands in for it.
        func small(_ what: String, _ figures: [DisclosureControl.Figure], windowShows: Bool) -> String {
            var sentence: String
            if case .count(let reviews) = bulletin.reviews, reviews >= 10 {
                sentence = "\(what.prefix(1).uppercased() + what.dropFirst()) in \(bulletin.period) \(figures.count == 2 ? "is" : "are") not shown: too many of the counts are under \(minCount), or hidden so that one under \(minCount) cannot be worked out"
            } else {
                sentence = "\(what.prefix(1).uppercased() + what.dropFirst()) in \(bulletin.period) \(figures.count == 2 ? "is" : "are") not shown: fewer than 10 published reviews are too few to show without revealing small numbers"
            }
            if let window, !windowShows { sentence += "; nor can they be shown over the \(window.years) years to the end of the period" }
            return sentence + "."
        }
        let unshownThemes = bulletin.themes.map(\.label).sorted()
        // Issuer and marking are the user's words, not Markdown: `*` or `<` stay as typed.
        func literal(_ text: String?) -> Any {
            guard let text else { return false }
            var out = ""
            for (index, character) in text.enumerated() {
                // `&` would start an entity; `#`, `+`, `-` or a number and `.` at the start
                // of a line (the footer's) would make a heading or a list.
                let atStart = index == 0 && "#+-0123456789".contains(character)
                if "\\`*_[]<>|~&".contains(character) || atStart { out.append("\\") }
                out.append(character)
            }
            // Nor an address made a link (GFM's autolinks): a word joiner, which shows as
            // nothing, parts `https:` from `//`, `www` from `.` and `@` from the name before.
            return out.replacingOccurrences(of: "://", with: ":\u{2060}//").replacingOccurrences(of: "www.", with: "www\u{2060}.")
                .replacingOccurrences(of: "@", with: "\u{2060}@")
        }
        func chart(_ name: String?, shown: Bool) -> Any {
            // Escaped as a URL path, so that a name with a space is still one Markdown link.
            guard shown, let name else { return false }
            return name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
        }
        let context: [String: Any] = [
            "period": bulletin.period,
            "issued": bulletin.issued,
            "issuer": literal(bulletin.issuer),
            "marking": literal(bulletin.marking),
            "min_count": minCount,
            "min_count_less_one": minCount - 1,
            "empty": bulletin.reviews == .count(0),
            "reviews": bulletin.reviews.description,
            "deaths": bulletin.deaths.description,
            "near_misses": bulletin.nearMisses.description,
            "kinds_shown": bulletin.showsKinds,
            "unpublished": bulletin.unpublished.description,
            "not_drug_related": bulletin.notDrugRelated.description,
            "release_timing": rows(bulletin.releaseTiming),
            "release_shown": bulletin.showsReleaseTiming,
            "release_chart": chart(charts.release, shown: releaseChart() != nil),
            "factors": bulletin.shownFactors.map {
                ["id": $0.id, "question": $0.question, "risk_answer": $0.riskAnswer, "count": $0.risk.description, "percentage": $0.share ?? "–"]
            },
            "has_factors": !bulletin.shownFactors.isEmpty,
            "factors_not_shown": bulletin.factorsNotShown.map(\.question).joined(separator: "; "),
            "has_factors_not_shown": !bulletin.factorsNotShown.isEmpty,
            "factors_at_zero": bulletin.factorsAtZero.map(\.question).joined(separator: "; "),
            "has_factors_at_zero": !bulletin.factorsAtZero.isEmpty,
            "factors_shown": bulletin.showsFactors,
            "factors_sentence": "Risk factors in \(bulletin.period) are not shown: fewer than 10 published reviews are too few to show without revealing small numbers.",
            "substances_sentence": small("the counts of reviews by substance", bulletin.substances.map(\.figure), windowShows: true),
            "substances_named": bulletin.substances.map(\.label).sorted().joined(separator: "; "),
            "has_substances_named": !bulletin.substances.isEmpty,
            "themes": rows(bulletin.themes),
            "themes_shown": bulletin.showsThemes,
            "themes_chart": chart(charts.themes, shown: themesChart() != nil),
            "substances": rows(bulletin.substances),
            "substances_shown": bulletin.showsSubstances,
            "has_learning": !bulletin.learning.isEmpty,
            "learning": bulletin.learning.map { group in
                ["theme": group.theme.map { let words = Bulletin.words($0); return words.prefix(1).uppercased() + words.dropFirst() } ?? "Other learning",
                 "points": group.points.map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") }] as [String: Any]
            },
            "kinds_sentence": small("the split between deaths and near misses", [bulletin.deaths, bulletin.nearMisses], windowShows: windowShows.kinds),
            "release_sentence": small("the times from release to the event", bulletin.releaseTiming.map(\.figure), windowShows: windowShows.release),
            "themes_sentence": small("the counts of reviews by theme", bulletin.themes.map(\.figure), windowShows: windowShows.themes),
            // The themes named without counts, in name order: their order gives nothing away.
            "themes_named": unshownThemes.joined(separator: "; "),
            "has_themes_named": !unshownThemes.isEmpty,
            "window_period": window?.period ?? "",
            "window_years": window?.years ?? 0,
            "window_reviews": window?.reviews.description ?? "",
            "window_deaths": window?.deaths.description ?? "",
            "window_near_misses": window?.nearMisses.description ?? "",
            "window_kinds_shown": windowShows.kinds,
            "window_release_timing": rows(window?.releaseTiming ?? []),
            "window_release_shown": windowShows.release,
            "window_themes": rows(window?.themes ?? []),
            "window_themes_shown": windowShows.themes,
            "definitions": definitions.map { ["term": $0.0, "definition": $0.1] },
        ]
        return context
    }

    /// Refuses output that shows a review reference, a date finer than the month or an age.
    /// The figures never hold one; a text or a template could.
    func check(_ text: String) throws {
        var problems: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            let whole = NSRange(line.startIndex..., in: line)
            for match in Self.referenceShaped.matches(in: line, range: whole) {
                if let range = Range(match.range, in: line), try isReference(String(line[range])) {
                    problems.append("line \(number + 1): the review reference \(line[range])")
                }
            }
            if IdentifierScreen.containsExactDate(line) {
                problems.append("line \(number + 1): an exact date")
            }
            if let age = Self.age.firstMatch(in: line, range: whole),
               let range = Range(age.range, in: line) {
                problems.append("line \(number + 1): an age (\"\(line[range])\")")
            }
        }
        if !problems.isEmpty {
            throw BulletinError.disclosure(problems.map { $0 + "; if it comes from a review, amend the review; if from the template, change the template" })
        }
    }

    /// "aged 34", "age 34", "34-year-old", "34 years old", "34yo", "34 y/o".
    private static let age = try! NSRegularExpression(
        pattern: #"\b(aged?\s+\d{1,3}\b|\d{1,3}[- ]?(years?|yrs?)[- ]old\b|\d{1,3}\s?(yo|y/o)\b)"#, options: [.caseInsensitive])

    /// Words shaped like a reference: capitals and digits in parts joined by hyphens.
    private static let referenceShaped = try! NSRegularExpression(pattern: #"\b[A-Z0-9]+(-[A-Z0-9]+)+\b"#)

    /// The release-timing chart, of the period, or of the rolling window when the period's
    /// table is too small to show; nil when neither can be shown (a sentence says so).
    public func releaseChart() -> String? {
        if bulletin.showsReleaseTiming {
            return Self.barChart(
                title: "Reviews by time from release to the event, \(bulletin.period)",
                description: "Published reviews in each band of time from release from custody to the event; the first fortnight is days 0 to 13.",
                rows: bulletin.releaseTiming)
        }
        guard let window = bulletin.window, Bulletin.canShow(window.releaseTiming.map(\.figure), total: window.reviews) else { return nil }
        return Self.barChart(
            title: "Reviews by time from release to the event, \(window.period)",
            description: "Published reviews over \(window.years) years in each band of time from release from custody to the event, for context: too few in \(bulletin.period) alone.",
            rows: window.releaseTiming)
    }

    /// The most frequent themes of the findings (at most eight, counts that may be shown
    /// only), of the period or the rolling window; nil when none can be shown.
    public func themesChart() -> String? {
        let (rows, period): ([Bulletin.Row], String)
        if bulletin.showsThemes {
            (rows, period) = (bulletin.themes, bulletin.period)
        } else if let window = bulletin.window, Bulletin.canShow(window.themes.map(\.figure), total: window.reviews) {
            (rows, period) = (window.themes, window.period)
        } else {
            return nil
        }
        let shown = rows.filter { !$0.figure.isSuppressed }.prefix(8)
        guard !shown.isEmpty else { return nil }
        return Self.barChart(
            title: "The most frequent themes of the findings, \(period)",
            description: "Published reviews with at least one finding on each theme, most first; themes with fewer than \(bulletin.control.minCount) reviews are left out.",
            rows: Array(shown))
    }

    /// A horizontal bar chart, readable printed in black and white: dark bars, each count
    /// written beside its bar; a count not shown is a hatched mark of one size, so that it
    /// gives nothing away. `<title>` and `<desc>` are for screen readers.
    static func barChart(title: String, description: String, rows: [Bulletin.Row]) -> String {
        let largest = rows.compactMap { if case .count(let value) = $0.figure { value } else { nil } }.max() ?? 0
        let labelRoom = min(260.0, Double(rows.map(\.label.count).max() ?? 10) * 7.2 + 10)
        let barStart = labelRoom, barRoom = 560.0 - labelRoom - 60, rowHeight = 28.0
        let height = Double(rows.count) * rowHeight + 44
        let id = "chart-" + String(title.unicodeScalars.reduce(UInt32(5381)) { ($0 &* 33) &+ $1.value }, radix: 36)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="560" height="\(Int(height))" viewBox="0 0 560 \(Int(height))" role="img" aria-labelledby="\(id)-title \(id)-desc">
            <title id="\(id)-title">\(MarkdownHTML.escaped(title))</title>
            <desc id="\(id)-desc">\(MarkdownHTML.escaped(description))</desc>
            <defs><pattern id="\(id)-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#1b1b1b" stroke-width="2"/></pattern></defs>
            <text x="0" y="18" font-family="sans-serif" font-size="14" font-weight="bold" fill="#1b1b1b">\(MarkdownHTML.escaped(title))</text>

            """
        for (index, row) in rows.enumerated() {
            let y = 30 + Double(index) * rowHeight
            svg += "<text x=\"0\" y=\"\(y + 16)\" font-family=\"sans-serif\" font-size=\"13\" fill=\"#1b1b1b\">\(MarkdownHTML.escaped(row.label))</text>\n"
            var labelX = barStart
            switch row.figure {
            case .count(let value) where value > 0 && largest > 0:
                let width = max(2, barRoom * Double(value) / Double(largest))
                svg += "<rect x=\"\(barStart)\" y=\"\(y + 4)\" width=\"\(number(width))\" height=\"16\" fill=\"#333333\"/>\n"
                labelX += width
            case .suppressed, .hidden:
                svg += "<rect x=\"\(barStart)\" y=\"\(y + 4)\" width=\"12\" height=\"16\" fill=\"url(#\(id)-hatch)\" stroke=\"#1b1b1b\"/>\n"
                labelX += 12
            default:
                break
            }
            svg += "<text x=\"\(number(labelX + 6))\" y=\"\(y + 16)\" font-family=\"sans-serif\" font-size=\"13\" fill=\"#1b1b1b\">\(MarkdownHTML.escaped(row.figure.description))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension BulletinRenderer {
    /// Every file of a bulletin, rendered and checked before any is written: the Markdown
    /// at `markdownPath` with its charts beside it (`NAME-release-timing.svg`,
    /// `NAME-themes.svg`), and the HTML page at `htmlPath`, one file with its charts in it.
    public func files(template: String = BulletinRenderer.defaultTemplate, markdownPath: String?, htmlPath: String?) throws -> [(path: String, contents: String)] {
        var files: [(path: String, contents: String)] = []
        let render = try checked(template)
        if let markdownPath {
            func beside(_ suffix: String) -> (path: String, name: String) {
                let name = URL(fileURLWithPath: markdownPath).deletingPathExtension().lastPathComponent + suffix
                let folder = (markdownPath as NSString).deletingLastPathComponent
                return (folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name), name)
            }
            let release = releaseChart().map { (beside("-release-timing.svg"), $0) }
            let themes = themesChart().map { (beside("-themes.svg"), $0) }
            files.append((markdownPath, render(ChartNames(release: release?.0.name, themes: themes?.0.name))))
            for (file, svg) in [release, themes].compactMap({ $0 }) { files.append((file.path, svg)) }
        }
        if let htmlPath {
            files.append((htmlPath, html(markdown: render(Self.htmlCharts))))
        }
        return files
    }
}
