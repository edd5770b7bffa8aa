import Foundation
import Testing

/// End-to-end: `dus edit` with an editor (a script standing in for one) and with --from.
@Suite struct EditCommandTests {
    @Test func anEditInTheEditorIsCheckedSavedAndAudited() throws {
        let dus = try Harness(editor: "sed -i 's/Released to the family home/Released to a hostel/'")
        #expect(try dus.run("import", Harness.examples).status == 0)
        // NW-2024-0011 is published: a change beyond its actions is refused without a
        // reason, and the edit is kept for the user.
        let refused = try dus.runInTerminal(["edit", "NW-2024-0011"])
        #expect(refused.status == 1 && refused.stderr.hasPrefix("dus: NW-2024-0011: is published; changing anything but its actions is an amendment and needs --reason\n"))
        let kept = try dus.keptEditFiles()
        #expect(kept.count == 1 && refused.stderr.contains("Your edit is kept in \(kept[0])"))
        try FileManager.default.removeItem(atPath: kept[0])
        let amended = try dus.runInTerminal(["edit", "NW-2024-0011", "--reason", "Accommodation corrected by the panel"])
        #expect(amended.status == 0 && amended.stdout == "amended NW-2024-0011\n")
        #expect(try dus.run("show", "NW-2024-0011").stdout.contains("Released to a hostel with a methadone"))
        #expect(try dus.run("history", "NW-2024-0011").stdout.contains("  amended: Accommodation corrected by the panel (keeps the review as it was before"))
        #expect(try dus.run("search", "\"family home\"").stdout.hasPrefix("No text matches"))
        // The temporary file is gone once the edit is saved.
        #expect(try dus.keptEditFiles().isEmpty)
        // The same edit again finds nothing to replace: the file comes back unchanged.
        let unchanged = try dus.runInTerminal(["edit", "NW-2024-0011", "--reason", "Again"])
        #expect(unchanged.status == 0 && unchanged.stdout == "NW-2024-0011: the file was not changed; nothing was written\n")
        #expect(try dus.run("history", "--format", "json", "NW-2024-0011").stdout.components(separatedBy: "\"event\"").count == 3)
    }

    @Test func aFailedEditChangesNothingAndIsKeptForTheUserToFix() throws {
        let dus = try Harness(editor: "sed -i 's/^region: .*/region: Atlantis/; s/^age: .*/age: 44/'")
        #expect(try dus.run("import", Harness.examples).status == 0)
        let before = try dus.run("show", "WM-2025-0020", "--format", "json").stdout
        let failed = try dus.runInTerminal(["edit", "WM-2025-0020"])
        #expect(failed.status == 1)
        let kept = try #require(try dus.keptEditFiles().first)
        #expect(failed.stderr.contains("\(kept):8: region: unknown region \"Atlantis\""))
        #expect(failed.stderr.contains("1 problem; nothing was changed\n"))
        #expect(failed.stderr.hasSuffix("Your edit is kept in \(kept): fix it there and run: dus edit WM-2025-0020 --from \(kept)\n"))
        #expect(try dus.run("show", "WM-2025-0020", "--format", "json").stdout == before)
        // The kept file holds the user's other change too; fixed, it goes in with --from.
        let text = try String(contentsOfFile: kept, encoding: .utf8)
        #expect(text.contains("age: 44\n"))
        try Data(text.replacingOccurrences(of: "region: Atlantis", with: "region: West Midlands").utf8).write(to: URL(fileURLWithPath: kept))
        let fixed = try dus.run("edit", "WM-2025-0020", "--from", kept)
        #expect(fixed.status == 0 && fixed.stdout == "edited WM-2025-0020\n")
        #expect(try dus.run("show", "WM-2025-0020", "--format", "json").stdout.contains("\"age\": 44"))
        #expect(try dus.run("history", "WM-2025-0020").stdout.contains("  edited from \(kept)"))
    }

    @Test func anEditIsNotWrittenOverAChangeMadeWhileTheEditorWasOpen() throws {
        // The "editor" is slow: someone moves the review on before the age is saved.
        let dus = try Harness(editor: "'\(Harness.binary.path)' status WM-2025-0020 agreed >/dev/null; sed -i 's/^age: .*/age: 44/'")
        #expect(try dus.run("import", Harness.examples).status == 0)
        let refused = try dus.runInTerminal(["edit", "WM-2025-0020"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("dus: WM-2025-0020: was changed by someone else while it was being edited; nothing was written"))
        let kept = try #require(try dus.keptEditFiles().first)
        #expect(try String(contentsOfFile: kept, encoding: .utf8).contains("age: 44\n"))
        let shown = try dus.run("show", "WM-2025-0020", "--format", "json").stdout
        #expect(shown.contains("\"status\": \"agreed\"") && shown.contains("\"age\": 22"))
    }

    @Test func theEditorCanGiveUpAndTheReferenceAndStatusStayPut() throws {
        let dus = try Harness(editor: "false")
        #expect(try dus.run("import", Harness.examples).status == 0)
        let gaveUp = try dus.runInTerminal(["edit", "WM-2025-0020"])
        #expect(gaveUp.status == 1 && gaveUp.stderr.contains("dus: the editor (false) stopped with exit status 1; nothing was changed"))
        #expect(try dus.keptEditFiles().count == 1)
        #expect(try dus.run("edit", "WM-2025-0020").stderr.contains("needs a terminal"))
        #expect(try dus.run("edit", "XX-1", "--from", "x.md").stderr == "dus: XX-1: no review with this reference\n")

        let shown = try dus.run("show", "WM-2025-0020").stdout
        try dus.write("renamed.md", shown.replacingOccurrences(of: "reference: WM-2025-0020", with: "reference: WM-2025-0099"))
        let renamed = try dus.run("edit", "WM-2025-0020", "--from", "renamed.md")
        #expect(renamed.status == 1 && renamed.stderr.hasPrefix("dus: renamed.md: reference: is WM-2025-0099, not WM-2025-0020"))
        try dus.write("agreed.md", shown.replacingOccurrences(of: "status: draft", with: "status: agreed"))
        let moved = try dus.run("edit", "WM-2025-0020", "--from", "agreed.md")
        #expect(moved.status == 1 && moved.stderr.contains("status: changed from draft to agreed; move a review with `dus status WM-2025-0020 agreed`"))
        #expect(try dus.run("edit", "WM-2025-0020", "--from", Harness.examples).stderr.contains("holds 29 reviews; give a file with exactly one"))
        #expect(try dus.run("list").stdout.hasSuffix("29 reviews\n"))
    }
}
