import Foundation
import GRDB
import CSearchIndex

/// One read transaction: what is read through one snapshot describes the same reviews,
/// even while another command writes.
public struct StoreSnapshot {
    let store: Store
    let db: Database
}

/// One action of a recommendation, as stored, with the recommendation it belongs to.
public struct StoredAction: Sendable, Equatable {
    public var reference: String
    /// The places of the recommendation in the review and of the action in it, from 1.
    public var recommendationPosition: Int
    public var position: Int
    /// The recommendation's id (`R1`).
    public var recommendation: String
    public var response: Response
    /// The recommendation's themes.
    public var themes: [String]
    /// The action's id (`A1`).
    public var id: String
    public var text: String
    public var owner: String
    public var targetDate: Day
    /// Oldest first.
    public var revisedTargetDates: [Day]
    public var status: ActionStatus
    public var completedDate: Day?
    public var withdrawnReason: String?
    /// The newest update, the only one `dus actions` shows.
    public var lastUpdate: ActionUpdate?
    /// What shows that the completed action worked.
    public var evidence: String?
    /// The review's region and the recommendation's text, when asked for.
    public var region: String?
    public var recommendationText: String?

    /// The newest revised target date, else the target date.
    public var currentTargetDate: Day { revisedTargetDates.last ?? targetDate }
}

/// Counts of the actions of one owner and status (`Store.actionCounts`).
public struct ActionCount: Sendable, Equatable {
    public var owner: String
    public var status: ActionStatus
    public var actions: Int
    /// Actions whose target date was revised at least once.
    public var revised: Int
    /// Complete, with the completed date (else the target date) no later than the current target date.
    public var completedOnTime: Int
    /// Open, with the current target date before the as-of date.
    public var overdue: Int
    /// Open, with the current target date from the as-of date to the last day due soon.
    public var dueSoon: Int
    /// Complete, with evidence that the action worked.
    public var completedWithEvidence: Int = 0
}

/// The current target dates an action read selects: from `from` (inclusive), before
/// `before` (exclusive) and up to `through` (inclusive); nil for no bound.
public struct DueDates: Sendable, Equatable {
    public var from: Day?
    public var before: Day?
    public var through: Day?

    public init(from: Day? = nil, before: Day? = nil, through: Day? = nil) {
        self.from = from
        self.before = before
        self.through = through
    }
}

/// One text that matched a search, with its review and its rank (the search's
/// `SearchHit`).
public struct StoredHit: Sendable, Equatable {
    public var reference: String
    /// The review's status: a hit in a draft may change before it is published.
    public var status: Status
    public var kind: Kind
    public var eventDate: Day
    public var region: String
    /// `summary`, `finding`, `learning`, `recommendation` or `action` (an action's text
    /// or one of its updates).
    public var source: String
    /// Where the text sits in the review, spelled like a field path in an error message:
    /// `summary`, `findings[2]`, `recommendations[R1].actions[A1].updates[1]`.
    public var item: String
    public var text: String
    /// An action update's date.
    public var date: Day?
    /// BM25 as FTS5 works it out: lower is better.
    public var rank: Double
    /// A few words around the best match, matched words between the marker of
    /// `HitMarking` (empty when the search did not ask for marks).
    public var snippet = ""
    /// The whole text with the matched words between `HitMarking`'s markers (empty unless
    /// it asked for highlights).
    public var highlighted = ""
}

/// How a search marks its hits' texts: matches in the snippet between two
/// `snippetMarker`s and, with `highlights`, in the whole text between `start` and `end`
/// (a third of the marking's work, which a search that shows only snippets spares).
public struct HitMarking: Sendable, Equatable {
    public var start: String
    public var end: String
    public var snippetMarker: String
    public var highlights: Bool

    public init(start: String, end: String, snippetMarker: String, highlights: Bool = true) {
        self.start = start
        self.end = end
        self.snippetMarker = snippetMarker
        self.highlights = highlights
    }
}

/// What a search found: the best texts, and how many texts and reviews matched in all.
public struct StoredHits: Sendable, Equatable {
    public var hits: [StoredHit]
    public var matchingTexts: Int
    public var matchingReviews: Int
}

