import Foundation
import GRDB
import Testing
@testable import DUSCore

/// `dus redact` and `dus delete`: a text typed by mistake leaves no trace in the files.
@Suite struct CorrectionTests {
    /// A database file with NW-1, whose summary and second finding hold a name (which the
    /// identifier screen cannot tell from other words), then amended once so that an
    /// earlier version holding the name sits in the audit trail.
    static func fixture(busyTimeout: TimeInterval = Store.defaultBusyTimeout) throws -> (store: Store, path: String) {
        let folder = Scratch.root.appendingPathComponent("dus-corrections-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("dus.sqlite").path
        let store = try Store(path: path, busyTimeout: busyTimeout)
        var review = Review(reference: "NW-1", kind: .death, eventDate: Day("2025-03-01")!, region: "North West", supervision: .licence)
        review.summary = "Jonty Quillfeather was found by a friend."
        review.findings = [Note(text: "No naloxone was offered.", themes: ["naloxone"]),
                           Note(text: "Staff knew Jonty Quillfeather used alone.", themes: ["risk-assessment"])]
        review.learning = [Note(text: "Ask about using alone.", themes: ["harm-reduction"])]
        try store.write { db in
            try store.insert(review, db, now: "2026-01-01T00:00:00Z")
            try store.audit(db, reference: "NW-1", event: "imported", now: "2026-01-01T00:00:00Z", content: nil)
        }
        let amended = review
        review.findings[0].text = "No naloxone was offered on release."
        try store.write { db in
            try store.deleteReview(reference: "NW-1", db)
            try store.insert(review, db, now: "2026-02-01T00:00:00Z")
            try store.audit(db, reference: "NW-1", event: "amended", now: "2026-02-01T00:00:00Z", reason: "Finding made clearer", content: amended)
        }
        return (store, path)
    }

    /// Whether any of the database's files holds `text`, as written or as the search index
    /// keeps its words (lower case and stemmed: the first seven letters of each word).
    static func filesHold(_ text: String, at path: String, orItsWords: Bool = true) -> Bool {
        let words = orItsWords ? text.lowercased().split(separator: " ").filter { $0.count >= 7 }.map { Data($0.prefix(7).utf8) } : []
        let needles = [Data(text.utf8)] + words
        return ["", "-wal"].contains { suffix in
            guard let contents = FileManager.default.contents(atPath: path + suffix) else { return false }
            return needles.contains { contents.range(of: $0) != nil }
        }
    }

    @Test func aRedactedNameIsGoneFromTheReviewTheAuditTrailSearchAndTheFile() throws {
        let (store, path) = try Self.fixture()
        #expect(Self.filesHold("Quillfeather", at: path))
        let report = try store.redact(reference: "NW-1", field: "summary", text: "Jonty Quillfeather", reason: "A name typed by mistake")
        // The earlier version in the audit trail held it too; the second finding still does.
        #expect(report.fieldChanged && report.auditEntriesChanged == 1 && report.logFolded)
        #expect(report.alsoIn == ["findings[2]"])
        let review = try #require(try store.review("NW-1"))
        #expect(review.summary == "[redacted] was found by a friend.")
        // Only the field named changes in the review: the finding still holds the name.
        #expect(review.findings[1].text == "Staff knew Jonty Quillfeather used alone.")
        #expect(review.findings[0].text == "No naloxone was offered on release.")
        try store.redact(reference: "NW-1", field: "findings[2].text", text: "Jonty Quillfeather", reason: "A name typed by mistake")
        #expect(try store.review("NW-1")?.findings[1].text == "Staff knew [redacted] used alone.")
        // Nowhere in the database, nor in its files: not in the index, nor in freed pages.
        let search = SearchEngine(store: store)
        #expect(try search.search(SearchQuery("quillfeather")).matchingTexts == 0)
        #expect(try search.search(SearchQuery("redacted")).matchingTexts == 2)
        #expect(!Self.filesHold("Quillfeather", at: path))
        // The audit trail records each redaction, with its reason and field, and no copy.
        let audit = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT event, reason, detail, content FROM audit WHERE reference = 'NW-1' ORDER BY id")
        }
        #expect(audit.map { $0["event"] as String } == ["imported", "amended", "redacted", "redacted"])
        #expect(audit[2]["detail"] as String == "summary" && audit[2]["reason"] as String == "A name typed by mistake")
        #expect(audit[2]["content"] as String? == nil)
        // The earlier version is still there, with only the name changed.
        let earlier = try #require(audit[1]["content"] as String?)
        #expect(earlier.contains("No naloxone was offered.") && earlier.contains("[redacted] was found by a friend."))
    }

    @Test func anotherProgramReadingDoesNotTurnASavedRedactionIntoAnError() throws {
        // The fold waits for readers as long as the busy timeout: short here.
        let (store, path) = try Self.fixture(busyTimeout: 0.2)
        // Another connection in the middle of a read: the log cannot be folded in while it reads.
        let other = try DatabaseQueue(path: path)
        let report = try other.read { db in
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM review")
            return try store.redact(reference: "NW-1", field: "summary", text: "Jonty Quillfeather", reason: "A name typed by mistake")
        }
        #expect(report.fieldChanged && !report.logFolded)
        #expect(try store.review("NW-1")?.summary == "[redacted] was found by a friend.")
        try other.close()
    }

