import Foundation

/// The review filters as a person typed them: the options of the command line (`--kind
/// death`) or the query parameters of a page (`kind=death`), which have the same names.
/// Read into a `ReviewFilter` with the same messages in both places.
public struct FilterText: Sendable, Equatable {
    public var from: String?
    public var to: String?
    public var period: String?
    public var kind: String?
    public var region: String?
    public var supervision: String?
    public var status: String?
    public var classification: String?
    /// `ID` (risk present) or `ID=ANSWER`, combined with AND.
    public var factors: [String] = []

    public init() {}

    /// The names of the filters, as options (`--NAME`) and as query parameters.
    public static let names = ["from", "to", "period", "kind", "region", "supervision", "status", "classification", "factor"]

    /// The filter, or the first value that is not one, named as its option is.
    public func filter(catalogue: Catalogue = .standard) throws(FilterTextError) -> ReviewFilter {
        var filter = ReviewFilter()
        (filter.from, filter.to) = try Self.eventDates(period: period, from: from, to: to)
        do {
            filter.factors = try factors.map { text throws(FilterError) in try ReviewFilter.FactorCondition(parsing: text, catalogue: catalogue) }
        } catch {
            throw FilterTextError(error.description)
        }
        filter.kind = try Self.choice(kind, "--kind")
        filter.supervision = try Self.choice(supervision, "--supervision")
        filter.status = try Self.choice(status, "--status")
        filter.classification = try Self.choice(classification, "--classification")
        if let region {
            guard let match = catalogue.region(matching: region) else { throw FilterTextError(FilterError.unknownRegion(region).description) }
            filter.region = match.name
        }
        return filter
    }

    /// A value of one of the fixed lists (`--kind death`), or nil when not given.
    public static func choice<T: RawRepresentable & CaseIterable>(_ value: String?, _ option: String) throws(FilterTextError) -> T?
    where T.RawValue == String {
        guard let value else { return nil }
        guard let parsed = T(rawValue: value) else {
            throw FilterTextError("\(option) '\(value)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return parsed
    }

    /// `--period P`, or `--from DATE` and `--to DATE`, as the first and last days (nil
    /// where not given); shared by the filters and the bulletin.
    public static func eventDates(period: String?, from: String?, to: String?) throws(FilterTextError) -> (from: Day?, to: Day?) {
        if let period {
            if from != nil || to != nil { throw FilterTextError("--period cannot be combined with --from or --to") }
            do {
                let range = try ReviewFilter.period(period)
                return (range.from, range.to)
            } catch {
                throw FilterTextError(error.description)
            }
        }
        func day(_ text: String?, _ option: String) throws(FilterTextError) -> Day? {
            guard let text else { return nil }
            guard let day = Day(text) else { throw FilterTextError("\(option) '\(text)' is not a real date YYYY-MM-DD") }
            return day
        }
        return (try day(from, "--from"), try day(to, "--to"))
    }
}

/// A filter value that is not one, with the message the command line gives.
public struct FilterTextError: Error, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
