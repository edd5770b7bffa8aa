import Testing
@testable import DUSCore

/// What a learning lead training on generated reviews would see in them.
@Suite struct GeneratorTests {
    static let reviews: [Review] = {
        var generator = Generator(seed: 2026)
        return (1...4_000).map { generator.review(number: $0) }
    }()

    /// Of the reviews where `factor` applies: the share recorded, and of those the share at risk.
    static func shares(_ factor: String, in reviews: [Review] = reviews) -> (known: Double, risk: Double) {
        let entry = Catalogue.standard.factor(factor)!
        let applies = reviews.filter { entry.applies != .released || $0.releaseDate != nil }
        let known = applies.compactMap { $0.factors[factor] }
        let risk = known.filter { $0 == entry.risk }
        return (Double(known.count) / Double(applies.count), Double(risk.count) / Double(known.count))
    }

    @Test func deathsAfterReleaseClusterInTheFirstFortnight() {
        let days = Self.reviews.filter { $0.kind == .death }.compactMap { Derived(for: $0).daysSinceRelease }
        let firstFortnight = days.filter { $0 < 14 }.count, nextFortnight = days.filter { (14..<28).contains($0) }.count
        #expect(Double(firstFortnight) / Double(days.count) > 0.35)
        #expect(firstFortnight > 2 * nextFortnight)
    }

    @Test func naloxoneIsMostlyMissingAndUnknownsDifferByFactor() {
        #expect(Self.shares("naloxone_supplied_on_release").risk > 0.65)
        #expect(Self.shares("opioid_use").known > 0.9)
        #expect(Self.shares("brain_injury_or_learning_disability").known < 0.45)
    }

    @Test func reducedToleranceIsCommonestSoonAfterRelease() {
        let soon = Self.reviews.filter { (Derived(for: $0).daysSinceRelease ?? .max) < 14 }
        let late = Self.reviews.filter { (Derived(for: $0).daysSinceRelease ?? 0) >= 84 }
        #expect(Self.shares("reduced_tolerance", in: soon).risk > Self.shares("reduced_tolerance", in: late).risk + 0.3)
    }

    @Test func everyReviewIsValidAndSyntheticByReference() throws {
        let writer = ReviewWriter(catalogue: .standard)
        let files = ReviewFiles(catalogue: .standard, today: Day("2026-11-23")!)
        for review in Self.reviews.prefix(500) {
            #expect(review.reference.hasPrefix("SYN-"))
            let read = files.read(ReviewFiles.JSONLine(content: .text(writer.json(review).serialized()), number: 1, bytesRead: 0), file: "generated.jsonl")
            #expect(read.problems.isEmpty, "\(read.problems)")
            #expect(read.review == review)
        }
    }
}

/// The answers of every factor at once are the answers factor by factor.
@Suite struct AllAnswersTests {
    @Test func everyFactorsAnswerAtOnceIsItsAnswerAlone() {
        let catalogue = Catalogue.standard
        for review in GeneratorTests.reviews.prefix(500) {
            let derived = Derived(for: review)
            #expect(review.answers(in: catalogue, derived: derived) == catalogue.factors.map { review.answer(to: $0, derived: derived) })
        }
    }
}
