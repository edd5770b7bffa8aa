import Foundation

/// Counts what recurs across the reviews of a filter, in one pass over the stored rows
/// (`Store.patternRows`), counting straight from the column bytes without making strings.
public struct PatternEngine {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// The report for the slice the filter selects, and the side-by-side slices of `grouping`.
    public func report(matching filter: ReviewFilter, by grouping: PatternReport.Grouping? = nil) throws -> PatternReport {
        try store.snapshot { try report($0, matching: filter, by: grouping) }
    }

    /// The report, read in the caller's snapshot: a caller that reads more besides (the
    /// bulletin) sees the same reviews in both.
    func report(_ snapshot: StoreSnapshot, matching filter: ReviewFilter, by grouping: PatternReport.Grouping? = nil) throws -> PatternReport {
        let catalogue = store.catalogue
        // Two threads: this one reads the rows into batches; a second one counts them. On
        // two cores that nearly halves a large report.
        let batches = Channel<PatternRows>()
        let counting = BackgroundWork { Counts.count(batches, grouping: grouping, catalogue: catalogue) }
        do {
            try snapshot.patternRows(matching: filter) { batches.put($0) }
        } catch {
            batches.close()
            _ = counting.wait()
            throw error
        }
        batches.finish()
        let counts = counting.wait()
        let (all, accumulators) = (counts.all, counts.byKey)

        var report = PatternReport(all: all.slice(key: nil, catalogue: catalogue), grouping: grouping)
        report.filter = filter
        // How many reviews the filter would have counted but for leaving out those
        // classified not drug-related: the report says so.
        if !filter.includesNotDrugRelated && filter.classification == nil {
            var leftOut = filter
            leftOut.classification = .notDrugRelated
            leftOut.includesNotDrugRelated = true
            report.notDrugRelatedLeftOut = try snapshot.count(matching: leftOut)
        } else if filter.classification == nil {
            var counted = filter
            counted.classification = .notDrugRelated
            report.notDrugRelatedCounted = try snapshot.count(matching: counted)
        }
        if let grouping {
            let present = Set(accumulators.keys)
            let keys: [String]
            switch grouping {
            case .quarter, .year: keys = present.sorted()
            case .region: keys = catalogue.regions.map(\.name).filter(present.contains)
            case .supervision: keys = Supervision.allCases.map(\.rawValue).filter(present.contains)
            case .kind: keys = Kind.allCases.map(\.rawValue).filter(present.contains)
            }
            report.slices = keys.compactMap { key in accumulators[key].map { $0.slice(key: key, catalogue: catalogue) } }
        }
        return report
    }
}

/// What the counting thread returns: all reviews, and one accumulator per `--by` key.
struct Counts: @unchecked Sendable {
    var all: Accumulator
    var byKey: [String: Accumulator] = [:]

    /// Takes batches until the channel is finished, counting each row.
    static func count(_ batches: Channel<PatternRows>, grouping: PatternReport.Grouping?, catalogue: Catalogue) -> Counts {
        var counts = Counts(all: Accumulator(catalogue: catalogue))
        while let batch = batches.take() {
            batch.bytes.withUnsafeBufferPointer { bytes in
                for record in batch.records {
                    let row = Accumulator.Row(
                        isDeath: record.isDeath, status: record.status, days: record.days,
                        answers: UnsafeBufferPointer(rebasing: bytes[record.answers]),
                        substances: UnsafeBufferPointer(rebasing: bytes[record.substances]),
                        findingThemes: UnsafeBufferPointer(rebasing: bytes[record.findingThemes]))
                    counts.all.add(row)
                    if let grouping {
                        counts.byKey[key(grouping, record, bytes), default: Accumulator(catalogue: catalogue)].add(row)
                    }
                }
            }
        }
        return counts
    }

    /// The slice a row belongs to with `--by`.
    private static func key(_ grouping: PatternReport.Grouping, _ record: PatternRows.Record, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        switch grouping {
        case .quarter:
            // The store has checked that event_date is YYYY-MM-DD.
            let date = bytes[record.eventDate]
            let month = Int(date[date.startIndex + 5] &- 48) * 10 + Int(date[date.startIndex + 6] &- 48)
            return text(record.eventDate.prefix(4)) + "-Q\((month - 1) / 3 + 1)"
        case .year: return text(record.eventDate.prefix(4))
        case .region: return text(record.region)
        case .supervision: return text(record.supervision)
        case .kind: return record.isDeath ? Kind.death.rawValue : Kind.nearMiss.rawValue
        }
    }
}