/// The risk profile of one review: the factors at risk, as bits by catalogue position.
public struct RiskProfile: Sendable, Equatable {
    public var reference: String
    public var kind: Kind
    public var eventDate: Day
    public var region: String
    public var bits: UInt64
}

extension Store {
    /// Runs `body` in one read transaction.
    public func snapshot<T>(_ body: (StoreSnapshot) throws -> T) throws -> T {
        try read { db in try body(StoreSnapshot(store: self, db: db)) }
    }

    /// See `StoreSnapshot.forEachAction`.
    public func forEachAction(
        matching filter: ReviewFilter, status: ActionStatus? = nil, due: DueDates = DueDates(), withRegion: Bool = false,
        _ body: (StoredAction) throws -> Void
    ) throws {
        try snapshot { try $0.forEachAction(matching: filter, status: status, due: due, withRegion: withRegion, body) }
    }

    /// Counts of the actions of the reviews the filter selects, by owner and status,
    /// counted in SQL: overdue as of `asOf`, due soon up to `dueSoonUntil` (inclusive). With
    /// `status`, `response` or `theme`, only the actions of that status, of a recommendation
    /// with that response, or with that theme.
    public func actionCounts(
        matching filter: ReviewFilter, asOf: Day, dueSoonUntil: Day?, status: ActionStatus? = nil, response: Response? = nil,
        theme: String? = nil, due: DueDates = DueDates()
    ) throws -> [ActionCount] {
        var (terms, arguments) = actionConditions(filter, status: status, due: due)
        if let response { terms.append("response = ?"); arguments.append(response.rawValue) }
        // Themes are ids of the catalogue: no quote or escape inside one.
        if let theme { terms.append("instr(themes, ?) > 0"); arguments.append("\"" + theme + "\"") }
        return try read { db in
            // One pass over the table through the SQLite C API, counting into a slot for each
            // owner and status (a dozen owners: found by their bytes, without making strings).
            // (Grouping in SQL would sort every row first.)
            let rows = try RawStatement(db, sql: """
                SELECT owner, status, current_target_date, completed_date, revised_target_dates, evidence
                FROM action WHERE \(terms.joined(separator: " AND "))
                """)
            try rows.start(arguments: StatementArguments(arguments))
            let (asOf, dueSoonUntil) = (Array(asOf.description.utf8), dueSoonUntil.map { Array($0.description.utf8) })
            let statuses = ActionStatus.allCases.map { Array($0.rawValue.utf8) }
            var owners: [[UInt8]] = []
            var counts: [ActionCount] = []
            while try rows.step() {
                // Types first: reading a value's bytes converts it to text. The first value
                // that is not what dus writes is named with how it is stored.
                let columns: [(Int32, String, Bool)] = [
                    (0, "owner", rows.isText(0)), (1, "status", rows.isText(1)), (2, "current_target_date", rows.isText(2)),
                    (3, "completed_date", rows.isNull(3) || rows.isText(3)), (4, "revised_target_dates", rows.isText(4)),
                    (5, "evidence", rows.isNull(5) || rows.isText(5)),
                ]
                var bad = columns.first { !$0.2 }.map { ($0.0, $0.1, rows.storedType($0.0)) }
                let owner = rows.bytes(0), status = rows.bytes(1), target = rows.bytes(2), revised = rows.bytes(4)
                let statusIndex = statuses.firstIndex { status.elementsEqual($0) }
                if bad == nil {
                    if statusIndex == nil { bad = (1, "status", rows.storedType(1)) }
                    else if !Self.isDate(target) { bad = (2, "current_target_date", rows.storedType(2)) }
                    else if !rows.isNull(3) && !Self.isDate(rows.bytes(3)) { bad = (3, "completed_date", rows.storedType(3)) }
                    else if !(revised.elementsEqual("[]".utf8) || (revised.count >= 14 && revised[1] == UInt8(ascii: "\"")
                        && Self.isDate(UnsafeBufferPointer(rebasing: revised[2..<12])))) { bad = (4, "revised_target_dates", rows.storedType(4)) }
                }
                if let (_, name, stored) = bad {
                    // Reading every action names the review and the action.
                    try StoreSnapshot(store: self, db: db).forEachAction(matching: filter) { _ in }
                    throw StoreError.damaged(reference: "an action", field: "\(name) (table action)", stored: stored, problem: "not what dus writes")
                }
                guard let statusIndex else { continue }
                let ownerIndex: Int
                if let known = owners.firstIndex(where: { owner.elementsEqual($0) }) {
                    ownerIndex = known
                } else {
                    owners.append(Array(owner))
                    ownerIndex = owners.count - 1
                }
                let slot = ownerIndex * statuses.count + statusIndex
                while counts.count <= slot {
                    let index = counts.count
                    counts.append(ActionCount(
                        owner: String(decoding: owners[min(index / statuses.count, owners.count - 1)], as: UTF8.self),
                        status: ActionStatus.allCases[index % statuses.count], actions: 0, revised: 0, completedOnTime: 0, overdue: 0, dueSoon: 0))
                }
                counts[slot].actions += 1
                if revised.count > 2 { counts[slot].revised += 1 }
                switch ActionStatus.allCases[statusIndex] {
                case .complete:
                    // On time: completed on or before the current target date (no date: on time).
                    if rows.isNull(3) || !target.lexicographicallyPrecedes(rows.bytes(3)) { counts[slot].completedOnTime += 1 }
                    if !rows.isNull(5) { counts[slot].completedWithEvidence += 1 }
                case .open:
                    if target.lexicographicallyPrecedes(asOf) {
                        counts[slot].overdue += 1
                    } else if let until = dueSoonUntil, !until.lexicographicallyPrecedes(target) {
                        counts[slot].dueSoon += 1
                    }
                case .withdrawn: break
                }
            }
            return counts.filter { $0.actions > 0 }
        }
    }

