import Foundation
import Testing

/// End-to-end: a value changed by another SQLite client into something dus never writes
/// crashes no command. Each column of the review table is damaged in turn through the
/// sqlite3 shell; every read command then either works (it does not read that value) or
/// stops with `dus: REF: FIELD: stored value cannot be read (…); run dus doctor`, and
/// `dus doctor` names the review and the field. `dus delete` still removes the review.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell (scripts/test installs it)"))
struct DamagedValueTests {
    static let reference = "GM-2024-0004"

    /// Each column of the review table and SQL for a value dus would never write there:
    /// an unknown spelling, a text that is not a date or number, truncated JSON, a blob.
    static let damages: [(column: String, value: String)] = [
        ("reference", "x'00ff'"), ("kind", "'Death'"), ("status", "'Published'"), ("classification", "'likely'"),
        ("event_date", "'20th April'"), ("release_date", "'2024-13-45'"), ("review_date", "x'01'"), ("region", "'Narnia'"),
        ("supervision", "'parole'"), ("age", "'thirty'"), ("sex", "'m'"), ("ethnicity", "'Other'"), ("event_place", "'street'"),
        ("bystander_present", "'Y'"), ("naloxone_given_at_event", "'maybe'"), ("ambulance_attended", "2"),
        ("substances", "substr(substances, 1, length(substances) - 2)"), ("agencies", "'{}'"), ("summary", "x'c3'"),
        ("answers", "'yes-no'"), ("days_since_release", "'soon'"), ("release_band", "'0-14'"), ("age_band", "x'00'"),
        ("created_at", "x'00'"), ("updated_at", "x'0000'"), ("finding_themes", "'[\"naloxone\"'"),
        ("findings", "substr(findings, 1, length(findings) - 3)"), ("learning", "'[{\"themes\":[]}]'"),
        ("recommendations", "substr(recommendations, 1, 40)"),
    ]

    /// The read commands, and whether each must stop for a damaged value in `column`
    /// (because it reads that value of every review, or of this one).
    static func commands(for column: String) -> [(arguments: [String], mustStop: Bool)] {
        let listed = ["reference", "kind", "status", "classification", "event_date", "region", "supervision"]
        let counted = ["kind", "event_date", "region", "supervision", "days_since_release", "answers", "substances", "finding_themes"]
        // With its reference damaged, the review is no longer found by it.
        let show: [(arguments: [String], mustStop: Bool)] = column == "reference" ? [] : [(["show", reference], true)]
        return show + [
            (["list"], listed.contains(column)),
            (["list", "--format", "json"], listed.contains(column)),
            (["export", "--format", "md", "--out", "md"], true),
            (["export", "--format", "csv", "--out", "csv"], true),
            (["patterns"], counted.contains(column)),
            (["patterns", "--format", "json", "--by", "region"], counted.contains(column)),
            (["search", "naloxone", "--limit", "0"], false),
            (["similar", "NW-2024-0011"], false),
            (["actions"], false),
            (["actions", "--summary"], false),
            (["bulletin", "--period", "2024-Q2", "--out", "bulletin.md"], false),
            (["history", reference], false),
        ]
    }

    @Test(arguments: damages.map(\.column))
    func aDamagedValueStopsReadsWithItsNameAndDoctorListsIt(column: String) throws {
        let value = try #require(Self.damages.first { $0.column == column }?.value)
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let damage = try Harness.sqlite3(dus.path("dus.sqlite"), "UPDATE review SET \(column) = \(value) WHERE reference = '\(Self.reference)'")
        try #require(damage.status == 0, "\(damage.stderr)")
        // A damaged reference is named by the review's row.
        let named = column == "reference" ? "review row " : Self.reference + ": "
        for (arguments, mustStop) in Self.commands(for: column) {
            let result = try dus.run(arguments)
            let context = Comment(rawValue: "\(column): dus \(arguments.joined(separator: " ")): \(result.status) \(result.stderr)")
            #expect(result.status == 0 || result.status == 1, context)
            if result.status == 1 || mustStop {
                #expect(result.status == 1, context)
                #expect(result.stderr.hasPrefix("dus: \(named)"), context)
                #expect(result.stderr.contains(": \(column): stored value cannot be read ("), context)
                #expect(result.stderr.hasSuffix("); run dus doctor\n"), context)
                #expect(result.stdout.isEmpty, context)
            }
        }
        let doctor = try dus.run("doctor")
        #expect(doctor.status == 1, "\(column)")
        #expect(doctor.stdout.contains("\(named)") && doctor.stdout.contains(": \(column): stored value cannot be read ("), "\(column): \(doctor.stdout)")
        // The stored value itself is never shown.
        #expect(!doctor.stdout.contains("Narnia") && !doctor.stdout.contains("thirty"), "\(column)")
        guard column != "reference" else { return }
        // A damaged review can still be removed, and then every check passes again.
        let delete = try dus.run("delete", Self.reference, "--reason", "Damaged by another tool")
        #expect(delete.status == 0, "\(column): \(delete.stderr)")
        let after = try dus.run("doctor")
        #expect(after.status == 0, "\(column): \(after.stdout)")
    }

