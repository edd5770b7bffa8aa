import Foundation

/// Finds free text that looks like a personal identifier, or an exact date.
///
/// Reviews are pseudonymous by design, so text that looks like a case reference number, a
/// prison number, a police national computer id, an NHS number with a valid check digit,
/// an e-mail address, a UK phone number or a postcode is refused. The screen errs towards
/// refusing: a panel can always reword.
public enum IdentifierScreen {
    /// The first kind of identifier found in `text`, described for a message, or nil.
    public static func identifier(in text: String) -> String? {
        // Every pattern needs a digit or an @: most narrative text has neither.
        guard text.utf8.contains(where: { ($0 >= 48 && $0 <= 57) || $0 == 64 }) else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        for (name, regex) in patterns where regex.firstMatch(in: text, range: range) != nil {
            return name
        }
        for match in nhsCandidate.matches(in: text, range: range) {
            let digits = String(text[Range(match.range, in: text)!].filter(\.isNumber))
            if isValidNHSNumber(digits) { return "an NHS number" }
        }
        for match in phoneCandidate.matches(in: text, range: range) {
            var digits = String(text[Range(match.range, in: text)!].filter(\.isNumber))
            if digits.hasPrefix("0044") { digits = "0" + digits.dropFirst(4) }
            if digits.hasPrefix("44") { digits = "0" + digits.dropFirst(2) }
            if (10...11).contains(digits.count), ["01", "02", "03", "07", "08"].contains(String(digits.prefix(2))) {
                return "a UK phone number"
            }
        }
        return nil
    }

    /// Whether `text` contains an exact date (a day and a month), which publishing refuses.
    public static func containsExactDate(_ text: String) -> Bool {
        guard text.utf8.contains(where: { $0 >= 48 && $0 <= 57 }) else { return false }
        let range = NSRange(text.startIndex..., in: text)
        return datePatterns.contains { $0.firstMatch(in: text, range: range) != nil }
    }

    /// The NHS number's modulus 11 check digit is valid.
    public static func isValidNHSNumber(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == 10 else { return false }
        let sum = zip(values.prefix(9), (2...10).reversed()).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 11 - sum % 11
        if check == 10 { return false }
        return (check == 11 ? 0 : check) == values[9]
    }

    private static func regex(_ pattern: String, caseInsensitive: Bool = false) -> NSRegularExpression {
        // The patterns are fixed literals: a failure here is a programming error.
        try! NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    private static let patterns: [(String, NSRegularExpression)] = [
        ("an e-mail address", regex(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#)),
        ("a prison number", regex(#"\b[A-Z][0-9]{4}[A-Z]{2}\b"#)),
        ("a case reference number", regex(#"\b[A-Z][0-9]{6}\b"#)),
        ("a police national computer id", regex(#"\b([0-9]{2}|[0-9]{4})/[0-9]{1,7}[A-Z]\b"#)),
        ("a postcode", regex(#"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b"#, caseInsensitive: true)),
    ]

    private static let nhsCandidate = regex(#"(?<![0-9])[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![0-9])"#)
    private static let phoneCandidate = regex(#"(?<![0-9A-Za-z])(\+44|0044|\(?0)[0-9 ()-]{8,16}[0-9](?![0-9])"#)

    private static let months = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"

    private static let datePatterns: [NSRegularExpression] = [
        regex(#"\b[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\b"#),
        regex(#"\b[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}\b"#),
        regex(#"\b[0-9]{1,2}(st|nd|rd|th)?\s+(of\s+)?("# + months + #")\b"#),
        regex(#"\b("# + months + #")\.?\s+[0-9]{1,2}(st|nd|rd|th)?\b"#),
    ]
}