    /// The conditions of an action read, for SQL: the reviews the filter selects, the
    /// status and the current target dates.
    func actionConditions(_ filter: ReviewFilter, status: ActionStatus?, due: DueDates) -> (terms: [String], arguments: [(any DatabaseValueConvertible)?]) {
        var terms = ["1"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        if filter != ReviewFilter() {
            let (clause, filterArguments) = sqlCondition(for: filter)
            terms.append("review_id IN (SELECT id FROM review WHERE \(clause))")
            arguments += filterArguments
        }
        if let status { terms.append("status = ?"); arguments.append(status.rawValue) }
        if let from = due.from { terms.append("current_target_date >= ?"); arguments.append(from.description) }
        if let before = due.before { terms.append("current_target_date < ?"); arguments.append(before.description) }
        if let through = due.through { terms.append("current_target_date <= ?"); arguments.append(through.description) }
        return (terms, arguments)
    }

    /// Whether the bytes spell a date `YYYY-MM-DD` that is one (as `Day` reads it).
    static func isDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        for index in [0, 1, 2, 3, 5, 6, 8, 9] where !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { return false }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
        let (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        return (1...12).contains(month) && day >= 1 && day <= Day.daysIn(month: month, year: year)
    }

    /// See `StoreSnapshot.searchVocabulary`.
    public func searchVocabulary(lengths: ClosedRange<Int>) throws -> [(term: String, texts: Int)] {
        try snapshot { try $0.searchVocabulary(lengths: lengths) }
    }

    /// See `StoreSnapshot.searchHits`.
    public func searchHits(_ expression: String, matching filter: ReviewFilter, limit: Int?, marking: HitMarking? = nil) throws -> StoredHits {
        try snapshot { try $0.searchHits(expression, matching: filter, limit: limit, marking: marking) }
    }
}

extension StoreSnapshot {
    /// Calls `body` with each action of the reviews the filter selects, in no particular
    /// order, one at a time (200,000 actions at once would take hundreds of megabytes).
    /// With `status`, only actions of that status; with `currentTargetBefore`, only those
    /// whose current target date is before it. (Sorting every action in SQL spills to a
    /// temporary file; a caller that wants an order sorts what it keeps.)
    ///
    /// The actions are read from the table `action`, which every write keeps beside the
    /// reviews' JSON (migration v8), through the SQLite C API.
    public func forEachAction(
        matching filter: ReviewFilter, status: ActionStatus? = nil, due: DueDates = DueDates(), withRegion: Bool = false,
        _ body: (StoredAction) throws -> Void
    ) throws {
        try forEachAction(matching: filter, status: status, due: due, withRegion: withRegion, reviewIDs: ReviewIDs(), body)
    }

