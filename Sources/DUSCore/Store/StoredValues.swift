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

    /// The same value, named as a field of audit entry `id`: `audit[12].reason`.
    func inAuditEntry(_ id: Int64?) -> DamagedValue {
        DamagedValue(field: "audit[\(id.map(String.init) ?? "?")].\(field)", stored: stored, problem: problem)
    }

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
    /// Where each column is in the row, when known: rows of one statement share it, and
    /// looking a column up by name in GRDB compares names without case, each time.
    let columns: [String: Int]?

    init(_ row: Row, columns: [String: Int]? = nil) {
        self.row = row
        self.columns = columns
    }

    /// Where each column of the row is, for the other rows of the same statement.
    static func columns(of row: Row) -> [String: Int] {
        Dictionary(row.columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func value(_ column: String) -> DatabaseValue {
        if let index = columns?[column] { return row[index] as DatabaseValue? ?? .null }
        return row[column] as DatabaseValue? ?? .null
    }

    func damaged(_ column: String, _ problem: String, field: String? = nil) -> DamagedValue {
        DamagedValue(field: field ?? column, stored: DamagedValue.describe(value(column)), problem: problem)
    }

    /// The reference of a review row; a damaged one is named by the row's id, and thrown
    /// as the store's error.
    func reference() throws -> String {
        do {
            return try text("reference")
        } catch {
            throw StoreError.damaged(error, reference: "review row \(row["id"] as DatabaseValue? ?? .null)")
        }
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

    func optionalBlob(_ column: String) throws(DamagedValue) -> Data? {
        switch value(column).storage {
        case .null: return nil
        case .blob(let data): return data
        default: throw damaged(column, "not a blob")
        }
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

    /// A region, stored as its name in the catalogue.
    func region(_ catalogue: Catalogue) throws(DamagedValue) -> String {
        let name = try text("region")
        guard catalogue.regions.contains(where: { $0.name == name }) else { throw damaged("region", "not a region dus knows") }
        return name
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

/// The columns of the review table, and what each must hold: `check` throws a
/// `DamagedValue` for a stored value dus would not have written. `dus doctor` checks every
/// column of every review this way, and reading a review checks each column it reads.
enum ReviewColumn: String, CaseIterable {
    case reference, kind, status, classification
    case eventDate = "event_date", releaseDate = "release_date", reviewDate = "review_date"
    case region, supervision, age, sex, ethnicity
    case eventPlace = "event_place", bystanderPresent = "bystander_present"
    case naloxoneGivenAtEvent = "naloxone_given_at_event", ambulanceAttended = "ambulance_attended"
    case substances, agencies, summary, answers
    case daysSinceRelease = "days_since_release", releaseBand = "release_band", ageBand = "age_band"
    case createdAt = "created_at", updatedAt = "updated_at"
    case findingThemes = "finding_themes", findings, learning, recommendations

    func check(_ row: StoredRow, catalogue: Catalogue) throws(DamagedValue) {
        let column = rawValue
        switch self {
        case .reference, .createdAt, .updatedAt: _ = try row.text(column)
        case .region: _ = try row.region(catalogue)
        case .summary: _ = try row.optionalText(column)
        case .kind: _ = try row.choice(column, Kind.self)
        case .status: _ = try row.choice(column, Status.self)
        case .classification: _ = try row.choice(column, Classification.self)
        case .supervision: _ = try row.choice(column, Supervision.self)
        case .sex: _ = try row.choice(column, Sex.self)
        case .ethnicity: _ = try row.choice(column, Ethnicity.self)
        case .eventPlace: _ = try row.choice(column, EventPlace.self)
        case .bystanderPresent, .naloxoneGivenAtEvent, .ambulanceAttended: _ = try row.choice(column, Answer.self)
        case .releaseBand: _ = try row.choice(column, ReleaseBand.self)
        case .eventDate: _ = try row.day(column)
        case .releaseDate, .reviewDate: _ = try row.optionalDay(column)
        case .age, .daysSinceRelease: _ = try row.optionalInteger(column)
        case .ageBand: _ = try row.text(column)
        case .substances, .agencies: _ = try row.texts(column)
        case .answers:
            guard AnswersCodec.factors(try row.text(column), catalogue: catalogue) != nil else {
                throw row.damaged(column, "not one of y, n, u or - for each factor")
            }
        case .findingThemes:
            let text = try row.text(column)
            guard let node = try? JSONParser.parse(text), case .list(let lists) = node.value,
                  lists.allSatisfy({ if case .list = $0.value { true } else { false } }) else {
                throw row.damaged(column, "not a JSON list of lists")
            }
        case .findings, .learning:
            let text = try row.text(column)
            do throws(StoredParts.Damaged) {
                _ = try StoredParts.notes(text, column: column)
            } catch {
                throw row.damaged(column, error.problem)
            }
        case .recommendations:
            let text = try row.text(column)
            do throws(StoredParts.Damaged) {
                _ = try StoredParts.recommendations(text)
            } catch {
                throw row.damaged(column, error.problem)
            }
        }
    }

    /// Every value of the row that cannot be read, column by column.
    static func damagedValues(_ row: StoredRow, catalogue: Catalogue) -> [DamagedValue] {
        allCases.compactMap { column -> DamagedValue? in
            do throws(DamagedValue) {
                try column.check(row, catalogue: catalogue)
                return nil
            } catch {
                return error
            }
        }
    }
}
