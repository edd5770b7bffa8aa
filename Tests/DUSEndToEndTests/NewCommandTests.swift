import Foundation
import Testing

/// End-to-end: `dus new`, answered through standard input, with a script as the editor.
@Suite struct NewCommandTests {
    @Test func guidedPromptsAskAgainUntilRightThenTheEditorCompletesTheReview() throws {
        // The "editor" fills in an age, a factor and a finding.
        let dus = try Harness(editor: #"sed -i 's/^age:.*/age: 37/; s/^  homeless_on_release:.*/  homeless_on_release: yes/; s/^## Findings$/## Findings\n- No naloxone was handed over on release. #naloxone/'"#)
        #expect(try dus.run("import", Harness.examples).status == 0)
        // A wrong kind, a date that does not exist, a region not on the list, a wrong
        // supervision, then an empty answer that takes the suggested reference.
        let answers = "overdose\ndeath\n2026-02-30\n2026-10-01\n2026-09-25\nAtlantis\nNW\nlicense\nlicence\n\n"
        let created = try dus.runInTerminal(["new"], input: answers)
        #expect(created.status == 0)
        #expect(created.stdout == "NW-2026-0010\n")
        #expect(created.stderr.contains("Kind (death, near-miss): "))
        #expect(created.stderr.contains("2026-02-30 is not a real calendar date"))
        #expect(created.stderr.contains("unknown region \"Atlantis\""))
        #expect(created.stderr.contains("Reference (A-Z, 0-9 and -, as the region allocates them) [NW-2026-0010]: "))
        let shown = try dus.run("show", "NW-2026-0010", "--format", "json").stdout
        #expect(shown.contains("\"age\": 37") && shown.contains("\"homeless_on_release\": \"yes\"") && shown.contains("\"status\": \"draft\""))
        #expect(shown.contains("\"days_since_release\": 6"))
        #expect(try dus.run("search", "handed over").stdout.contains("NW-2026-0010"))
        #expect(try dus.run("history", "NW-2026-0010").stdout.hasSuffix("  created\n"))
        #expect(try dus.keptEditFiles().isEmpty)
    }

    @Test func optionsAnswerEverythingAndNoEditStoresTheDraftAsIs() throws {
        let dus = try Harness(editor: "false")
        let created = try dus.run("new", "--no-edit", "--kind", "near-miss", "--event-date", "2026-06-01", "--region", "wales",
                                  "--supervision", "community-order", "--reference", "wal-2026-0001")
        #expect(created.status == 0 && created.stdout == "WAL-2026-0001\n" && created.stderr.isEmpty)
        let shown = try dus.run("show", "WAL-2026-0001", "--format", "json").stdout
        #expect(shown.contains("\"region\": \"Wales\"") && shown.contains("\"release_band\": \"not-released\""))
        // The reference is taken now; an option that fails is a usage error.
        let taken = try dus.run("new", "--no-edit", "--kind", "death", "--event-date", "2026-06-01", "--region", "wales",
                                "--supervision", "licence", "--reference", "WAL-2026-0001")
        #expect(taken.status == 64 && taken.stderr.contains("--reference 'WAL-2026-0001': already in the database; change it with dus edit"))
        let future = try dus.run("new", "--no-edit", "--kind", "death", "--event-date", "2027-06-01", "--region", "wales",
                                 "--supervision", "licence", "--reference", "WAL-2026-0002")
        #expect(future.status == 64 && future.stderr.contains("--event-date '2027-06-01': "))
        // Input that ends before the questions do stores nothing.
        let ended = try dus.runInTerminal(["new"], input: "death\n\u{04}")
        #expect(ended.status == 1 && ended.stderr.contains("dus: the input ended before event_date was given; nothing was stored. Your answers are kept in "))
        // Without a terminal nothing is asked: dus says at once what to do instead.
        let noTerminal = try dus.run(["new"], input: "death\n")
        #expect(noTerminal.status == 1 && noTerminal.stderr.contains("needs a terminal") && noTerminal.stderr.contains("--from FILE")
                && noTerminal.stderr.contains("--no-edit"))
        let elsewhere = try dus.run(["new", "--db", dus.path("typo.sqlite")], input: "death\n")
        #expect(elsewhere.status == 1 && !FileManager.default.fileExists(atPath: dus.path("typo.sqlite")))
        #expect(try dus.run("list").stdout.hasSuffix("1 review\n"))
        #expect(try dus.run("new", "--from", "x.md", "--kind", "death").status == 64)
    }

    @Test func aNewReviewThatBreaksARuleIsKeptAndGoesInWithFrom() throws {
        let dus = try Harness(editor: "sed -i 's/^age:.*/age: 7/'")
        let options = ["new", "--kind", "death", "--event-date", "2026-06-01", "--region", "London", "--supervision", "licence", "--reference", "LDN-2026-0001"]
        let failed = try dus.runInTerminal(options)
        #expect(failed.status == 1 && failed.stdout.isEmpty)
        let kept = try #require(try dus.keptEditFiles().first)
        #expect(failed.stderr.contains("\(kept):"))
        #expect(failed.stderr.contains("age: "))
        #expect(failed.stderr.hasSuffix("Your edit is kept in \(kept): fix it there and run: dus new --from \(kept)\n"))
        #expect(try dus.run("list").stdout.hasSuffix("0 reviews\n"))
        let text = try String(contentsOfFile: kept, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "age: 7", with: "age: 27").utf8).write(to: URL(fileURLWithPath: kept))
        let fixed = try dus.run("new", "--from", kept)
        #expect(fixed.status == 0 && fixed.stdout == "LDN-2026-0001\n")
        #expect(try dus.run("history", "LDN-2026-0001").stdout.contains("  created from \(kept)"))
        let again = try dus.run("new", "--from", kept)
        #expect(again.status == 1 && again.stderr == "dus: LDN-2026-0001: reference: already in the database; change it with `dus edit LDN-2026-0001`\n")
        // A template that asks for a value it will not be given is named with the place.
        try dus.write("mine.mustache", "reference: {{reference}}\nkind: {{knid}}\n")
        let badTemplate = try dus.runInTerminal(options.map { $0 == "LDN-2026-0001" ? "LDN-2026-0002" : $0 } + ["--template", "mine.mustache"])
        #expect(badTemplate.status == 1 && badTemplate.stderr.contains("mine.mustache: line 2, column 7: {{knid}}"))
    }
}
