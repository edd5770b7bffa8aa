import CSearchIndex
import Foundation
import GRDB

/// The count of words that FTS5 adds to as it indexes a text on a store's connection
/// (`dus_search_prepare`), read after each text to keep its length in `search_size`.
///
/// Used only inside the store's database closures, one at a time: its one connection is
/// the only thing that writes to it.
final class WordCounter: @unchecked Sendable {
    let words: UnsafeMutablePointer<UInt32>
    /// What `dus_bm25` counted as it ranked (`DusRankCounts`): the texts and reviews of a
    /// match, without a second pass over it.
    let ranked: UnsafeMutablePointer<DusRankCounts>

    init() {
        words = .allocate(capacity: 1)
        words.initialize(to: 0)
        ranked = .allocate(capacity: 1)
        ranked.initialize(to: DusRankCounts(texts: 0, reviews: 0, last_review: -1, ordered: 1))
    }

    deinit {
        words.deallocate()
        ranked.deallocate()
    }

    /// Readies `db` for the search index: the ranking function `dus_bm25`, counting into
    /// `ranked`, and this counter in front of FTS5's `porter`.
    func prepare(_ db: Database) throws {
        let code = dus_search_prepare(db.sqliteConnection, words, ranked)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not ready the search index (FTS5)")
        }
    }
}

/// Adds texts to the search index and keeps their lengths: text `k` of a review is row
/// `review id * 2^20 + k` of `search`, and its length in words is the `k`-th little-endian
/// 32-bit count in the review's row of `search_size`, which `dus_bm25` reads to rank.
///
/// FTS5 could keep the lengths itself, a row for each text (`columnsize = 1`, its
/// default); one row for each review makes a large import markedly quicker.
final class SearchIndexWriter {
    private let index: RawStatement
    private let lengths: RawStatement
    private let counter: WordCounter
    private var sizes: [UInt8] = []

    init(_ db: Database, counter: WordCounter) throws {
        index = try RawStatement(db, sql: "INSERT INTO search (rowid, text) VALUES (?, ?)")
        // Bound in `SearchSizeTable.Columns` order: the review's id, then the lengths.
        lengths = try RawStatement(db, sql: SearchSizeTable.insertSQL)
        self.counter = counter
        sizes.reserveCapacity(64)
    }

    /// Indexes the next text of the review being added: texts come in the order of their
    /// numbers, from 0, and `finish` ends the review.
    func add(_ text: String, reviewID: Int64) throws {
        let position = Int64(sizes.count / 4)
        counter.words.pointee = 0
        try index.execute(reviewID * Schema.searchTextIDs + position, text)
        let words = counter.words.pointee
        sizes.append(UInt8(truncatingIfNeeded: words))
        sizes.append(UInt8(truncatingIfNeeded: words >> 8))
        sizes.append(UInt8(truncatingIfNeeded: words >> 16))
        sizes.append(UInt8(truncatingIfNeeded: words >> 24))
    }

    /// Stores the lengths of the review's texts (none for a review without texts).
    func finish(reviewID: Int64) throws {
        defer { sizes.removeAll(keepingCapacity: true) }
        guard !sizes.isEmpty else { return }
        try lengths.execute(reviewID, bytes: sizes)
    }

    /// Empties the index and indexes every text of every readable review afresh, in the
    /// order that numbers them (`StoredTexts`); returns how many texts. A review whose
    /// stored texts cannot be read is left out of the index (`dus doctor` names it).
    static func rebuild(_ db: Database, counter: WordCounter) throws -> Int {
        try db.execute(sql: "INSERT INTO search (search) VALUES ('delete-all'); DELETE FROM search_size")
        let writer = try SearchIndexWriter(db, counter: counter)
        var count = 0
        let rows = try RawStatement(db, sql: "SELECT id, summary, findings, learning, recommendations FROM review ORDER BY id")
        try rows.start(arguments: [])
        while try rows.step() {
            let id = Int64(rows.integer(0))
            // Types first: reading a value's bytes converts it to text.
            guard rows.isNull(1) || rows.isText(1), (2...4).allSatisfy({ rows.isText(Int32($0)) }),
                  let texts = StoredTexts.numberedTexts(
                    summary: rows.isNull(1) ? nil : rows.text(1), findings: rows.bytes(2), learning: rows.bytes(3), recommendations: rows.bytes(4))
            else { continue }
            for (_, text) in texts { try writer.add(text.text, reviewID: id) }
            try writer.finish(reviewID: id)
            count += texts.count
        }
        return count
    }

    /// The lengths that `search_size` gives, by row id of the index.
    static func storedLengths(_ db: Database) throws -> [Int64: UInt32] {
        var lengths: [Int64: UInt32] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT review_id, sizes FROM search_size")
        while let row = try rows.next() {
            let review: Int64 = row[0]
            // Lengths not stored as a blob are none: doctor reports the texts as without one.
            guard case .blob(let data) = (row[1] as DatabaseValue? ?? .null).storage else { continue }
            let bytes = [UInt8](data)
            for k in 0..<(bytes.count / 4) {
                let at = k * 4
                lengths[review * Schema.searchTextIDs + Int64(k)] =
                    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
            }
        }
        return lengths
    }
}