    /// A range of the reviews' row ids: from `lower`, before `upper`. A stored id that is
    /// not a number sorts after every number in SQLite, so it is in a range without `upper`.
    struct ReviewIDs: Sendable {
        var lower: Int?
        var upper: Int?
    }

    /// `forEachAction` over the actions of the reviews whose row ids are in `reviewIDs`, in
    /// the table's order, each made into an action straight from SQLite's row.
    func forEachAction(
        matching filter: ReviewFilter, status: ActionStatus?, due: DueDates, withRegion: Bool, reviewIDs: ReviewIDs,
        _ body: (StoredAction) throws -> Void
    ) throws {
        var (terms, arguments) = store.actionConditions(filter, status: status, due: due)
        if let lower = reviewIDs.lower { terms.append("review_id >= ?"); arguments.append(lower) }
        if let upper = reviewIDs.upper { terms.append("review_id < ?"); arguments.append(upper) }
        // Every column in `ActionRecord.Columns` order, then the region and the
        // recommendation's text (`regionColumn`, `recommendationTextColumn`).
        let rows = try RawStatement(db, sql: """
            SELECT \(ActionRecord.Columns.allCases.map(\.name).joined(separator: ", ")),
              \(withRegion ? "(SELECT CAST(region AS TEXT) FROM review WHERE review.id = review_id)" : "NULL"),
              \(withRegion ? "(SELECT CASE WHEN json_valid(recommendations) THEN json_extract(recommendations, '$[' || (recommendation_position - 1) || '].text') END FROM review WHERE review.id = review_id)" : "NULL")
            FROM action WHERE \(terms.joined(separator: " AND "))
            """)
        try rows.start(arguments: StatementArguments(arguments))
        var shared = SharedTexts()
        while try rows.step() {
            let action: StoredAction
            var reference = "?"
            do throws(DamagedValue) {
                // Types first: reading a value's bytes converts it to text. A reference that
                // is not text is named by its review's row.
                guard rows.isText(C.reference.rawValue) else {
                    let damage = DamagedValue(field: "recommendations[?].actions[?].reference (table action)", stored: rows.storedType(C.reference.rawValue), problem: "not text")
                    reference = (try? Self.reference(ofReview: rows.integer(C.reviewID.rawValue), db)) ?? "review row ?"
                    throw damage
                }
                reference = rows.text(C.reference.rawValue)
                action = try Self.action(rows, reference: reference, shared: &shared)
            } catch {
                throw StoreError.damaged(error, reference: reference)
            }
            try body(action)
        }
    }

    /// The reference of the review with this id, to name it in an error.
    private static func reference(ofReview id: Int, _ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT CAST(reference AS TEXT) FROM review WHERE id = ?", arguments: [id]) ?? "review row \(id)"
    }

