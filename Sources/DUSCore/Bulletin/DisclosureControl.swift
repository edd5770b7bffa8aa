/// Statistical disclosure control for bulletins (product.md): small counts of people are
/// shown as `<5`, and a table never gives away a suppressed count through its total: a
/// count hidden for that reason (whatever its size) is shown as `[c]`.
///
/// `dus patterns` is an internal tool and shows exact figures; only bulletins use this.
public struct DisclosureControl: Sendable, Equatable {
    /// Counts from 1 to `minCount - 1` are suppressed.
    public var minCount: Int

    public init(minCount: Int = 5) {
        self.minCount = minCount
    }

    /// A count as a bulletin may show it.
    public enum Figure: Sendable, Equatable, CustomStringConvertible {
        case count(Int)
        /// A count from 1 to `minCount - 1`, shown as `<minCount`.
        case suppressed(below: Int)
        /// A count of any size hidden so that another cannot be worked out, shown as `[c]`.
        case hidden

        /// Whether the count is not shown, for either reason.
        public var isSuppressed: Bool {
            if case .count = self { return false }
            return true
        }

        /// `1,234`, `0`, `<5` or `[c]`.
        public var description: String {
            switch self {
            case .count(let value): return DisclosureControl.grouped(value)
            case .suppressed(let below): return "<\(below)"
            case .hidden: return "[c]"
            }
        }
    }

    /// A count with commas between thousands: 12,345.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A count shown on its own, with no published total beside it: primary suppression only.
    public func figure(_ count: Int) -> Figure {
        (1..<max(minCount, 1)).contains(count) ? .suppressed(below: minCount) : .count(count)
    }

    /// A row or column of counts with its published total.
    ///
    /// Primary suppression first: every count (the total too) from 1 to `minCount - 1`.
    /// Then, where the total is shown and exactly one cell is suppressed, the smallest
    /// non-zero cell still shown is suppressed too (ties: the first); where there is no
    /// such cell, the total is suppressed instead. Zero is always shown as 0.
    ///
    /// Going further than product.md's rule: where the total is shown and the cells it
    /// hides can only add up as they do in one way (each 1, or each `minCount - 1`: two
    /// `<5` cells making 2 are both 1), one more cell is hidden in the same way.
    public func protect(_ cells: [Int], total: Int) -> (cells: [Figure], total: Figure) {
        var figures = cells.map(figure)
        var totalFigure = figure(total)
        let suppressed = figures.indices.filter { figures[$0].isSuppressed }
        let hiddenSum = suppressed.reduce(0) { $0 + cells[$1] }
        let forced = suppressed.count > 1 && (hiddenSum == suppressed.count || hiddenSum == suppressed.count * (minCount - 1))
        if !totalFigure.isSuppressed && (suppressed.count == 1 || forced) {
            let candidates = figures.indices.filter { !figures[$0].isSuppressed && cells[$0] > 0 }
            if let next = candidates.min(by: { cells[$0] < cells[$1] }) {
                figures[next] = .hidden
            } else {
                totalFigure = .hidden
            }
        }
        return (figures, totalFigure)
    }

    /// A count rounded to the nearest 5 (after primary suppression: 1 to `minCount - 1`
    /// stays hidden), for figures that overlap other published ones (the rolling window),
    /// so that subtracting them gives nothing exact.
    public func rounded(_ count: Int) -> Figure {
        let shown = figure(count)
        guard case .count(let value) = shown, value > 0 else { return shown }
        // Never below the smallest multiple of 5 that may be shown: rounding up to the
        // minimum itself (7, say) would show that count exactly.
        return .count(max((minCount + 4) / 5 * 5, Int((Double(value) / 5).rounded()) * 5))
    }

    /// A percentage, or nil when it is withheld: when its numerator is suppressed, when its
    /// denominator is under 10, or (stricter than the rule asks, so that a shown
    /// percentage and a shown numerator never give away a suppressed count) when any
    /// count its denominator is made of is suppressed.
    public func percentage(_ numerator: Int, of denominator: Int, shown figures: [Figure]) -> String? {
        guard denominator >= 10, !figures.contains(where: \.isSuppressed), !figure(numerator).isSuppressed else { return nil }
        return "\(Int((Double(numerator) / Double(denominator) * 100).rounded()))%"
    }
}
