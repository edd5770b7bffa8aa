import Foundation

/// The risk-factor catalogue and controlled lists: the data dictionary of `dus`.
///
/// It is read from one data file embedded in the package (`Resources/catalogue.json`);
/// validation, patterns, filters and `dus factors` all read it from here.
public struct Catalogue: Sendable, Decodable {
    public struct Factor: Sendable, Decodable, Hashable {
        public let id: String
        public let group: String
        public let question: String
        /// The answer that counts as risk present.
        public let risk: Answer
        /// When the factor can be answered.
        public let applies: Applicability
        /// Computed from dates and lists; never typed in.
        public let derived: Bool
    }

    public enum Applicability: String, Sendable, Decodable, Hashable {
        case all, released, death
        case nearMiss = "near-miss"
    }

    public struct Entry: Sendable, Decodable, Hashable {
        public let id: String
        public let note: String?
    }

    public struct Region: Sendable, Decodable, Hashable {
        public let name: String
        public let code: String
        public let slug: String
    }

    public let version: Int
    public let factors: [Factor]
    public let lists: [String: [Entry]]
    public let regions: [Region]
    public let eventCircumstances: [String: [String]]

    enum CodingKeys: String, CodingKey {
        case version, factors, lists, regions
        case eventCircumstances = "event_circumstances"
    }

    /// The catalogue shipped with this build.
    public static let standard: Catalogue = {
        do {
            return try JSONDecoder().decode(Catalogue.self, from: Data(PackageResources.catalogue_json))
        } catch {
            fatalError("the embedded catalogue.json is malformed: \(error)")
        }
    }()

    /// Each factor's position, by id.
    private let positions: IDIndex
    /// Each factor's id, in catalogue order.
    private let factorIDs: [String]
    /// When each factor applies and whether it is derived, in catalogue order: what the
    /// answers string of every stored review is worked out from, without copying factors.
    let answerRules: [AnswerRule]

    struct AnswerRule: Sendable {
        var applies: Applicability
        var derived: Bool
    }
    /// Every accepted spelling's normal form (and each code), to the region's index.
    private let regionIndex: [String: Int]
    /// The ids of each controlled list, for the membership checks run on every review read.
    private let listIDs: [String: IDIndex]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        factors = try container.decode([Factor].self, forKey: .factors)
        lists = try container.decode([String: [Entry]].self, forKey: .lists)
        regions = try container.decode([Region].self, forKey: .regions)
        eventCircumstances = try container.decode([String: [String]].self, forKey: .eventCircumstances)
        positions = IDIndex(factors.map(\.id))
        factorIDs = factors.map(\.id)
        answerRules = factors.map { AnswerRule(applies: $0.applies, derived: $0.derived) }
        var regionIndex: [String: Int] = [:]
        for (index, region) in regions.enumerated() {
            regionIndex[Catalogue.regionKey(region.name)] = index
            regionIndex[region.name] = index
            regionIndex[region.code.lowercased()] = index
        }
        self.regionIndex = regionIndex
        listIDs = lists.mapValues { IDIndex($0.map(\.id)) }
    }

    /// Whether `id` is in the controlled list named `list`.
    public func isListed(_ id: String, in list: String) -> Bool {
        listIDs[list]?.position(of: id) != nil
    }

    /// The ids of the controlled list named `list`, for checking many ids against it.
    func index(ofList list: String) -> IDIndex? {
        listIDs[list]
    }

    /// A factor in words, as every report shows it (patterns, bulletins, the web pages):
    /// its catalogue question and the answer that counts as the risk. An id the catalogue
    /// does not know (stored under an older one) is shown as it is, its risk `yes`.
    public func words(of id: String) -> (question: String, riskWhen: String, group: String) {
        guard let factor = factor(id) else { return (id, Answer.yes.rawValue, "Other") }
        return (factor.question, factor.risk.rawValue, factor.group)
    }

    /// The factor with this id, or nil.
    public func factor(_ id: String) -> Factor? {
        positions.position(of: id).map { factors[$0] }
    }

    /// Zero-based position of a factor in catalogue order (and in the store's answers string).
    public func position(of id: String) -> Int? {
        positions.position(of: id)
    }

    /// The id of the factor at `position`, without copying the factor.
    func factorID(at position: Int) -> String {
        factorIDs[position]
    }

    /// The position of `id`, trying `guess` first. Reviews list their factors in catalogue
    /// order, so the place after the last one found is nearly always right, and comparing
    /// one id costs less than hashing it.
    func position(of id: String, guess: Int) -> Int? {
        if guess < factorIDs.count, factorIDs[guess] == id { return guess }
        return positions.position(of: id)
    }

    public func ids(of list: String) -> [String] {
        (lists[list] ?? []).map(\.id)
    }

    public var substances: [String] { ids(of: "substances") }
    public var themes: [String] { ids(of: "themes") }

    /// The region's display name for any accepted spelling: the name in any case, with
    /// `and` or `&`, with or without commas, the hyphenated slug, or the code.
    public func region(matching spelling: String) -> Region? {
        // The display name as written is by far the most common spelling: skip the normalising.
        (regionIndex[spelling] ?? regionIndex[Catalogue.regionKey(spelling)]).map { regions[$0] }
    }

    static func regionKey(_ text: String) -> String {
        text.lowercased()
            .replacingOccurrences(of: "&", with: " and ")
            .replacingOccurrences(of: ",", with: " ")
            .replacingOccurrences(of: "-", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" })
            .joined(separator: " ")
    }
}
