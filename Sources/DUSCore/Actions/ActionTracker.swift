import Foundation

/// One action of a recommendation, as a manager chasing it sees it: the stored action
/// (its fields read through, `action.text`) with where it stands on the as-of date.
@dynamicMemberLookup
public struct TrackedAction: Sendable, Equatable {
    public var stored: StoredAction
    /// Open, and the current target date is before the as-of date.
    public var isOverdue: Bool
    /// Days from the current target date to the as-of date, while overdue.
    public var daysOverdue: Int?
    /// Days from the as-of date to the current target date, while open and not overdue.
    public var daysUntilDue: Int?

    public subscript<Value>(dynamicMember field: KeyPath<StoredAction, Value>) -> Value { stored[keyPath: field] }

    /// `REF/R1/A1`.
    public var id: String { stored.reference + "/" + stored.recommendation + "/" + stored.id }
    /// The recommendation's address, `REF/R1`.
    public var recommendation: String { stored.reference + "/" + stored.recommendation }
    /// The recommendation's id in its review (`R1`) and the action's in it (`A1`).
    public var recommendationID: String { stored.recommendation }
    public var actionID: String { stored.id }
    /// The current target date: the newest revised target date, else the target date.
    public var targetDate: Day { stored.currentTargetDate }
    public var originalTargetDate: Day { stored.targetDate }

    /// Due soon: open, not overdue, and due within `days` of the as-of date.
    public func isDue(within days: Int) -> Bool {
        daysUntilDue.map { $0 <= days } ?? false
    }
}

/// Which actions `dus actions` lists, beyond the reviews the filter selects.
public struct ActionQuery: Sendable, Equatable {
    public var filter = ReviewFilter()
    /// "Today" for overdue and due soon (Europe/London unless given).
    public var asOf: Day
    /// Overdue actions only; with `dueWithin`, overdue ones and those due soon.
    public var overdue = false
    /// Open actions due on the as-of date or within this many days after it.
    public var dueWithin: Int?
    /// Actions whose owner contains this text, ignoring case.
    public var owner: String?
    public var status: ActionStatus?
    /// The response to the action's recommendation.
    public var response: Response?
    /// A theme of the action's recommendation.
    public var theme: String?
    /// Current target dates from this day and up to this day (inclusive): due dates, where
    /// the filter selects reviews by their event dates.
    public var dueFrom: Day?
    public var dueTo: Day?
    /// Read each action's region and recommendation text too (for the CSV).
    public var withDetails = false

    public init(asOf: Day) {
        self.asOf = asOf
    }
}

/// Counts for `dus actions --summary`.
public struct ActionSummary: Sendable, Equatable {
    public struct OwnerCount: Sendable, Equatable {
        public var owner: String
        public var open: Int
        public var overdue: Int
        public var dueSoon: Int
    }

    public var asOf: Day
    public var dueWithin: Int?
    public var actions: Int
    public var byStatus: [ActionStatus: Int]
    public var overdue: Int
    /// Open and due within `dueWithin` days (nil when no `--due-within` was given).
    public var dueSoon: Int?
    /// The actions completed, and of those, completed on or before their current target
    /// date, and with evidence that the action worked.
    public var completed: Int
    public var completedOnTime: Int
    public var completedWithEvidence: Int = 0
    /// Actions whose target date was revised at least once.
    public var revised: Int
    /// Open actions by owner, most overdue first.
    public var owners: [OwnerCount]
}

/// `dus actions`: the recommendations' actions of the reviews a filter selects.
public struct ActionTracker {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// The actions the query selects, by current target date, then address.
    public func actions(_ query: ActionQuery) throws -> [TrackedAction] {
        var actions: [TrackedAction] = []
        try store.forEachAction(matching: query.filter, status: storeStatus(query), due: storeDue(query), withRegion: query.withDetails) { stored in
            guard let action = Self.tracked(stored, query) else { return }
            actions.append(action)
        }
        // An order of the places, so that the actions themselves are moved once.
        let keys = actions.map { ListingKey($0.stored) }
        actions.reorder(by: actions.indices.sorted { keys[$0] < keys[$1] })
        return actions
    }

    /// The order of the list: current target date, reference, recommendation, action.
    struct ListingKey: Comparable {
        var target: Day, reference: String, recommendation: Int, position: Int

