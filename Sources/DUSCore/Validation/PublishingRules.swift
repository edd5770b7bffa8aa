/// The rules a published review must keep, checked on a `Review` value: by an import
/// reading a file marked published, and by `dus status` before it publishes.
enum PublishingRules {
    /// One rule broken: the field to name, what is wrong, and the top-level key of the
    /// file whose line a reader of a file points at.
    struct Breach: Equatable {
        var field: String
        var message: String
        var key: String
    }

    static let exactDate = "contains an exact date, which a published review may not: write the month, or the time relative to the event"

    /// Every rule `review` breaks as a published review: at least one finding and one
    /// learning point, a classification other than suspected, and no exact date in
    /// findings, learning points or recommendations.
    static func breaches(_ review: Review) -> [Breach] {
        var breaches: [Breach] = []
        if review.findings.isEmpty {
            breaches.append(Breach(field: "status", message: "published needs at least one finding", key: "status"))
        }
        if review.learning.isEmpty {
            breaches.append(Breach(field: "status", message: "published needs at least one learning point", key: "status"))
        }
        if review.classification == .suspected {
            breaches.append(Breach(field: "status", message: "published needs a classification other than suspected (confirmed or not-drug-related)", key: "status"))
        }
        for (index, note) in review.findings.enumerated() where IdentifierScreen.containsExactDate(note.text) {
            breaches.append(Breach(field: "findings[\(index + 1)].text", message: exactDate, key: "findings"))
        }
        for (index, note) in review.learning.enumerated() where IdentifierScreen.containsExactDate(note.text) {
            breaches.append(Breach(field: "learning[\(index + 1)].text", message: exactDate, key: "learning"))
        }
        for recommendation in review.recommendations {
            if IdentifierScreen.containsExactDate(recommendation.text) {
                breaches.append(Breach(field: "recommendations[\(recommendation.id)].text", message: exactDate, key: "recommendations"))
            }
            if let reason = recommendation.reason, IdentifierScreen.containsExactDate(reason) {
                breaches.append(Breach(field: "recommendations[\(recommendation.id)].reason", message: exactDate, key: "recommendations"))
            }
        }
        return breaches
    }
}
