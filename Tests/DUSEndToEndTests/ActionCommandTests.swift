import Foundation
import Testing

/// End-to-end: `dus action ...` and `dus recommendation ...` keep actions current, over the
/// example reviews (today is 2026-11-22 in the harness).
@Suite struct ActionCommandTests {
    /// WM-2024-0015 is agreed; its R2/A1 is open and overdue. NW-2024-0011 is published.
    static let open = "WM-2024-0015/R2/A1"

    func history(_ dus: Harness, _ reference: String) throws -> [[String: Any]] {
        let json = try dus.run("history", reference, "--format", "json").stdout
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return ((object as? [String: Any])?["entries"] as? [[String: Any]]) ?? []
    }

    @Test func anOverdueActionIsChasedRevisedAndCompletedWithEvidenceEachStepAudited() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        #expect(try dus.run("actions", "--overdue").stdout.contains(Self.open))

        let update = try dus.run("action", "update", Self.open.lowercased(), "--note", "Chased the safeguarding board.", "--user", "Area manager")
        #expect(update.status == 0 && update.stdout == "\(Self.open): action updated (open, target 2025-10-31)\n", "\(update.stderr)")
        // A back-dated update takes its place by date: updates stay oldest first.
        #expect(try dus.run("action", "update", Self.open, "--note", "Board papers sent.", "--date", "2025-09-01").status == 0)
        let updates = try dus.run("show", "WM-2024-0015", "--format", "json").stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(updates.utf8)) as? [String: Any])
        let recommendation = try #require((object["recommendations"] as? [[String: Any]])?.first { $0["id"] as? String == "R2" })
        let action = try #require((recommendation["actions"] as? [[String: Any]])?.first { $0["id"] as? String == "A1" })
        let recorded = try #require(action["updates"] as? [[String: String]]).compactMap { $0["date"] }
        #expect(recorded == recorded.sorted() && recorded.last == "2026-11-22", "\(recorded)")
        let revise = try dus.run("action", "revise", Self.open, "--target", "2027-03-31", "--note", "The board meets in March.")
        #expect(revise.status == 0 && revise.stdout == "\(Self.open): action revised (open, target 2027-03-31)\n")
        // Revised to a later date: no longer overdue, and the earlier dates are kept.
        #expect(!(try dus.run("actions", "--overdue").stdout.contains(Self.open)))
        let shown = try dus.run("show", "WM-2024-0015").stdout
        #expect(shown.contains("revised_target_dates: [2025-07-31, 2025-10-31, 2027-03-31]"), "\(shown)")

        let complete = try dus.run("action", "complete", Self.open, "--date", "2026-11-20", "--evidence", "Protocol used in 12 linked cases since June.")
        #expect(complete.status == 0 && complete.stdout == "\(Self.open): action completed (complete on 2026-11-20)\n")
        let markdown = try dus.run("show", "WM-2024-0015").stdout
        #expect(markdown.contains("evidence: Protocol used in 12 linked cases since June."))

        let events = try history(dus, "WM-2024-0015").compactMap { $0["event"] as? String }
        #expect(events.suffix(4) == ["action updated", "action updated", "action revised", "action completed"])
        let entries = try history(dus, "WM-2024-0015")
        #expect(entries.first { ($0["event"] as? String) == "action updated" }?["by"] as? String == "Area manager")
        let text = try dus.run("history", "WM-2024-0015").stdout
        #expect(text.contains("recommendations[R2].actions[A1].status: open → complete"))
        #expect(text.contains("recommendations[R2].actions[A1].evidence: (none) → Protocol used in 12 linked cases since June."))

        // Complete: no more updates; evidence can still be added.
        let again = try dus.run("action", "update", Self.open, "--note", "More.")
        #expect(again.status == 1 && again.stderr == "dus: \(Self.open): is complete; a complete action takes no more updates\n")
        let evidence = try dus.run("action", "evidence", Self.open, "--evidence", "Audit of March: all linked cases flagged.")
        #expect(evidence.status == 0 && evidence.stdout.hasPrefix("\(Self.open): the earlier evidence is replaced (dus history WM-2024-0015 keeps it)\n"))
        // Evidence is a text like any other: a name typed into it by mistake can be redacted.
        let redacted = try dus.run("redact", "WM-2024-0015", "--field", "recommendations[R2].actions[A1].evidence", "--text", "March", "--reason", "Test of redaction")
        #expect(redacted.status == 0, "\(redacted.stderr)")
        #expect(try dus.run("show", "WM-2024-0015", "--format", "json").stdout.contains(#""evidence": "Audit of [redacted]: all linked cases flagged.""#))
        let summary = try dus.run("actions", "--summary", "--format", "json").stdout
        #expect(summary.contains("\"completed_with_evidence\""))
    }

    @Test func progressOnAPublishedReviewIsNotAnAmendmentButAChangedResponseIs() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let added = try dus.run("action", "add", "NW-2024-0011/R1", "--text", "Check the alert list each quarter.", "--owner", "Public Health Drug-Related Death Coordinator", "--target", "2027-03-31")
        #expect(added.status == 0 && added.stdout == "NW-2024-0011/R1/A2: action added (open, target 2027-03-31)\n", "\(added.stderr)")
        #expect(try dus.run("action", "update", "NW-2024-0011/R1/A2", "--note", "First check done.").status == 0)
        let events = try history(dus, "NW-2024-0011").compactMap { $0["event"] as? String }
        #expect(events.suffix(2) == ["action added", "action updated"] && !events.contains("amended"))
        // A response is not progress: on a published review it needs its reason.
        let refused = try dus.run("recommendation", "respond", "NW-2024-0011/R2", "--response", "agreed")
        #expect(refused.status == 1 && refused.stderr == "dus: NW-2024-0011: is published; changing anything but its actions is an amendment and needs --reason\n")
        let responded = try dus.run("recommendation", "respond", "NW-2024-0011/R2", "--response", "agreed", "--reason", "The commissioner agreed at retender.")
        #expect(responded.status == 0 && responded.stdout == "NW-2024-0011/R2: amended (agreed)\n")
        let shown = try dus.run("show", "NW-2024-0011", "--format", "json").stdout
        #expect(!shown.contains("outside the current service specification"))
        // The same response again writes nothing.
        let same = try dus.run("recommendation", "respond", "NW-2024-0011/R2", "--response", "agreed", "--reason", "Again.")
        #expect(same.status == 0 && same.stdout == "NW-2024-0011/R2: already agreed; nothing was written\n")
        // A recommendation added to a draft needs no reason; one not agreed needs its reasons.
        let noReasons = try dus.run("recommendation", "add", "WM-2025-0020", "--text", "Offer naloxone at release.", "--response", "not-agreed")
        #expect(noReasons.status == 1 && noReasons.stderr.contains("a response other than agreed needs --response-category and --response-reason"))
        let recommended = try dus.run("recommendation", "add", "wm-2025-0020", "--text", "Offer naloxone at release.", "--response", "partly-agreed",
                                      "--response-category", "commissioning", "--response-reason", "Depends on the contract.", "--theme", "naloxone")
        #expect(recommended.status == 0 && recommended.stdout.hasPrefix("WM-2025-0020/R") && recommended.stdout.hasSuffix(": recommendation added (partly-agreed)\n"))
    }

    @Test func everyRefusalSaysWhatIsWrongAndChangesNothing() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let before = try dus.run("show", "WM-2024-0015", "--format", "json").stdout
        let refusals: [([String], String)] = [
            (["action", "update", Self.open, "--note", "x", "--date", "2026-11-23"], "dus: \(Self.open): --date: 2026-11-23 is in the future (today is 2026-11-22)\n"),
            (["action", "update", Self.open, "--note", "x", "--date", "2026-02-30"], "--date '2026-02-30' is not a real date YYYY-MM-DD"),
            (["action", "update", Self.open, "--note", "  "], "dus: \(Self.open): --note needs some text\n"),
            (["action", "update", Self.open, "--note", "Rang John Smith on 07700 900123."], "contains what looks like"),
            (["action", "update", "WM-2024-0015/R2", "--note", "x"], "is not an action's address; write REF/R1/A1"),
            (["action", "update", "WM-2024-0015/R9/A1", "--note", "x"], "dus: WM-2024-0015/R9: no recommendation with this id in the review"),
            (["action", "update", "WM-2024-0015/R2/A7", "--note", "x"], "dus: WM-2024-0015/R2/A7: no action with this id in the recommendation"),
            (["action", "update", "XX-2024-0001/R1/A1", "--note", "x"], "XX-2024-0001"),
            (["action", "revise", Self.open, "--target", "2025-10-31"], "dus: \(Self.open): 2025-10-31 is already the current target date\n"),
            (["action", "complete", Self.open, "--date", "2024-01-01"], "is before the review's event date"),
            (["action", "complete", Self.open, "--date", "2026-12-01"], "is in the future"),
            (["action", "evidence", Self.open, "--evidence", "x"], "is not complete; evidence is what shows that a completed action worked"),
            (["action", "withdraw", Self.open], "--withdrawn-reason"),
            (["action", "add", "WM-2024-0015/R2", "--text", "x", "--owner", "y", "--target", "soon"], "--target 'soon' is not a real date"),
            (["action", "add", "WM-2024-0015/R2", "--text", "x", "--owner", "y", "--target", "2020-01-31"], "--target: 2020-01-31 is before the review's event date"),
            (["action", "update", Self.open, "--note", "x", "--date", "2020-01-31"], "--date: 2020-01-31 is before the review's event date"),
            (["action", "revise", Self.open, "--target", "2020-01-31"], "--target: 2020-01-31 is before the review's event date"),
        ]
        for (arguments, message) in refusals {
            let result = try dus.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try dus.run("show", "WM-2024-0015", "--format", "json").stdout == before)
        // Withdrawn, the action takes no more updates either.
        #expect(try dus.run("action", "withdraw", Self.open, "--withdrawn-reason", "Superseded by the regional protocol.").status == 0)
        let closed = try dus.run("action", "revise", Self.open, "--target", "2027-01-31")
        #expect(closed.status == 1 && closed.stderr == "dus: \(Self.open): is withdrawn; a withdrawn action takes no more updates\n")
        #expect(!(try dus.run("actions", "--overdue").stdout.contains(Self.open)))
    }
}
