import Foundation
import Testing

/// End-to-end: the built `dus` binary, its output, its errors and its exit codes.
@Suite struct CommandTests {
    static let newReview = """
        ---
        reference: TST-2025-0001
        kind: near-miss
        event_date: 2025-03-04
        release_date: 2025-02-28
        region: wales
        supervision: licence
        factors:
          naloxone_supplied_on_release: no
        ---
        ## Summary
        Found unresponsive in a hostel two days after release; revived by staff.
        """

    @Test func importListsAndReimportsAsUnchanged() throws {
        let dus = try Harness()
        let first = try dus.run("import", Harness.examples)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("imported 29 reviews: 29 new, 0 replaced, 0 unchanged"))
        let list = try dus.run("list")
        #expect(list.status == 0)
        #expect(list.stdout.contains("NW-2024-0011"))
        #expect(list.stdout.hasSuffix("29 reviews\n"))
        let again = try dus.run("import", Harness.examples)
        #expect(again.status == 0)
        #expect(again.stdout.contains("0 new, 0 replaced, 29 unchanged"))
    }

    @Test func failedImportReportsEveryProblemAndLeavesTheDatabaseByteForByteUnchanged() throws {
        let dus = try Harness()
        try dus.run("import", Harness.examples)
        let before = try #require(dus.data("dus.sqlite"))
        try dus.write("batch/a-good.md", Self.newReview)
        try dus.write("batch/b-bad.md", Self.newReview
            .replacingOccurrences(of: "TST-2025-0001", with: "TST-2025-0002")
            .replacingOccurrences(of: "2025-03-04", with: "2025-02-30"))
        try dus.write("batch/c-bad.json", #"{"reference": "tst-1", "kind": "death"}"#)
        let result = try dus.run("import", dus.path("batch"))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("b-bad.md:4: event_date: 2025-02-30 is not a real calendar date"))
        #expect(result.stderr.contains("c-bad.json: reference: \"tst-1\" must be 3–40 characters of A-Z, 0-9 and - (lower case is refused, not changed)"))
        #expect(result.stderr.contains("c-bad.json: event_date: is required"))
        #expect(result.stderr.contains("nothing was changed"))
        #expect(dus.data("dus.sqlite") == before)
        #expect(!FileManager.default.fileExists(atPath: dus.path("dus.sqlite-wal")) || dus.data("dus.sqlite-wal")?.isEmpty == true)
        let list = try dus.run("list", "--format", "csv")
        #expect(!list.stdout.contains("TST-2025-0001"))
    }

    @Test func validateNeedsNoDatabaseAndReportsOneLinePerProblem() throws {
        let dus = try Harness()
        let good = try dus.run("validate", Harness.examples)
        #expect(good.status == 0)
        #expect(good.stdout == "29 reviews checked: no problems\n")
        try dus.write("bad.md", Self.newReview.replacingOccurrences(of: "region: wales", with: "region: Atlantis\nage: 12"))
        let bad = try dus.run("validate", dus.path("bad.md"))
        #expect(bad.status == 1)
        let lines = bad.stderr.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix("bad.md:6: region: unknown region \"Atlantis\"; use one of: North East, North West, Greater Manchester, Yorkshire and the Humber, East Midlands, West Midlands, East of England, London, Kent, Surrey and Sussex, South Central, South West, Wales") })
        #expect(lines.contains { $0.hasSuffix("bad.md:7: age: 12 is outside 18–110 (the age at the event)") })
        #expect(!FileManager.default.fileExists(atPath: dus.path("dus.sqlite")))
    }

    @Test func showGivesTheReviewFileAndJSONWithDerivedFields() throws {
        let dus = try Harness()
        try dus.run("import", Harness.examples)
        let json = try dus.run("show", "NW-2024-0011", "--format", "json")
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["reference"] as? String == "NW-2024-0011")
        let derived = try #require(object["derived"] as? [String: Any])
        #expect(derived["days_since_release"] as? Int == 13)
        #expect(derived["release_band"] as? String == "0-13")
        #expect(derived["first_fortnight"] as? String == "yes")
        let markdown = try dus.run("show", "NW-2024-0011")
        #expect(markdown.stdout.hasPrefix("---\nreference: NW-2024-0011\n"))
        #expect(markdown.stdout.contains("## Findings\n- "))
        let missing = try dus.run("show", "NW-2099-0001")
        #expect(missing.status == 1)
        #expect(missing.stderr == "dus: NW-2099-0001: no review with this reference\n")
    }

    @Test func showJSONImportsAgainUnchanged() throws {
        let dus = try Harness()
        try dus.run("import", Harness.examples)
        let json = try dus.run("show", "KSS-2024-0005", "--format", "json")
        try dus.write("again.json", json.stdout)
        let result = try dus.run("import", dus.path("again.json"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("0 new, 0 replaced, 1 unchanged"))
    }

    @Test func listFilters() throws {
        let dus = try Harness()
        try dus.run("import", Harness.examples)
        func references(_ arguments: String...) throws -> [String] {
            let result = try dus.run(["list", "--format", "json"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            return array.compactMap { $0["reference"] as? String }
        }
        #expect(try references("--period", "2025-Q1") == ["SC-2025-0002", "SW-2025-0010"])
        #expect(try references("--period", "FY2024-25", "--kind", "near-miss") == ["GM-2024-0004", "EE-2024-0008"])
        #expect(try references("--region", "kss") == ["KSS-2024-0005", "KSS-2025-0014"])
        #expect(try references("--classification", "not-drug-related") == ["EM-2024-0006", "KSS-2025-0014"])
        #expect(try references("--from", "2026-08-01", "--to", "2026-08-31") == ["GM-2026-0012", "LDN-2026-0008"])
        let fortnight = try references("--factor", "first_fortnight")
        #expect(fortnight.contains("NW-2024-0011") && !fortnight.contains("YH-2024-0009"))
        let notReleased = try references("--factor", "first_fortnight=not-applicable")
        #expect(notReleased.contains("EM-2024-0006") && notReleased.count == 5)
        let both = try references("--factor", "first_fortnight", "--factor", "naloxone_supplied_on_release")
        #expect(!both.isEmpty && both.allSatisfy(fortnight.contains))
        let usage = try dus.run("list", "--period", "2025-Q5")
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("'2025-Q5' is not a period"))
        let combined = try dus.run("list", "--period", "2025", "--from", "2025-01-01")
        #expect(combined.status == 64)
    }

    @Test func exportThenImportIntoAnEmptyDatabaseReproducesEveryReview() throws {
        let dus = try Harness()
        try dus.run("import", Harness.examples)
        let references = try dus.run("list", "--format", "csv").stdout
            .split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        #expect(references.count == 29)
        for format in ["md", "json"] {
            let out = dus.path("export-\(format)")
            let export = try dus.run("export", "--format", format, "--out", out)
            #expect(export.status == 0)
            #expect(export.stdout == "wrote 29 files to \(out)\n")
            let copy = dus.path("copy-\(format).sqlite")
            let imported = try dus.run("import", "--db", copy, out)
            #expect(imported.stdout.contains("29 new"), "\(imported.stderr)")
            for reference in references {
                let original = try dus.run("show", reference, "--format", "json").stdout
                let copied = try dus.run("show", "--db", copy, reference, "--format", "json").stdout
                #expect(original == copied, "\(format) \(reference)")
            }
        }
    }

    @Test func csvExportHasOneFilePerTableWithHeaders() throws {
        let dus = try Harness()
        try dus.run("import", Harness.examples)
        let result = try dus.run("export", "--format", "csv", "--out", dus.path("csv"))
        #expect(result.status == 0)
        let reviews = try String(contentsOfFile: dus.path("csv/reviews.csv"), encoding: .utf8)
        #expect(reviews.hasPrefix("reference,kind,status,classification,event_date,release_date,"))
        #expect(reviews.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count >= 30)
        let actions = try String(contentsOfFile: dus.path("csv/actions.csv"), encoding: .utf8)
        #expect(actions.hasPrefix("reference,recommendation,action,text,owner,target_date,current_target_date,status"))
        for name in ["findings", "learning", "recommendations", "action_revisions", "action_updates"] {
            #expect(FileManager.default.fileExists(atPath: dus.path("csv/\(name).csv")))
        }
    }

    @Test func replaceNeedsTheFlagAndAReasonForAPublishedReview() throws {
        let dus = try Harness()
        try dus.write("one/r.md", Self.newReview)
        try dus.run("import", dus.path("one"))
        try dus.write("two/r.md", Self.newReview.replacingOccurrences(of: "revived by staff", with: "revived by hostel staff"))
        let refused = try dus.run("import", dus.path("two"))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("TST-2025-0001 is already in the database with different content; use --replace to update it"))
        let dry = try dus.run("import", "--replace", "--dry-run", dus.path("two"))
        #expect(dry.stdout.contains("would import 1 review: 0 new, 1 replaced"))
        #expect(try dus.run("show", "TST-2025-0001").stdout.contains("revived by staff"))
        let replaced = try dus.run("import", "--replace", dus.path("two"))
        #expect(replaced.status == 0)
        #expect(try dus.run("show", "TST-2025-0001").stdout.contains("revived by hostel staff"))

        let published = Self.newReview
            .replacingOccurrences(of: "kind: near-miss", with: "kind: near-miss\nstatus: published\nclassification: confirmed")
            + "\n## Findings\n- No naloxone on release. #naloxone\n\n## Learning\n- Offer naloxone at the gate. #naloxone\n"
        try dus.write("three/r.md", published)
        #expect(try dus.run("import", "--replace", dus.path("three")).status == 0)
        try dus.write("four/r.md", published.replacingOccurrences(of: "at the gate", with: "at the gate and again at the first appointment"))
        let noReason = try dus.run("import", "--replace", dus.path("four"))
        #expect(noReason.status == 1)
        #expect(noReason.stderr.contains("TST-2025-0001 is published: replacing it changes more than its actions, which is an amendment and needs --reason"))
        let amended = try dus.run("import", "--replace", "--reason", "Panel corrected the learning point", dus.path("four"))
        #expect(amended.status == 0)
    }

    @Test func factorsPrintsTheCatalogue() throws {
        let dus = try Harness()
        let json = try dus.run("factors", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let factors = try #require(object["factors"] as? [[String: Any]])
        #expect(factors.count == 45)
        #expect(factors.contains { $0["id"] as? String == "naloxone_supplied_on_release" && $0["risk"] as? String == "no" })
        let text = try dus.run("factors")
        #expect(text.stdout.contains("first_fortnight"))
        #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("Kent, Surrey and Sussex ") && $0.contains(" KSS ") && $0.hasSuffix("kent-surrey-and-sussex") })
        let markdown = try dus.run("factors", "--format", "md")
        #expect(markdown.stdout.contains("## Naloxone"))
    }

    @Test func aDatabaseThatIsNotDusIsRefusedAndUntouched() throws {
        let dus = try Harness()
        try dus.write("notes.sqlite", "this is not a database at all, just text that someone saved")
        let before = dus.data("notes.sqlite")
        let result = try dus.run("list", "--db", dus.path("notes.sqlite"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("not a dus database"))
        #expect(dus.data("notes.sqlite") == before)
    }
}

@Suite struct PatternsCommandTests {
    @Test func patternsJSONFollowsTheContract() throws {
        let dus = try Harness()
        try dus.run("import", Harness.examples)
        let result = try dus.run("patterns", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Int])
        // 29 examples, two of them not drug-related and left out by default.
        #expect(totals["reviews"] == 27)
        #expect(totals["deaths"]! + totals["near_misses"]! == 27)
        let bands = try #require(object["release_bands"] as? [String: Int])
        #expect(Set(bands.keys) == ["0-13", "14-27", "28-83", "84+", "not-released"])
        #expect(bands.values.reduce(0, +) == 27)
        let factors = try #require(object["factors"] as? [[String: Any]])
        #expect(factors.count == 45)
        for factor in factors {
            for key in ["id", "risk", "no_risk", "unknown", "not_applicable", "share", "ci_low", "ci_high"] {
                #expect(factor.keys.contains(key), "\(key)")
            }
        }
        #expect(object["pairs"] is [[String: Any]] && object["substances"] is [[String: Any]] && object["themes"] is [[String: Any]])
        let all = try dus.run("patterns", "--format", "json", "--include-not-drug-related")
        #expect(all.stdout.contains(#""reviews": 29"#))
    }

    @Test func patternsTextStatesDefinitionsAndHasNoColourWhenPiped() throws {
        let dus = try Harness()
        try dus.run("import", Harness.examples)
        let result = try dus.run("patterns", "--kind", "death")
        #expect(result.status == 0)
        // Text is wrapped to the terminal's width: read as one line.
        let words = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("first fortnight = release day and the 13 days after it"))
        #expect(words.contains("unknown is never counted as no"))
        #expect(!result.stdout.contains("\u{1B}["))
        let sliced = try dus.run("patterns", "--by", "kind", "--format", "csv")
        #expect(sliced.stdout.hasPrefix("slice,factor,risk,no_risk,unknown,not_applicable,share,ci_low,ci_high,completeness,change,question,risk_when\r\n"))
        #expect(sliced.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1 + 2 * 45)
        let empty = try dus.run("patterns", "--period", "2030")
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("No reviews match these filters."))
        let bad = try dus.run("patterns", "--by", "month")
        #expect(bad.status == 64)
    }
}

