import Foundation

/// `dus export --format csv`: one CSV file per table, with a header row, keyed by the
/// review reference (and recommendation and action ids) rather than internal row ids.
public struct CSVExport {
    public let catalogue: Catalogue

    public init(catalogue: Catalogue = .standard) {
        self.catalogue = catalogue
    }

    /// The tables for these reviews, by file name.
    public func tables(for reviews: [Review]) -> [(name: String, table: Table)] {
        let factorIDs = catalogue.factors.map(\.id)
        var review = Table(headers: [
            "reference", "kind", "status", "classification", "event_date", "release_date", "review_date", "region",
            "supervision", "age", "sex", "ethnicity", "event_place", "bystander_present", "naloxone_given_at_event",
            "ambulance_attended", "substances", "agencies", "summary", "days_since_release", "release_band", "age_band",
        ] + factorIDs)
        var finding = Table(headers: ["reference", "position", "text", "themes"])
        var learning = Table(headers: ["reference", "position", "text", "themes"])
        var recommendation = Table(headers: ["reference", "recommendation", "text", "to", "response", "reason_category", "reason", "themes"])
        var action = Table(headers: ["reference", "recommendation", "action", "text", "owner", "target_date", "current_target_date", "status", "completed_date", "withdrawn_reason"])
        var revision = Table(headers: ["reference", "recommendation", "action", "position", "target_date"])
        var update = Table(headers: ["reference", "recommendation", "action", "position", "date", "note"])
        for item in reviews {
            let derived = Derived(for: item)
            let answers = catalogue.factors.map { item.answer(to: $0, derived: derived).rawValue }
            review.rows.append([
                item.reference, item.kind.rawValue, item.status.rawValue, item.classification.rawValue,
                item.eventDate.description, item.releaseDate?.description ?? "", item.reviewDate?.description ?? "",
                item.region, item.supervision.rawValue, item.age.map(String.init) ?? "", item.sex.rawValue,
                item.ethnicity.rawValue, item.eventPlace.rawValue, item.bystanderPresent.rawValue,
                item.naloxoneGivenAtEvent.rawValue, item.ambulanceAttended.rawValue, item.substances.joined(separator: ";"),
                item.agencies.joined(separator: ";"), item.summary ?? "", derived.daysSinceRelease.map(String.init) ?? "",
                derived.releaseBand.rawValue, derived.ageBand,
            ] + answers)
            for (index, note) in item.findings.enumerated() {
                finding.rows.append([item.reference, String(index + 1), note.text, note.themes.joined(separator: ";")])
            }
            for (index, note) in item.learning.enumerated() {
                learning.rows.append([item.reference, String(index + 1), note.text, note.themes.joined(separator: ";")])
            }
            for rec in item.recommendations {
                recommendation.rows.append([item.reference, rec.id, rec.text, rec.to ?? "", rec.response.rawValue,
                                            rec.reasonCategory?.rawValue ?? "", rec.reason ?? "", rec.themes.joined(separator: ";")])
                for act in rec.actions {
                    action.rows.append([item.reference, rec.id, act.id, act.text, act.owner, act.targetDate.description,
                                        act.currentTargetDate.description, act.status.rawValue, act.completedDate?.description ?? "",
                                        act.withdrawnReason ?? ""])
                    for (index, day) in act.revisedTargetDates.enumerated() {
                        revision.rows.append([item.reference, rec.id, act.id, String(index + 1), day.description])
                    }
                    for (index, entry) in act.updates.enumerated() {
                        update.rows.append([item.reference, rec.id, act.id, String(index + 1), entry.date.description, entry.note])
                    }
                }
            }
        }
        return [("reviews.csv", review), ("findings.csv", finding), ("learning.csv", learning),
                ("recommendations.csv", recommendation), ("actions.csv", action),
                ("action_revisions.csv", revision), ("action_updates.csv", update)]
    }
}
