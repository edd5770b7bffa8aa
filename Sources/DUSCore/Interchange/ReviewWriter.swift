import Foundation

/// Writes reviews in the review-file spellings: JSON and Markdown with YAML front matter.
///
/// Fields come out in the order of review-format.md; fields with no value and empty lists
/// are left out; factors are written in catalogue order. Reading the output back gives the
/// same review.
public struct ReviewWriter: Sendable {
    public let catalogue: Catalogue

    public init(catalogue: Catalogue = .standard) {
        self.catalogue = catalogue
    }

    // MARK: JSON

    /// The review in the JSON spelling; with `derived`, the read-only derived object that
    /// `dus show` adds (import ignores it).
    public func json(_ review: Review, derived: Bool = false) -> JSONValue {
        var pairs = frontMatterPairs(review)
        if let summary = review.summary { pairs.append(("summary", .string(summary))) }
        if !review.findings.isEmpty { pairs.append(("findings", Self.notesJSON(review.findings))) }
        if !review.learning.isEmpty { pairs.append(("learning", Self.notesJSON(review.learning))) }
        if !review.recommendations.isEmpty {
            pairs.append(("recommendations", .array(review.recommendations.map(Self.recommendationJSON))))
        }
        if derived { pairs.append(("derived", Self.derivedJSON(Derived(for: review)))) }
        return .object(pairs)
    }

    public static func derivedJSON(_ derived: Derived) -> JSONValue {
        .object([
            ("days_since_release", derived.daysSinceRelease.map(JSONValue.int) ?? .null),
            ("release_band", .string(derived.releaseBand.rawValue)),
            ("first_fortnight", .string(derived.firstFortnight.rawValue)),
            ("released_friday_or_pre_holiday", .string(derived.releasedFridayOrPreHoliday.rawValue)),
            ("age_band", .string(derived.ageBand)),
            ("polydrug", .string(derived.polydrug.rawValue)),
        ])
    }

    /// Every field that the Markdown spelling keeps in the front matter, in order.
    private func frontMatterPairs(_ review: Review) -> [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = [
            ("reference", .string(review.reference)),
            ("kind", .string(review.kind.rawValue)),
            ("status", .string(review.status.rawValue)),
            ("classification", .string(review.classification.rawValue)),
            ("event_date", .string(review.eventDate.description)),
        ]
        if let release = review.releaseDate { pairs.append(("release_date", .string(release.description))) }
        pairs += [("region", .string(review.region)), ("supervision", .string(review.supervision.rawValue))]
        if let age = review.age { pairs.append(("age", .int(age))) }
        pairs += [("sex", .string(review.sex.rawValue)), ("ethnicity", .string(review.ethnicity.rawValue))]
        if !review.substances.isEmpty { pairs.append(("substances", .array(review.substances.map(JSONValue.string)))) }
        pairs += [
            ("event_place", .string(review.eventPlace.rawValue)),
            ("bystander_present", .string(review.bystanderPresent.rawValue)),
            ("naloxone_given_at_event", .string(review.naloxoneGivenAtEvent.rawValue)),
            ("ambulance_attended", .string(review.ambulanceAttended.rawValue)),
        ]
        let factors = catalogue.factors.compactMap { factor in review.factors[factor.id].map { (factor.id, JSONValue.string($0.rawValue)) } }
        if !factors.isEmpty { pairs.append(("factors", .object(factors))) }
        if let reviewDate = review.reviewDate { pairs.append(("review_date", .string(reviewDate.description))) }
        if !review.agencies.isEmpty { pairs.append(("agencies", .array(review.agencies.map(JSONValue.string)))) }
        return pairs
    }

    /// Findings or learning points as in a JSON review file.
    private static func notesJSON(_ notes: [Note]) -> JSONValue {
        .array(notes.map { .object([("text", .string($0.text)), ("themes", .array($0.themes.map(JSONValue.string)))]) })
    }

