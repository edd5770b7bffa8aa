/// `dus list`: one line per review.
public struct ReviewListing {
    public let summaries: [ReviewSummary]

    public init(summaries: [ReviewSummary]) {
        self.summaries = summaries
    }

    public var table: Table {
        Table(
            headers: ["reference", "kind", "status", "classification", "event_date", "region", "supervision"],
            rows: summaries.map {
                [$0.reference, $0.kind.rawValue, $0.status.rawValue, $0.classification.rawValue,
                 $0.eventDate.description, $0.region, $0.supervision.rawValue]
            })
    }

    public func json() -> JSONValue {
        .array(summaries.map {
            .object([
                ("reference", .string($0.reference)), ("kind", .string($0.kind.rawValue)),
                ("status", .string($0.status.rawValue)), ("classification", .string($0.classification.rawValue)),
                ("event_date", .string($0.eventDate.description)), ("region", .string($0.region)),
                ("supervision", .string($0.supervision.rawValue)),
            ])
        })
    }
}
