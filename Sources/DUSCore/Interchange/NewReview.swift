import Foundation

/// `dus new`: the fields every review needs, asked first, and the review file they start
/// (from `templates/review.md.mustache`), which the panel then completes in an editor.
public struct NewReview: Sendable {
    /// The questions, in the order they are asked. The release date comes before the
    /// region so that a review can be checked against its event date.
    public enum Field: String, CaseIterable, Sendable {
        case kind, eventDate = "event_date", releaseDate = "release_date", region, supervision, reference

        public var isRequired: Bool { self != .releaseDate }
    }

    public let catalogue: Catalogue
    public let today: Day
    /// The answers given so far, by field, as typed (the region as its display name).
    public private(set) var answers: [Field: String] = [:]

    public init(catalogue: Catalogue = .standard, today: Day = .today()) {
        self.catalogue = catalogue
        self.today = today
    }

    /// What to show when asking for `field`: the question and the accepted answers.
    public func question(_ field: Field) -> String {
        switch field {
        case .kind: return "Kind (\(Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .eventDate: return "Date of the death or near miss (YYYY-MM-DD)"
        case .releaseDate: return "Date of the last release from custody (YYYY-MM-DD; leave empty if none)"
        case .region: return "Probation region (\(catalogue.regions.map(\.name).joined(separator: ", ")))"
        case .supervision: return "Supervision (\(Supervision.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .reference: return "Reference (A-Z, 0-9 and -, as the region allocates them)"
        }
    }

    /// Records `answer` for `field` when it passes the rules an import applies to that
    /// field; otherwise returns what is wrong and records nothing. An empty answer to the
    /// release date means there is none.
    public mutating func answer(_ field: Field, _ answer: String) -> String? {
        let answer = answer.trimmingCharacters(in: .whitespaces)
        if answer.isEmpty {
            if field.isRequired { return "an answer is needed" }
            answers[field] = nil
            return nil
        }
        var candidate = answers
        candidate[field] = answer
        // The rules are the reader's own: a review of the answers so far, with stand-ins
        // for the fields not yet answered, read as an import reads it.
        let read = ReviewFiles(catalogue: catalogue, today: today).readJSON(Self.json(candidate, catalogue: catalogue), file: "answer")
        if let problem = read.flatMap(\.problems).first(where: { $0.field == field.rawValue }) { return problem.message }
        // The region is kept as its display name, whatever spelling was typed.
        candidate[field] = field == .region ? catalogue.region(matching: answer)?.name ?? answer : answer
        answers = candidate
        return nil
    }

    /// The reference to offer: the region's code, the event's year and the next number
    /// not taken among `taken` (e.g. `NW-2026-0013`).
    public func suggestedReference(taken: [String]) -> String? {
        guard let region = answers[.region].flatMap(catalogue.region(matching:)), let year = answers[.eventDate]?.prefix(4) else { return nil }
        let prefix = "\(region.code)-\(year)-"
        let highest = taken.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }.max() ?? 0
        let number = String(highest + 1)
        return prefix + String(repeating: "0", count: max(0, 4 - number.count)) + number
    }

    /// The review file the answers start: the template rendered with them. Throws
    /// `TemplateError` when the template is not Mustache or asks for a value it would not
    /// be given (a misspelt name would leave a silent gap).
    public func file(template: String = NewReview.defaultTemplate) throws -> String {
        try TemplateNames.compiled(template, values: Self.valueNames, listedUnder: "Creating and changing a review").render(context())
    }

    /// The template in `templates/`, built into the binary.
    public static var defaultTemplate: String {
        String(decoding: PackageResources.review_md_mustache, as: UTF8.self)
    }

    /// The names of the values `context` holds, as `TemplateNames` reads them.
    static let valueNames: [String: Set<String>] = [
        "": ["reference", "kind", "event_date", "release_date", "region", "supervision", "classifications", "sexes",
             "ethnicities", "substances", "event_places", "themes", "factor_groups"],
        "factor_groups": ["group", "factors"],
        "factors": ["id", "question", "risk_answer"],
    ]

    /// The values a template can use; the README lists them. Factors are those that can
    /// be answered for this review: never derived ones, `released` ones only with a release
    /// date, and death-only or near-miss-only ones only for that kind.
    func context() -> [String: Any] {
        let kind = answers[.kind].flatMap(Kind.init(rawValue:))
        let released = answers[.releaseDate] != nil
        var groups: [(group: String, factors: [[String: Any]])] = []
        for factor in catalogue.factors where !factor.derived {
            switch factor.applies {
            case .all: break
            case .released: if !released { continue }
            case .death: if kind != .death { continue }
            case .nearMiss: if kind != .nearMiss { continue }
            }
            let entry: [String: Any] = ["id": factor.id, "question": factor.question, "risk_answer": factor.risk.rawValue]
            if groups.last?.group == factor.group { groups[groups.count - 1].factors.append(entry) } else { groups.append((factor.group, [entry])) }
        }
        func list(_ name: String) -> String { catalogue.ids(of: name).joined(separator: ", ") }
        var context: [String: Any] = [
            "classifications": list("classification"), "sexes": list("sex"), "ethnicities": list("ethnicity"),
            "substances": list("substances"), "themes": list("themes"),
            "event_places": (catalogue.eventCircumstances["event_place"] ?? []).joined(separator: ", "),
            "factor_groups": groups.map { ["group": $0.group, "factors": $0.factors] as [String: Any] },
        ]
        for field in Field.allCases { if let value = answers[field] { context[field.rawValue] = value } }
        return context
    }

    /// The answers as review-file JSON, with stand-ins for required fields not answered.
    private static func json(_ answers: [Field: String], catalogue: Catalogue) -> String {
        let standIns: [Field: String] = [
            .reference: "NEW", .kind: Kind.death.rawValue, .eventDate: "2000-01-01",
            .region: catalogue.regions[0].name, .supervision: Supervision.licence.rawValue,
        ]
        let pairs = Field.allCases.compactMap { field in (answers[field] ?? standIns[field]).map { (field.rawValue, JSONValue.string($0)) } }
        return JSONValue.object(pairs).serialized()
    }
}