    /// A recommendation as in a JSON review file.
    private static func recommendationJSON(_ recommendation: Recommendation) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("id", .string(recommendation.id)), ("text", .string(recommendation.text))]
        if let to = recommendation.to { pairs.append(("to", .string(to))) }
        pairs.append(("response", .string(recommendation.response.rawValue)))
        if let category = recommendation.reasonCategory { pairs.append(("reason_category", .string(category.rawValue))) }
        if let reason = recommendation.reason { pairs.append(("reason", .string(reason))) }
        if !recommendation.themes.isEmpty { pairs.append(("themes", .array(recommendation.themes.map(JSONValue.string)))) }
        if !recommendation.actions.isEmpty { pairs.append(("actions", .array(recommendation.actions.map(actionJSON)))) }
        return .object(pairs)
    }

    private static func actionJSON(_ action: Action) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(action.id)), ("text", .string(action.text)), ("owner", .string(action.owner)),
            ("target_date", .string(action.targetDate.description)),
        ]
        if !action.revisedTargetDates.isEmpty {
            pairs.append(("revised_target_dates", .array(action.revisedTargetDates.map { .string($0.description) })))
        }
        pairs.append(("status", .string(action.status.rawValue)))
        if let completed = action.completedDate { pairs.append(("completed_date", .string(completed.description))) }
        if let reason = action.withdrawnReason { pairs.append(("withdrawn_reason", .string(reason))) }
        if !action.updates.isEmpty {
            pairs.append(("updates", .array(action.updates.map { .object([("date", .string($0.date.description)), ("note", .string($0.note))]) })))
        }
        if let evidence = action.evidence { pairs.append(("evidence", .string(evidence))) }
        return .object(pairs)
    }

    // MARK: Markdown

    /// The review in the Markdown spelling.
    public func markdown(_ review: Review) -> String {
        var out = "---\n"
        var pairs = frontMatterPairs(review)
        if !review.recommendations.isEmpty {
            pairs.append(("recommendations", .array(review.recommendations.map(Self.recommendationJSON))))
        }
        for (key, value) in pairs {
            YAMLEmitter.write(key: key, value: value, indent: 0, to: &out)
        }
        out += "---\n"
        var sections: [String] = []
        if let summary = review.summary { sections.append("## Summary\n" + summary + "\n") }
        if !review.findings.isEmpty { sections.append("## Findings\n" + bullets(review.findings)) }
        if !review.learning.isEmpty { sections.append("## Learning\n" + bullets(review.learning)) }
        out += sections.joined(separator: "\n")
        return out
    }

    private func bullets(_ notes: [Note]) -> String {
        notes.map { note in
            let lines = note.text.split(separator: "\n", omittingEmptySubsequences: false)
            var item = "- " + lines[0]
            for line in lines.dropFirst() { item += line.isEmpty ? "\n" : "\n  " + line }
            for theme in note.themes { item += " #" + theme }
            return item + "\n"
        }.joined()
    }
}

/// Writes the front matter as block YAML that reads back exactly: text is left plain only
/// where YAML cannot mistake it for anything else, and double-quoted otherwise.
enum YAMLEmitter {
    /// Fields whose values are yes/no/unknown answers, written bare as people write them.
    static let answerKeys: Set<String> = ["bystander_present", "naloxone_given_at_event", "ambulance_attended"]

    static func write(key: String, value: JSONValue, indent: Int, to out: inout String, bareAnswer: Bool = false) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .array(let items) where items.allSatisfy(isScalar):
            out += pad + key + ": [" + items.map { scalar($0, inFlow: true) }.joined(separator: ", ") + "]\n"
        case .array(let items):
            out += pad + key + ":\n"
            for item in items { writeItem(item, indent: indent + 2, to: &out) }
        case .object(let pairs):
            out += pad + key + ":\n"
            for (childKey, child) in pairs {
                write(key: childKey, value: child, indent: indent + 2, to: &out, bareAnswer: key == "factors")
            }
        default:
            let isAnswer = bareAnswer || answerKeys.contains(key)
            if isAnswer, case .string(let text) = value, ["yes", "no", "unknown"].contains(text) {
                out += pad + key + ": " + text + "\n"
            } else {
                out += pad + key + ": " + scalar(value, inFlow: false) + "\n"
            }
        }
    }

    private static func writeItem(_ item: JSONValue, indent: Int, to out: inout String) {
        let pad = String(repeating: " ", count: indent)
        guard case .object(let pairs) = item, let first = pairs.first else {
            out += pad + "- " + scalar(item, inFlow: false) + "\n"
            return
        }
        var block = ""
        write(key: first.0, value: first.1, indent: indent + 2, to: &block)
        out += pad + "- " + block.dropFirst(indent + 2)
        for (key, value) in pairs.dropFirst() { write(key: key, value: value, indent: indent + 2, to: &out) }
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        default: return true
        }
    }

    private static let reserved: Set<String> = ["yes", "no", "true", "false", "on", "off", "y", "n", "null", "~"]

    static func scalar(_ value: JSONValue, inFlow: Bool) -> String {
        switch value {
        case .string(let text):
            if Day(text) != nil { return text }
            return isPlainSafe(text, inFlow: inFlow) ? text : JSONValue.string(text).serialized()
        case .null: return "null"
        default: return value.serialized()
        }
    }

    /// Plain only for text that starts with a letter, is not a YAML keyword, and holds
    /// no character YAML gives a meaning to in this position.
    static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, CharacterSet.letters.contains(first),
              !reserved.contains(text.lowercased()), text == text.trimmingCharacters(in: .whitespaces),
              !text.contains(": "), !text.contains(" #"), !text.hasSuffix(":") else { return false }
        let forbidden: Set<Character> = inFlow ? ["\n", "\t", ",", "[", "]", "{", "}", "\"", "\\"] : ["\n", "\t", "\"", "\\"]
        return !text.contains { forbidden.contains($0) || $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f } }
    }
}
