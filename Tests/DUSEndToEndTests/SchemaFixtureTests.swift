import Foundation
import Testing

/// End-to-end: a database written by each earlier version of the schema (files made by
/// the dus of that time from the example reviews: `scripts/make-schema-fixtures`) is
/// refused by a read command, migrated by a writing one, and then holds exactly what a
/// fresh import of the same reviews holds.
@Suite struct SchemaFixtureTests {
    static let fixtures = Harness.packageRoot.appendingPathComponent("Tests/DUSEndToEndTests/Fixtures/schemas")

    static var versions: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".db") }.map { String($0.dropLast(3)) }.sorted()
    }

    @Test func everyEarlierVersionHasAFixture() {
        #expect(Self.versions == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"])
    }

    @Test(arguments: versions)
    func anOldDatabaseMigratesToWhatAFreshImportHolds(version: String) throws {
        let old = try Harness()
        let database = old.path("dus.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent(version + ".db").path, toPath: database)
        let before = try #require(FileManager.default.contents(atPath: database))
        // A read command neither migrates nor changes the file.
        let refused = try old.run("list")
        #expect(refused.status == 1 && refused.stderr.contains("written by an earlier version of dus"), "\(refused.stderr)")
        #expect(FileManager.default.contents(atPath: database) == before)

        // dus doctor writes (it migrates first), then checks everything.
        let doctor = try old.run("doctor")
        #expect(doctor.status == 0, "\(version): \(doctor.stdout)")
        #expect(doctor.stdout.contains("ok       stored values of 29 reviews"))

        let fresh = try Harness()
        #expect(try fresh.run("import", Harness.examples).status == 0)
        // Every review, as a file, exactly as a fresh import gives it.
        for harness in [old, fresh] { #expect(try harness.run("export", "--format", "json", "--out", "export").status == 0) }
        let files = try FileManager.default.contentsOfDirectory(atPath: fresh.path("export")).sorted()
        #expect(files.count == 29)
        #expect(try FileManager.default.contentsOfDirectory(atPath: old.path("export")).sorted() == files)
        for file in files {
            #expect(old.data("export/" + file) == fresh.data("export/" + file), "\(version): \(file)")
        }
        // The same answers to the questions users ask.
        for arguments in [
            ["patterns", "--format", "json"], ["list", "--format", "json"], ["actions", "--format", "json", "--as-of", "2026-01-01"],
            ["search", "naloxone", "--format", "json", "--limit", "0"], ["similar", "NW-2024-0011"],
        ] {
            let (mine, theirs) = (try old.run(arguments), try fresh.run(arguments))
            #expect(mine.status == 0 && mine.stdout == theirs.stdout, "\(version): dus \(arguments.joined(separator: " "))")
        }
        // The same tables, indexes, views and triggers, and the same catalogue in `factor`.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") {
            let query = "SELECT type, name, sql FROM sqlite_master ORDER BY name; SELECT * FROM factor ORDER BY position;"
            #expect(try Harness.sqlite3(database, query).stdout == Harness.sqlite3(fresh.path("dus.sqlite"), query).stdout, "\(version)")
        }
        // The import is still in each review's history, and the file takes new writes.
        #expect(try old.run("history", "NW-2024-0011").stdout.contains("imported"))
        #expect(try old.run("status", "KSS-2024-0005", "draft", "--reason", "Reopened by the panel").status == 0)
        #expect(try old.run("doctor").status == 0)
    }
}