    @Test func aWholeTextIsRedactedWhenNoPartIsGiven() throws {
        let (store, _) = try Self.fixture()
        try store.redact(reference: "NW-1", field: "findings[2]", text: nil, reason: "Identifies the person")
        #expect(try store.review("NW-1")?.findings.map(\.text) == ["No naloxone was offered on release.", "[redacted]"])
    }

    @Test func aRedactionThatCannotBeDoneChangesNothing() throws {
        let (store, path) = try Self.fixture()
        let before = try #require(FileManager.default.contents(atPath: path))
        #expect(throws: StoreError.notFound(reference: "NW-9")) { try store.redact(reference: "NW-9", field: "summary", text: nil, reason: "Typo") }
        let cases: [(String, String, String?, String, CorrectionError)] = [
            ("NW-1", "findings[7]", nil, "Typo", .noField(reference: "NW-1", field: "findings[7]")),
            ("NW-1", "findings[two]", nil, "Typo", .noField(reference: "NW-1", field: "findings[two]")),
            ("NW-1", "summary", "Nobody", "Typo", .textNotInField(reference: "NW-1", field: "summary")),
            // Whole words only: "Quill" is part of a word here.
            ("NW-1", "summary", "Quill", "Typo", .textNotInField(reference: "NW-1", field: "summary")),
            ("NW-1", "summary", nil, "  ", .reason("a reason is required")),
            ("NW-1", "summary", nil, "Asked by case X123456", .reason("contains what looks like a case reference number; reviews are pseudonymous: reword it")),
            ("NW-1", "summary", "Quillfeather", "Quillfeather is a real name", .reason("holds the text being redacted; give the reason without it")),
            ("NW-1", "summary", "[redacted]", "Typo", .nothingToRedact(reference: "NW-1", field: "summary")),
        ]
        for (reference, field, text, reason, expected) in cases {
            #expect(throws: expected) { try store.redact(reference: reference, field: field, text: text, reason: reason) }
        }
        #expect(try store.review("NW-1")?.summary == "Jonty Quillfeather was found by a friend.")
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func aTextOnlyInAnEarlierVersionIsRemovedFromTheAuditTrail() throws {
        let (store, path) = try Self.fixture()
        // The amendment changed the first finding; its old wording is only in the audit trail.
        let report = try store.redact(reference: "NW-1", field: "findings[1]", text: "No naloxone was offered.", reason: "Wording agreed in error")
        #expect(!report.fieldChanged && report.auditEntriesChanged == 1)
        #expect(try store.review("NW-1")?.findings[0].text == "No naloxone was offered on release.")
        // (Its words are still in the current version: only the old wording must be gone.)
        #expect(!Self.filesHold("No naloxone was offered.", at: path, orItsWords: false))
    }

    @Test func anOldCopyIsRedactedEvenIfItWouldFailTodaysRulesAndKeysAreNeverTouched() throws {
        let (store, path) = try Self.fixture()
        // A copy stored before a rule was added (here, a title before a name), and a file
        // name holding the name.
        // (The audit table is append-only: the test opens it as only dus's corrections may.)
        try store.auditDoor.whileOpen {
            try store.write { db in
                try db.execute(sql: "UPDATE audit SET content = replace(content, 'by a friend', 'by Mr Quillfeather'), detail = 'in/quillfeather-notes.md' WHERE event = 'amended'")
            }
        }
        try store.redact(reference: "NW-1", field: "summary", text: nil, reason: "Identifies the person")
        try store.redact(reference: "NW-1", field: "summary", text: "Quillfeather", reason: "The name in the older copy")
        let amended = try #require(try store.history(of: "NW-1").first { $0.event == "amended" })
        #expect(amended.detail == "in/quillfeather-notes.md")
        try store.redact(reference: "NW-1", field: "summary", text: "quillfeather", reason: "The file name")
        let after = try #require(try store.history(of: "NW-1").first { $0.event == "amended" })
        #expect(after.detail == "in/[redacted]-notes.md")
        // "text" is a key of every finding in the copy: redacting the word changes texts only.
        try store.redact(reference: "NW-1", field: "learning[1]", text: "alone", reason: "Test of keys")
        let copy = try #require(after.content.flatMap { _ in try store.history(of: "NW-1").first { $0.event == "amended" }?.content })
        #expect(copy.contains(#""learning":[{"text":"Ask about using [redacted].""#))
        // The second finding still names the person until it is redacted too.
        #expect(Self.filesHold("Quillfeather", at: path))
        try store.redact(reference: "NW-1", field: "findings[2]", text: "Jonty Quillfeather", reason: "A name typed by mistake")
        #expect(!Self.filesHold("Quillfeather", at: path) && !Self.filesHold("quillfeather", at: path))
    }

    @Test func aDeletedReviewLeavesOnlyItsAuditEntriesWithoutCopies() throws {
        let (store, path) = try Self.fixture()
        try store.delete(reference: "NW-1", reason: "Imported into the wrong database")
        #expect(try store.review("NW-1") == nil)
        #expect(try SearchEngine(store: store).search(SearchQuery("naloxone")).matchingTexts == 0)
        let audit = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT event, reason, content FROM audit WHERE reference = 'NW-1' ORDER BY id")
        }
        #expect(audit.map { $0["event"] as String } == ["imported", "amended", "deleted"])
        #expect(audit.allSatisfy { ($0["content"] as String?) == nil })
        #expect(audit[2]["reason"] as String == "Imported into the wrong database")
        #expect(!Self.filesHold("Quillfeather", at: path))
        #expect(throws: StoreError.notFound(reference: "NW-1")) { try store.delete(reference: "NW-1", reason: "Again") }
    }
}
