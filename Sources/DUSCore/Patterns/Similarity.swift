import Foundation

/// A review whose risk profile is close to another's.
public struct SimilarReview: Sendable, Equatable {
    public var reference: String
    public var kind: Kind
    public var eventDate: Day
    public var region: String
    /// The Jaccard index of the two sets of factors at risk: shared / in either, 0 to 1.
    public var score: Double
    /// Factors at risk in both, in catalogue order.
    public var shared: [String]
    /// Factors at risk in the review asked about only, and in this one only.
    public var onlyThere: [String]
    public var onlyHere: [String]
}

public struct SimilarityResults: Sendable, Equatable {
    public var reference: String
    /// The factors at risk in the review asked about, in catalogue order.
    public var profile: [String]
    public var results: [SimilarReview]
    /// How many reviews were compared.
    public var compared: Int
}

public enum SimilarityError: LocalizedError, Equatable {
    case noRiskRecorded(String)

    public var errorDescription: String? {
        switch self {
        case .noRiskRecorded(let reference):
            return "\(reference): no factor is recorded at risk, so there is no risk profile to compare (unknown is not counted as no)"
        }
    }
}

/// `dus similar`: the reviews whose factors at risk overlap most with one review's.
///
/// A review's risk profile is the set of factors answered with their risk answer (derived
/// factors included). Two profiles are compared by the Jaccard index: the factors at risk
/// in both over the factors at risk in either. A factor not at risk, unknown or not
/// applicable is simply not in the set: unknown is never counted as "no".
public struct SimilarityFinder {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// The `limit` reviews most like `reference` among those the filter selects (itself
    /// left out), most alike first; ties by the most shared, then by reference.
    public func similar(to reference: String, matching filter: ReviewFilter = ReviewFilter(), limit: Int = 10) throws -> SimilarityResults {
        let catalogue = store.catalogue
        func ids(_ bits: UInt64) -> [String] {
            catalogue.factors.indices.filter { bits & (1 << UInt64($0)) != 0 }.map { catalogue.factors[$0].id }
        }
        return try store.snapshot { snapshot in
            guard let target = try snapshot.riskProfile(of: reference)?.bits else {
                throw StoreError.notFound(reference: reference)
            }
            guard target != 0 else { throw SimilarityError.noRiskRecorded(reference) }
            var scored: [(profile: RiskProfile, shared: Int, score: Double)] = []
            var compared = 0
            for profile in try snapshot.riskProfiles(matching: filter) where profile.reference != reference {
                compared += 1
                let shared = (profile.bits & target).nonzeroBitCount
                guard shared > 0 else { continue }
                scored.append((profile, shared, Double(shared) / Double((profile.bits | target).nonzeroBitCount)))
            }
            scored.sort { ($0.score, $0.shared, $1.profile.reference) > ($1.score, $1.shared, $0.profile.reference) }
            let results = scored.prefix(limit).map { item in
                SimilarReview(
                    reference: item.profile.reference, kind: item.profile.kind, eventDate: item.profile.eventDate,
                    region: item.profile.region, score: (item.score * 1000).rounded() / 1000,
                    shared: ids(item.profile.bits & target), onlyThere: ids(target & ~item.profile.bits), onlyHere: ids(item.profile.bits & ~target))
            }
            return SimilarityResults(reference: reference, profile: ids(target), results: Array(results), compared: compared)
        }
    }
}

/// `dus similar` output.
public enum SimilarityRenderer {
    public static let definition = "score = the Jaccard index of the factors at risk: those at risk in both reviews over those at risk in either (unknown and not applicable are not at risk)"

    /// `{reference, profile, compared, definition, results: [{reference, kind, event_date,
    /// region, score, shared, only_in_reference, only_in_this}]}`.
    public static func json(_ results: SimilarityResults) -> JSONValue {
        func list(_ ids: [String]) -> JSONValue { .array(ids.map(JSONValue.string)) }
        return .object([
            ("reference", .string(results.reference)),
            ("profile", list(results.profile)),
            ("compared", .int(results.compared)),
            ("definition", .string(definition)),
            ("results", .array(results.results.map { review in
                .object([
                    ("reference", .string(review.reference)), ("kind", .string(review.kind.rawValue)),
                    ("event_date", .string(review.eventDate.description)), ("region", .string(review.region)),
                    ("score", .double(review.score)), ("shared", list(review.shared)),
                    ("only_in_reference", list(review.onlyThere)), ("only_in_this", list(review.onlyHere)),
                ])
            })),
        ])
    }

    public static func text(_ results: SimilarityResults) -> String {
        var out = "\(results.reference) has \(results.profile.count) factor\(results.profile.count == 1 ? "" : "s") at risk: \(results.profile.joined(separator: ", "))\n"
        guard !results.results.isEmpty else {
            return out + "No other review of the \(results.compared) compared shares a factor at risk.\n\n" + definition + "\n"
        }
        out += "The \(results.results.count) most alike of \(results.compared) compared, most alike first:\n"
        for review in results.results {
            out += "\n" + String(format: "%.3f", review.score) + "  \(review.reference)  \(review.kind.rawValue), \(review.eventDate), \(review.region)\n"
            out += "       shared: \(review.shared.joined(separator: ", "))\n"
            if !review.onlyThere.isEmpty { out += "       only in \(results.reference): \(review.onlyThere.joined(separator: ", "))\n" }
            if !review.onlyHere.isEmpty { out += "       only in \(review.reference): \(review.onlyHere.joined(separator: ", "))\n" }
        }
        return out + "\n" + definition + "\n"
    }
}
