import DUSCore
import Foundation
import Testing

/// End-to-end: action plans, chase lists, the managers' due-date filters and the CSV that
/// a spreadsheet reads, over the example reviews (today is 2026-11-22 in the harness).
@Suite struct ActionPlanCommandTests {
    /// CSV read back as Python's csv module reads it (as a spreadsheet would): rows of cells.
    static func readCSV(_ text: String) throws -> [[String]] {
        let json = try Harness.python("import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))", input: text)
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String]])
    }

    @Test func theActionPlanOfAReviewMatchesItsGoldenFile() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let plan = try dus.run("action-plan", "ldn-2024-0021", "--as-of", "2026-01-31")
        #expect(plan.status == 0, "\(plan.stderr)")
        let golden = Harness.packageRoot.appendingPathComponent("Tests/DUSEndToEndTests/Golden/action-plan-ldn-2024-0021.md")
        if ProcessInfo.processInfo.environment["DUS_RECORD_GOLDEN"] == "1" {
            try Data(plan.stdout.utf8).write(to: golden)
        }
        #expect(plan.stdout == (try String(contentsOf: golden, encoding: .utf8)))
        // The official columns, the counts above the table and the definitions once.
        #expect(plan.stdout.contains("| Rec | Response | Action taken or planned | Owner | Original target date | Latest update | Revised target date / Complete |"))
        #expect(plan.stdout.contains("OVERDUE by 31 days") && plan.stdout.components(separatedBy: "- overdue: ").count == 2)
        // As of an earlier date, a later update is not yet there.
        let earlier = try dus.run("action-plan", "LDN-2024-0021", "--as-of", "2026-01-11").stdout
        #expect(!earlier.contains("2026-01-12: Contract variation with legal review."))
        let missing = try dus.run("action-plan", "LDN-2099-0001")
        #expect(missing.status == 1 && missing.stderr.contains("LDN-2099-0001"))
    }

    /// Prints an HTML file to PDF with headless Chromium, as a user printing the page would;
    /// returns each page's size in points (width, height).
    static func printedPages(_ html: String, in folder: String) throws -> [(Double, Double)] {
        let pdf = folder + "/printed.pdf"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                             "--user-data-dir=\(folder)/chromium-profile", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: html).absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: pdf))
        let text = String(decoding: data, as: Unicode.ASCII.self)
        let boxes = try Regex(#"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]"#)
        return text.matches(of: boxes).compactMap { match in
            guard let width = Double(match.output[1].substring ?? ""), let height = Double(match.output[2].substring ?? "") else { return nil }
            return (width, height)
        }
    }

    @Test func theHTMLPlanPrintsOnA4LandscapeInARealBrowser() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        #expect(try dus.run("action-plan", "--format", "html", "--out", "plan.html").status == 0)
        let pages = try Self.printedPages(dus.path("plan.html"), in: dus.folder.path)
        // A4 landscape is 842 by 595 points.
        #expect(!pages.isEmpty)
        for (width, height) in pages { #expect(abs(width - 842) < 2 && abs(height - 595) < 2, "\(width) x \(height)") }
    }

    @Test func plansOfManyReviewsDefaultToAgreedAndPublishedAndComeAsHTMLAndCSV() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let listed = try dus.run("list", "--format", "json").stdout
        let reviews = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
        let included = reviews.filter { ["agreed", "published"].contains($0["status"] as? String) }.compactMap { $0["reference"] as? String }
        let drafts = reviews.filter { $0["status"] as? String == "draft" }.compactMap { $0["reference"] as? String }
        let plan = try dus.run("action-plan").stdout
        #expect(plan.contains("As of 2026-11-22, \(included.count) reviews."))
        for reference in included { #expect(plan.contains("## \(reference)\n")) }
        for reference in drafts { #expect(!plan.contains("## \(reference)\n")) }
        #expect(try dus.run("action-plan", "--status", "draft").stdout.contains("As of 2026-11-22, \(drafts.count) review"))

        let html = try dus.run("action-plan", "--region", "london", "--format", "html", "--out", "plan/london.html")
        #expect(html.status == 0 && html.stdout == "wrote plan/london.html\n", "\(html.stderr)")
        let page = String(decoding: try #require(dus.data("plan/london.html")), as: UTF8.self)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("@page { size: A4 landscape;") && page.contains("<th>Revised target date / Complete</th>"))
        // One file: no reference to any other file or address.
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("url("))

        // The format follows --out's extension unless --format says otherwise.
        #expect(try dus.run("action-plan", "LDN-2024-0021", "--out", "plan.csv").status == 0)
        #expect(String(decoding: try #require(dus.data("plan.csv")), as: UTF8.self).hasPrefix("reference,region,recommendation,"))
        let csv = try Self.readCSV(try dus.run("action-plan", "LDN-2024-0021", "--format", "csv", "--as-of", "2026-01-31").stdout)
        let header = try #require(csv.first)
        #expect(header.prefix(5) == ["reference", "region", "recommendation", "recommendation_text", "response"])
        let row = try #require(csv.first { $0.count == header.count && $0[header.firstIndex(of: "action")!] == "A1" && $0[2] == "R2" })
        #expect(row[header.firstIndex(of: "overdue")!] == "yes" && row[header.firstIndex(of: "latest_update")!] == "Contract variation with legal review.")
    }

    @Test func dueDateFiltersSelectOnTheCurrentTargetDateAndTheReviewFiltersOnTheEventDate() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let all = try Self.readCSV(try dus.run("actions", "--format", "csv").stdout)
        let header = try #require(all.first)
        let target = try #require(header.firstIndex(of: "target_date"))
        func ids(_ arguments: String...) throws -> Set<String> {
            let result = try dus.run(["actions", "--format", "csv"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return Set(try Self.readCSV(result.stdout).dropFirst().map { $0[0] })
        }
        let due2026 = Set(all.dropFirst().filter { $0[target].hasPrefix("2026-") }.map { $0[0] })
        let byPeriod = try ids("--due-period", "2026")
        #expect(!due2026.isEmpty && byPeriod == due2026)
        let dueQ1 = Set(all.dropFirst().filter { ("2026-01-01"..."2026-03-31").contains($0[target]) }.map { $0[0] })
        let (byDates, byQuarter) = (try ids("--due-from", "2026-01-01", "--due-to", "2026-03-31"), try ids("--due-period", "2026-Q1"))
        #expect(byDates == dueQ1 && byQuarter == dueQ1)
        // --period reads the event date: reviews of 2026 have actions due in other years.
        let byEvent = try ids("--period", "2026")
        #expect(byEvent != due2026)
        let help = try dus.run("actions", "--help").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("--due-from, --due-to and --due-period select actions by their current target date (when they are due); the review filters (--from, --to, --period and the rest) select the reviews by their event date"))
        // The calendar's last day bounds nothing away.
        let everything = try ids("--due-to", "9999-12-31")
        #expect(everything == Set(all.dropFirst().map { $0[0] }))
        let both = try dus.run("actions", "--due-period", "2026", "--due-from", "2026-01-01")
        #expect(both.status != 0 && both.stderr.contains("--due-period cannot be combined with --due-from or --due-to"))
        // The CSV keeps its columns and adds the ones managers asked for.
        for column in ["id", "reference", "region", "recommendation_id", "recommendation_text", "response", "action_id", "text", "owner", "status",
                       "original_target_date", "target_date", "revisions", "overdue", "completed_date", "evidence", "last_update_date", "last_update"] {
            #expect(header.contains(column), "\(column)")
        }
        let row = try #require(all.first { $0[0] == "LDN-2024-0021/R2/A1" })
        #expect(row[header.firstIndex(of: "region")!] == "London" && row[header.firstIndex(of: "recommendation_text")!].hasPrefix("Provide a bridging prescription"))
    }

    @Test func chaseListsHaveASectionPerOwnerMostOverdueFirstAndAFilePerRegionAndOwner() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let list = try dus.run("actions", "--overdue", "--due-within", "30", "--group-by", "owner", "--format", "md")
        #expect(list.status == 0, "\(list.stderr)")
        let sections = list.stdout.components(separatedBy: "\n## ").dropFirst()
        #expect(!sections.isEmpty)
        // Owners in order of their longest-overdue action; each owner's actions by target date.
        let longest = try sections.map { section in
            try Regex(#"OVERDUE by (\d+) day"#).firstMatch(in: section).flatMap { Int($0.output[1].substring ?? "") } ?? 0
        }
        #expect(longest.count > 2 && longest == longest.sorted(by: >), "\(longest)")
        #expect(!list.stdout.contains("| complete"))
        let written = try dus.run("actions", "--overdue", "--group-by", "owner", "--format", "html", "--out", "chase")
        #expect(written.status == 0 && written.stdout.hasPrefix("wrote "), "\(written.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dus.path("chase"))
        #expect(files.contains("london--health-and-justice-commissioning-manager.html"), "\(files)")
        let page = String(decoding: try #require(dus.data("chase/london--health-and-justice-commissioning-manager.html")), as: UTF8.self)
        #expect(page.contains("LDN-2024-0021/R2/A1") && !page.contains("WAL-"))
        let refused = try dus.run("actions", "--group-by", "owner")
        #expect(refused.status != 0 && refused.stderr.contains("give --format md or html"))
        // A folder with lists of an earlier run is refused: an old list would read as current.
        let again = try dus.run("actions", "--overdue", "--group-by", "owner", "--format", "html", "--out", "chase")
        #expect(again.status == 64 && again.stderr.contains("the folder is not empty"))
        #expect(try dus.run("actions", "--group-by", "owner", "--format", "md", "--out", "chase.md").stderr.contains("give a folder, not a file name"))
        #expect(try dus.run("actions", "--summary", "--format", "md").stdout.contains("| completed with evidence |"))
        let summaryCSV = try Self.readCSV(try dus.run("actions", "--summary", "--format", "csv").stdout)
        #expect(summaryCSV.first == ["as_of", "owner", "measure", "actions"] && summaryCSV.contains { $0[2] == "overdue" && $0[1].isEmpty })
    }

    @Test func everyCellThatASpreadsheetWouldRunGetsAnApostrophe() throws {
        let cells = ["=1+1", "+1", "-1", "@A1", "\tTab", "\rReturn", "a=1", "plain, with a comma"]
        let read = try Self.readCSV(Table(headers: ["cell"], rows: cells.map { [$0] }).csv())
        #expect(read.dropFirst().map { $0[0] } == ["'=1+1", "'+1", "'-1", "'@A1", "'\tTab", "'\rReturn", "a=1", "plain, with a comma"])
    }

    @Test func aCellThatASpreadsheetWouldRunIsWrittenAsText() throws {
        let dus = try Harness()
        // (Texts are trimmed as they are read: none starts with a tab or a carriage return.)
        let dangerous = ["=HYPERLINK(\"http://x.invalid\")", "+1+2", "-3+4", "@SUM(A1)"]
        var actions = ""
        for (index, text) in dangerous.enumerated() {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\r", with: "\\r")
            actions += (index == 0 ? "" : ",") + #"{"text": "\#(escaped)", "owner": "Head of Healthcare", "target_date": "2026-01-31"}"#
        }
        try dus.write("r.json", #"""
            {"reference": "TST-2025-0001", "kind": "near-miss", "event_date": "2025-06-01", "region": "Wales", "supervision": "licence",
             "recommendations": [{"id": "R1", "text": "=1+1", "response": "agreed", "actions": [\#(actions)]}]}
            """#)
        let imported = try dus.run("import", dus.path("r.json"))
        #expect(imported.status == 0, "\(imported.stderr)")
        let stored = try dus.run("actions", "--format", "json").stdout
        let texts = try #require((try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])?["actions"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        for output in [try dus.run("actions", "--format", "csv").stdout, try dus.run("action-plan", "TST-2025-0001", "--format", "csv").stdout] {
            let rows = try Self.readCSV(output)
            let cells = rows.flatMap { $0 }
            for text in texts { #expect(cells.contains("'" + text), "\(text.debugDescription)") }
            #expect(cells.contains("'=1+1") && !cells.contains { ["=", "+", "-", "@", "\t", "\r"].contains($0.first.map(String.init) ?? "") })
        }
        #expect(try dus.run("export", "--format", "csv", "--out", "csv").status == 0)
        let exported = try Self.readCSV(String(decoding: try #require(dus.data("csv/actions.csv")), as: UTF8.self))
        #expect(exported.flatMap { $0 }.contains("'=HYPERLINK(\"http://x.invalid\")"))
        #expect(exported.first?.last == "evidence")
    }
}
