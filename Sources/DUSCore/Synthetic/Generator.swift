/// Reproducible synthetic reviews for training and benchmarks (`dus generate`).
///
/// The same seed gives the same reviews, byte for byte. References begin `SYN-` so that
/// they can never be taken for real cases. Distributions are plausible, not real: release
/// timing is concentrated in the first fortnight for post-release deaths, naloxone is often
/// missing, and factors are left unknown as often as a panel would leave them (`profiles`).
public struct Generator {
    /// Latest event date generated, so that output stays valid whatever today is.
    static let latest = Day("2026-06-30")!
    static let earliest = Day("2015-01-01")!

    private var random: SplitMix64
    private let catalogue: Catalogue

    public init(seed: UInt64, catalogue: Catalogue = .standard) {
        random = SplitMix64(seed: seed)
        self.catalogue = catalogue
    }

    public mutating func review(number: Int) -> Review {
        let kind: Kind = chance(0.7) ? .death : .nearMiss
        let event = Self.earliest.adding(days: int(0...Self.latest.days(since: Self.earliest)))
        let region = catalogue.regions[int(0...(catalogue.regions.count - 1))]
        let released = chance(0.8)
        let supervision: Supervision = released
            ? (chance(0.8) ? .licence : .postSentenceSupervision)
            : [.communityOrder, .suspendedSentenceOrder, .other][int(0...2)]
        var review = Review(
            reference: "SYN-\(event.year)-\(String(repeating: "0", count: max(0, 6 - String(number).count)))\(number)",
            kind: kind, eventDate: event, region: region.name, supervision: supervision)
        if released {
            let days: Int
            let band = random.unit()
            if band < (kind == .death ? 0.4 : 0.3) {
                days = chance(0.5) ? int(0...4) : int(0...13)
            } else if band < 0.55 {
                days = int(14...27)
            } else if band < 0.8 {
                days = int(28...83)
            } else {
                days = int(84...900)
            }
            review.releaseDate = event.adding(days: -days)
        }
        let statusRoll = random.unit()
        review.status = statusRoll < 0.5 ? .published : statusRoll < 0.8 ? .agreed : .draft
        if review.status == .published {
            review.classification = chance(0.92) ? .confirmed : .notDrugRelated
        } else {
            let roll = random.unit()
            review.classification = roll < 0.6 ? .confirmed : roll < 0.95 ? .suspected : .notDrugRelated
        }
        if chance(0.9) { review.age = int(18...72) }
        review.sex = chance(0.8) ? .male : chance(0.9) ? .female : .unknown
        review.ethnicity = [Ethnicity.white, .white, .white, .black, .asian, .mixed, .other, .unknown][int(0...7)]
        review.eventPlace = EventPlace.allCases[int(0...(EventPlace.allCases.count - 1))]
        review.bystanderPresent = answer(yes: 0.4, known: 0.7)
        review.naloxoneGivenAtEvent = answer(yes: kind == .nearMiss ? 0.6 : 0.2, known: 0.7)
        review.ambulanceAttended = answer(yes: 0.8, known: 0.8)
        review.substances = substances()
        let daysSinceRelease = review.releaseDate.map { event.days(since: $0) }
        for factor in catalogue.factors where !factor.derived {
            if factor.applies == .released && review.releaseDate == nil { continue }
            let profile = Self.profiles[factor.id] ?? Self.defaultProfile
            guard chance(profile.known) else { continue }
            var riskShare = profile.risk
            switch factor.id {
            case "reduced_tolerance":
                // Tolerance falls in custody: most of those who die soon after release had lost it.
                riskShare = daysSinceRelease.map { $0 < 14 ? 0.85 : $0 < 84 ? 0.6 : 0.3 } ?? 0.3
            case "naloxone_held_at_event" where review.factors["naloxone_supplied_on_release"] == .no:
                riskShare = 0.95
            default:
                break
            }
            let isRisk = chance(riskShare)
            review.factors[factor.id] = (factor.risk == .yes) == isRisk ? .yes : .no
        }
        review.reviewDate = min(Self.latest, event.adding(days: int(30...200)))
        review.agencies = pick(PhraseBank.agencies, count: int(2...4))
        review.summary = PhraseBank.summaries[int(0...(PhraseBank.summaries.count - 1))]
        review.findings = pick(PhraseBank.findings.indices.map { $0 }, count: int(1...4)).map {
            Note(text: PhraseBank.findings[$0].0, themes: PhraseBank.findings[$0].1)
        }
        review.learning = pick(PhraseBank.learning.indices.map { $0 }, count: int(1...3)).map {
            Note(text: PhraseBank.learning[$0].0, themes: PhraseBank.learning[$0].1)
        }
        review.recommendations = pick(PhraseBank.recommendations.indices.map { $0 }, count: int(0...3)).enumerated().map { index, phrase in
            recommendation(id: "R\(index + 1)", phrase: phrase, after: review.reviewDate!)
        }
        return review
    }