        init(_ stored: StoredAction) {
            (target, reference, recommendation, position) = (stored.currentTargetDate, stored.reference, stored.recommendationPosition, stored.position)
        }

        static func < (a: Self, b: Self) -> Bool {
            if a.target != b.target { return a.target < b.target }
            if a.reference != b.reference { return a.reference < b.reference }
            return (a.recommendation, a.position) < (b.recommendation, b.position)
        }
    }

    /// The text list of the actions the query selects (as `ActionRenderer.writeText` would
    /// write `actions(query)`), handed to `write` in pieces of about 64 KB. The store reads
    /// the actions in two parts at once (`Store.actionsInParts`); each part writes its
    /// entries into a buffer of its own as they come and sorts small keys, which are then
    /// merged. (A list of 80,000 actions never holds them all as values.)
    public func writeText(_ query: ActionQuery, to write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        struct Key {
            var order: ListingKey
            var part: Int32, chunk: Int32
            var bytes: Range<Int>
        }
        // Entries go into chunks of 1 MB that are never moved: a buffer that grows as it
        // fills would copy them again and again.
        struct Listing {
            static let chunkSize = 1 << 20
            var part: Int
            var chunks = [TextBytes(capacity: chunkSize)]
            var entry = TextBytes(capacity: 4096)
            var keys: [Key] = []
            var overdue = 0, dueSoon = 0
        }
        let listings = try store.actionsInParts(
            matching: query.filter, status: storeStatus(query), due: storeDue(query), parts: 2, start: { Listing(part: $0) },
            add: { listing, stored in
                guard let action = Self.tracked(stored, query) else { return }
                if action.isOverdue { listing.overdue += 1 }
                if let days = query.dueWithin, action.isDue(within: days) { listing.dueSoon += 1 }
                listing.entry.clear()
                ActionRenderer.entry(action, into: &listing.entry)
                if listing.chunks[listing.chunks.count - 1].bytes.count + listing.entry.bytes.count > Listing.chunkSize {
                    listing.chunks.append(TextBytes(capacity: max(Listing.chunkSize, listing.entry.bytes.count)))
                }
                let chunk = listing.chunks.count - 1
                let start = listing.chunks[chunk].bytes.count
                listing.entry.bytes.withUnsafeBufferPointer { listing.chunks[chunk].append(bytes: $0) }
                listing.keys.append(Key(
                    order: ListingKey(stored), part: Int32(listing.part), chunk: Int32(chunk), bytes: start..<listing.chunks[chunk].bytes.count))
            },
            end: { $0.keys.sort { $0.order < $1.order } })
        let keys = listings.dropFirst().reduce(listings[0].keys) { Self.merged($0, $1.keys) { $0.order < $1.order } }
        let overdue = listings.reduce(0) { $0 + $1.overdue }, dueSoon = listings.reduce(0) { $0 + $1.dueSoon }
        var out = TextBytes(capacity: 80 * 1024)
        out.append(ActionRenderer.heading(
            count: keys.count, overdue: overdue, dueSoon: query.dueWithin.map { _ in dueSoon },
            asOf: query.asOf, dueWithin: query.dueWithin))
        for key in keys {
            listings[Int(key.part)].chunks[Int(key.chunk)].bytes.withUnsafeBufferPointer { out.append(bytes: UnsafeBufferPointer(rebasing: $0[key.bytes])) }
            if out.bytes.count >= 64 * 1024 { try out.flush(to: write) }
        }
        out.append(ActionRenderer.footing(asOf: query.asOf, dueWithin: query.dueWithin))
        try out.flush(to: write)
    }

    /// Two sorted lists as one sorted list.
    private static func merged<Element>(_ first: [Element], _ second: [Element], by less: (Element, Element) -> Bool) -> [Element] {
        var merged: [Element] = []
        merged.reserveCapacity(first.count + second.count)
        var (i, j) = (0, 0)
        while i < first.count && j < second.count {
            if less(second[j], first[i]) {
                merged.append(second[j]); j += 1
            } else {
                merged.append(first[i]); i += 1
            }
        }
        merged += first[i...]
        merged += second[j...]
        return merged
    }