    /// One row of `action`, each value checked.
    private static func action(_ rows: RawStatement, reference: String, shared: inout SharedTexts) throws(DamagedValue) -> StoredAction {
        func text(_ column: C) -> String? { rows.isText(column.rawValue) ? rows.text(column.rawValue) : nil }
        /// A controlled value read from its bytes, without making a string of them.
        func spelled<Value: RawRepresentable & CaseIterable>(_ column: C) -> Value? where Value.RawValue == String {
            guard rows.isText(column.rawValue) else { return nil }
            let bytes = rows.bytes(column.rawValue)
            return Value.allCases.first { $0.rawValue.utf8.elementsEqual(bytes) }
        }
        let recommendationID = text(.recommendation), labelID = text(.label)
        let recommendation = recommendationID ?? "?"
        let label = labelID ?? "?"
        func damaged(_ column: C, _ name: String, _ problem: String) -> DamagedValue {
            DamagedValue(field: "recommendations[\(recommendation)].actions[\(label)].\(name)", stored: rows.storedType(column.rawValue), problem: problem)
        }
        func required(_ column: C, _ name: String) throws(DamagedValue) -> String {
            guard let value = text(column) else { throw damaged(column, name, "not text") }
            return value
        }
        func day(_ column: C, _ name: String) throws(DamagedValue) -> Day? {
            if rows.isNull(column.rawValue) { return nil }
            guard rows.isText(column.rawValue), let day = Day(utf8: rows.bytes(column.rawValue)) else { throw damaged(column, name, "not a date") }
            return day
        }
        guard recommendationID != nil, labelID != nil else { throw damaged(recommendationID == nil ? .recommendation : .label, "id", "not text") }
        guard let response: Response = spelled(.response) else { throw damaged(.response, "response", "not a value dus knows") }
        guard let status: ActionStatus = spelled(.status) else { throw damaged(.status, "status", "not a value dus knows") }
        guard let target = try day(.targetDate, "target_date") else { throw damaged(.targetDate, "target_date", "not a date") }
        guard rows.isText(C.revisedTargetDates.rawValue), let revised = StoredParts.texts(inList: rows.bytes(C.revisedTargetDates.rawValue)) else {
            throw damaged(.revisedTargetDates, "revised_target_dates", "not a JSON list of texts")
        }
        var revisedDates: [Day] = []
        for text in revised {
            guard let date = Day(text) else { throw damaged(.revisedTargetDates, "revised_target_dates", "a JSON list with an item that is not a date") }
            revisedDates.append(date)
        }
        guard rows.isText(C.themes.rawValue), let themes = shared.themes(rows.bytes(C.themes.rawValue)) else {
            throw damaged(.themes, "themes", "not a JSON list of texts")
        }
        var lastUpdate: ActionUpdate?
        if let date = try day(.lastUpdateDate, "updates.date") {
            guard let note = text(.lastUpdateNote) else { throw damaged(.lastUpdateNote, "updates.note", "not text") }
            lastUpdate = ActionUpdate(date: date, note: note)
        }
        if !rows.isNull(C.withdrawnReason.rawValue) && text(.withdrawnReason) == nil { throw damaged(.withdrawnReason, "withdrawn_reason", "not text") }
        if !rows.isNull(C.evidence.rawValue) && text(.evidence) == nil { throw damaged(.evidence, "evidence", "not text") }
        guard rows.isText(C.currentTargetDate.rawValue), Day(utf8: rows.bytes(C.currentTargetDate.rawValue)) != nil else {
            throw damaged(.currentTargetDate, "current_target_date", "not a date")
        }
        let (recommendationPosition, position) = (C.recommendationPosition.rawValue, C.position.rawValue)
        guard rows.isInteger(recommendationPosition), rows.isInteger(position) else {
            throw damaged(rows.isInteger(recommendationPosition) ? .position : .recommendationPosition, "position", "not a whole number")
        }
        func extra(_ column: Int32) -> String? { rows.isText(column) ? rows.text(column) : nil }
        return StoredAction(
            reference: reference, recommendationPosition: rows.integer(recommendationPosition), position: rows.integer(position),
            recommendation: recommendation, response: response, themes: themes, id: label,
            text: try required(.text, "text"), owner: rows.isText(C.owner.rawValue) ? shared.owner(rows.bytes(C.owner.rawValue)) : try required(.owner, "owner"),
            targetDate: target, revisedTargetDates: revisedDates,
            status: status, completedDate: try day(.completedDate, "completed_date"), withdrawnReason: text(.withdrawnReason), lastUpdate: lastUpdate,
            evidence: text(.evidence), region: extra(Self.regionColumn), recommendationText: extra(Self.recommendationTextColumn))
    }

    /// The action table's columns, numbered as `forEachAction` reads them, then the
    /// review's region and the recommendation's text.
    typealias C = ActionRecord.Columns
    static let regionColumn = Int32(C.allCases.count)
    static let recommendationTextColumn = regionColumn + 1

    /// Strings made once for each spelling of a value that repeats from row to row (a
    /// dozen owners, a few hundred lists of themes), found again by their bytes.
    struct SharedTexts {
        private var owners: [(bytes: [UInt8], text: String)] = []
        /// Lists of themes by a hash of their bytes (FNV-1a), each with its bytes to tell
        /// lists of one hash apart: found without making an array of the row's bytes.
        private var themeLists: [UInt64: [(bytes: [UInt8], themes: [String])]] = [:]
        private var themeListCount = 0

