import Foundation
import GRDB

/// A stored value that is not what dus wrote (changed by another tool, or a damaged
/// file). It names the field, the stored type and length, and what is wrong, never the
/// value itself, which may hold case text.
struct DamagedValue: Error, Equatable {
    var field: String
    /// `text of 5 bytes`, `an integer`, `NULL`, ...
    var stored: String
    var problem: String

    /// How a stored value is described in an error: its type and length only.
    static func describe(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64: "an integer"
        case .double: "a real number"
        case .string(let text): "text of \(text.utf8.count) byte\(text.utf8.count == 1 ? "" : "s")"
        case .blob(let data): "a blob of \(data.count) byte\(data.count == 1 ? "" : "s")"
        }
    }
}

/// The reading side of every stored column: each value is checked for the type and
/// spelling dus writes, and anything else is a `DamagedValue` naming the column. Nothing
/// read from the database is force-unwrapped.
struct StoredRow {
    let row: Row

    init(_ row: Row) {
        self.row = row
    }

    func value(_ column: String) -> DatabaseValue {
        row[column] as DatabaseValue? ?? .null
    }

    func damaged(_ column: String, _ problem: String, field: String? = nil) -> DamagedValue {
        DamagedValue(field: field ?? column, stored: DamagedValue.describe(value(column)), problem: problem)
    }

    func optionalText(_ column: String) throws(DamagedValue) -> String? {
        switch value(column).storage {
        case .null: return nil
        case .string(let text): return text
        default: throw damaged(column, "not text")
        }
    }

    func text(_ column: String) throws(DamagedValue) -> String {
        guard let text = try optionalText(column) else { throw damaged(column, "missing") }
        return text
    }

    func optionalInteger(_ column: String) throws(DamagedValue) -> Int? {
        switch value(column).storage {
        case .null: return nil
        case .int64(let number): return Int(number)
        default: throw damaged(column, "not a whole number")
        }
    }

    func optionalDay(_ column: String) throws(DamagedValue) -> Day? {
        guard let text = try optionalText(column) else { return nil }
        guard let day = Day(text) else { throw damaged(column, "not a date") }
        return day
    }

    func day(_ column: String) throws(DamagedValue) -> Day {
        guard let day = try optionalDay(column) else { throw damaged(column, "missing") }
        return day
    }

    /// A value of a controlled list stored as its spelling (`death`, `near-miss`, ...).
    func choice<T: RawRepresentable>(_ column: String, _ type: T.Type) throws(DamagedValue) -> T where T.RawValue == String {
        guard let value = T(rawValue: try text(column)) else { throw damaged(column, "not a value dus knows") }
        return value
    }

    /// A JSON list of texts (`substances`, `agencies`, `themes`).
    func texts(_ column: String) throws(DamagedValue) -> [String] {
        let text = try text(column)
        guard let node = try? JSONParser.parse(text), case .list(let items) = node.value else {
            throw damaged(column, "not a JSON list")
        }
        return try items.map { item throws(DamagedValue) in
            guard case .scalar(let text, _) = item.value else { throw damaged(column, "a JSON list with an item that is not text") }
            return text
        }
    }
}

extension StoreError {
    /// The error for a stored value of the review `reference` that cannot be read back.
    static func damaged(_ error: DamagedValue, reference: String) -> StoreError {
        .damaged(reference: reference, field: error.field, stored: error.stored, problem: error.problem)
    }
}
