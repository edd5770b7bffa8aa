import Foundation

/// `dus export --format csv`: one CSV file per table, with a header row, keyed by the
/// review reference (and recommendation and action ids) rather than internal row ids.
public struct CSVExport: Sendable {
    public let catalogue: Catalogue

    public init(catalogue: Catalogue = .standard) {
        self.catalogue = catalogue
    }

    /// The file names of the tables, in order.
    public static let names = ["reviews.csv", "findings.csv", "learning.csv", "recommendations.csv", "actions.csv",
                               "action_revisions.csv", "action_updates.csv"]

    /// The header row of each table, in the order of `names`.
    public var headers: [[String]] {
        [
            ["reference", "kind", "status", "classification", "event_date", "release_date", "review_date", "region",
             "supervision", "age", "sex", "ethnicity", "event_place", "bystander_present", "naloxone_given_at_event",
             "ambulance_attended", "substances", "agencies", "summary", "days_since_release", "release_band", "age_band",
            ] + catalogue.factors.map(\.id),
            ["reference", "position", "text", "themes"],
            ["reference", "position", "text", "themes"],
            ["reference", "recommendation", "text", "to", "response", "reason_category", "reason", "themes"],
            ["reference", "recommendation", "action", "text", "owner", "target_date", "current_target_date", "status", "completed_date", "withdrawn_reason", "evidence"],
            ["reference", "recommendation", "action", "position", "target_date"],
            ["reference", "recommendation", "action", "position", "date", "note"],
        ]
    }

    /// The tables for these reviews, by file name.
    public func tables(for reviews: [Review]) -> [(name: String, table: Table)] {
        var tables = headers.map { Table(headers: $0) }
        for item in reviews {
            rows(of: item) { table, row in tables[table].rows.append(row) }
        }
        return Array(zip(Self.names, tables))
    }

    /// The CSV files of the reviews `reviews` gives, by file name, each made as the reviews
    /// are read (none held all at once). The rows are made on a thread of their own, in
    /// batches, while the reviews are read and decoded on the caller's.
    public func files(_ reviews: Exporter.Reviews) throws -> [(name: String, bytes: [UInt8])] {
        let batches = Channel<[Review]>(capacity: 4)
        let export = self
        let writing = BackgroundWork { () -> [[UInt8]] in
            var files = export.headers.map { headers in
                var file = CSVBytes()
                file.row(headers)
                return file
            }
            while let batch = batches.take() {
                for item in batch {
                    export.rows(of: item) { table, row in files[table].row(row) }
                }
            }
            return files.map(\.bytes)
        }
        var batch: [Review] = []
        batch.reserveCapacity(256)
        do {
            try reviews { item in
                batch.append(item)
                if batch.count == 256 {
                    _ = batches.put(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            _ = batches.put(batch)
        } catch {
            batches.close()
            _ = writing.wait()
            throw error
        }
        batches.finish()
        return Array(zip(Self.names, writing.wait()))
    }

    /// The rows of one review, each with the index of its table in `names`.
    func rows(of item: Review, _ add: (Int, [String]) -> Void) {
        let derived = Derived(for: item)
        let answers = item.answers(in: catalogue, derived: derived).map(\.rawValue)
        add(0, [
            item.reference, item.kind.rawValue, item.status.rawValue, item.classification.rawValue,
            item.eventDate.description, item.releaseDate?.description ?? "", item.reviewDate?.description ?? "",
            item.region, item.supervision.rawValue, item.age.map(String.init) ?? "", item.sex.rawValue,
            item.ethnicity.rawValue, item.eventPlace.rawValue, item.bystanderPresent.rawValue,
            item.naloxoneGivenAtEvent.rawValue, item.ambulanceAttended.rawValue, item.substances.joined(separator: ";"),
            item.agencies.joined(separator: ";"), item.summary ?? "", derived.daysSinceRelease.map(String.init) ?? "",
            derived.releaseBand.rawValue, derived.ageBand,
        ] + answers)
        for (index, note) in item.findings.enumerated() {
            add(1, [item.reference, String(index + 1), note.text, note.themes.joined(separator: ";")])
        }
        for (index, note) in item.learning.enumerated() {
            add(2, [item.reference, String(index + 1), note.text, note.themes.joined(separator: ";")])
        }
        for rec in item.recommendations {
            add(3, [item.reference, rec.id, rec.text, rec.to ?? "", rec.response.rawValue,
                    rec.reasonCategory?.rawValue ?? "", rec.reason ?? "", rec.themes.joined(separator: ";")])
            for act in rec.actions {
                add(4, [item.reference, rec.id, act.id, act.text, act.owner, act.targetDate.description,
                        act.currentTargetDate.description, act.status.rawValue, act.completedDate?.description ?? "",
                        act.withdrawnReason ?? "", act.evidence ?? ""])
                for (index, day) in act.revisedTargetDates.enumerated() {
                    add(5, [item.reference, rec.id, act.id, String(index + 1), day.description])
                }
                for (index, entry) in act.updates.enumerated() {
                    add(6, [item.reference, rec.id, act.id, String(index + 1), entry.date.description, entry.note])
                }
            }
        }
    }
}
