import Foundation

/// A share with its 95% Wilson score interval.
public struct Proportion: Equatable, Sendable {
    public let successes: Int
    public let trials: Int

    public init(_ successes: Int, of trials: Int) {
        self.successes = successes
        self.trials = trials
    }

    /// z for a two-sided 95% interval.
    static let z = 1.959963984540054

    /// successes / trials, or nil when nothing was recorded.
    public var share: Double? { trials == 0 ? nil : Double(successes) / Double(trials) }

    /// The 95% Wilson score interval, or nil when nothing was recorded.
    public var interval: (low: Double, high: Double)? {
        guard trials > 0 else { return nil }
        let n = Double(trials), p = Double(successes) / n, z2 = Self.z * Self.z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = Self.z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (max(0, centre - half), min(1, centre + half))
    }

    /// The two intervals do not overlap: the change is more than chance would explain.
    public func differsClearly(from other: Proportion) -> Bool {
        guard let a = interval, let b = other.interval else { return false }
        return a.high < b.low || b.high < a.low
    }
}
