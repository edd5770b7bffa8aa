import Foundation
import GRDB

/// The stored columns `dus patterns` counts, copied out of SQLite in batches: the bytes of
/// the columns in one buffer, and where each row's columns are in it. The bytes are as
/// stored: `answers` in the form of `AnswersCodec`, `substances` and `findingThemes` JSON
/// lists of ids (one list of lists for the findings).
public struct PatternRows: Sendable {
    public struct Record: Sendable {
        public var isDeath: Bool
        /// The review's status, by its place in `Status.allCases`.
        public var status: Int
        public var days: Int?
        /// `YYYY-MM-DD`.
        public var eventDate: Range<Int>
        public var region: Range<Int>
        public var supervision: Range<Int>
        public var answers: Range<Int>
        public var substances: Range<Int>
        public var findingThemes: Range<Int>
    }

    static let capacity = 2048
    public private(set) var bytes: [UInt8] = []
    public private(set) var records: [Record] = []

    var isFull: Bool { records.count >= Self.capacity }

    init() {
        bytes.reserveCapacity(Self.capacity * 200)
        records.reserveCapacity(Self.capacity)
    }

    /// The text of a column of a record.
    public func text(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    fileprivate mutating func append(_ rows: RawStatement, isDeath: Bool, status: Int) {
        func copy(_ column: Int32) -> Range<Int> {
            let start = bytes.count
            bytes.append(contentsOf: rows.bytes(column))
            return start..<bytes.count
        }
        records.append(Record(
            isDeath: isDeath, status: status, days: rows.isNull(5) ? nil : rows.integer(5), eventDate: copy(2), region: copy(3),
            supervision: copy(4), answers: copy(6), substances: copy(7), findingThemes: copy(8)))
    }
}

extension StoreSnapshot {
    /// Calls `body` with the pattern columns of every review the filter selects, a batch
    /// at a time, in no particular order. It reads the covering index `review_patterns`
    /// (migration v2) through the SQLite C API. Each value is checked for what dus writes:
    /// a damaged one stops the read with `StoreError.damaged`.
    public func patternRows(matching filter: ReviewFilter, _ body: (PatternRows) throws -> Void) throws {
        let (clause, arguments) = store.sqlCondition(for: filter)
        let catalogue = store.catalogue
        let rows = try RawStatement(db, sql: """
            SELECT id, kind, event_date, region, supervision, days_since_release, answers, substances, finding_themes, status
            FROM review WHERE \(clause)
            """)
        try rows.start(arguments: StatementArguments(arguments))
        let supervisions = Supervision.allCases.map { Array($0.rawValue.utf8) }
        let statuses = Status.allCases.map { Array($0.rawValue.utf8) }
        let regions = catalogue.regions.map { Array($0.name.utf8) }
        var batch = PatternRows()
        while try rows.step() {
            // Types first: reading a value's bytes converts it to text.
            let isWellTyped = (1...4).allSatisfy { rows.isText(Int32($0)) } && (rows.isNull(5) || rows.isInteger(5))
                && (6...8).allSatisfy { rows.isText(Int32($0)) }
            func damaged(_ column: Int32, _ field: String, _ problem: String) throws -> Never {
                let id = rows.integer(0)
                let reference = try String.fetchOne(db, sql: "SELECT CAST(reference AS TEXT) FROM review WHERE id = ?", arguments: [id]) ?? "review row \(id)"
                throw StoreError.damaged(DamagedValue(field: field, stored: rows.storedType(column), problem: problem), reference: reference)
            }
            if !isWellTyped {
                let column = Int32((1...8).first { $0 == 5 ? !(rows.isNull(5) || rows.isInteger(5)) : !rows.isText(Int32($0)) } ?? 1)
                let names = [1: "kind", 2: "event_date", 3: "region", 4: "supervision", 5: "days_since_release", 6: "answers", 7: "substances", 8: "finding_themes"]
                try damaged(column, names[Int(column)] ?? "kind", column == 5 ? "not a whole number" : "not text")
            }
            let kind = rows.bytes(1)
            let isDeath = kind.elementsEqual("death".utf8)
            if !(isDeath || kind.elementsEqual("near-miss".utf8)) { try damaged(1, "kind", "not a value dus knows") }
            if !rows.isText(2) || !Store.isDate(rows.bytes(2)) { try damaged(2, "event_date", "not a date") }
            if !rows.isText(3) || !regions.contains(where: { rows.bytes(3).elementsEqual($0) }) { try damaged(3, "region", "not a region dus knows") }
            if !rows.isText(4) || !supervisions.contains(where: { rows.bytes(4).elementsEqual($0) }) { try damaged(4, "supervision", "not a value dus knows") }
            if !rows.isNull(5) && !rows.isInteger(5) { try damaged(5, "days_since_release", "not a whole number") }
            if !rows.isText(6) || !AnswersCodec.isWellFormed(rows.bytes(6), catalogue: catalogue) {
                try damaged(6, "answers", "not one of y, n, u or - for each factor")
            }
            for (column, field) in [(Int32(7), "substances"), (8, "finding_themes")] {
                let json = rows.bytes(column)
                if !rows.isText(column) || json.first != UInt8(ascii: "[") || json.last != UInt8(ascii: "]") {
                    try damaged(column, field, "not a JSON list")
                }
            }
            guard rows.isText(9), let status = statuses.firstIndex(where: { rows.bytes(9).elementsEqual($0) }) else {
                try damaged(9, "status", "not a value dus knows")
            }
            batch.append(rows, isDeath: isDeath, status: status)
            if batch.isFull {
                try body(batch)
                batch = PatternRows()
            }
        }
        try body(batch)
    }
}