        mutating func owner(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            if let known = owners.first(where: { bytes.elementsEqual($0.bytes) }) { return known.text }
            let text = String(decoding: bytes, as: UTF8.self)
            // Beyond a few dozen owners, a search of the list would cost more than a string.
            if owners.count < 64 { owners.append((Array(bytes), text)) }
            return text
        }

        mutating func themes(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            if let known = themeLists[hash]?.first(where: { bytes.elementsEqual($0.bytes) }) { return known.themes }
            guard let themes = StoredParts.texts(inList: bytes) else { return nil }
            if themeListCount < 4096 {
                themeLists[hash, default: []].append((Array(bytes), themes))
                themeListCount += 1
            }
            return themes
        }
    }

    /// The texts matching the FTS5 `expression` in the reviews the filter selects, best
    /// first, at most `limit` of them (nil for all), with how many texts and reviews match;
    /// with `marking`, each with its snippet and highlight.
    public func searchHits(_ expression: String, matching filter: ReviewFilter, limit: Int?, marking: HitMarking? = nil) throws -> StoredHits {
        let (clause, filterArguments) = store.sqlCondition(for: filter)
        let arguments = StatementArguments([expression] + filterArguments)
        // A text's review is its row id shifted right by 20 (`Schema.createContentlessSearch`):
        // the ranking and the counts need only the index, and the review row for a filter.
        let shift = Int64(Schema.searchTextIDs.trailingZeroBitCount)
        let reviewOfText = "(search.rowid >> \(shift))"
        let from = filter == ReviewFilter()
            ? "FROM search WHERE search MATCH ?"
            : "FROM search JOIN review ON review.id = \(reviewOfText) WHERE search MATCH ? AND \(clause)"
        // Ranked by `dus_bm25`: FTS5's bm25 with the texts' lengths from `search_size`
        // (`Schema.keepTextLengths`). Called here rather than as FTS5's `rank`, so that its
        // error, should a length be missing, reaches the user whole. It counts the texts
        // and reviews it ranks, every match (`DusRankCounts`).
        store.words.ranked.pointee = DusRankCounts(texts: 0, reviews: 0, last_review: -1, ordered: 1)
        let ranked = try Row.fetchAll(
            db, sql: "SELECT search.rowid, dus_bm25(search) AS score \(from) ORDER BY score, search.rowid LIMIT ?",
            arguments: arguments + [limit ?? -1]).map { row in
                // A rank that is not a number (a damaged index: NaN reads as NULL) is named.
                guard let rank = row[1] as Double? else {
                    throw StoreError.damaged(reference: "search index", field: "rank", stored: "NULL", problem: "not a number; rebuild the index with dus doctor --rebuild-search")
                }
                return (id: row[0] as Int64, rank: rank)
            }
        // The texts of the hits come from their reviews' rows: the index keeps no copy.
        let reviewIDs = Set(ranked.map { $0.id >> shift }).sorted()
        // Every match is ranked, even for a few of them: the counts are the ranking's, unless
        // its rows came out of order (then the reviews are counted again).
        let counted = store.words.ranked.pointee
        let counts: (texts: Int, reviews: Int) = limit == nil
            ? (ranked.count, reviewIDs.count)
            : counted.ordered == 1 ? (Int(counted.texts), Int(counted.reviews))
            : try Row.fetchOne(db, sql: "SELECT count(*), count(DISTINCT \(reviewOfText)) \(from)", arguments: arguments)
                .map { (texts: $0[0] as Int? ?? 0, reviews: $0[1] as Int? ?? 0) } ?? (0, 0)
        // JSON lists of ids, for json_each (an array's description is slow for long ones).
        let reviewList = "[" + reviewIDs.map(String.init).joined(separator: ",") + "]"
        // Each hit goes straight to its place in the ranking.
        var places: [Int64: Int] = [:]
        places.reserveCapacity(ranked.count)
        for (place, hit) in ranked.enumerated() { places[hit.id] = place }
        let unread = StoredHit(reference: "", status: .draft, kind: .death, eventDate: Day(ordinal: 0), region: "", source: "", item: "",
                               text: "", rank: 0)
        var hits = [StoredHit](repeating: unread, count: ranked.count)
        var isRead = [Bool](repeating: false, count: ranked.count)
        // Read through the SQLite C API: the JSON columns are walked where SQLite holds them.
        let rows = try RawStatement(db, sql: """
            SELECT id, reference, kind, event_date, region, summary, findings, learning, recommendations, status
            FROM review WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id
            """)
        try rows.start(arguments: [reviewList])
        let catalogue = store.catalogue
        let marker = marking.map { HitMarker(expression: expression, marking: $0) }
        defer { marker?.stop() }
        while try rows.step() {
            let reviewID = Int64(rows.integer(0))
            // Types first: reading a value's bytes converts it to text.
            let isWellTyped = (1...4).allSatisfy { rows.isText(Int32($0)) } && (rows.isNull(5) || rows.isText(5)) && (6...9).allSatisfy { rows.isText(Int32($0)) }
            let reference = rows.isText(1) ? rows.text(1) : "review row \(reviewID)"
            let kind = isWellTyped ? Kind(rawValue: rows.text(2)) : nil
            let eventDate = isWellTyped ? Day(rows.text(3)) : nil
            let region = isWellTyped ? rows.text(4) : ""
            let status = isWellTyped ? Status(rawValue: rows.text(9)) : nil
            let read = isWellTyped && kind != nil && eventDate != nil && status != nil && catalogue.regions.contains(where: { $0.name == region })
                ? StoredTexts.numberedTexts(
                    summary: rows.isNull(5) ? nil : rows.text(5), findings: rows.bytes(6), learning: rows.bytes(7), recommendations: rows.bytes(8),
                    wanted: { places[reviewID << shift | Int64($0)] != nil })
                : nil
            guard let found = read, let kind, let eventDate, let status else {
                // Reading the whole review names the value that is not what dus writes.
                if let whole = try Row.fetchOne(db, sql: "SELECT * FROM review WHERE id = ?", arguments: [reviewID]) {
                    _ = try store.review(from: whole)
                }
                throw StoreError.damaged(reference: reference, field: "recommendations", stored: "text", problem: "not what dus writes")
            }
            for (number, text) in found {
                guard let place = places[reviewID << shift | Int64(number)] else { continue }
                hits[place] = StoredHit(
                    reference: reference, status: status, kind: kind, eventDate: eventDate, region: region, source: text.source, item: text.item,
                    text: text.text, date: text.date.flatMap(Day.init), rank: ranked[place].rank)
                isRead[place] = true
                marker?.add(place, text.text)
            }
        }
        if let missing = isRead.firstIndex(of: false) {
            throw StoreError.damaged(reference: "review row \(ranked[missing].id >> shift)", field: "search index", stored: "an entry",
                                     problem: "it holds a text the review does not have")
        }
        try marker?.finish { place, marks in
            hits[place].snippet = marks.snippet
            hits[place].highlighted = marks.highlighted
        }
        return StoredHits(hits: hits, matchingTexts: counts.texts, matchingReviews: counts.reviews)
    }

