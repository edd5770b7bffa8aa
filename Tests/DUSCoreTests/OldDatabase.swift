import Foundation
import GRDB
@testable import DUSCore

/// Database files at an older schema version, for the tests of the migrations after it.
enum OldDatabase {
    /// Creates the file at `path` migrated up to `migration`, runs `sql` in it, and closes it.
    static func make(at path: String, upTo migration: String, _ sql: String) throws {
        // Readied as a store's connection is, for the migrations that index texts.
        let words = WordCounter()
        var configuration = Configuration()
        configuration.prepareDatabase { db in try words.prepare(db) }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try Schema.migrator(words: words).migrate(queue, upTo: migration)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    /// An INSERT of a review row that every schema version accepts, with defaults for the rest.
    static func review(
        id: Int, reference: String, kind: String = "death", classification: String = "suspected",
        eventDate: String, substances: String = "[]", summary: String? = nil
    ) -> String {
        let summaryValue = summary.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
        return """
            INSERT INTO review (id, reference, kind, status, classification, event_date, region, supervision, sex,
              ethnicity, event_place, bystander_present, naloxone_given_at_event, ambulance_attended, substances,
              agencies, summary, answers, release_band, age_band, created_at, updated_at)
            VALUES (\(id), '\(reference)', '\(kind)', 'draft', '\(classification)', '\(eventDate)', 'Wales', 'licence',
              'unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown', '\(substances)', '[]', \(summaryValue), '',
              'not-released', 'unknown', 'x', 'x');
            """
    }
}
