import CSearchIndex
import GRDB

/// The database schema, as versioned migrations. A shipped migration is never edited:
/// a change is a new migration appended to the list.
enum Schema {
    /// Marks a SQLite file as a dus database (`PRAGMA application_id`, "DUS1").
    static let applicationID: Int32 = 0x4455_5331

    /// The size of a new file's pages, in bytes (SQLite's default is 4096). A review's row
    /// holds its findings, learning and recommendations, about 2 KB: at 4096 bytes most
    /// pages hold one row and waste half their space. At 16384 a page holds several,
    /// so a large import writes less and takes less time (README, Benchmarks).
    static let pageSize = 16384

    /// `words` is the counter of the connection that migrates (`WordCounter`). Each
    /// migration carries its own SQL, or a frozen copy of what it needs (`FrozenSQL`,
    /// `Frozen`): none calls the application's types.
    static func migrator(words: WordCounter) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-reviews") { db in
            try db.execute(sql: FrozenSQL.v1)
        }
        migrator.registerMigration("v2-patterns") { db in
            // `dus patterns` reads every review of a slice. It reads them from one narrow
            // covering index, and finds each review's finding themes in its own row, so
            // that the whole report is one pass over about 200 bytes a review.
            try db.execute(sql: """
                ALTER TABLE review ADD COLUMN finding_themes TEXT NOT NULL DEFAULT '[]';
                UPDATE review SET finding_themes = coalesce(
                  (SELECT '[' || group_concat(themes, ',') || ']'
                   FROM (SELECT themes FROM finding WHERE finding.review_id = review.id ORDER BY position)),
                  '[]');
                CREATE INDEX review_patterns ON review (
                  event_date, kind, region, supervision, status, classification,
                  days_since_release, answers, substances, finding_themes);
                DROP INDEX review_on_event_date;
                """)
            // review_patterns leads with event_date, so it also serves every date range:
            // the v1 index on event_date alone only cost time on each insert.
        }
        migrator.registerMigration("v3-search") { db in
            try Frozen.createSearch(db)
        }
        migrator.registerMigration("v4-parts-in-review") { db in
            try Frozen.movePartsIntoReview(db)
        }
        migrator.registerMigration("v5-text-lengths") { db in
            try Frozen.keepTextLengths(db, words: words)
        }
        migrator.registerMigration("v6-audit-actor-and-changes") { db in
            // Who made each change, and the fields it changed ([{path, old, new}] as JSON);
            // both NULL in entries made before this migration.
            try db.execute(sql: """
                ALTER TABLE audit ADD COLUMN actor TEXT;
                ALTER TABLE audit ADD COLUMN changes TEXT;
                """)
        }
        migrator.registerMigration("v7-audit-chain") { db in
            // Each entry from here on: a random salt, SHA-256 of the salt and what a redaction
            // may erase, SHA-256 of the rest and that, and the chain value linking it to the
            // entry before (`AuditChain`). Entries made before this migration stay unchained.
            // The triggers keep the table append-only.
            try db.execute(sql: """
                ALTER TABLE audit ADD COLUMN salt BLOB;
                ALTER TABLE audit ADD COLUMN content_digest BLOB;
                ALTER TABLE audit ADD COLUMN digest BLOB;
                ALTER TABLE audit ADD COLUMN chain BLOB;
                CREATE TRIGGER audit_refuses_update BEFORE UPDATE ON audit WHEN NOT dus_audit_may_change()
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                CREATE TRIGGER audit_refuses_delete BEFORE DELETE ON audit WHEN NOT dus_audit_may_change()
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                """)
        }
        migrator.registerMigration("v8-action-table") { db in
            // The actions of every review, one row each, kept beside the review's JSON by
            // every write (`ReviewInserter`) so that `dus actions` reads the actions
            // without parsing every review. It replaces the view `action` of v4, with
            // the same columns first; `revised_target_dates` is a JSON list, and the last
            // update is all `dus actions` shows of the updates.
            try db.execute(sql: """
                DROP VIEW action;
                CREATE TABLE action (
                  review_id INTEGER NOT NULL REFERENCES review (id) ON DELETE CASCADE,
                  reference TEXT NOT NULL,
                  recommendation_position INTEGER NOT NULL,
                  recommendation TEXT NOT NULL,
                  position INTEGER NOT NULL,
                  label TEXT NOT NULL,
                  text TEXT NOT NULL,
                  owner TEXT NOT NULL,
                  target_date TEXT NOT NULL,
                  current_target_date TEXT NOT NULL,
                  status TEXT NOT NULL,
                  completed_date TEXT,
                  withdrawn_reason TEXT,
                  response TEXT NOT NULL,
                  themes TEXT NOT NULL,
                  revised_target_dates TEXT NOT NULL,
                  last_update_date TEXT,
                  last_update_note TEXT,
                  PRIMARY KEY (review_id, recommendation_position, position)) WITHOUT ROWID;
                INSERT INTO action
                SELECT review.id, review.reference, r.key + 1, json_extract(r.value, '$.id'), a.key + 1, json_extract(a.value, '$.id'),
                  json_extract(a.value, '$.text'), json_extract(a.value, '$.owner'), json_extract(a.value, '$.target_date'),
                  coalesce(json_extract(a.value, '$.revised_target_dates[#-1]'), json_extract(a.value, '$.target_date')),
                  json_extract(a.value, '$.status'), json_extract(a.value, '$.completed_date'), json_extract(a.value, '$.withdrawn_reason'),
                  json_extract(r.value, '$.response'), coalesce(json_extract(r.value, '$.themes'), '[]'),
                  coalesce(json_extract(a.value, '$.revised_target_dates'), '[]'),
                  json_extract(a.value, '$.updates[#-1].date'), json_extract(a.value, '$.updates[#-1].note')
                FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a
                -- A review whose JSON is damaged keeps no rows; dus doctor names it.
                WHERE json_valid(review.recommendations);
                """)
        }
        migrator.registerMigration("v9-list-from-index") { db in
            // The covering index of v2 gains the reference, so that `dus list` reads it
            // rather than every review's whole row.
            try db.execute(sql: """
                DROP INDEX review_patterns;
                CREATE INDEX review_patterns ON review (
                  event_date, kind, region, supervision, status, classification,
                  days_since_release, answers, substances, finding_themes, reference);
                """)
        }
        migrator.registerMigration("v10-action-evidence") { db in
            // What shows that a completed action worked: a field no earlier version read,
            // so no stored review has it yet.
            try db.execute(sql: "ALTER TABLE action ADD COLUMN evidence TEXT")
        }
        return migrator
    }

    /// How many row ids of the search index each review has: text `k` of the review with id
    /// `r` is row `r * 2^20 + k` (`searchTexts(ofReviewsWhere:)`).
    static let searchTextIDs: Int64 = 1 << DUS_SEARCH_TEXT_ID_BITS

    /// The search index's vocabulary (FTS5's `fts5vocab`, one row a word) as a table of the
    /// connection's own temporary schema: made as each connection opens, since a read
    /// transaction may not create it, and nothing of it is written to the file.
    static func prepareSearchVocabulary(_ db: Database) throws {
        try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocabulary USING fts5vocab(main, search, row)")
    }

    /// How search splits texts into words: stemmed (Porter), without diacritics.
    static let searchTokenizer = "porter unicode61 remove_diacritics 2"

    /// SQL for a field of a JSON item that `json_each` gives as `source`: `json_extract(a.value, '$.text')`.
    static func jsonField(_ source: String, _ path: String) -> String {
        "json_extract(\(source).value, '$.\(path)')"
    }

    /// Every text that search covers, of the reviews for which `condition` (on `review`)
    /// holds, with its row id in the index: `id`, `review_id`, `reference`, `source`
    /// (`summary`, `finding`, `learning`, `recommendation` or `action`), `item` (where
    /// the text sits, spelled like a field path: `recommendations[R1].actions[A1]`) and
    /// `text`. `condition` may use the parameter `?1`.
    ///
    /// A review's texts are numbered from 0 in this order: its summary, findings and
    /// learning points, then each recommendation followed by its actions, each action
    /// followed by its updates. Text `k` of the review with id `r` is row `r * 2^20 + k`.
    /// This one query lists the texts for removal from the index, for showing a hit and
    /// for a rebuild, and is the view `search_text`; an import numbers the same texts in
    /// the same order in Swift (`Review.forEachSearchText`), and a test holds the two together.
    static func searchTexts(ofReviewsWhere condition: String) -> String {
        let field = jsonField
        let recommendations = "review, json_each(review.recommendations) AS r"
        let actions = recommendations + ", json_each(r.value, '$.actions') AS a"
        let actionItem = "'recommendations[' || \(field("r", "id")) || '].actions[' || \(field("a", "id")) || ']'"
        return """
            SELECT review_id * \(searchTextIDs) + row_number() OVER (PARTITION BY review_id ORDER BY part, p1, p2, p3) - 1 AS id,
              review_id, reference, source, item, text FROM (
              SELECT review.id AS review_id, review.reference AS reference, 'summary' AS source, 'summary' AS item,
                review.summary AS text, 0 AS part, 0 AS p1, 0 AS p2, 0 AS p3
                FROM review WHERE review.summary IS NOT NULL AND (\(condition))
              UNION ALL
              SELECT review.id, review.reference, 'finding', 'findings[' || (f.key + 1) || ']', \(field("f", "text")), 1, f.key, 0, 0
                FROM review, json_each(review.findings) AS f WHERE \(condition)
              UNION ALL
              SELECT review.id, review.reference, 'learning', 'learning[' || (l.key + 1) || ']', \(field("l", "text")), 2, l.key, 0, 0
                FROM review, json_each(review.learning) AS l WHERE \(condition)
              UNION ALL
              SELECT review.id, review.reference, 'recommendation', 'recommendations[' || \(field("r", "id")) || ']',
                \(field("r", "text")), 3, r.key, -1, 0
                FROM \(recommendations) WHERE \(condition)
              UNION ALL
              SELECT review.id, review.reference, 'action', \(actionItem), \(field("a", "text")), 3, r.key, a.key, -1
                FROM \(actions) WHERE \(condition)
              UNION ALL
              SELECT review.id, review.reference, 'action', \(actionItem) || '.updates[' || (u.key + 1) || ']',
                \(field("u", "note")), 3, r.key, a.key, u.key
                FROM \(actions), json_each(a.value, '$.updates') AS u WHERE \(condition))
            """
    }
}