    /// Counts over the actions the query selects, without `--overdue` and `--due-within`
    /// narrowing them: those two are counted instead.
    public func summary(_ query: ActionQuery) throws -> ActionSummary {
        var counted = query
        counted.overdue = false
        counted.dueWithin = nil
        var summary = ActionSummary(
            asOf: query.asOf, dueWithin: query.dueWithin, actions: 0, byStatus: [:], overdue: 0,
            dueSoon: query.dueWithin.map { _ in 0 }, completed: 0, completedOnTime: 0, revised: 0, owners: [])
        var owners: [String: ActionSummary.OwnerCount] = [:]
        // Counted by SQL, by owner and status; the owner filter (any case, any accents) is
        // applied to the owners counted.
        let counts = try store.actionCounts(
            matching: query.filter, asOf: query.asOf, dueSoonUntil: query.dueWithin.map { query.asOf.adding(days: $0) },
            status: query.status, response: query.response, theme: query.theme, due: storeDue(counted))
        for count in counts {
            if let owner = query.owner, count.owner.range(of: owner, options: [.caseInsensitive, .diacriticInsensitive]) == nil { continue }
            summary.actions += count.actions
            summary.byStatus[count.status, default: 0] += count.actions
            summary.revised += count.revised
            if count.status == .complete {
                summary.completed += count.actions
                summary.completedOnTime += count.completedOnTime
                summary.completedWithEvidence += count.completedWithEvidence
            }
            guard count.status == .open else { continue }
            var owner = owners[count.owner] ?? ActionSummary.OwnerCount(owner: count.owner, open: 0, overdue: 0, dueSoon: 0)
            owner.open += count.actions
            owner.overdue += count.overdue
            summary.overdue += count.overdue
            if query.dueWithin != nil {
                owner.dueSoon += count.dueSoon
                summary.dueSoon? += count.dueSoon
            }
            owners[count.owner] = owner
        }
        summary.owners = owners.values.sorted { ($0.overdue, $0.open, $1.owner) > ($1.overdue, $1.open, $0.owner) }
        return summary
    }

    /// Whether the action passes the action conditions of the query (the review filter
    /// has been applied in SQL).
    private static func selects(_ action: TrackedAction, _ query: ActionQuery) -> Bool {
        if let status = query.status, action.status != status { return false }
        if let response = query.response, action.response != response { return false }
        if let theme = query.theme, !action.themes.contains(theme) { return false }
        if let owner = query.owner, action.owner.range(of: owner, options: [.caseInsensitive, .diacriticInsensitive]) == nil { return false }
        let isDueSoon = query.dueWithin.map(action.isDue(within:))
        switch (query.overdue, isDueSoon) {
        case (false, nil): return true
        case (true, nil): return action.isOverdue
        case (false, let dueSoon?): return dueSoon
        case (true, let dueSoon?): return action.isOverdue || dueSoon
        }
    }

    /// The store's status condition: overdue and due soon are open.
    private func storeStatus(_ query: ActionQuery) -> ActionStatus? {
        query.overdue || query.dueWithin != nil ? .open : query.status
    }

    /// The store's target-date condition: the due dates asked for; overdue and due soon are
    /// also due before a day, so the store leaves out the other actions as it reads.
    private func storeDue(_ query: ActionQuery) -> DueDates {
        var due = DueDates(from: query.dueFrom, through: query.dueTo)
        if let dueWithin = query.dueWithin {
            // Open and due up to the last day due soon (overdue ones too).
            let last = query.asOf.adding(days: dueWithin)
            due.through = min(due.through ?? last, last)
        } else if query.overdue {
            due.before = query.asOf
        }
        return due
    }

    /// The stored action as `dus actions` shows it, if the query selects it.
    private static func tracked(_ stored: StoredAction, _ query: ActionQuery) -> TrackedAction? {
        let target = stored.currentTargetDate
        let isOverdue = stored.status == .open && target < query.asOf
        let action = TrackedAction(
            stored: stored, isOverdue: isOverdue,
            daysOverdue: isOverdue ? query.asOf.days(since: target) : nil,
            daysUntilDue: stored.status == .open && !isOverdue ? target.days(since: query.asOf) : nil)
        return Self.selects(action, query) ? action : nil
    }
}
