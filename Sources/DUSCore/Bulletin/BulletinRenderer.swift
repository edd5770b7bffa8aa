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

    /// The Markdown bulletin from `template` (Mustache text); `chart` is the file name of
    /// the release-timing chart to show, if one is written beside the bulletin.
    public func markdown(template: String = BulletinRenderer.defaultTemplate, chart: String? = nil) throws -> String {
        try checked(template)(chart)
    }

    /// Compiles `template` and checks what it shows, once; the function returned renders
    /// it with a chart's file name, which the user chose and so is not checked.
    private func checked(_ template: String) throws -> (_ chart: String?) -> String {
        let compiled: MustacheTemplate
        do {
            // A name the values lack would render as nothing: a silent gap in the bulletin.
            compiled = try TemplateNames.compiled(template, values: Self.valueNames, listedUnder: "Bulletins")
        } catch let error as TemplateError {
            throw BulletinError.template(error.message)
        }
        try check(compiled.render(context(chart: "chart.svg")))
        return { chart in compiled.render(self.context(chart: chart)) }
    }

    /// A standalone HTML page of the Markdown bulletin (tables and all), through cmark-gfm.
    public func html(markdown: String) -> String {
        MarkdownHTML.page(title: "Learning bulletin: \(bulletin.period)", markdown: markdown)
    }

    /// The names of the values `context` holds: "" for the top level, and for each list
    /// the keys of its items (a list that is empty in one bulletin still has names a
    /// template may use).
    static let valueNames: [String: Set<String>] = {
        let row: Set<String> = ["label", "count", "percentage"]
        return [
            "": ["period", "min_count", "empty", "reviews", "deaths", "near_misses", "release_timing", "factors",
                 "has_themes", "themes", "has_substances", "substances", "has_learning", "learning", "definitions",
                 "release_chart"],
            "release_timing": row, "themes": row, "substances": row,
            "factors": ["id", "question", "risk_answer", "count", "percentage"],
            "learning": ["theme", "points"],
            "definitions": ["term", "definition"],
        ]
    }()

    /// The values a template can use; the README lists them.
    func context(chart: String?) -> [String: Any] {
        func rows(_ rows: [Bulletin.Row]) -> [[String: Any]] {
            rows.map { ["label": $0.label, "count": $0.figure.description, "percentage": $0.percentage ?? "–"] }
        }
        let definitions = Bulletin.definitions(bulletin.control)
        var context: [String: Any] = [
            "period": bulletin.period,
            "min_count": bulletin.control.minCount,
            "empty": bulletin.reviews == .count(0),
            "reviews": bulletin.reviews.description,
            "deaths": bulletin.deaths.description,
            "near_misses": bulletin.nearMisses.description,
            "release_timing": rows(bulletin.releaseTiming),
            "factors": bulletin.factors.map { ["id": $0.id, "question": $0.question, "risk_answer": $0.riskAnswer, "count": $0.risk.description, "percentage": $0.share ?? "–"] },
            "has_themes": !bulletin.themes.isEmpty,
            "themes": rows(bulletin.themes),
            "has_substances": !bulletin.substances.isEmpty,
            "substances": rows(bulletin.substances),
            "has_learning": !bulletin.learning.isEmpty,
            "learning": bulletin.learning.map { group in
                ["theme": group.theme.map { let words = Bulletin.words($0); return words.prefix(1).uppercased() + words.dropFirst() } ?? "Other learning",
                 "points": group.points.map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") }] as [String: Any]
            },
            "definitions": definitions.map { ["term": $0.0, "definition": $0.1] },
        ]
        // Only when there is one: Mustache shows a nil value as "nil". Escaped as a URL
        // path, so that a name with a space is still one Markdown link.
        if let chart { context["release_chart"] = chart.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? chart }
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

    /// The release-timing chart: a bar a band, with its count; a hidden count has no bar.
    public func releaseChart() -> String {
        let rows = bulletin.releaseTiming
        let largest = rows.compactMap { if case .count(let value) = $0.figure { value } else { nil } }.max() ?? 0
        let barStart = 130.0, barRoom = 300.0, rowHeight = 28.0
        let height = Double(rows.count) * rowHeight + 50
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="480" height="\(Int(height))" viewBox="0 0 480 \(Int(height))" role="img" aria-labelledby="title">
            <title id="title">Reviews by time from release to the event, \(MarkdownHTML.escaped(bulletin.period))</title>
            <style>text { font-family: system-ui, sans-serif; font-size: 13px; fill: #1b1b1b; } .bar { fill: #1d70b8; }</style>
            <text x="0" y="18" font-weight="bold">Time from release to the event</text>

            """
        for (index, row) in rows.enumerated() {
            let y = 34 + Double(index) * rowHeight
            svg += "<text x=\"0\" y=\"\(y + 16)\">\(MarkdownHTML.escaped(row.label))</text>\n"
            var labelX = barStart
            if case .count(let value) = row.figure, value > 0, largest > 0 {
                let width = max(2, barRoom * Double(value) / Double(largest))
                svg += "<rect class=\"bar\" x=\"\(barStart)\" y=\"\(y + 4)\" width=\"\(Self.number(width))\" height=\"16\"/>\n"
                labelX += width
            }
            svg += "<text x=\"\(Self.number(labelX + 6))\" y=\"\(y + 16)\">\(MarkdownHTML.escaped(row.figure.description))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension BulletinRenderer {
    /// Every file of a bulletin, rendered and checked before any is written: the Markdown
    /// at `markdownPath`, the HTML page at `htmlPath`, and beside each the release-timing
    /// chart (`NAME-release-timing.svg`) it shows.
    public func files(template: String = BulletinRenderer.defaultTemplate, markdownPath: String?, htmlPath: String?) throws -> [(path: String, contents: String)] {
        var files: [(path: String, contents: String)] = []
        let render = try checked(template)
        let chart = releaseChart()
        func chartName(beside path: String) -> (path: String, name: String) {
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + "-release-timing.svg"
            let folder = (path as NSString).deletingLastPathComponent
            return (folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name), name)
        }
        if let markdownPath {
            let chartFile = chartName(beside: markdownPath)
            files.append((markdownPath, render(chartFile.name)))
            files.append((chartFile.path, chart))
        }
        if let htmlPath {
            let chartFile = chartName(beside: htmlPath)
            files.append((htmlPath, html(markdown: render(chartFile.name))))
            if !files.contains(where: { $0.path == chartFile.path }) { files.append((chartFile.path, chart)) }
        }
        return files
    }
}