/// The ids of a controlled list, looked up by their UTF-8 bytes.
struct IDTable {
    let ids: [String]
    private let bytes: [[UInt8]]

    var count: Int { ids.count }

    init(_ ids: [String]) {
        self.ids = ids
        bytes = ids.map { Array($0.utf8) }
    }

    /// The position of the id spelled by `span`, or nil when it is not in the list.
    /// The lists are short (under twenty ids): comparing length and first byte before the
    /// bytes is quicker than hashing.
    func index(of span: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = span.first else { return nil }
        for (position, id) in bytes.enumerated() where id.count == span.count && id[0] == first {
            if id.withUnsafeBufferPointer({ memcmp($0.baseAddress!, span.baseAddress!, span.count) == 0 }) { return position }
        }
        return nil
    }

    /// Calls `body` with the bytes of each string in stored JSON made of lists of ids
    /// (ids from controlled lists hold no quotes or escapes).
    static func forEachString(in json: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start: Int?
        for position in json.indices where json[position] == UInt8(ascii: "\"") {
            if let opening = start {
                body(UnsafeBufferPointer(rebasing: json[(opening + 1)..<position]))
                start = nil
            } else {
                start = position
            }
        }
    }
}

/// Running counts for one slice.
struct Accumulator {
    /// One stored review, as the bytes of its columns (valid only while it is added).
    struct Row {
        var isDeath: Bool
        /// By place in `Status.allCases`.
        var status: Int
        var days: Int?
        var answers: UnsafeBufferPointer<UInt8>
        var substances: UnsafeBufferPointer<UInt8>
        var findingThemes: UnsafeBufferPointer<UInt8>
    }

    var reviews = 0, deaths = 0, released = 0
    /// Reviews per status, in `Status.allCases` order.
    var statuses = Array(repeating: 0, count: Status.allCases.count)
    /// Reviews per release band, in `ReleaseBand.allCases` order.
    var bands = Array(repeating: 0, count: ReleaseBand.allCases.count)
    var days = Array(repeating: 0, count: 28)
    /// Per factor, four counts in a row: risk, no risk, unknown, not applicable.
    var counts: [Int]
    /// Per factor, 256 entries: the counter of each answer byte (`y`, `n`, `u`, `-`).
    let slotTable: [UInt8]
    /// Pairs both at risk, indexed `a * factorCount + b` with `a < b`.
    var pairCounts: [Int]
    /// Scratch: the factors at risk in the review being added.
    var atRisk: [Int]
    /// Controlled-list ids, found in the stored JSON without making strings.
    let substanceIDs: IDTable
    let themeIDs: IDTable
    /// Reviews per substance, by position in the substance list.
    var substances: [Int]
    /// Findings and reviews per theme, by position in the theme list.
    var themeFindings: [Int]
    var themeReviews: [Int]
    /// The review count when a theme was last counted for a review (so once per review).
    var themeLastReview: [Int]
    /// Ids not in today's lists (stored under an older catalogue): counted by name.
    var otherSubstances: [String: Int] = [:]
    var otherThemeFindings: [String: Int] = [:]
    var otherThemeReviews: [String: Int] = [:]
    let factorCount: Int

    init(catalogue: Catalogue) {
        factorCount = catalogue.factors.count
        substanceIDs = IDTable(catalogue.substances)
        themeIDs = IDTable(catalogue.themes)
        substances = Array(repeating: 0, count: substanceIDs.count)
        themeFindings = Array(repeating: 0, count: themeIDs.count)
        themeReviews = themeFindings
        themeLastReview = themeFindings
        var slotTable = [UInt8](repeating: 2, count: factorCount * 256)
        for (index, factor) in catalogue.factors.enumerated() {
            slotTable[index * 256 + Int(UInt8(ascii: "y"))] = factor.risk == .yes ? 0 : 1
            slotTable[index * 256 + Int(UInt8(ascii: "n"))] = factor.risk == .yes ? 1 : 0
            slotTable[index * 256 + Int(UInt8(ascii: "-"))] = 3
        }
        self.slotTable = slotTable
        counts = Array(repeating: 0, count: factorCount * 4)
        pairCounts = Array(repeating: 0, count: factorCount * factorCount)
        atRisk = Array(repeating: 0, count: factorCount)
    }

