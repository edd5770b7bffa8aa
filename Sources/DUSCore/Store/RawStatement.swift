import Foundation
import GRDB
import GRDBSQLite

/// A value to bind to a statement parameter.
enum SQLValue {
    case text(String)
    case integer(Int)
    case blob(Data)
    case null

    init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    init(_ integer: Int?) { self = integer.map(SQLValue.integer) ?? .null }

    /// The value as GRDB holds it, to compare with a value read back.
    var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text.databaseValue
        case .integer(let number): number.databaseValue
        case .blob(let data): data.databaseValue
        case .null: .null
        }
    }
}

/// A GRDB statement driven through the SQLite C API, for the two hot loops: writing
/// reviews on import and reading answers for patterns. There, GRDB's general conversions
/// (arguments as existentials, rows as dictionaries of `DatabaseValue`) cost several times
/// SQLite's own work. Everything else goes through GRDB as usual.
///
/// Use it only inside the `Database` closure that made it.
struct RawStatement {
    private let statement: Statement
    private let connection: OpaquePointer
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database is closed") }
        self.connection = connection
    }

    // MARK: Writing

    /// Runs the statement with `values` bound in order; returns the row id of an INSERT.
    ///
    /// Texts are bound in place (`SQLITE_STATIC`), without SQLite copying them: each is
    /// bound inside its own `withUTF8`, the statement steps inside the innermost one, and
    /// the bindings are cleared there, before any of those closures returns. (A bind that
    /// fails part way leaves earlier bindings to the `defer`, and nothing reads them.)
    @discardableResult
    func execute(_ values: [SQLValue]) throws -> Int64 {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bindAndStep(values, from: 0)
        return sqlite3_last_insert_rowid(connection)
    }

    /// Runs the statement with an integer and a text bound, the shape of each insert into
    /// the search index (a million of them for 100,000 reviews): as `execute`, without
    /// gathering the values into an array first.
    func execute(_ integer: Int64, _ text: String) throws {
        var text = text
        let error: DatabaseError? = text.withUTF8 { buffer in
            // The error is read before the statement is reset, and the text let go while valid.
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            var code = sqlite3_bind_int64(handle, 1, integer)
            guard code == SQLITE_OK else { return failure(code) }
            code = bindText(buffer, at: 2)
            guard code == SQLITE_OK else { return failure(code) }
            code = sqlite3_step(handle)
            return code == SQLITE_DONE ? nil : failure(code)
        }
        if let error { throw error }
    }

    /// Runs the statement with an integer and a blob bound (the lengths of a review's
    /// texts in `search_size`); SQLite copies the bytes.
    func execute(_ integer: Int64, bytes: [UInt8]) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var code = sqlite3_bind_int64(handle, 1, integer)
        guard code == SQLITE_OK else { throw failure(code) }
        code = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, 2, $0.baseAddress, Int32($0.count), Self.transient) }
        guard code == SQLITE_OK else { throw failure(code) }
        code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    private func bindAndStep(_ values: [SQLValue], from offset: Int) throws {
        guard offset < values.count else {
            let code = sqlite3_step(handle)
            let error = code == SQLITE_DONE ? nil : failure(code)
            // Let go of the texts while they are still valid.
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            if let error { throw error }
            return
        }
        let index = Int32(offset + 1)
        let code: Int32
        switch values[offset] {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            code = sqlite3_bind_int64(handle, index, Int64(integer))
        case .blob(let data):
            // Copied by SQLite (SQLITE_TRANSIENT): the bytes need not outlive the call.
            code = data.withUnsafeBytes { bytes in
                sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
        case .text(var text):
            return try text.withUTF8 { buffer in
                let bound = bindText(buffer, at: index)
                guard bound == SQLITE_OK else { throw failure(bound) }
                try bindAndStep(values, from: offset + 1)
            }
        }
        guard code == SQLITE_OK else { throw failure(code) }
        try bindAndStep(values, from: offset + 1)
    }

    /// Binds UTF-8 bytes in place (`SQLITE_STATIC`): they must stay valid until the
    /// bindings are cleared. An empty buffer may have no address, which SQLite would bind
    /// as NULL, so it is bound as an empty text.
    private func bindText(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int32) -> Int32 {
        buffer.baseAddress.map { base in
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                sqlite3_bind_text(handle, index, $0, Int32(buffer.count), Self.static)
            }
        } ?? sqlite3_bind_text(handle, index, "", 0, Self.transient)
    }

    // MARK: Reading

    /// Binds the parameters (GRDB's arguments: reads are not the hot part) and rewinds.
    func start(arguments: StatementArguments) throws {
        sqlite3_reset(handle)
        try statement.setArguments(arguments)
    }

    /// Moves to the next row; false after the last.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        default:
            sqlite3_reset(handle)
            throw failure(code)
        }
    }

    /// How the value of the column is stored, as an error names it: `text of 5 bytes`,
    /// `an integer`, `NULL`, ...
    func storedType(_ column: Int32) -> String {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return "NULL"
        case SQLITE_INTEGER: return "an integer"
        case SQLITE_FLOAT: return "a real number"
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            return "a blob of \(count) byte\(count == 1 ? "" : "s")"
        default:
            let count = Int(sqlite3_column_bytes(handle, column))
            return "text of \(count) byte\(count == 1 ? "" : "s")"
        }
    }

    /// How the value is stored, in one call: 0 NULL, 1 integer, 3 text, 4 anything else.
    func storage(_ column: Int32) -> Int32 {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: 0
        case SQLITE_INTEGER: 1
        case SQLITE3_TEXT: 3
        default: 4
        }
    }

    func isText(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE3_TEXT
    }

    func isInteger(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_INTEGER
    }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func integer(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    /// The column's UTF-8 bytes, valid until the next `step`.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let start = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func text(_ column: Int32) -> String {
        String(decoding: bytes(column), as: UTF8.self)
    }

    // MARK: Details

    /// SQLite copies the bound text.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// SQLite uses the bound text where it is: valid only while it is not rebound.
    private static let `static` = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)),
            sql: statement.sql)
    }
}
