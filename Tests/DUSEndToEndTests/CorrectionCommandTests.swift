import Foundation
import GRDB
import Testing

/// End-to-end: `dus redact` and `dus delete`, their messages and exit codes.
@Suite struct CorrectionCommandTests {
    @Test func redactAndDeleteSayWhatTheyDidAndRefuseWhatTheyCannotDo() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let redacted = try dus.run("redact", "NW-2024-0011", "--field", "summary", "--text", "family home", "--reason", "Too identifying")
        #expect(redacted.status == 0 && redacted.stdout == "redacted NW-2024-0011 summary\n")
        #expect(try dus.run("show", "NW-2024-0011").stdout.contains("Released to the [redacted] with"))
        #expect(try dus.run("search", "\"family home\"").stdout.hasPrefix("No text matches"))
        let missing = try dus.run("redact", "NW-2024-0011", "--field", "findings[99]", "--reason", "Typo")
        #expect(missing.status == 1 && missing.stderr.contains("NW-2024-0011: findings[99]: no such text field"))
        #expect(try dus.run("redact", "NW-2024-0011", "--field", "summary").status == 64)
        #expect(try dus.run("delete", "NW-2024-0011").status == 64)
        let deleted = try dus.run("delete", "NW-2024-0011", "--reason", "Imported by mistake")
        #expect(deleted.status == 0 && deleted.stdout == "deleted NW-2024-0011\n")
        #expect(try dus.run("show", "NW-2024-0011").status == 1)
        let again = try dus.run("delete", "NW-2024-0011", "--reason", "Imported by mistake")
        #expect(again.status == 1 && again.stderr == "dus: NW-2024-0011: no review with this reference\n")
        // The other reviews are untouched.
        #expect(try dus.run("list").stdout.hasSuffix("28 reviews\n"))
    }

    @Test func statusMovesAReviewOneStepAtATimeAndSaysWhy() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        // WM-2025-0020 is a draft, classified suspected, with no learning point.
        let skip = try dus.run("status", "WM-2025-0020", "published")
        #expect(skip.status == 1 && skip.stderr.contains("skips agreed"))
        #expect(try dus.run("status", "WM-2025-0020", "agreed").stdout == "WM-2025-0020: draft → agreed\n")
        let refused = try dus.run("status", "WM-2025-0020", "published")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("WM-2025-0020: status: published needs a classification other than suspected"))
        #expect(refused.stderr.hasSuffix("nothing was changed\n"))
        #expect(try dus.run("status", "WM-2025-0020", "agreed").stdout == "WM-2025-0020 is already agreed; nothing changed\n")
        #expect(try dus.run("status", "NW-2024-0011", "draft").status == 1)
        #expect(try dus.run("status", "NW-2024-0011", "agreed", "--reason", "Published before sign-off").status == 0)
        #expect(try dus.run("history", "NW-2024-0011").stdout.contains("  status published → agreed: Published before sign-off"))
        #expect(try dus.run("status", "NW-2024-0011", "finished").status == 64)
    }

    @Test func doctorAndBackupReportAndCopy() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let doctor = try dus.run("doctor")
        #expect(doctor.status == 0 && doctor.stdout.hasSuffix("all 4 checks passed\n"))
        #expect(doctor.stdout.contains("ok       derived fields of 29 reviews"))
        let backup = try dus.run("backup", "--to", "copy.sqlite")
        #expect(backup.status == 0)
        #expect(try dus.run("list", "--db", "copy.sqlite").stdout.hasSuffix("29 reviews\n"))
        #expect(try dus.run("backup", "--to", "copy.sqlite").status == 1)
        #expect(try dus.run("backup").status == 64)
    }

    @Test func doctorFindsTextsWithoutLengthsAndItsRebuildMendsThem() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        // Another tool removes the lengths of one review's texts.
        let queue = try DatabaseQueue(path: dus.path("dus.sqlite"))
        try queue.write { db in try db.execute(sql: "DELETE FROM search_size WHERE review_id = (SELECT id FROM review WHERE reference = 'NW-2024-0011')") }
        try queue.close()
        let doctor = try dus.run("doctor")
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("PROBLEM  search index\n"))
        #expect(doctor.stdout.contains("texts have no length in search_size\n"))
        #expect(doctor.stdout.contains("rebuild the index from the reviews with: dus doctor --rebuild-search\n"))
        let search = try dus.run("search", "naloxone")
        #expect(search.status == 1 && search.stderr.contains("search_size has no length for text"))
        let rebuilt = try dus.run("doctor", "--rebuild-search")
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stdout.hasPrefix("rebuilt the search index: ") && rebuilt.stdout.hasSuffix("all 4 checks passed\n"))
        #expect(try dus.run("search", "naloxone").status == 0)
    }

    @Test func historyShowsEveryChangeOldestFirstAndKeepsEarlierVersions() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let shown = try dus.run("show", "NW-2024-0011").stdout
        try dus.write("amended.md", shown.replacingOccurrences(of: "Toxicology found heroin and a nitazene.", with: "Toxicology found heroin, a nitazene and alcohol."))
        #expect(try dus.run("import", "--replace", "--reason", "Toxicology report received", dus.path("amended.md")).status == 0)
        let text = try dus.run("history", "NW-2024-0011")
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.first == "NW-2024-0011: 2 audit entries, oldest first")
        #expect(lines[1].contains("  imported from ") && lines[1].hasSuffix("nw-2024-0011.md"))
        #expect(lines[2].contains("  amended from ") && lines[2].hasSuffix("amended.md: Toxicology report received (keeps the review as it was before: --format json)"))
        let json = try dus.run("history", "NW-2024-0011", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.map { $0["event"] as? String } == ["imported", "amended"])
        #expect(entries[0]["before"] is NSNull)
        // The version before the amendment, whole.
        let before = try #require(entries[1]["before"] as? [String: Any])
        #expect(before["reference"] as? String == "NW-2024-0011")
        #expect((before["summary"] as? String)?.hasSuffix("Toxicology found heroin and a nitazene.") == true)
        // The trail outlives the review; a reference never stored has none.
        #expect(try dus.run("delete", "NW-2024-0011", "--reason", "Imported by mistake").status == 0)
        #expect(try dus.run("history", "NW-2024-0011").stdout.contains("  deleted: Imported by mistake"))
        let never = try dus.run("history", "NW-2099-0001")
        #expect(never.status == 1 && never.stderr == "dus: NW-2099-0001: no review with this reference has ever been stored\n")
    }
}