@Suite struct GenerateCommandTests {
    @Test func theSameSeedGivesByteIdenticalValidReviews() throws {
        let dus = try Harness()
        #expect(try dus.run("generate", "--count", "300", "--seed", "42", "--out", dus.path("a.jsonl")).status == 0)
        #expect(try dus.run("generate", "--count", "300", "--seed", "42", "--out", dus.path("b.jsonl")).status == 0)
        #expect(try dus.run("generate", "--count", "300", "--seed", "43", "--out", dus.path("c.jsonl")).status == 0)
        let a = try #require(dus.data("a.jsonl"))
        #expect(a == dus.data("b.jsonl"))
        #expect(a != dus.data("c.jsonl"))
        let lines = String(decoding: a, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 300)
        #expect(lines.allSatisfy { $0.hasPrefix(#"{"reference":"SYN-"#) })
        let validate = try dus.run("validate", dus.path("a.jsonl"))
        #expect(validate.stdout == "300 reviews checked: no problems\n", "\(validate.stderr)")
        // Not on a terminal: no progress on standard error.
        let imported = try dus.run("import", dus.path("a.jsonl"))
        #expect(imported.status == 0)
        #expect(imported.stderr.isEmpty)
        let patterns = try dus.run("patterns", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(patterns.stdout.utf8)) as? [String: Any])
        let bands = try #require(object["release_bands"] as? [String: Int])
        // Post-release deaths are concentrated in the first fortnight.
        #expect(bands["0-13"]! > bands["14-27"]!)
        let folder = try dus.run("generate", "--count", "3", "--seed", "1", "--out", dus.path("md"))
        #expect(folder.status == 0)
        #expect(try dus.run("validate", dus.path("md")).stdout == "3 reviews checked: no problems\n")
    }

    @Test func eachCommandOffersOnlyTheFormatsItWrites() throws {
        let dus = try Harness()
        for (command, formats) in [("list", "text, json, csv, md"), ("patterns", "text, json, csv"), ("search", "text, json"),
                                   ("actions", "text, json, csv, md, html"), ("action-plan", "md, html, csv"), ("export", "md, json, csv"), ("show", "md, json"), ("factors", "text, json, md")] {
            // Help is wrapped to the terminal: read as one line.
            let help = try dus.run(command, "--help").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(help.contains("(values: \(formats);") || help.contains("(values: \(formats))"), "\(command)")
        }
        for (command, format) in [("search", "csv"), ("patterns", "md"), ("export", "text")] {
            #expect(try dus.run(command, "x", "--format", format).status == 64, "\(command) --format \(format)")
        }
    }

    @Test func onlyImportNewAndBackupMakeADatabaseAndItIsTheOwnersAlone() throws {
        let dus = try Harness()
        let database = dus.path("dus.sqlite")
        // A mistyped path is not an empty database: nothing is made.
        for command in [["list"], ["show", "NW-2024-0011"], ["search", "naloxone"], ["patterns"], ["actions"], ["export", "--format", "csv", "--out", "csv"],
                        ["history", "NW-2024-0011"], ["status", "NW-2024-0011", "agreed"], ["doctor"], ["backup", "--to", "b.sqlite"]] {
            let result = try dus.run(command)
            #expect(result.status == 1 && result.stderr == "dus: no database at \(database) (dus import creates one)\n", "\(command)")
            #expect(!FileManager.default.fileExists(atPath: database), "\(command)")
        }
        #expect(try dus.run("import", Harness.examples).status == 0)
        for file in [database, database + "-wal", database + "-shm"] where FileManager.default.fileExists(atPath: file) {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "\(file)")
        }
        #expect(try dus.run("list").stderr.isEmpty)
        #expect(try dus.run("backup", "--to", "copy.sqlite").status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: dus.path("copy.sqlite"))[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // A file others can read is used, with a warning.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: database)
        let warned = try dus.run("list")
        #expect(warned.status == 0 && warned.stderr == "dus: warning: \(database) can be read by other users of this machine; make it yours alone with: chmod 600 \(database)\n")
    }

    @Test func aFileThatCannotBeWrittenIsNamedWithTheReason() throws {
        let dus = try Harness()
        let missing = try dus.run("generate", "--count", "3", "--out", dus.path("nowhere/x.jsonl"))
        #expect(missing.status == 1)
        #expect(missing.stderr == "dus: \(dus.path("nowhere")): no such file or folder\n")
        // A folder named like a file is refused before anything is made.
        let named = try dus.run("generate", "--count", "3", "--out", dus.path("g.json"))
        #expect(named.status == 64 && named.stderr.contains("a .json name is not a folder"))
        #expect(dus.data("g.json") == nil && !FileManager.default.fileExists(atPath: dus.path("g.json")))
        try dus.write("afile", "not a folder\n")
        #expect(try dus.run("import", Harness.examples).status == 0)
        let inTheWay = try dus.run("export", "--out", "afile")
        #expect(inTheWay.status == 1)
        #expect(inTheWay.stderr == "dus: afile: a file of that name is in the way\n")
    }
}

