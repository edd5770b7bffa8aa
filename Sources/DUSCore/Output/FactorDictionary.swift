/// `dus factors`: the catalogue and controlled lists as a data dictionary.
public struct FactorDictionary {
    public let catalogue: Catalogue

    public init(catalogue: Catalogue = .standard) {
        self.catalogue = catalogue
    }

    public var factorTable: Table {
        Table(
            headers: ["id", "group", "question", "risk", "applies", "derived"],
            rows: catalogue.factors.map { [$0.id, $0.group, $0.question, $0.risk.rawValue, $0.applies.rawValue, $0.derived ? "yes" : ""] })
    }

    public var regionTable: Table {
        Table(headers: ["region", "code", "slug"], rows: catalogue.regions.map { [$0.name, $0.code, $0.slug] })
    }

    static let listOrder = ["kind", "classification", "status", "supervision", "substances", "themes", "sex", "ethnicity", "response", "reason_category", "action_status"]

    private var lists: [(String, [Catalogue.Entry])] {
        Self.listOrder.compactMap { name in catalogue.lists[name].map { (name, $0) } }
            + [("event_place", (catalogue.eventCircumstances["event_place"] ?? []).map { Catalogue.Entry(id: $0, note: nil) })]
    }

    private static func describe(_ entry: Catalogue.Entry) -> String {
        guard let note = entry.note else { return entry.id }
        return "\(entry.id) (\(note))"
    }

    public func text() -> String {
        var out = "Risk-factor catalogue, version \(catalogue.version)\n"
        out += "Each factor is answered yes, no or unknown; 'risk' is the answer that counts as risk present.\n"
        out += "applies: all, or released (only with a release date; otherwise not applicable). Derived factors are computed, never typed in.\n\n"
        out += factorTable.text() + "\nRegions (any spelling: the name in any case, with 'and' or '&', with or without commas, the slug, or the code)\n\n"
        out += regionTable.text() + "\nControlled lists\n\n"
        for (name, entries) in lists {
            out += name + ": " + entries.map(Self.describe).joined(separator: ", ") + "\n"
        }
        return out
    }

    public func markdown() -> String {
        var out = "# Risk-factor catalogue (version \(catalogue.version))\n\n"
        var group = ""
        for factor in catalogue.factors {
            if factor.group != group {
                group = factor.group
                out += "\n## \(group)\n\n| id | question | risk | applies | derived |\n|---|---|---|---|---|\n"
            }
            out += "| \(factor.id) | \(factor.question) | \(factor.risk.rawValue) | \(factor.applies.rawValue) | \(factor.derived ? "yes" : "") |\n"
        }
        out += "\n## Regions\n\n" + regionTable.markdown() + "\n## Controlled lists\n\n"
        for (name, entries) in lists {
            out += "- **\(name)**: " + entries.map(Self.describe).joined(separator: ", ") + "\n"
        }
        return out
    }

    public func json() -> JSONValue {
        .object([
            ("version", .int(catalogue.version)),
            ("factors", .array(catalogue.factors.map {
                .object([("id", .string($0.id)), ("group", .string($0.group)), ("question", .string($0.question)),
                         ("risk", .string($0.risk.rawValue)), ("applies", .string($0.applies.rawValue)), ("derived", .bool($0.derived))])
            })),
            ("regions", .array(catalogue.regions.map { .object([("name", .string($0.name)), ("code", .string($0.code)), ("slug", .string($0.slug))]) })),
            ("lists", .object(lists.map { name, entries in (name, .array(entries.map { JSONValue.string($0.id) })) })),
        ])
    }
}
