/// The one codec of the answers string: the stored column `answers` holds one byte per
/// catalogue factor, in catalogue order: `y`, `n`, `u` (unknown) or `-` (not applicable).
/// Derived factors are worked out when it is written. Patterns, the factor filter and
/// `dus similar` read it through this type.
enum AnswersCodec {
    static let yes = UInt8(ascii: "y"), no = UInt8(ascii: "n"), unknown = UInt8(ascii: "u"), notApplicable = UInt8(ascii: "-")

    /// The answers string of a review.
    static func encode(_ review: Review, derived: Derived, catalogue: Catalogue) -> String {
        // The same answers as `Review.answer(to:derived:)` gives factor by factor, worked out
        // from the review's own answers: an import does this for every review it reads.
        let rules = catalogue.answerRules
        return String(unsafeUninitializedCapacity: rules.count) { buffer in
            for (index, rule) in rules.enumerated() {
                if rule.derived {
                    buffer[index] = byte(derived.answer(forFactor: catalogue.factorID(at: index)) ?? .unknown)
                    continue
                }
                let applies = switch rule.applies {
                case .all: true
                case .released: review.releaseDate != nil
                case .death: review.kind == .death
                case .nearMiss: review.kind == .nearMiss
                }
                buffer[index] = applies ? unknown : notApplicable
            }
            for (id, answer) in review.factors {
                guard let index = catalogue.position(of: id), !rules[index].derived, buffer[index] == unknown else { continue }
                buffer[index] = byte(answer == .yes ? .yes : answer == .no ? .no : .unknown)
            }
            return rules.count
        }
    }

    /// The recorded answers (not derived) of a stored answers string, yes and no only (an
    /// absent factor is unknown); nil when it holds a byte other than the four, or more
    /// bytes than the catalogue has factors. A shorter string was written under a smaller
    /// catalogue: the factors after it are unknown.
    static func factors(_ answers: String, catalogue: Catalogue) -> [String: Answer]? {
        guard isWellFormed(answers.utf8, catalogue: catalogue) else { return nil }
        var factors: [String: Answer] = [:]
        factors.reserveCapacity(catalogue.factors.count)
        for (index, byte) in answers.utf8.enumerated() where !catalogue.factors[index].derived {
            if byte == yes { factors[catalogue.factors[index].id] = .yes }
            if byte == no { factors[catalogue.factors[index].id] = .no }
        }
        return factors
    }

    static func isWellFormed(_ bytes: some Collection<UInt8>, catalogue: Catalogue) -> Bool {
        bytes.count <= catalogue.factors.count && bytes.allSatisfy { $0 == yes || $0 == no || $0 == unknown || $0 == notApplicable }
    }

    /// The byte that means "risk present" for `factor`.
    static func riskByte(of factor: Catalogue.Factor) -> UInt8 {
        factor.risk == .yes ? yes : no
    }

    /// The byte of `answer`. (Unknown has a second spelling: no byte at all, in a string
    /// written under a smaller catalogue.)
    static func byte(_ answer: DerivedAnswer) -> UInt8 {
        switch answer {
        case .yes: yes
        case .no: no
        case .unknown: unknown
        case .notApplicable: notApplicable
        }
    }

    /// The factors at risk, as bits by catalogue position (the catalogue has under 64).
    static func riskBits(_ answers: some Collection<UInt8>, catalogue: Catalogue) -> UInt64 {
        var bits: UInt64 = 0
        for (index, byte) in answers.enumerated() where index < catalogue.factors.count && byte == riskByte(of: catalogue.factors[index]) {
            bits |= 1 << UInt64(index)
        }
        return bits
    }
}
