import Foundation
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
}
