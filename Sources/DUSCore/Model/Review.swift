/// One learning review of a drug-related death or near miss, as a review file carries it.
///
/// Derived fields are not stored here: they are computed by `Derived`.
public struct Review: Equatable, Sendable {
    public var reference: String
    public var kind: Kind
    public var status: Status = .draft
    public var classification: Classification = .suspected
    public var eventDate: Day
    public var releaseDate: Day?
    public var region: String
    public var supervision: Supervision
    public var age: Int?
    public var sex: Sex = .unknown
    public var ethnicity: Ethnicity = .unknown
    public var substances: [String] = []
    public var eventPlace: EventPlace = .unknown
    public var bystanderPresent: Answer = .unknown
    public var naloxoneGivenAtEvent: Answer = .unknown
    public var ambulanceAttended: Answer = .unknown
    /// Recorded answers of non-derived factors; `unknown` answers are not kept, since an
    /// omitted factor and one answered `unknown` mean the same.
    public var factors: [String: Answer] = [:]
    public var reviewDate: Day?
    public var agencies: [String] = []
    public var summary: String?
    public var findings: [Note] = []
    public var learning: [Note] = []
    public var recommendations: [Recommendation] = []

    public init(reference: String, kind: Kind, eventDate: Day, region: String, supervision: Supervision) {
        self.reference = reference
        self.kind = kind
        self.eventDate = eventDate
        self.region = region
        self.supervision = supervision
    }

    /// The answer recorded for a factor, `unknown` when none was recorded.
    public func answer(_ factor: String) -> Answer { factors[factor] ?? .unknown }
}

/// A finding or a learning point: a sentence and its themes.
public struct Note: Equatable, Sendable {
    public var text: String
    public var themes: [String]

    public init(text: String, themes: [String] = []) {
        self.text = text
        self.themes = themes
    }
}

public struct Recommendation: Equatable, Sendable {
    public var id: String
    public var text: String
    public var to: String?
    public var response: Response
    public var reasonCategory: ReasonCategory?
    public var reason: String?
    public var themes: [String] = []
    public var actions: [Action] = []

    public init(id: String, text: String, to: String? = nil, response: Response) {
        self.id = id
        self.text = text
        self.to = to
        self.response = response
    }
}

public struct Action: Equatable, Sendable {
    public var id: String
    public var text: String
    public var owner: String
    public var targetDate: Day
    public var revisedTargetDates: [Day] = []
    public var status: ActionStatus = .open
    public var completedDate: Day?
    public var withdrawnReason: String?
    public var updates: [ActionUpdate] = []
    /// What shows that a completed action worked (only on a complete action).
    public var evidence: String?

    public init(id: String, text: String, owner: String, targetDate: Day) {
        self.id = id
        self.text = text
        self.owner = owner
        self.targetDate = targetDate
    }

    /// The newest revised target date, else the target date.
    public var currentTargetDate: Day { revisedTargetDates.last ?? targetDate }

    /// Open, and the current target date is before `day`.
    public func isOverdue(asOf day: Day) -> Bool { status == .open && currentTargetDate < day }
}

public struct ActionUpdate: Equatable, Sendable {
    public var date: Day
    public var note: String

    public init(date: Day, note: String) {
        self.date = date
        self.note = note
    }
}

public enum Kind: String, CaseIterable, Sendable {
    case death
    case nearMiss = "near-miss"
}

/// In workflow order: `dus status` moves a review along `allCases` one step at a time.
public enum Status: String, CaseIterable, Sendable {
    case draft, agreed, published
}

public enum Classification: String, CaseIterable, Sendable {
    case confirmed, suspected
    case notDrugRelated = "not-drug-related"
}

public enum Answer: String, CaseIterable, Sendable, Decodable {
    case yes, no, unknown
}

public enum Supervision: String, CaseIterable, Sendable {
    case licence
    case postSentenceSupervision = "post-sentence-supervision"
    case communityOrder = "community-order"
    case suspendedSentenceOrder = "suspended-sentence-order"
    case other
}

public enum Sex: String, CaseIterable, Sendable {
    case male, female, other, unknown
}

public enum Ethnicity: String, CaseIterable, Sendable {
    case white, mixed, asian, black, other, unknown
}

public enum EventPlace: String, CaseIterable, Sendable {
    case ownHome = "own-home"
    case otherHome = "other-home"
    case approvedPremises = "approved-premises"
    case temporaryAccommodation = "temporary-accommodation"
    case streetOrPublic = "street-or-public"
    case hospital, other, unknown
}

public enum Response: String, CaseIterable, Sendable {
    case agreed
    case partlyAgreed = "partly-agreed"
    case notAgreed = "not-agreed"
}

public enum ReasonCategory: String, CaseIterable, Sendable {
    case commissioning, policy, operational, affordability
}

public enum ActionStatus: String, CaseIterable, Sendable {
    case open, complete, withdrawn
}