/// End-to-end: help that reads well and completion scripts that know the values.
@Suite struct HelpTests {
    static let commands = ["import", "validate", "show", "list", "export", "factors", "patterns", "search", "similar", "actions", "bulletin",
                           "new", "edit", "status", "history", "redact", "delete", "doctor", "backup", "generate"]

    @Test func everyCommandsHelpEndsWithExamplesAndItsParagraphsAreNotHandWrapped() throws {
        let dus = try Harness()
        dus.set("COLUMNS", "2000")
        for command in Self.commands {
            let help = try dus.run(command, "--help").stdout
            let discussion = help.components(separatedBy: "\nUSAGE:").first ?? ""
            #expect(discussion.contains("\nExamples:\n  dus \(command)"), "\(command)")
            // At 2000 columns a paragraph is one line: each line of prose ends a sentence or a list.
            for line in discussion.split(separator: "\n") where !line.hasPrefix("  ") && line != "Examples:" && !line.hasPrefix("OVERVIEW:") {
                #expect(line.hasSuffix(".") || line.hasSuffix(":") || line.hasSuffix(")"), "\(command): \(line)")
            }
        }
        let list = try dus.run("list", "--help").stdout
        #expect(list.contains("(values: death, near-miss)") && list.contains("(values: draft, agreed, published)"))
    }

    @Test func completionScriptsOfferTheValuesAndFileNames() throws {
        let dus = try Harness()
        for shell in ["bash", "zsh", "fish"] {
            let script = try dus.run("--generate-completion-script", shell).stdout
            for value in ["near-miss", "north-west", "not-drug-related", "post-sentence-supervision", "partly-agreed"] {
                #expect(script.contains(value), "\(shell): \(value)")
            }
        }
        let bash = try dus.run("--generate-completion-script", "bash").stdout
        let importFunction = bash.components(separatedBy: "_dus_import() {").last?.components(separatedBy: "\n}\n").first ?? ""
        #expect(importFunction.contains("__dus_add_completions -f"))
    }
}