    mutating func add(_ row: Row) {
        reviews += 1
        statuses[row.status] += 1
        if row.isDeath { deaths += 1 }
        if let daysSinceRelease = row.days {
            released += 1
            switch daysSinceRelease {
            case ..<14: bands[0] += 1
            case 14...27: bands[1] += 1
            case 28...83: bands[2] += 1
            default: bands[3] += 1
            }
            if (0..<28).contains(daysSinceRelease) { days[daysSinceRelease] += 1 }
        } else {
            bands[4] += 1
        }
        // The hot loop: buffers rather than arrays, so there is no copy check per count.
        let answered = min(row.answers.count, factorCount)
        let factorCount = factorCount
        var risks = 0
        slotTable.withUnsafeBufferPointer { slots in
            counts.withUnsafeMutableBufferPointer { counts in
                atRisk.withUnsafeMutableBufferPointer { atRisk in
                    // Branch-free: the answers are unpredictable, so a table gives each
                    // byte its counter (0 risk, 1 no risk, 2 unknown, 3 not applicable).
                    for index in 0..<answered {
                        let slot = Int(slots[index &* 256 &+ Int(row.answers[index])])
                        counts[index &* 4 &+ slot] &+= 1
                        atRisk[risks] = index
                        risks &+= slot == 0 ? 1 : 0
                    }
                    // Factors added to the catalogue after the review was stored read as unknown.
                    for index in answered..<factorCount { counts[index &* 4 &+ 2] &+= 1 }
                }
            }
        }
        atRisk.withUnsafeBufferPointer { atRisk in
            pairCounts.withUnsafeMutableBufferPointer { pairCounts in
                for first in 0..<risks {
                    let row = atRisk[first] &* factorCount
                    for second in (first &+ 1)..<risks { pairCounts[row &+ atRisk[second]] &+= 1 }
                }
            }
        }
        IDTable.forEachString(in: row.substances) { span in
            if let index = substanceIDs.index(of: span) {
                substances[index] += 1
            } else {
                otherSubstances[String(decoding: span, as: UTF8.self), default: 0] += 1
            }
        }
        // `[["a","b"],["a"]]`: one inner list per finding.
        var otherThemesOfReview: Set<String> = []
        IDTable.forEachString(in: row.findingThemes) { span in
            if let index = themeIDs.index(of: span) {
                themeFindings[index] += 1
                if themeLastReview[index] != reviews {
                    themeLastReview[index] = reviews
                    themeReviews[index] += 1
                }
            } else {
                let theme = String(decoding: span, as: UTF8.self)
                otherThemeFindings[theme, default: 0] += 1
                if otherThemesOfReview.insert(theme).inserted { otherThemeReviews[theme, default: 0] += 1 }
            }
        }
    }

    func slice(key: String?, catalogue: Catalogue) -> PatternSlice {
        var slice = PatternSlice(key: key)
        slice.reviews = reviews
        slice.deaths = deaths
        slice.nearMisses = reviews - deaths
        slice.released = released
        for (index, status) in Status.allCases.enumerated() { slice.byStatus[status] = statuses[index] }
        for (index, band) in ReleaseBand.allCases.enumerated() where bands[index] > 0 {
            slice.releaseBands[band] = bands[index]
        }
        slice.days = days
        slice.factors = catalogue.factors.enumerated().map { index, factor in
            FactorCount(id: factor.id, isDerived: factor.derived, risk: counts[index * 4], noRisk: counts[index * 4 + 1],
                        unknown: counts[index * 4 + 2], notApplicable: counts[index * 4 + 3])
        }
        slice.substances = otherSubstances
        for (index, id) in substanceIDs.ids.enumerated() where substances[index] > 0 { slice.substances[id] = substances[index] }
        slice.themeFindings = otherThemeFindings
        slice.themeReviews = otherThemeReviews
        for (index, id) in themeIDs.ids.enumerated() where themeFindings[index] > 0 {
            slice.themeFindings[id] = themeFindings[index]
            slice.themeReviews[id] = themeReviews[index]
        }
        var pairs: [(a: String, b: String, count: Int)] = []
        for a in 0..<factorCount {
            for b in (a + 1)..<factorCount where pairCounts[a * factorCount + b] > 0 {
                pairs.append((catalogue.factors[a].id, catalogue.factors[b].id, pairCounts[a * factorCount + b]))
            }
        }
        // Most frequent first; ties in catalogue order, so the output is reproducible.
        slice.pairs = Array(pairs.enumerated().sorted { $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset }.map(\.element).prefix(10))
        return slice
    }
}
