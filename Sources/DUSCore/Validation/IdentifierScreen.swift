import Foundation

/// Finds free text that looks like a personal identifier, or an exact date.
///
/// Reviews are pseudonymous by design, so text that looks like a case reference number, a
/// prison number, a police national computer id, an NHS number with a valid check digit,
/// an e-mail address, a UK phone number or a postcode is refused; so is a date or year of
/// birth (`DOB 01/02/1980`, `born in 1984`) and a name after a title (`Mr Brown`, `Dr
/// Patel`). A name on its own cannot be told from other words and is not caught. The
/// screen errs towards refusing: a panel can always reword.
public enum IdentifierScreen {
    /// The first kind of identifier found in `text`, described for a message, or nil.
    public static func identifier(in text: String) -> String? {
        let clues = Clues(text)
        let range = NSRange(text.startIndex..., in: text)
        if clues.hasTitle, titledName.firstMatch(in: text, range: range) != nil { return "a name (a title and a name)" }
        guard clues.digits > 0 || clues.hasAt else { return nil }
        if clues.digits >= 2, clues.hasB, birth.firstMatch(in: text, range: range) != nil { return "a date of birth" }
        for (name, regex, needs) in patterns where needs(clues) && regex.firstMatch(in: text, range: range) != nil {
            return name
        }
        // An NHS number has ten digits; a UK phone number ten or eleven.
        guard clues.digits >= 10 else { return nil }
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

    /// Each pattern with a cheap test its matches cannot fail, so that the regular
    /// expressions run only on text that could match.
    private static let patterns: [(String, NSRegularExpression, @Sendable (Clues) -> Bool)] = [
        ("an e-mail address", regex(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#), { $0.hasAt }),
        ("a prison number", regex(#"\b[A-Z][0-9]{4}[A-Z]{2}\b"#), { $0.longestDigitRunAfterLetter >= 4 }),
        ("a case reference number", regex(#"\b[A-Z][0-9]{6}\b"#), { $0.longestDigitRunAfterLetter >= 6 }),
        ("a police national computer id", regex(#"\b([0-9]{2}|[0-9]{4})/[0-9]{1,7}[A-Z]\b"#), { $0.hasSlash }),
        ("a postcode", regex(#"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b"#, caseInsensitive: true), { $0.hasDigitLetterLetter }),
    ]

    /// What one pass over the bytes tells about which patterns could match.
    struct Clues {
        var digits = 0
        var hasAt = false
        var hasSlash = false
        /// A `b` or `B`: every spelling of a birth the screen knows has one.
        var hasB = false
        /// The longest run of digits straight after an ASCII letter.
        var longestDigitRunAfterLetter = 0
        /// A digit followed by two ASCII letters (the inward part of a postcode).
        var hasDigitLetterLetter = false
        /// `Mr`, `Ms`, `Mx`, `Mi`, `MR`, `Dr`, `DR` or `PC` at the start of a word: perhaps a title.
        var hasTitle = false

        init(_ text: String) {
            var text = text
            self = text.withUTF8 { Clues(bytes: $0) }
        }

        private init(bytes: UnsafeBufferPointer<UInt8>) {
            func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
            func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
            var run = 0, runAfterLetter = false
            var previous: UInt8 = 0, beforePrevious: UInt8 = 0
            for byte in bytes {
                if isDigit(byte) {
                    digits += 1
                    if run == 0 { runAfterLetter = isLetter(previous) }
                    run += 1
                    if runAfterLetter { longestDigitRunAfterLetter = max(longestDigitRunAfterLetter, run) }
                } else {
                    run = 0
                    if byte == 0x40 { hasAt = true }
                    if byte == 0x2F { hasSlash = true }
                    if byte | 0x20 == 0x62 { hasB = true }
                    if isLetter(byte), isLetter(previous), isDigit(beforePrevious) { hasDigitLetterLetter = true }
                    // M + r/s/x/i/R, D + r/R, P + C at the start of a word.
                    if !isLetter(beforePrevious),
                       (previous == 0x4D && [0x72, 0x73, 0x78, 0x69, 0x52].contains(byte))
                        || (previous == 0x44 && (byte == 0x72 || byte == 0x52)) || (previous == 0x50 && byte == 0x43) {
                        hasTitle = true
                    }
                }
                beforePrevious = previous
                previous = byte
            }
        }
    }

    /// A title, then perhaps initials, then a name: `Mr Brown`, `Mrs. O'Neill`, `Dr A.
    /// Patel`, `MR SMITH`, `PC Jones`, `Mrs.Brown`. Not a pseudonym's letter (`Mr A's
    /// mother`), nor a common word after a title at the end of a sentence (`the prison
    /// Dr. He was`).
    private static let titledName = regex(
        #"\b(Mr|Mrs|Ms|Miss|Mx|Mister|Dr|MR|MRS|DR|PC)\.?\s*(?:\p{Lu}\.?\s+)*"#
        + #"(?!(?:He|She|They|It|Its|The|This|That|These|Those|There|Then|We|His|Her|Hers|Their|And|But|Or|If|As|At|In|On|To|For|Of|By|With|When|While|After|Before|Was|Were|Is|Team|Teams|Service|Services|Surgery|Practice|Clinic)\b)"#
        + #"(\p{Lu}\p{Ll}[\p{Ll}'’-]*|\p{Lu}['’]\p{Lu}\p{Ll}+|\p{Lu}{2,}\b)"#)
    /// Words for a birth, then (after at most a few small words) a date or a year: `DOB
    /// 01/02/1980`, `date of birth: 12 March 1984`, `born in the summer of 1984`, `YOB
    /// 1984`, `Birthday: 3 March`, `(b. 1984)`. Not `no date of birth until March 2024`.
    private static let birth = regex(
        #"(\b(date\s+of\s+birth|year\s+of\s+birth|d\.?\s?o\.?\s?b\b\.?|y\.?o\.?b\b\.?|birthday|born)"#
        + #"(\W+(is|was|on|in|of|as|the|early|late|spring|summer|autumn|winter|around|about|circa))*\W+"#
        + #"([0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}(st|nd|rd|th)?\s+(of\s+)?("# + months + #")|(19|20)[0-9]{2})\b)"#
        + #"|\(b\.\s*(19|20)[0-9]{2}\)"#,
        caseInsensitive: true)

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
