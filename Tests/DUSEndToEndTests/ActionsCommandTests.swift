import Foundation
import Testing

/// End-to-end: `dus actions` over the example reviews, its formats, errors and exit codes.
@Suite struct ActionsCommandTests {
    @Test func actionsListsOverdueOnesByTargetDateAndTheJSONFollowsTheContract() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let json = try dus.run("actions", "--overdue", "--format", "json", "--as-of", "2026-11-23")
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["as_of"] as? String == "2026-11-23")
        let actions = try #require(object["actions"] as? [[String: Any]])
        #expect(!actions.isEmpty)
        for action in actions {
            for key in ["id", "reference", "recommendation", "text", "owner", "target_date", "status", "overdue"] {
                #expect(action[key] != nil, "\(key) missing")
            }
            let id = try #require(action["id"] as? String)
            let reference = try #require(action["reference"] as? String)
            #expect(id.hasPrefix(reference + "/R") && id.contains("/A"))
            #expect(action["status"] as? String == "open" && action["overdue"] as? Bool == true)
            #expect(try #require(action["target_date"] as? String) < "2026-11-23")
        }
        let targets = actions.compactMap { $0["target_date"] as? String }
        #expect(targets == targets.sorted())
        // The default as-of date is today (fixed by the harness), and the text says so.
        let text = try dus.run("actions", "--overdue")
        #expect(text.status == 0 && text.stdout.contains("as of 2026-11-22"))
        #expect(text.stdout.contains("overdue = open, with the target date before 2026-11-22"))
        // CSV: a header and one row per action.
        let csv = try dus.run("actions", "--overdue", "--as-of", "2026-11-23", "--format", "csv")
        #expect(csv.stdout.split(separator: "\r\n").count == actions.count + 1)
        #expect(csv.stdout.hasPrefix("id,reference,recommendation,response,owner,status,target_date"))
    }

    @Test func theSummaryCountsAndBadOptionsAreUsageErrors() throws {
        let dus = try Harness()
        // An empty database: no actions is a success.
        try FileManager.default.createDirectory(atPath: dus.path("none"), withIntermediateDirectories: true)
        #expect(try dus.run("import", "none").status == 0)
        let empty = try dus.run("actions", "--summary", "--format", "json")
        #expect(empty.status == 0 && empty.stdout.contains("\"actions\": 0"))
        #expect(try dus.run("import", Harness.examples).status == 0)
        let summary = try dus.run("actions", "--summary", "--due-within", "30", "--as-of", "2026-11-23")
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("Open actions by owner, most overdue first:"))
        #expect(summary.stdout.contains("due soon = open, with the target date from 2026-11-23 to 2026-12-23 (within 30 days)"))
        for bad in [["--as-of", "2026-02-30"], ["--due-within", "-1"], ["--due-within", "9223372036854775807"], ["--owner", ""], ["--action-status", "done"], ["--response", "yes"],
                    ["--theme", "nalaxone"], ["--summary", "--format", "html"], ["--format", "md"], ["--group-by", "owner"]] {
            let result = try dus.run(["actions"] + bad)
            #expect(result.status == 64, "\(bad)")
        }
        #expect(try dus.run("actions", "--theme", "nalaxone").stderr.contains("--theme 'nalaxone' is not a theme"))
    }
}
