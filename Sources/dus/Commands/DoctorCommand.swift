import ArgumentParser
import DUSCore
import Foundation

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the database: SQLite integrity, foreign keys, the search index and every review's derived fields.",
        discussion: """
            Reads only, unless --rebuild-search is given. Exits 1 when a check finds a problem.

            Examples:
              dus doctor
              dus doctor --rebuild-search
            """)

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "First index every text of every review afresh (when a check of the search index advises it), then check.")
    var rebuildSearch = false

    func run() throws {
        let checks = try reportingErrors {
            let store = try database.open(.write)  // FTS5's own check runs as a write statement
            if rebuildSearch {
                let texts = try store.rebuildSearchIndex()
                print("rebuilt the search index: \(texts) text\(texts == 1 ? "" : "s")")
            }
            return try store.checkHealth()
        }
        for check in checks {
            print("\(check.passed ? "ok      " : "PROBLEM ") \(check.name)")
            for finding in check.findings { print("         \(finding)") }
        }
        let failed = checks.filter { !$0.passed }.count
        print(failed == 0 ? "all \(checks.count) checks passed" : "\(failed) of \(checks.count) checks found problems")
        if failed > 0 { throw ExitCode(1) }
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a new file while it stays in use (SQLite's online backup).",
        discussion: """
            Examples:
              dus backup --to dus-2026-03-31.sqlite
              dus backup --db /srv/dus/dus.sqlite --to /backups/dus-2026-03-31.sqlite
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The new file; an existing one is never overwritten.", completion: .file()) var to: String

    func run() throws {
        try reportingErrors { try database.open().backup(to: to) }
        print("backed up \(database.path) to \(to)")
    }
}
