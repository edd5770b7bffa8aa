import GRDB

/// The database schema, as versioned migrations. A shipped migration is never edited:
/// a change is a new migration appended to the list.
enum Schema {
    /// Marks a SQLite file as a dus database (`PRAGMA application_id`, "DUS1").
    static let applicationID: Int32 = 0x4455_5331

    static func migrator(catalogue: Catalogue) -> DatabaseMigrator {
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
        return migrator
    }

    /// The trigger that indexes each text as it is stored. FTS5 writes what it has
    /// gathered to disk at the end of every statement, so texts stored one statement at a
    /// time make one small index segment each: a bulk load drops this trigger inside its
    /// transaction and indexes all its texts in one statement (`Store.deferringSearchIndex`).
    /// How many text ids each review has: see `createSearch`.
    static let searchTextIDs: Int64 = 1 << 20

    static let indexEachNewText = """
        CREATE TRIGGER search_text_added AFTER INSERT ON search_text BEGIN
          INSERT INTO search (rowid, text) VALUES (new.id, new.text);
        END;
        """

    /// The full-text index of `dus search`.
    ///
    /// `search_text` holds one row per searchable text (a summary, finding, learning point,
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
    /// `ReviewInserter` writes a review's `search_text` rows with the review, and
    /// `Store.deleteReview` removes them, so every write that stores or removes whole
    /// reviews keeps search right. (Triggers on the review tables would do the same, but
    /// make SQLite journal every insert statement of an import: 21 s instead of 8 s for
    /// 100,000 reviews.)
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
