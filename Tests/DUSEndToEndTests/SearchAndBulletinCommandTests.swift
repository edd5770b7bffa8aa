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

        let written = try dus.run("bulletin", "--period", "2025", "--out", "out/b.md", "--html", "out/b.html")
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout == "wrote out/b.md, out/b-release-timing.svg, out/b.html\n")
        #expect(dus.data("out/b.md").map { String(decoding: $0, as: UTF8.self) }?.contains("![Reviews by time from release to the event](b-release-timing.svg)") == true)
        #expect(dus.data("out/b.html").map { String(decoding: $0, as: UTF8.self) }?.contains("<img src=\"b-release-timing.svg\"") == true)
        #expect(dus.data("out/b-release-timing.svg") != nil)
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
