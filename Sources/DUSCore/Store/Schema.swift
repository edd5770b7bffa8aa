import CSearchIndex
import GRDB

/// The database schema, as versioned migrations. A shipped migration is never edited:
/// a change is a new migration appended to the list.
enum Schema {
    /// Marks a SQLite file as a dus database (`PRAGMA application_id`, "DUS1").
    static let applicationID: Int32 = 0x4455_5331

    /// The size of a new file's pages, in bytes (SQLite's default is 4096). A review's row
    /// holds its findings, learning and recommendations, about 2 KB: at 4096 bytes most
    /// pages hold one row and waste half their space. At 16384 an import of 100,000
    /// reviews writes a sixth less (309 MB against 368 MB) and takes about 8% less time.
    static let pageSize = 16384

    /// `words` is the counter of the connection that migrates (`WordCounter`).
    static func migrator(catalogue: Catalogue, words: WordCounter) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-reviews") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.create(table: "factor") { t in
                t.primaryKey("id", .text)
                t.column("position", .integer).notNull().unique()
                t.column("grouping", .text).notNull()
                t.column("question", .text).notNull()
                t.column("risk_answer", .text).notNull()
                t.column("applies", .text).notNull()
                t.column("derived", .boolean).notNull()
                t.column("catalogue_version", .integer).notNull()
            }
            for (index, factor) in catalogue.factors.enumerated() {
                try db.execute(
                    sql: "INSERT INTO factor VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [factor.id, index + 1, factor.group, factor.question, factor.risk.rawValue,
                                factor.applies.rawValue, factor.derived, catalogue.version])
            }
            try db.create(table: "review") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("reference", .text).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("status", .text).notNull()
                t.column("classification", .text).notNull()
                t.column("event_date", .text).notNull()
                t.column("release_date", .text)
                t.column("review_date", .text)
                t.column("region", .text).notNull()
                t.column("supervision", .text).notNull()
                t.column("age", .integer)
                t.column("sex", .text).notNull()
                t.column("ethnicity", .text).notNull()
                t.column("event_place", .text).notNull()
                t.column("bystander_present", .text).notNull()
                t.column("naloxone_given_at_event", .text).notNull()
                t.column("ambulance_attended", .text).notNull()
                t.column("substances", .text).notNull()
                t.column("agencies", .text).notNull()
                t.column("summary", .text)
                t.column("answers", .text).notNull()
                t.column("days_since_release", .integer)
                t.column("release_band", .text).notNull()
                t.column("age_band", .text).notNull()
                t.column("created_at", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            try db.create(index: "review_on_event_date", on: "review", columns: ["event_date"])
            for table in ["finding", "learning"] {
                try db.create(table: table) { t in
                    t.autoIncrementedPrimaryKey("id")
                    t.column("review_id", .integer).notNull().references("review", onDelete: .cascade)
                    t.column("position", .integer).notNull()
                    t.column("text", .text).notNull()
                    t.column("themes", .text).notNull()
                    t.uniqueKey(["review_id", "position"])
                }
            }
            try db.create(table: "recommendation") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("review_id", .integer).notNull().references("review", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("label", .text).notNull()
                t.column("text", .text).notNull()
                t.column("addressed_to", .text)
                t.column("response", .text).notNull()
                t.column("reason_category", .text)
                t.column("reason", .text)
                t.column("themes", .text).notNull()
                t.uniqueKey(["review_id", "label"])
            }
            try db.create(table: "action") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("recommendation_id", .integer).notNull().references("recommendation", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("label", .text).notNull()
                t.column("text", .text).notNull()
                t.column("owner", .text).notNull()
                t.column("target_date", .text).notNull()
                t.column("current_target_date", .text).notNull()
                t.column("status", .text).notNull()
                t.column("completed_date", .text)
                t.column("withdrawn_reason", .text)
                t.uniqueKey(["recommendation_id", "label"])
            }
            try db.create(table: "action_revision") { t in
                t.column("action_id", .integer).notNull().references("action", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("target_date", .text).notNull()
                t.primaryKey(["action_id", "position"])
            }
            try db.create(table: "action_update") { t in
                t.column("action_id", .integer).notNull().references("action", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("date", .text).notNull()
                t.column("note", .text).notNull()
                t.primaryKey(["action_id", "position"])
            }
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("reference", .text).notNull().indexed()
                t.column("at", .text).notNull()
                t.column("event", .text).notNull()
                t.column("reason", .text)
                t.column("detail", .text)
                t.column("content", .text)
            }
            try createViews(db, catalogue: catalogue)
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
            try createSearch(db)
        }
        migrator.registerMigration("v4-parts-in-review") { db in
            try movePartsIntoReview(db)
        }
        migrator.registerMigration("v5-text-lengths") { db in
            try keepTextLengths(db, words: words)
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
        return migrator
    }

    /// How many row ids of the search index each review has: text `k` of the review with id
    /// `r` is row `r * 2^20 + k` (`searchTexts(ofReviewsWhere:)`).
    static let searchTextIDs: Int64 = 1 << DUS_SEARCH_TEXT_ID_BITS

    /// How search splits texts into words: stemmed (Porter), without diacritics.
    static let searchTokenizer = "porter unicode61 remove_diacritics 2"

    /// The trigger of `v3-search` that indexed each text as it was stored (until
    /// `v4-parts-in-review`).
    private static let indexEachNewText = """
        CREATE TRIGGER search_text_added AFTER INSERT ON search_text BEGIN
          INSERT INTO search (rowid, text) VALUES (new.id, new.text);
        END;
        """

    /// The full-text index of `dus search` as `v3-search` made it (`v4-parts-in-review`
    /// replaced it: `createContentlessSearch`).
    ///
    /// `search_text` held one row per searchable text (a summary, finding, learning point,
    /// recommendation, action or action update) with the review it belongs to and where in
    /// the review it sits (`item`, spelled like the field paths of error messages). The
    /// FTS5 table `search` indexes it as external content, stemmed (Porter) and without
    /// diacritics; triggers on `search_text` keep the index in step with it.
    ///
    /// A text's id is its review's id times 2^20 plus its place in the review
    /// (`searchTextIDs`): a review's texts sit together, a review's id is the text id
    /// shifted right by 20, and a review under 1 MiB cannot hold 2^20 texts. Review ids only
    /// grow (AUTOINCREMENT), so the texts of reviews added later always have larger ids.
    ///
    /// dus wrote a review's `search_text` rows with the review and removed them with it.
    private static func createSearch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE search_text (
              id INTEGER PRIMARY KEY,
              review_id INTEGER NOT NULL,
              source TEXT NOT NULL,
              item TEXT NOT NULL,
              text TEXT NOT NULL);
            CREATE VIRTUAL TABLE search USING fts5 (
              text, content = 'search_text', content_rowid = 'id',
              tokenize = 'porter unicode61 remove_diacritics 2');
            -- FTS5 gathers new entries in memory and writes them out as a segment when it
            -- holds this many bytes (1 MiB unless set): larger segments merge less often,
            -- which makes indexing a large import a third faster.
            INSERT INTO search (search, rank) VALUES ('hashsize', 8388608);
            \(indexEachNewText)
            CREATE TRIGGER search_text_removed AFTER DELETE ON search_text BEGIN
              INSERT INTO search (search, rowid, text) VALUES ('delete', old.id, old.text);
            END;
            CREATE TRIGGER search_text_changed AFTER UPDATE ON search_text BEGIN
              INSERT INTO search (search, rowid, text) VALUES ('delete', old.id, old.text);
              INSERT INTO search (rowid, text) VALUES (new.id, new.text);
            END;

            -- The texts of the reviews stored before search, review by review.
            INSERT INTO search_text (id, review_id, source, item, text)
            SELECT review_id * \(searchTextIDs) + row_number() OVER (PARTITION BY review_id ORDER BY part, position) - 1,
              review_id, source, item, text FROM (
              SELECT id AS review_id, 'summary' AS source, 'summary' AS item, summary AS text, 0 AS part, 0 AS position
                FROM review WHERE summary IS NOT NULL
              UNION ALL
              SELECT review_id, 'finding', 'findings[' || position || ']', text, 1, position FROM finding
              UNION ALL
              SELECT review_id, 'learning', 'learning[' || position || ']', text, 2, position FROM learning
              UNION ALL
              SELECT review_id, 'recommendation', 'recommendations[' || label || ']', text, 3, position * 1000000
                FROM recommendation
              UNION ALL
              SELECT r.review_id, 'action', 'recommendations[' || r.label || '].actions[' || a.label || ']', a.text,
                3, r.position * 1000000 + a.position * 1000
                FROM action a JOIN recommendation r ON r.id = a.recommendation_id
              UNION ALL
              SELECT r.review_id, 'action',
                'recommendations[' || r.label || '].actions[' || a.label || '].updates[' || u.position || ']', u.note,
                3, r.position * 1000000 + a.position * 1000 + u.position
                FROM action_update u JOIN action a ON a.id = u.action_id JOIN recommendation r ON r.id = a.recommendation_id)
            ORDER BY review_id, part, position;
            """)
    }

    /// Moves each review's findings, learning points and recommendations (with actions,
    /// revised target dates and updates) from six tables into three JSON columns of its
    /// own row (`StoredParts`), and makes the search index keep no copy of the texts.
    ///
    /// Measured on 100,000 reviews, an import spent most of its time running about 35
    /// insert statements a review, and the texts were stored three times (part tables,
    /// `search_text`, and FTS5's own). Now a review is one row, its texts are stored once,
    /// and the old tables live on as views that read the JSON, so that an analyst's
    /// queries of `finding`, `learning`, `recommendation`, `action`, `action_revision`,
    /// `action_update` and `search_text` still work.
    private static func movePartsIntoReview(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE review ADD COLUMN findings TEXT NOT NULL DEFAULT '[]';
            ALTER TABLE review ADD COLUMN learning TEXT NOT NULL DEFAULT '[]';
            ALTER TABLE review ADD COLUMN recommendations TEXT NOT NULL DEFAULT '[]';
            """)
        // Each review's parts are read back through the model and written by the same
        // code as a new review's, so a migrated review is stored exactly as if imported now.
        let update = try db.makeStatement(sql: "UPDATE review SET findings = ?, learning = ?, recommendations = ? WHERE id = ?")
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM review ORDER BY id") {
            try update.execute(arguments: [
                StoredParts.json(try LegacyParts.notes(db, table: "finding", reviewID: id)),
                StoredParts.json(try LegacyParts.notes(db, table: "learning", reviewID: id)),
                StoredParts.json(try LegacyParts.recommendations(db, reviewID: id)),
                id,
            ])
        }
        try db.execute(sql: """
            DROP TABLE action_update;
            DROP TABLE action_revision;
            DROP TABLE action;
            DROP TABLE recommendation;
            DROP TABLE finding;
            DROP TABLE learning;
            """)
        try createContentlessSearch(db)
        try createPartViews(db)
    }

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

    /// The full-text index of `dus search`, keeping no copy of the texts.
    ///
    /// `search` is an FTS5 table without content (`content = ''`), stemmed (Porter) and
    /// without diacritics. Its rows are the texts of `searchTexts(ofReviewsWhere:)`: a
    /// review's id is a row id shifted right by 20, and a review under 1 MiB cannot hold
    /// 2^20 texts. Review ids only grow (AUTOINCREMENT), so later reviews have larger ids.
    ///
    /// `ReviewInserter` indexes a review's texts after the review, and `Store.deleteReview`
    /// removes them (FTS5 needs the texts it indexed to remove them), so every write that
    /// stores or removes whole reviews keeps search right. `dus search` makes its snippets
    /// from the hits' texts, read from the review rows (`SearchEngine`).
    private static func createContentlessSearch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE search_index USING fts5 (text, content = '', tokenize = '\(searchTokenizer)');
            -- FTS5 gathers new entries in memory and writes them out as a segment when it
            -- holds this many bytes (1 MiB unless set): larger segments merge less often,
            -- which makes indexing a large import a sixth faster than at 8 MiB.
            INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 33554432);
            INSERT INTO search_index (rowid, text) SELECT id, text FROM search_text ORDER BY id;
            DROP TRIGGER search_text_added;
            DROP TRIGGER search_text_removed;
            DROP TRIGGER search_text_changed;
            DROP TABLE search;
            DROP TABLE search_text;
            ALTER TABLE search_index RENAME TO search;
            """)
    }

    /// Makes the search index keep no row of its own for each text's length, and keeps the
    /// lengths in `search_size`, one row for each review with texts: `sizes` holds a
    /// little-endian 32-bit count of words for each of its texts, in the order of their
    /// numbers (`SearchIndexWriter`), and goes when the review goes.
    ///
    /// FTS5 kept a row for each text in `search_docsize`, which bm25 ranking reads; writing
    /// them was a sixth of a large import's time. dus now ranks with `dus_bm25`
    /// (`Sources/CSearchIndex`), bm25 with the lengths read from `search_size`: the same
    /// scores. Every text is indexed again, counting its words as FTS5 splits them.
    private static func keepTextLengths(_ db: Database, words: WordCounter) throws {
        try db.execute(sql: """
            CREATE TABLE search_size (
              review_id INTEGER PRIMARY KEY REFERENCES review (id) ON DELETE CASCADE,
              sizes BLOB NOT NULL);
            CREATE VIRTUAL TABLE search_index USING fts5 (
              text, content = '', columnsize = 0, tokenize = '\(searchTokenizer)');
            -- FTS5 gathers new entries in memory and writes them out as a segment when it
            -- holds this many bytes (1 MiB unless set): see createContentlessSearch.
            INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 33554432);
            DROP TABLE search;
            ALTER TABLE search_index RENAME TO search;
            """)
        _ = try SearchIndexWriter.rebuild(db, counter: words)
    }

    /// Views that show the parts of reviews one row each, as tables did before
    /// `v4-parts-in-review`, and every searchable text with its id in the index.
    private static func createPartViews(_ db: Database) throws {
        let field = jsonField
        try db.execute(sql: """
            CREATE VIEW finding AS
            SELECT review.id AS review_id, review.reference AS reference, item.key + 1 AS position,
              \(field("item", "text")) AS text, coalesce(\(field("item", "themes")), '[]') AS themes
            FROM review, json_each(review.findings) AS item;

            CREATE VIEW learning AS
            SELECT review.id AS review_id, review.reference AS reference, item.key + 1 AS position,
              \(field("item", "text")) AS text, coalesce(\(field("item", "themes")), '[]') AS themes
            FROM review, json_each(review.learning) AS item;

            CREATE VIEW recommendation AS
            SELECT review.id AS review_id, review.reference AS reference, item.key + 1 AS position,
              \(field("item", "id")) AS label, \(field("item", "text")) AS text, \(field("item", "to")) AS addressed_to,
              \(field("item", "response")) AS response, \(field("item", "reason_category")) AS reason_category,
              \(field("item", "reason")) AS reason, coalesce(\(field("item", "themes")), '[]') AS themes
            FROM review, json_each(review.recommendations) AS item;

            CREATE VIEW action AS
            SELECT review.id AS review_id, review.reference AS reference, r.key + 1 AS recommendation_position,
              \(field("r", "id")) AS recommendation, a.key + 1 AS position, \(field("a", "id")) AS label,
              \(field("a", "text")) AS text, \(field("a", "owner")) AS owner, \(field("a", "target_date")) AS target_date,
              coalesce(\(field("a", "revised_target_dates[#-1]")), \(field("a", "target_date"))) AS current_target_date,
              \(field("a", "status")) AS status, \(field("a", "completed_date")) AS completed_date,
              \(field("a", "withdrawn_reason")) AS withdrawn_reason
            FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a;

            CREATE VIEW action_revision AS
            SELECT review.id AS review_id, review.reference AS reference, r.key + 1 AS recommendation_position,
              \(field("r", "id")) AS recommendation, a.key + 1 AS action_position, \(field("a", "id")) AS action,
              d.key + 1 AS position, d.value AS target_date
            FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a,
              json_each(a.value, '$.revised_target_dates') AS d;

            CREATE VIEW action_update AS
            SELECT review.id AS review_id, review.reference AS reference, r.key + 1 AS recommendation_position,
              \(field("r", "id")) AS recommendation, a.key + 1 AS action_position, \(field("a", "id")) AS action,
              u.key + 1 AS position, \(field("u", "date")) AS date, \(field("u", "note")) AS note
            FROM review, json_each(review.recommendations) AS r, json_each(r.value, '$.actions') AS a,
              json_each(a.value, '$.updates') AS u;

            CREATE VIEW search_text AS \(searchTexts(ofReviewsWhere: "1"));
            """)
    }

    /// Views for analysts: factor answers one column per factor, and one row per answer.
    private static func createViews(_ db: Database, catalogue: Catalogue) throws {
        func decode(_ position: Int) -> String {
            "CASE substr(answers, \(position), 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no' WHEN '-' THEN 'not-applicable' ELSE 'unknown' END"
        }
        let columns = catalogue.factors.enumerated().map { "\(decode($0.offset + 1)) AS \($0.element.id)" }
        try db.execute(sql: """
            CREATE VIEW review_factors AS
            SELECT id AS review_id, reference, \(columns.joined(separator: ",\n  "))
            FROM review
            """)
        try db.execute(sql: """
            CREATE VIEW review_factor_answer AS
            SELECT review.id AS review_id, review.reference AS reference, factor.id AS factor,
              CASE substr(review.answers, factor.position, 1) WHEN 'y' THEN 'yes' WHEN 'n' THEN 'no'
                WHEN '-' THEN 'not-applicable' ELSE 'unknown' END AS answer,
              CASE WHEN substr(review.answers, factor.position, 1) = (CASE factor.risk_answer WHEN 'yes' THEN 'y' ELSE 'n' END)
                THEN 1 ELSE 0 END AS is_risk
            FROM review CROSS JOIN factor
            """)
    }
}

/// The parts of a review as the tables before `v4-parts-in-review` held them, read only
/// by that migration.
private enum LegacyParts {
    static func notes(_ db: Database, table: String, reviewID: Int64) throws -> [Note] {
        try Row.fetchAll(db, sql: "SELECT text, themes FROM \(table) WHERE review_id = ? ORDER BY position", arguments: [reviewID])
            .map { Note(text: $0["text"], themes: Store.parseList($0["themes"])) }
    }

    static func recommendations(_ db: Database, reviewID: Int64) throws -> [Recommendation] {
        try Row.fetchAll(db, sql: "SELECT * FROM recommendation WHERE review_id = ? ORDER BY position", arguments: [reviewID]).map { row in
            var recommendation = Recommendation(
                id: row["label"], text: row["text"], to: row["addressed_to"], response: Response(rawValue: row["response"])!)
            recommendation.reasonCategory = (row["reason_category"] as String?).flatMap(ReasonCategory.init(rawValue:))
            recommendation.reason = row["reason"]
            recommendation.themes = Store.parseList(row["themes"])
            recommendation.actions = try Row.fetchAll(db, sql: "SELECT * FROM action WHERE recommendation_id = ? ORDER BY position", arguments: [row["id"] as Int64]).map { actionRow in
                let actionID: Int64 = actionRow["id"]
                var action = Action(id: actionRow["label"], text: actionRow["text"], owner: actionRow["owner"], targetDate: Day(actionRow["target_date"] as String)!)
                action.status = ActionStatus(rawValue: actionRow["status"])!
                action.completedDate = (actionRow["completed_date"] as String?).flatMap(Day.init)
                action.withdrawnReason = actionRow["withdrawn_reason"]
                action.revisedTargetDates = try String.fetchAll(db, sql: "SELECT target_date FROM action_revision WHERE action_id = ? ORDER BY position", arguments: [actionID]).compactMap(Day.init)
                action.updates = try Row.fetchAll(db, sql: "SELECT date, note FROM action_update WHERE action_id = ? ORDER BY position", arguments: [actionID]).map {
                    ActionUpdate(date: Day($0["date"] as String)!, note: $0["note"])
                }
                return action
            }
            return recommendation
        }
    }
}