    /// Each column of the table `action` (kept beside the reviews for `dus actions`) and a
    /// value dus would never write there; whether `dus actions` reads it.
    static let actionDamages: [(column: String, value: String, isRead: Bool)] = [
        ("review_id", "review_id + 1000", false), ("reference", "x'00'", true), ("recommendation_position", "'first'", true),
        ("recommendation", "x'00'", true), ("position", "'first'", true), ("label", "5", false), ("text", "x'00'", true),
        ("owner", "x'0102'", true), ("target_date", "'soon'", true), ("current_target_date", "'soon'", true),
        ("status", "'Open'", true), ("completed_date", "'yesterday'", true), ("withdrawn_reason", "x'00'", true),
        ("response", "'yes'", true), ("themes", "'[naloxone'", true), ("revised_target_dates", #"'["2025"]'"#, true),
        ("last_update_date", "'2025-02-30'", true), ("last_update_note", "x'00'", true), ("evidence", "x'00'", true),
    ]

    /// The columns `dus actions --summary` counts by in SQL, and those it checks are what
    /// dus writes; it reads no other.
    static let countedColumns: Set<String> = ["owner", "status", "current_target_date", "completed_date", "revised_target_dates", "evidence"]

    @Test(arguments: actionDamages.map(\.column))
    func aDamagedActionRowStopsDusActionsAndDoctorNamesIt(column: String) throws {
        let damage = try #require(Self.actionDamages.first { $0.column == column })
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let changed = try Harness.sqlite3(dus.path("dus.sqlite"), """
            PRAGMA foreign_keys = OFF;
            UPDATE action SET \(column) = \(damage.value) WHERE reference = '\(Self.reference)' AND recommendation = 'R1' AND label = 'A1';
            """)
        try #require(changed.status == 0, "\(changed.stderr)")
        for arguments in [["actions"], ["actions", "--summary"], ["actions", "--format", "json"]] {
            let result = try dus.run(arguments)
            let isRead = damage.isRead && (arguments[1...].first != "--summary" || Self.countedColumns.contains(column))
            let context = Comment(rawValue: "\(column): dus \(arguments.joined(separator: " ")): \(result.status) \(result.stderr)")
            #expect(result.status == (isRead ? 1 : 0), context)
            if isRead {
                #expect(result.stderr.hasPrefix("dus: "), context)
                #expect(result.stderr.contains(".actions[") && result.stderr.contains(": stored value cannot be read ("), context)
                #expect(result.stderr.hasSuffix("); run dus doctor\n"), context)
            }
        }
        let doctor = try dus.run("doctor")
        #expect(doctor.status == 1, "\(column)")
        #expect(doctor.stdout.contains("(table action)"), "\(column): \(doctor.stdout)")
                // A row is found by its review and place: moved from them, it is missing there.
        let moved = ["review_id", "recommendation_position", "position"].contains(column)
        #expect(doctor.stdout.contains(moved ? "recommendations[R1].actions[A1] (table action) is missing" : ".\(column) (table action)"), "\(column): \(doctor.stdout)")
        // The table is written afresh from the reviews, and every check passes again.
        let rebuilt = try dus.run("doctor", "--rebuild-search")
        #expect(rebuilt.status == 0, "\(column): \(rebuilt.stdout)")
        #expect(try dus.run("actions", "--summary").status == 0, "\(column)")
        #expect(try dus.run("delete", Self.reference, "--reason", "Damaged by another tool").status == 0, "\(column)")
        #expect(try dus.run("doctor").status == 0, "\(column)")
    }

    @Test func aDamagedReviewIsRestoredFromItsFileWithReplace() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let damage = try Harness.sqlite3(dus.path("dus.sqlite"), "UPDATE review SET findings = '[{\"text\"' WHERE reference = '\(Self.reference)'")
        try #require(damage.status == 0, "\(damage.stderr)")
        let file = Harness.examples + "/gm-2024-0004.json"
        let refused = try dus.run("import", file)
        #expect(refused.status == 1 && refused.stderr.contains("is stored with a damaged value"), "\(refused.stderr)")
        let restored = try dus.run("import", "--replace", file)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try dus.run("doctor").status == 0)
        #expect(try dus.run("show", Self.reference).status == 0)
        #expect(try dus.run("history", Self.reference).stdout.contains("over a damaged stored copy"))
    }

    @Test func doctorListsEveryDamagedReviewAndFieldWithoutStopping() throws {
        let dus = try Harness()
        #expect(try dus.run("import", Harness.examples).status == 0)
        let damage = try Harness.sqlite3(dus.path("dus.sqlite"), """
            UPDATE review SET kind = 'Death', age = 'old', recommendations = '[{' WHERE reference = 'GM-2024-0004';
            UPDATE review SET findings = 'not json' WHERE reference = 'NW-2024-0011';
            """)
        try #require(damage.status == 0, "\(damage.stderr)")
        let doctor = try dus.run("doctor")
        #expect(doctor.status == 1)
        for line in [
            "GM-2024-0004: kind: stored value cannot be read (text of 5 bytes: not a value dus knows)",
            "GM-2024-0004: age: stored value cannot be read (text of 3 bytes: not a whole number)",
            "GM-2024-0004: recommendations: stored value cannot be read (text of 2 bytes: not JSON",
            "NW-2024-0011: findings: stored value cannot be read (text of 8 bytes: not JSON",
        ] {
            #expect(doctor.stdout.contains(line), "\(line)\n\(doctor.stdout)")
        }
        #expect(doctor.stdout.contains("PROBLEM  stored values of 29 reviews"))
    }
}