    /// The words of the search index (FTS5 keeps them stemmed: `naloxon`, `releas`) with
    /// how many texts hold each, read through FTS5's `fts5vocab`; only those whose length
    /// is within `lengths`.
    public func searchVocabulary(lengths: ClosedRange<Int>) throws -> [(term: String, texts: Int)] {
        // `Schema.prepareSearchVocabulary` made the table as the connection opened.
        return try Row.fetchAll(
            db, sql: "SELECT term, doc FROM temp.search_vocabulary WHERE length(term) BETWEEN ? AND ?",
            arguments: [lengths.lowerBound, lengths.upperBound]
        ).compactMap { row in (row[0] as String?).map { ($0, row[1] as Int? ?? 0) } }
    }

    /// How many reviews the filter selects.
    public func count(matching filter: ReviewFilter) throws -> Int {
        let (clause, arguments) = store.sqlCondition(for: filter)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM review WHERE \(clause)", arguments: StatementArguments(arguments)) ?? 0
    }

    /// The learning points of each review the filter selects that has any, a list a
    /// review, by event date and reference.
    public func learningByReview(matching filter: ReviewFilter) throws -> [[Note]] {
        let (clause, arguments) = store.sqlCondition(for: filter)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT reference, learning FROM review WHERE \(clause) AND learning <> '[]' ORDER BY event_date, reference
            """, arguments: StatementArguments(arguments))
        var notes: [[Note]] = []
        while let row = try rows.next() {
            let stored = StoredRow(row)
            let reference = (try? stored.text("reference")) ?? "a review"
            do throws(DamagedValue) {
                let text = try stored.text("learning")
                do throws(StoredParts.Damaged) {
                    notes.append(try StoredParts.notes(text, column: "learning"))
                } catch {
                    throw stored.damaged("learning", error.problem)
                }
            } catch {
                throw StoreError.damaged(error, reference: reference)
            }
        }
        return notes
    }

    /// The risk profile of every review the filter selects, by event date and reference.
    public func riskProfiles(matching filter: ReviewFilter) throws -> [RiskProfile] {
        let (clause, arguments) = store.sqlCondition(for: filter)
        return try profiles(where: clause, arguments)
    }

    /// The risk profile of the review `reference`, or nil when there is no such review.
    public func riskProfile(of reference: String) throws -> RiskProfile? {
        try profiles(where: "reference = ?", [reference]).first
    }

    private func profiles(where clause: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [RiskProfile] {
        let catalogue = store.catalogue
        let rows = try Row.fetchCursor(db, sql: "SELECT reference, kind, event_date, region, answers FROM review WHERE \(clause) ORDER BY event_date, reference",
                                       arguments: StatementArguments(arguments))
        var profiles: [RiskProfile] = []
        while let row = try rows.next() {
            let stored = StoredRow(row)
            let reference = (try? stored.text("reference")) ?? "a review"
            do throws(DamagedValue) {
                let answers = try stored.text("answers")
                guard AnswersCodec.isWellFormed(answers.utf8, catalogue: catalogue) else {
                    throw stored.damaged("answers", "not one of y, n, u or - for each factor")
                }
                profiles.append(RiskProfile(
                    reference: reference, kind: try stored.choice("kind", Kind.self), eventDate: try stored.day("event_date"),
                    region: try stored.region(catalogue), bits: AnswersCodec.riskBits(answers.utf8, catalogue: catalogue)))
            } catch {
                throw StoreError.damaged(error, reference: reference)
            }
        }
        return profiles
    }
}

extension Store {
    /// FTS5's snippet (a few words around the best match, matches between two
    /// `snippetMarker`s) and highlight (the whole text, matches between `start` and `end`;
    /// empty unless `marking.highlights`) of each text.
    ///
    /// The store's index keeps no copy of its texts, so FTS5 cannot make these from it:
    /// the texts are indexed again, alone, in a private in-memory table with the same
    /// tokenizer, and the same query marks them there as it would have in the store.
    static func marked(_ texts: [String], matching expression: String, marking: HitMarking) throws -> [(snippet: String, highlighted: String)] {
        guard !texts.isEmpty else { return [] }
        let scratch = try DatabaseQueue()
        return try scratch.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE hit USING fts5 (text, tokenize = '\(Schema.searchTokenizer)')")
            try db.execute(sql: "INSERT INTO hit (rowid, text) SELECT key, value FROM json_each(?)",
                           arguments: [StoredParts.list(texts)])
            var marked = texts.map { (snippet: $0, highlighted: marking.highlights ? $0 : "") }
            let highlight = marking.highlights ? "highlight(hit, 0, ?1, ?2)" : "''"
            let rows = try Row.fetchCursor(db, sql: """
                SELECT rowid, snippet(hit, 0, ?4, ?4, '…', 20), \(highlight)
                FROM hit WHERE hit MATCH ?3
                """, arguments: [marking.start, marking.end, expression, marking.snippetMarker])
            while let row = try rows.next() {
                marked[row[0]] = (row[1], row[2])
            }
            return marked
        }
    }
}
