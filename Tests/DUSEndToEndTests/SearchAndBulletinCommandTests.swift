import Foundation
import Testing

/// End-to-end: `dus search` and `dus bulletin`, their files, errors and exit codes.
@Suite struct SearchAndBulletinCommandTests {
    @Test func searchGroupsHitsByReviewAndGivesTheContractJSON() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let text = try dus.run("search", "naloxone", "friday", "--limit", "0")
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasSuffix("match naloxone friday, best first."))
        // Each review once, as a heading, with its hits indented beneath it.
        let headings = lines.filter { !$0.isEmpty && !$0.hasPrefix(" ") }.dropFirst()
        #expect(!headings.isEmpty)
        #expect(Set(headings).count == headings.count)
        #expect(lines.contains { $0.hasPrefix("  ") && $0.contains("**") })

        let json = try dus.run("search", "take-home", "naloxone", "--kind", "death", "--format", "json", "--limit", "0")
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        // --limit 0: every matching text; otherwise the best 20, and total says how many match.
        #expect(object["total"] as? Int == results.count)
        let limited = try dus.run("search", "naloxone", "--format", "json")
        let limitedObject = try #require(try JSONSerialization.jsonObject(with: Data(limited.stdout.utf8)) as? [String: Any])
        #expect((limitedObject["results"] as? [Any])?.count == 20 && (limitedObject["total"] as? Int ?? 0) > 20)
        #expect(limitedObject["limit"] as? Int == 20)
        for result in results {
            #expect(Set(result.keys).isSuperset(of: ["reference", "source", "text", "snippet", "score", "matches"]))
            #expect(["summary", "finding", "learning", "recommendation", "action"].contains(result["source"] as? String ?? ""))
            let text = try #require(result["text"] as? String)
            let matches = try #require(result["matches"] as? [[Int]])
            #expect(!matches.isEmpty)
            let scalars = Array(text.unicodeScalars)
            for range in matches {
                let word = String(String.UnicodeScalarView(scalars[range[0]..<range[1]])).lowercased()
                #expect(word.contains("naloxone") || word.contains("take"), "\(word)")
            }
        }
        let scores = results.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))

        let none = try dus.run("search", "zyxwvut")
        #expect(none.status == 0)
        #expect(none.stdout == "No text matches zyxwvut.\n")
        let bad = try dus.run("search", "-naloxone")
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("only leaves words out"))
    }

    /// The bulletin of the example reviews for 2025 against a golden file; after a
    /// deliberate change, DUS_RECORD_GOLDEN=1 writes the file anew (check the diff).
    @Test func bulletinOfTheExamplesMatchesItsGoldenFileAndWritesItsFiles() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let printed = try dus.run("bulletin", "--period", "2025")
        #expect(printed.status == 0, "\(printed.stderr)")
        let golden = Harness.packageRoot.appendingPathComponent("Tests/DUSEndToEndTests/Golden/bulletin-2025.md")
        if ProcessInfo.processInfo.environment["DUS_RECORD_GOLDEN"] == "1" {
            try Data(printed.stdout.utf8).write(to: golden)
        }
        #expect(printed.stdout == (try String(contentsOf: golden, encoding: .utf8)))
        for reference in try dus.run("list", "--period", "2025").stdout.split(separator: "\n").compactMap({ $0.split(separator: " ").first }) where reference.contains("-20") {
            #expect(!printed.stdout.contains(reference))
        }

        // Every table of 2025 is too small, and so is the window: sentences, no chart drawn empty.
        let written = try dus.run("bulletin", "--period", "2025", "--out", "out/b.md", "--html", "out/b.html")
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout == "wrote out/b.md, out/b.html\n")
        #expect(!printed.stdout.contains("!["))
    }

    /// A bulletin of 400 synthetic reviews, whose quarter is small and whose rolling window
    /// is not: charts beside the Markdown, and in the HTML page itself.
    @Test func bulletinChartsGoBesideTheMarkdownAndInsideTheHTMLPage() throws {
        let dus = try Harness()
        #expect(try dus.run("generate", "--count", "400", "--seed", "7", "--out", dus.path("s.jsonl")).status == 0)
        #expect(try dus.run("import", dus.path("s.jsonl")).status == 0)
        let written = try dus.run("bulletin", "--period", "2024-Q2", "--out", "out/q2.md", "--html", "out/q2.html",
                                  "--issuer", "Synthetic probation region", "--marking", "OFFICIAL-SENSITIVE", "--issued", "2026-11-03")
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout == "wrote out/q2.md, out/q2-release-timing.svg, out/q2-themes.svg, out/q2.html\n")
        let markdown = String(decoding: try #require(dus.data("out/q2.md")), as: UTF8.self)
        #expect(markdown.contains("](q2-release-timing.svg)") && markdown.contains("](q2-themes.svg)"))
        #expect(markdown.hasPrefix("**OFFICIAL-SENSITIVE**\n") && markdown.contains("Issued November 2026 by Synthetic probation region."))
        #expect(!markdown.contains("2026-11-03"))
        let html = String(decoding: try #require(dus.data("out/q2.html")), as: UTF8.self)
        #expect(html.components(separatedBy: "<svg xmlns=").count - 1 == 2 && !html.contains("src=") && !html.contains("url(http"))
        #expect(html.contains("OFFICIAL-SENSITIVE"))
        // A bulletin of the same name that draws no chart takes the earlier charts away:
        // they would be taken for its own.
        #expect(try dus.run("bulletin", "--period", "2010", "--out", "out/q2.md").stdout == "wrote out/q2.md\n")
        #expect(dus.data("out/q2-release-timing.svg") == nil && dus.data("out/q2-themes.svg") == nil)
        // A bulletin is issued once its period is over.
        let early = try dus.run("bulletin", "--period", "2026")
        #expect(early.status == 64 && early.stderr.contains("today is not after the period, which ends on 2026-12-31"))
        #expect(try dus.run("bulletin", "--period", "2025", "--issued", "2025-12-31").stderr.contains("--issued 2025-12-31 is not after the period"))
    }

    /// The HTML bulletin opened in a real browser (headless Chromium), as a reader would:
    /// the page has text, each chart has a size, and the console stays quiet.
    @Test func theHTMLBulletinOpensInARealBrowserWithItsCharts() throws {
        let dus = try Harness()
        #expect(try dus.run("generate", "--count", "400", "--seed", "7", "--out", dus.path("s.jsonl")).status == 0)
        #expect(try dus.run("import", dus.path("s.jsonl")).status == 0)
        #expect(try dus.run("bulletin", "--period", "2024-Q2", "--html", "q2.html", "--marking", "OFFICIAL").status == 0)
        // A copy with a probe that writes what the browser laid out into the page: the
        // bulletin itself has no script.
        let page = String(decoding: try #require(dus.data("q2.html")), as: UTF8.self)
        let probe = """
            <script>document.body.setAttribute("data-probe", JSON.stringify({text: document.body.innerText.length, \
            charts: [...document.querySelectorAll("svg")].map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })}));</script></body>
            """
        try dus.write("probe.html", page.replacingOccurrences(of: "</body>", with: probe))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                             "--user-data-dir=\(dus.path("chromium-profile"))", "--dump-dom", URL(fileURLWithPath: dus.path("probe.html")).absoluteString]
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let match = try #require(try Regex(#"data-probe="([^"]*)""#).firstMatch(in: dom))
        let json = String(match.output[1].substring ?? "").replacingOccurrences(of: "&quot;", with: "\"")
        let probed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((probed["text"] as? Int ?? 0) > 1000)
        let charts = try #require(probed["charts"] as? [[Double]])
        #expect(charts.count == 2)
        for chart in charts { #expect(chart.count == 2 && chart[0] > 200 && chart[1] > 100, "\(chart)") }
        // The console: no message at all (the bulletin runs no script and loads nothing).
        #expect(!log.contains("CONSOLE"), "\(log)")
        // Printed, every page is A4 upright (595 by 842 points).
        let pages = try ActionPlanCommandTests.printedPages(dus.path("q2.html"), in: dus.folder.path)
        #expect(!pages.isEmpty)
        for (width, height) in pages { #expect(abs(width - 595) < 2 && abs(height - 842) < 2, "\(width) x \(height)") }
    }

    @Test func bulletinRefusesPartMonthsAndWritesNothingWhenATextWouldDiscloseAnAge() throws {
        let dus = try Harness()
        let partMonth = try dus.run("bulletin", "--from", "2025-01-15", "--to", "2025-03-31")
        #expect(partMonth.status == 64)
        #expect(partMonth.stderr.contains("whole months"))
        #expect(try dus.run("bulletin").status == 64)
        #expect(try dus.run("import", Harness.examples).status == 0)
        // A template that is not Mustache is named, with the place of the problem.
        try dus.write("bad.mustache", "{{#factors}}\n")
        let badTemplate = try dus.run("bulletin", "--period", "2025", "--template", "bad.mustache", "--out", "t.md")
        #expect(badTemplate.status == 1)
        #expect(badTemplate.stderr.contains("bad.mustache: line 2, column 1: not valid Mustache"))
        #expect(dus.data("t.md") == nil)
        // A misspelt value would leave a silent gap: it is refused, named with its place.
        try dus.write("misspelt.mustache", "# {{period}}\n{{#factors}}{{questoin}}{{/factors}}\n")
        let misspelt = try dus.run("bulletin", "--period", "2025", "--template", "misspelt.mustache", "--out", "t.md")
        #expect(misspelt.status == 1)
        #expect(misspelt.stderr.contains("misspelt.mustache: line 2, column 13: {{questoin}}: no value is called \"questoin\""))
        #expect(dus.data("t.md") == nil)
        // One file that cannot be written: none is.
        try dus.write("plain", "a file, not a folder\n")
        let unwritable = try dus.run("bulletin", "--period", "2025", "--out", "w.md", "--html", "plain/w.html")
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.contains("plain/w.html: could not be written"))
        #expect(dus.data("w.md") == nil && dus.data("w-release-timing.svg") == nil && dus.data("w.md.dus-partial") == nil)
        try dus.write("aged.md", """
            ---
            reference: TST-2025-0002
            kind: death
            status: published
            classification: confirmed
            event_date: 2025-03-04
            region: wales
            supervision: licence
            ---
            ## Findings
            - No naloxone was offered. #naloxone

            ## Learning
            - A man aged 34 needs the same naloxone offer as anyone else. #naloxone
            """)
        #expect(try dus.run("import", dus.path("aged.md")).status == 0)
        let refused = try dus.run("bulletin", "--period", "2025-Q1", "--out", "b.md")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("an age (\"aged 34\")"))
        #expect(dus.data("b.md") == nil && dus.data("b-release-timing.svg") == nil)
    }

    @Test func similarGivesTheClosestRiskProfilesAsJSON() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let json = try dus.run("similar", "NW-2024-0011", "--limit", "3", "--format", "json")
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["reference"] as? String == "NW-2024-0011" && object["compared"] as? Int == 28)
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let scores = results.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >) && scores.allSatisfy { $0 > 0 && $0 <= 1 })
        #expect(results.allSatisfy { !(($0["shared"] as? [String]) ?? []).isEmpty })
        #expect(try dus.run("similar", "NW-2099-0001").status == 1)
        #expect(try dus.run("similar", "NW-2024-0011", "--limit", "0").status == 64)
    }
}