    /// How often each factor is recorded (`known`), and how often the answer recorded is the
    /// risk answer (`risk`). Illustrative figures chosen to look like a review caseload (some
    /// factors nearly always known, others seldom; naloxone mostly missing), not real rates.
    static let profiles: [String: (known: Double, risk: Double)] = [
        "released_from_remand_or_court": (0.7, 0.3), "short_sentence": (0.8, 0.55),
        "homeless_on_release": (0.85, 0.35), "no_id_or_bank_account": (0.5, 0.4),
        "release_plan_covered_substance_use": (0.7, 0.45), "three_way_meeting_before_release": (0.6, 0.7),
        "community_treatment_notified": (0.75, 0.3), "met_at_gate": (0.6, 0.8),
        "naloxone_supplied_on_release": (0.8, 0.75), "naloxone_refused": (0.5, 0.2),
        "naloxone_held_at_event": (0.6, 0.75), "family_or_peers_trained": (0.4, 0.8),
        "in_treatment_at_event": (0.85, 0.55), "referred_to_treatment_before_release": (0.75, 0.3),
        "treatment_within_21_days": (0.65, 0.5), "bridging_prescription": (0.5, 0.6),
        "ost_interrupted": (0.6, 0.35), "recent_treatment_exit": (0.6, 0.25),
        "recent_hospital_discharge": (0.6, 0.15), "opioid_use": (0.95, 0.85), "injecting": (0.7, 0.4),
        "reduced_tolerance": (0.6, 0.5), "previous_overdose": (0.7, 0.45), "used_alone": (0.6, 0.6),
        "mental_health_need": (0.85, 0.65), "self_harm_history": (0.75, 0.4),
        "physical_health_condition": (0.7, 0.45), "brain_injury_or_learning_disability": (0.35, 0.3),
        "isolated": (0.6, 0.5), "homeless_at_event": (0.9, 0.3), "recent_bereavement_or_loss": (0.4, 0.2),
        "exploitation": (0.4, 0.2), "domestic_abuse": (0.5, 0.25), "safeguarding_concern": (0.6, 0.3),
        "overdose_risk_assessed": (0.7, 0.45), "harm_reduction_advice_given": (0.6, 0.4),
        "missed_appointments": (0.85, 0.5), "enforcement_action_recent": (0.8, 0.25),
        "drug_tests_recorded": (0.6, 0.5), "multi_agency_meeting": (0.8, 0.6),
        "prison_shared_health_info": (0.6, 0.55), "probation_shared_risk_info": (0.7, 0.35),
    ]
    /// For a factor the table does not name (a later catalogue's).
    static let defaultProfile = (known: 0.55, risk: 0.45)

    private mutating func recommendation(id: String, phrase: Int, after day: Day) -> Recommendation {
        let (text, to, themes) = PhraseBank.recommendations[phrase]
        let roll = random.unit()
        var recommendation = Recommendation(id: id, text: text, to: to, response: roll < 0.65 ? .agreed : roll < 0.9 ? .partlyAgreed : .notAgreed)
        recommendation.themes = themes
        if recommendation.response != .agreed {
            let reason = PhraseBank.reasons[int(0...(PhraseBank.reasons.count - 1))]
            recommendation.reasonCategory = reason.0
            recommendation.reason = reason.1
        }
        guard recommendation.response != .notAgreed else { return recommendation }
        recommendation.actions = (0..<int(1...2)).map { index in
            let (text, owner) = PhraseBank.actions[int(0...(PhraseBank.actions.count - 1))]
            var action = Action(id: "A\(index + 1)", text: text, owner: owner, targetDate: day.adding(days: int(60...300)))
            if chance(0.3) { action.revisedTargetDates = [action.targetDate.adding(days: int(30...120))] }
            let roll = random.unit()
            if roll < 0.55, action.currentTargetDate.adding(days: -20) <= Self.latest {
                action.status = .complete
                action.completedDate = min(Self.latest, action.currentTargetDate.adding(days: -int(0...20)))
            } else if roll < 0.6 {
                action.status = .withdrawn
                action.withdrawnReason = "Superseded by a regional programme."
            }
            if chance(0.5) {
                action.updates = [ActionUpdate(date: min(Self.latest, day.adding(days: int(10...50))), note: PhraseBank.updates[int(0...(PhraseBank.updates.count - 1))])]
            }
            return action
        }
        return recommendation
    }

    private mutating func substances() -> [String] {
        let weighted = ["heroin", "heroin", "heroin", "methadone", "buprenorphine", "fentanyl", "nitazenes", "cocaine",
                        "crack-cocaine", "crack-cocaine", "benzodiazepines", "benzodiazepines", "gabapentinoids", "alcohol",
                        "alcohol", "synthetic-cannabinoids", "cannabis", "antidepressants", "other"]
        var list: [String] = []
        for _ in 0..<int(1...4) {
            let substance = weighted[int(0...(weighted.count - 1))]
            if !list.contains(substance) { list.append(substance) }
        }
        if chance(0.05) { list.append("unknown") }
        return list
    }

    private mutating func answer(yes: Double, known: Double) -> Answer {
        guard chance(known) else { return .unknown }
        return chance(yes) ? .yes : .no
    }

    private mutating func chance(_ probability: Double) -> Bool { random.unit() < probability }

    private mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.count))
    }

    /// `count` distinct items, in a random order.
    private mutating func pick<T>(_ items: [T], count: Int) -> [T] {
        var pool = items
        var result: [T] = []
        for _ in 0..<min(count, pool.count) { result.append(pool.remove(at: int(0...(pool.count - 1)))) }
        return result
    }
}

/// A small, fast, reproducible generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
