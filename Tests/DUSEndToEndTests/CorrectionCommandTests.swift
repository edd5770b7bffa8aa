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

    @Test func aDryRunImportCreatesNoDatabase() throws {
        let dus = try Harness()
        let dry = try dus.run("import", "--dry-run", Harness.examples)
        #expect(dry.status == 0 && dry.stdout.hasPrefix("would import 29 reviews: 29 new"))
        #expect(!FileManager.default.fileExists(atPath: dus.path("dus.sqlite")))
    }

    @Test func historySaysWhoChangedWhichFieldFromWhatToWhat() throws {
        let dus = try Harness()
        #expect(try dus.run("import", "--user", "panel chair", Harness.examples).status == 0)
        let shown = try dus.run("show", "WM-2025-0020").stdout
        #expect(shown.contains("  naloxone_supplied_on_release: no\n") || !shown.contains("naloxone_supplied_on_release:"))
        let edited = shown.replacingOccurrences(of: "age: 22", with: "age: 23")
            .replacingOccurrences(of: "factors:\n", with: "factors:\n  previous_overdose: yes\n")
        try dus.write("wm.md", edited)
        // No --user: the actor is $DUS_USER.
        dus.set("DUS_USER", "probation manager")
        #expect(try dus.run("edit", "wm-2025-0020", "--from", "wm.md").status == 0)
        #expect(try dus.run("status", "WM-2025-0020", "agreed", "--user", "panel chair").status == 0)
        let history = try dus.run("history", "WM-2025-0020").stdout
        #expect(history.contains("  panel chair  imported from "))
        #expect(history.contains("  probation manager  edited from wm.md (keeps the review as it was before: --format json)\n    age: 22 → 23\n    factors.previous_overdose: unknown → yes\n"))
        #expect(history.contains("  panel chair  status draft → agreed\n"))
        let json = try dus.run("history", "WM-2025-0020", "--format", "json").stdout
        #expect(json.contains("\"by\": \"probation manager\"") && json.contains("\"path\": \"factors.previous_overdose\""))
        #expect(json.contains("\"old\": \"unknown\"") && json.contains("\"new\": \"yes\""))
        #expect(json.contains("\"path\": \"status\"") && json.contains("\"old\": \"draft\""))
    }

    @Test func doctorAndBackupReportAndCopy() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let doctor = try dus.run("doctor")
        #expect(doctor.status == 0 && doctor.stdout.hasSuffix("all 6 checks passed\n"))
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
        #expect(rebuilt.stdout.hasPrefix("rebuilt the search index: ") && rebuilt.stdout.hasSuffix("all 6 checks passed\n"))
        #expect(try dus.run("search", "naloxone").status == 0)
    }

    @Test func historyShowsEveryChangeOldestFirstAndKeepsEarlierVersions() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let shown = try dus.run("show", "NW-2024-0011").stdout
        try dus.write("amended.md", shown.replacingOccurrences(of: "Toxicology found heroin and a nitazene.", with: "Toxicology found heroin, a nitazene and alcohol."))
        #expect(try dus.run("import", "--replace", "--reason", "Toxicology report received", "--user", "Learning lead (North West)", dus.path("amended.md")).status == 0)
        let text = try dus.run("history", "NW-2024-0011")
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.first == "NW-2024-0011: 2 audit entries, oldest first; times in Europe/London")
        #expect(lines[1].contains("  imported from ") && lines[1].hasSuffix("nw-2024-0011.md"))
        #expect(lines[2].contains("  Learning lead (North West)  amended from ") && lines[2].hasSuffix("amended.md: Toxicology report received (keeps the review as it was before: --format json)"))
        // Who and what: the actor, and each field changed with its old and new value.
        // A long text is shown around the words that changed.
        #expect(lines[3].hasPrefix("    summary: …") && lines[3].contains("heroin and a nitazene. → …") && lines[3].hasSuffix("heroin, a nitazene and alcohol."))
        // Times are London's, with their offset (+00:00 or +01:00).
        #expect(lines[1].range(of: #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0[01]:00  "#, options: .regularExpression) != nil)
        let json = try dus.run("history", "NW-2024-0011", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.map { $0["event"] as? String } == ["imported", "amended"])
        #expect(entries[1]["by"] as? String == "Learning lead (North West)")
        let changes = try #require(entries[1]["changes"] as? [[String: Any]])
        #expect(changes.count == 1 && changes[0]["path"] as? String == "summary")
        #expect((changes[0]["old"] as? String)?.hasSuffix("Toxicology found heroin and a nitazene.") == true)
        #expect((changes[0]["new"] as? String)?.hasSuffix("Toxicology found heroin, a nitazene and alcohol.") == true)
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

/// End-to-end: the audit trail refuses change from other SQLite clients, and dus doctor
/// finds an entry rewritten by one that dropped the triggers.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell (scripts/test installs it)"))
struct AuditChainCommandTests {
    @Test func anotherClientCannotChangeTheTrailAndARewriteIsNamedByDoctor() throws {
        let dus = try Harness()
        let database = dus.path("dus.sqlite")
        #expect(try dus.run("import", Harness.examples).status == 0)
        try dus.write("wm.md", try dus.run("show", "WM-2025-0020").stdout.replacingOccurrences(of: "age: 22", with: "age: 23"))
        #expect(try dus.run("edit", "WM-2025-0020", "--from", "wm.md", "--user", "panel chair").status == 0)
        #expect(try dus.run("redact", "WM-2025-0020", "--field", "summary", "--text", "parked car", "--reason", "Too specific").status == 0)
        let redaction = try dus.run("history", "WM-2025-0020").stdout
        #expect(redaction.contains("redacted summary: Too specific\n    audit entry 30: (none) → redacted\n"))
        let healthy = try dus.run("doctor")
        #expect(healthy.status == 0 && healthy.stdout.contains("ok       audit trail (31 entries chained; head "))
        // The sqlite3 shell cannot change or remove an entry.
        let update = try Harness.sqlite3(database, "UPDATE audit SET reason = 'nothing to see' WHERE id = 30")
        #expect(update.status != 0)
        let delete = try Harness.sqlite3(database, "DELETE FROM audit WHERE id = 30")
        #expect(delete.status != 0)
        // dus's own corrections keep the chain verifiable, and say which entries they changed.
        #expect(try dus.run("delete", "NW-2024-0011", "--reason", "Imported by mistake").status == 0)
        #expect(try dus.run("delete", "WM-2025-0020", "--reason", "Imported by mistake").status == 0)
        #expect(try dus.run("doctor").status == 0)
        // Nothing of a deleted review's text stays in its trail, field changes included.
        let afterDelete = try dus.run("history", "WM-2025-0020", "--format", "json").stdout
        #expect(!afterDelete.contains("\"path\": \"age\"") && !afterDelete.contains("parked car"))

        // With the triggers dropped, a rewrite goes in, and doctor names the entry.
        let rewrite = try Harness.sqlite3(database, "DROP TRIGGER audit_refuses_update; UPDATE audit SET actor = 'someone else' WHERE id = 30")
        #expect(rewrite.status == 0)
        let found = try dus.run("doctor")
        #expect(found.status == 1)
        #expect(found.stdout.contains("PROBLEM  audit trail"))
        #expect(found.stdout.contains("audit entry 30 does not match its digest: it was changed outside dus"))
    }
}
