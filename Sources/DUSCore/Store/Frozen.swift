import Foundation
import GRDB

/// The steps of shipped migrations that need more than one SQL text, frozen as they were
/// shipped: each carries its own SQL and constants (a text's row id is its review's id
/// times 2^20 plus its place; the tokenizer is `porter unicode61 remove_diacritics 2`),
/// so that later changes to the store cannot change what an old migration does.
enum Frozen {
    /// `v3-search`: the full-text index of `dus search` as it was first made.
    ///
    /// `search_text` held one row per searchable text (a summary, finding, learning point,
    /// recommendation, action or action update) with the review it belongs to and where in
    /// the review it sits (`item`, spelled like the field paths of error messages). The
    /// FTS5 table `search` indexed it as external content; triggers kept the two in step.
    /// A text's id is its review's id times 2^20 plus its place in the review.
    static func createSearch(_ db: Database) throws {
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
            INSERT INTO search (search, rank) VALUES ('hashsize', 8388608);
            CREATE TRIGGER search_text_added AFTER INSERT ON search_text BEGIN
              INSERT INTO search (rowid, text) VALUES (new.id, new.text);
            END;
            CREATE TRIGGER search_text_removed AFTER DELETE ON search_text BEGIN
              INSERT INTO search (search, rowid, text) VALUES ('delete', old.id, old.text);
            END;
            CREATE TRIGGER search_text_changed AFTER UPDATE ON search_text BEGIN
              INSERT INTO search (search, rowid, text) VALUES ('delete', old.id, old.text);
              INSERT INTO search (rowid, text) VALUES (new.id, new.text);
            END;

            -- The texts of the reviews stored before search, review by review.
            INSERT INTO search_text (id, review_id, source, item, text)
            SELECT review_id * 1048576 + row_number() OVER (PARTITION BY review_id ORDER BY part, position) - 1,
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

    /// `v4-parts-in-review`: moves each review's findings, learning points and
    /// recommendations (with actions, revised target dates and updates) from six tables
    /// into three JSON columns of its own row, spelled as in a JSON review file (keys in
    /// the file's order; an absent value and an empty list left out), and makes the search
    /// index keep no copy of the texts. The part tables become views.
    static func movePartsIntoReview(_ db: Database) throws {
        // `json_patch` onto an object leaves out every key whose value is NULL.
        let notes = { (table: String) in
            """
            coalesce((SELECT json_group_array(json(json_patch(json_object('text', text),
                json_object('themes', CASE WHEN themes = '[]' THEN NULL ELSE json(themes) END))))
              FROM (SELECT text, themes FROM \(table) WHERE review_id = review.id ORDER BY position)), '[]')
            """
        }
        let updates = """
            (SELECT json_group_array(json_object('date', date, 'note', note))
             FROM (SELECT date, note FROM action_update WHERE action_id = a.id ORDER BY position))
            """
        let revisions = """
            (SELECT json_group_array(target_date)
             FROM (SELECT target_date FROM action_revision WHERE action_id = a.id ORDER BY position))
            """
        let actions = """
            (SELECT json_group_array(json(json_patch(
                json_object('id', a.label, 'text', a.text, 'owner', a.owner, 'target_date', a.target_date),
                json_object(
                  'revised_target_dates', CASE WHEN EXISTS (SELECT 1 FROM action_revision WHERE action_id = a.id) THEN json(\(revisions)) END,
                  'status', a.status, 'completed_date', a.completed_date, 'withdrawn_reason', a.withdrawn_reason,
                  'updates', CASE WHEN EXISTS (SELECT 1 FROM action_update WHERE action_id = a.id) THEN json(\(updates)) END))))
             FROM (SELECT * FROM action WHERE recommendation_id = r.id ORDER BY position) AS a)
            """
        let recommendations = """
            coalesce((SELECT json_group_array(json(json_patch(
                json_object('id', r.label, 'text', r.text),
                json_object(
                  'to', r.addressed_to, 'response', r.response, 'reason_category', r.reason_category, 'reason', r.reason,
                  'themes', CASE WHEN r.themes = '[]' THEN NULL ELSE json(r.themes) END,
                  'actions', CASE WHEN EXISTS (SELECT 1 FROM action WHERE recommendation_id = r.id) THEN json(\(actions)) END))))
              FROM (SELECT * FROM recommendation WHERE review_id = review.id ORDER BY position) AS r), '[]')
            """
        try db.execute(sql: """
            ALTER TABLE review ADD COLUMN findings TEXT NOT NULL DEFAULT '[]';
            ALTER TABLE review ADD COLUMN learning TEXT NOT NULL DEFAULT '[]';
            ALTER TABLE review ADD COLUMN recommendations TEXT NOT NULL DEFAULT '[]';
            UPDATE review SET findings = \(notes("finding")), learning = \(notes("learning")), recommendations = \(recommendations);
            DROP TABLE action_update;
            DROP TABLE action_revision;
            DROP TABLE action;
            DROP TABLE recommendation;
            DROP TABLE finding;
            DROP TABLE learning;

            CREATE VIRTUAL TABLE search_index USING fts5 (text, content = '', tokenize = 'porter unicode61 remove_diacritics 2');
            INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 33554432);
            INSERT INTO search_index (rowid, text) SELECT id, text FROM search_text ORDER BY id;
            DROP TRIGGER search_text_added;
            DROP TRIGGER search_text_removed;
            DROP TRIGGER search_text_changed;
            DROP TABLE search;
            DROP TABLE search_text;
            ALTER TABLE search_index RENAME TO search;
            """)
        try db.execute(sql: FrozenSQL.v4Views)
    }

    /// `v5-text-lengths`: the search index keeps no row of its own for each text's length;
    /// the lengths go in `search_size`, one row for each review with texts, `sizes` holding
    /// a little-endian 32-bit count of words for each of its texts in the order of their
    /// numbers. Every text is indexed again, its words counted by the counter in front of
    /// porter (`WordCounter`), in the order of the view `search_text`.
    static func keepTextLengths(_ db: Database, words: WordCounter) throws {
        try db.execute(sql: """
            CREATE TABLE search_size (
              review_id INTEGER PRIMARY KEY REFERENCES review (id) ON DELETE CASCADE,
              sizes BLOB NOT NULL);
            CREATE VIRTUAL TABLE search_index USING fts5 (
              text, content = '', columnsize = 0, tokenize = 'porter unicode61 remove_diacritics 2');
            INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 33554432);
            DROP TABLE search;
            ALTER TABLE search_index RENAME TO search;
            """)
        let index = try db.makeStatement(sql: "INSERT INTO search (rowid, text) VALUES (?, ?)")
        let lengths = try db.makeStatement(sql: "INSERT INTO search_size (review_id, sizes) VALUES (?, ?)")
        var sizes: [UInt8] = []
        var current: Int64?
        func finish() throws {
            if let current, !sizes.isEmpty { try lengths.execute(arguments: [current, Data(sizes)]) }
            sizes = []
        }
        let texts = try Row.fetchCursor(db, sql: "SELECT id, review_id, text FROM search_text ORDER BY id")
        while let row = try texts.next() {
            let review = row["review_id"] as DatabaseValue
            let id = Int64.fromDatabaseValue(row["id"] as DatabaseValue) ?? 0
            let reviewID = Int64.fromDatabaseValue(review) ?? 0
            if current != reviewID { try finish() }
            current = reviewID
            var text = ""
            if case .string(let stored) = (row["text"] as DatabaseValue).storage { text = stored }
            words.words.pointee = 0
            try index.execute(arguments: [id, text])
            let count = words.words.pointee
            sizes += [UInt8(truncatingIfNeeded: count), UInt8(truncatingIfNeeded: count >> 8),
                      UInt8(truncatingIfNeeded: count >> 16), UInt8(truncatingIfNeeded: count >> 24)]
        }
        try finish()
    }
}
