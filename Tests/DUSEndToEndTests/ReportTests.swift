import Foundation
import Testing

/// End-to-end: the patterns report and search as a reader sees them (issue 23), over the
/// example reviews.
@Suite struct ReportTests {
    /// The lines wider than `width` columns, measured as wcwidth does (Python's
    /// east_asian_width: wide and full-width characters take two; colour codes none).
    static func linesWiderThan(_ width: Int, in text: String) throws -> [String] {
        let wide = try Harness.python("""
            import sys, unicodedata, re
            for line in sys.stdin.read().split("\\n"):
                plain = re.sub(r"\\x1b\\[[0-9;]*m", "", line)
                width = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in plain)
                if width > \(width): print(line)
            """, input: text)
        return wide.split(separator: "\n").map(String.init)
    }

    @Test func factorsReadInWordsWithTheAnswerThatCountsAsTheRisk() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let report = try dus.run(["patterns"], environment: ["COLUMNS": "80"])
        #expect(report.status == 0)
        // The naloxone line: its question, then that the risk is "no", and the share with the risk.
        let lines = report.stdout.components(separatedBy: "\n")
        let question = try #require(lines.firstIndex(of: "    take-home naloxone was handed over on release"))
        #expect(lines[question + 1].hasPrefix("      risk when: no · ") && lines[question + 1].contains("answered with the risk: "))
        // Under its catalogue group, and not by its id unless asked.
        #expect(lines[..<question].last { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && !$0.isEmpty } == "  Naloxone")
        #expect(!report.stdout.contains("naloxone_supplied_on_release"))
        #expect(try dus.run(["patterns", "--ids"], environment: ["COLUMNS": "80"]).stdout.contains("[naloxone_supplied_on_release]"))
        // JSON keeps its shape and adds the words.
        let json = try dus.run("patterns", "--format", "json").stdout
        #expect(json.contains(#""question": "take-home naloxone was handed over on release""#) && json.contains(#""risk_when": "no""#))
    }

    @Test func everySectionFitsEightyColumns() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        for arguments in [[], ["--by", "year"], ["--by", "quarter"], ["--by", "region"], ["--by", "supervision"], ["--ids", "--by", "kind"], ["--kind", "death"]] {
            let report = try dus.run(["patterns"] + arguments, environment: ["COLUMNS": "80"])
            #expect(report.status == 0)
            #expect(try Self.linesWiderThan(80, in: report.stdout) == [], "\(arguments)")
        }
        // Slices beyond the width continue in another block.
        let quarters = try dus.run(["patterns", "--by", "quarter"], environment: ["COLUMNS": "80"]).stdout
        #expect(quarters.contains("  slices 1 to 3 of ") && quarters.contains("  slices 4 to 6 of "))
        // A wider COLUMNS is used.
        let wide = try dus.run(["patterns", "--by", "quarter"], environment: ["COLUMNS": "140"]).stdout
        #expect(try Self.linesWiderThan(140, in: wide) == [] && wide.contains("  slices 1 to 6 of "))
    }

    @Test func theReportSaysWhatItCounts() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let report = try dus.run(["patterns", "--period", "2025"], environment: ["COLUMNS": "200"]).stdout
        #expect(report.hasPrefix("Patterns\n  Slice: event date 2025-01-01 to 2025-12-31.\n"))
        #expect(report.contains("  11 reviews: 6 published, 4 agreed, 1 draft; 1 classified not drug-related left out (--include-not-drug-related counts them).\n"))
        let all = try dus.run(["patterns", "--include-not-drug-related", "--period", "2025"], environment: ["COLUMNS": "200"]).stdout
        #expect(all.contains("  12 reviews: 6 published, 5 agreed, 1 draft; 1 classified not drug-related counted too.\n"))
        let region = try dus.run(["patterns", "--region", "north-west", "--factor", "naloxone_supplied_on_release"], environment: ["COLUMNS": "200"]).stdout
        #expect(region.contains("  Slice: region North West; take-home naloxone was handed over on release: no (the risk).\n"))
    }

    @Test func everyTableComesAsItsOwnCSVFile() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let written = try dus.run("patterns", "--format", "csv", "--out", "tables", "--by", "year")
        #expect(written.status == 0, "\(written.stderr)")
        let expected: [(String, String, String)] = [
            ("totals", "slice,reviews,deaths,near_misses,released,status_draft,status_agreed,status_published,not_drug_related,not_drug_related_reviews", "all,27,"),
            ("release-bands", "slice,band,reviews,share_of_released", "2025,0-13,4,0.4444"),
            ("factors", "slice,factor,risk,no_risk,unknown,not_applicable,share,ci_low,ci_high,completeness,change,question,risk_when", "2025,naloxone_supplied_on_release,3,5,1,2,"),
            ("substances", "slice,substance,reviews", "2025,heroin,6"),
            ("themes", "slice,theme,findings,reviews", "2025,"),
            ("pairs", "slice,factor,with,reviews", "2025,"),
        ]
        for (name, header, figure) in expected {
            let text = String(decoding: try #require(dus.data("tables/\(name).csv"), "\(name)"), as: UTF8.self)
            #expect(text.hasPrefix(header + "\r\n"), "\(name)")
            #expect(text.contains("\r\n" + figure), "\(name): \(figure)")
        }
        // Without --out, the factor table as before.
        #expect(try dus.run("patterns", "--format", "csv").stdout.hasPrefix("slice,factor,risk,"))
        #expect(try dus.run("patterns", "--out", "x").status == 64)
    }

    @Test func searchSuggestsTheClosestWordAndSaysWhereAndInWhatStatusAHitIs() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let misspelt = try dus.run("search", "naloxne")
        #expect(misspelt.status == 0 && misspelt.stdout == "No text matches naloxne; did you mean naloxone?\n")
        #expect(try dus.run("search", "relase", "planing").stdout == "No text matches relase planing; did you mean release planning?\n")
        let json = try dus.run("search", "naloxne", "--format", "json").stdout
        #expect(json.contains(#""word": "naloxne""#) && json.contains(#""naloxone""#))
        // A word with no hit under the filters is not suggested.
        #expect(try dus.run("search", "zzzzq").stdout == "No text matches zzzzq.\n")
        // Hits: the review's status beside its reference, its month, and the place in words.
        let hits = try dus.run("search", "contract", "variation", "legal").stdout
        #expect(hits.contains("LDN-2024-0021 (published)  death, November 2024, London\n"))
        #expect(hits.contains("  action A1 of recommendation R2, update of 2026-01-12: "))
        let draft = try dus.run("search", "--status", "draft", "naloxone", "--limit", "1").stdout
        #expect(draft.contains(" (draft)  "))
        let located = try dus.run("search", "contract", "variation", "legal", "--format", "json").stdout
        #expect(located.contains(#""item": "recommendations[R2].actions[A1].updates[2]""#) && located.contains(#""status": "published""#))
    }
}
