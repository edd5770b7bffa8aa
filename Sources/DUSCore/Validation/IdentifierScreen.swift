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
    /// One thing in a text that looks like an identifier: what kind, and where (line and
    /// column inside the text, from 1, counted in characters), never the value itself.
    public struct Finding: Equatable, Sendable {
        public var kind: String
        public var line: Int
        public var column: Int

        /// `a UK phone number (line 1, column 22)`.
        public var description: String { "\(kind) (line \(line), column \(column))" }
    }

    /// The first kind of identifier found in `text`, described for a message, or nil.
    public static func identifier(in text: String) -> String? {
        identifiers(in: text).first?.kind
    }

    /// Everything in `text` that looks like an identifier, in the order it comes.
    public static func identifiers(in text: String) -> [Finding] {
        var bytes = text
        let offsets = bytes.withUTF8 { identifierOffsets(in: $0, text: text) }
        guard !offsets.isEmpty else { return [] }
        // UTF-16 offsets (NSRange's) into lines and columns of characters.
        let utf16 = Array(text.utf16)
        return offsets.sorted { $0.offset < $1.offset }.map { kind, offset in
            var line = 1, lineStart = 0
            for index in 0..<min(offset, utf16.count) where utf16[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            let lineText = String(decoding: utf16[lineStart..<min(offset, utf16.count)], as: UTF16.self)
            return Finding(kind: kind, line: line, column: lineText.count + 1)
        }
    }

    /// Each identifier's kind and where it starts (UTF-16 offset).
    private static func identifierOffsets(in bytes: UnsafeBufferPointer<UInt8>, text: String) -> [(kind: String, offset: Int)] {
        // One pass over the bytes tells which patterns could match; most texts need no more.
        let clues = Clues(bytes: bytes)
        let range = NSRange(text.startIndex..., in: text)
        var found: [(kind: String, offset: Int)] = []
        func all(_ regex: NSRegularExpression, _ kind: String) {
            for match in regex.matches(in: text, range: range) { found.append((kind, match.range.location)) }
        }
        if clues.hasTitle { all(titledName, "a name (a title and a name)") }
        guard clues.digits > 0 || clues.hasAt else { return found }
        if clues.digits >= 2, clues.hasB { all(birth, "a date of birth") }
        for (name, regex, needs) in patterns where needs(clues) { all(regex, name) }
        // An NHS number has ten digits; a UK phone number ten or eleven.
        guard clues.digits >= 10 else { return found }
        for candidate in nhsCandidatePlaces(in: bytes) where isValidNHSNumber(candidate.digits) {
            found.append(("an NHS number", utf16Offset(ofByte: candidate.start, in: bytes)))
        }
        guard couldHoldPhoneNumber(bytes) else { return found }
        for match in phoneCandidate.matches(in: text, range: range) {
            guard let matched = Range(match.range, in: text), isUKPhoneNumber(text[matched].filter(\.isNumber)) else { continue }
            found.append(("a UK phone number", match.range.location))
        }
        return found
    }

    /// The UTF-16 offset of a byte offset in UTF-8 text.
    private static func utf16Offset(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<offset]), as: UTF8.self).utf16.count
    }

    /// Whether the digits of a `phoneCandidate` match make a UK number: ten or eleven
    /// digits starting 01, 02, 03, 07 or 08, once an international 44 or 0044 is read as 0.
    static func isUKPhoneNumber(_ digits: String) -> Bool {
        var digits = Substring(digits)
        if digits.hasPrefix("0044") { digits = "0" + digits.dropFirst(4) }
        if digits.hasPrefix("44") { digits = "0" + digits.dropFirst(2) }
        return (10...11).contains(digits.count) && ["01", "02", "03", "07", "08"].contains(digits.prefix(2))
    }

    /// The digits of each place in `bytes` written like an NHS number: ten digits, perhaps
    /// as 3-3-4 with a space or a dash between the groups (943 476 5919, 943-4765919), with
    /// no digit straight before or after. This is what the regular expression
    /// `(?<![0-9])[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![0-9])` matches (a test holds the
    /// two together), worked out from the runs of digits: a match starts where a run starts
    /// and ends where one ends, so its runs, joined by single spaces or dashes, are 10,
    /// 3+7, 6+4 or 3+3+4 digits long. No two such places overlap.
    static func nhsCandidates(in bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        nhsCandidatePlaces(in: bytes).map(\.digits)
    }

    /// Each NHS-number-like place: its digits and the byte where it starts.
    static func nhsCandidatePlaces(in bytes: UnsafeBufferPointer<UInt8>) -> [(digits: String, start: Int)] {
        // Each run of digits: where it starts, how long it is, and whether one space or dash
        // joins it to the next run.
        var runs: [(start: Int, length: Int, joined: Bool)] = []
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]) else { index += 1; continue }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            let joined = index + 1 < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x2D) && isDigit(bytes[index + 1])
            runs.append((start, index - start, joined))
        }
        let shapes: [[Int]] = [[10], [3, 7], [6, 4], [3, 3, 4]]
        var found: [(digits: String, start: Int)] = []
        for first in runs.indices {
            for shape in shapes where first + shape.count <= runs.count {
                let group = runs[first..<(first + shape.count)]
                guard zip(group, shape).allSatisfy({ $0.length == $1 }), group.dropLast().allSatisfy(\.joined) else { continue }
                found.append((String(decoding: group.flatMap { bytes[$0.start..<($0.start + $0.length)] }, as: UTF8.self), runs[first].start))
            }
        }
        return found
    }

    /// Whether a UK phone number could start somewhere in `bytes`, for `phoneCandidate`,
    /// which needs, after no letter or digit, `+44` and then at least nine of `0-9 ()-`, or
    /// `0` or `(0` and then at least nine more. The number then needs ten digits in all
    /// (`+44` counts as one), so a run with fewer is passed over.
    static func couldHoldPhoneNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isPhoneCharacter(_ byte: UInt8) -> Bool {
            isDigit(byte) || byte == 0x20 || byte == 0x28 || byte == 0x29 || byte == 0x2D
        }
        /// The characters and the digits of the run of `0-9 ()-` from `start`.
        func run(from start: Int) -> (length: Int, digits: Int) {
            var end = start, digits = 0
            while end < bytes.count, isPhoneCharacter(bytes[end]) {
                if isDigit(bytes[end]) { digits += 1 }
                end += 1
            }
            return (end - start, digits)
        }
        for start in bytes.indices {
            if start > 0, isDigit(bytes[start - 1]) || isLetter(bytes[start - 1]) { continue }
            switch bytes[start] {
            case 0x2B: // +44, then nine or more
                guard start + 2 < bytes.count, bytes[start + 1] == 0x34, bytes[start + 2] == 0x34 else { continue }
                let rest = run(from: start + 3)
                if rest.length >= 9, rest.digits >= 9 { return true }
            case 0x28, 0x30: // (0 or 0, then nine or more
                let rest = run(from: start)
                if rest.length >= 10, rest.digits >= 10 { return true }
            default:
                continue
            }
        }
        return false
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Whether `text` contains an exact date (a day and a month), which publishing refuses.
    public static func containsExactDate(_ text: String) -> Bool {
        var bytes = text
        guard bytes.withUTF8(ByteScan.containsDigit) else { return false }
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

    /// What one pass over the bytes tells about which patterns could match. Each clue is
    /// true whenever its patterns could match (a test holds them to that); it may be true
    /// when they do not.
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
        /// A title `titledName` knows, not straight after a letter, followed by a full stop
        /// or white space (any non-ASCII character counts, as it could be a space).
        /// `Drug`, `Missed`, `MRI` and `PCs` are not titles.
        var hasTitle = false

        init(_ text: String) {
            var text = text
            self = text.withUTF8 { Clues(bytes: $0) }
        }

        init(bytes: UnsafeBufferPointer<UInt8>) {
            // The usual text has no digit, `@`, `/` or title: one quick pass tells.
            var seen: UInt8 = 0
            Self.kinds.withUnsafeBufferPointer { kinds in
                for byte in bytes {
                    let kind = kinds[Int(byte)]
                    seen |= kind
                    digits &+= Int(kind & Self.digit)
                }
            }
            hasAt = seen & Self.at != 0
            hasSlash = seen & Self.slash != 0
            hasB = seen & Self.b != 0
            if seen & Self.titleStart != 0 { hasTitle = Self.hasTitle(bytes) }
            guard digits > 0 else { return }
            var run = 0, runAfterLetter = false
            var previous: UInt8 = 0, beforePrevious: UInt8 = 0
            for byte in bytes {
                if isDigit(byte) {
                    if run == 0 { runAfterLetter = isLetter(previous) }
                    run += 1
                    if runAfterLetter { longestDigitRunAfterLetter = max(longestDigitRunAfterLetter, run) }
                } else {
                    run = 0
                    if isLetter(byte), isLetter(previous), isDigit(beforePrevious) { hasDigitLetterLetter = true }
                }
                beforePrevious = previous
                previous = byte
            }
        }

        private static let digit: UInt8 = 1, at: UInt8 = 2, slash: UInt8 = 4, b: UInt8 = 8, titleStart: UInt8 = 16

        private static let titles: [[UInt8]] = titleWords.map { Array($0.utf8) }

        /// What each byte is, as the flags above (a title starts with the first letter of one).
        private static let kinds: [UInt8] = (0...255).map { byte -> UInt8 in
            let byte = UInt8(byte)
            let kind: UInt8 = switch byte {
            case 0x30...0x39: digit
            case 0x40: at
            case 0x2F: slash
            case 0x42, 0x62: b
            default: 0
            }
            return titles.contains { $0.first == byte } ? kind | titleStart : kind
        }

        private static func hasTitle(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for start in bytes.indices where kinds[Int(bytes[start])] & titleStart != 0 {
                if start > 0, isLetter(bytes[start - 1]) { continue }
                for title in titles where start + title.count < bytes.count {
                    guard bytes[start..<(start + title.count)].elementsEqual(title) else { continue }
                    let next = bytes[start + title.count]
                    // A whole word: `.` or white space (ASCII's; other spaces are not ASCII) next.
                    if next == 0x2E || next == 0x20 || (0x09...0x0D).contains(next) || next >= 0x80 {
                        return true
                    }
                }
            }
            return false
        }
    }

    /// The titles `titledName` knows, and `Clues.hasTitle` looks for.
    /// In their usual spelling only: `MS Teams`, `DROP IN` and `MRI Scan` are not titles.
    static let titleWords = ["Mr", "Mrs", "Ms", "Miss", "Mx", "Mister", "Dr", "Prof", "Professor", "Sir", "Dame", "Revd", "Rev", "PC", "DC", "DS"]

    /// A title, then perhaps initials, then a name: `Mr Brown`, `Mrs. O'Neill`, `Dr A.
    /// Patel`, `PC Jones`, `Mrs.Brown`. Not a pseudonym's letter (`Mr A's
    /// mother`), nor a common word after a title at the end of a sentence (`the prison
    /// Dr. He was`).
    static let titledName = regex(
        #"\b("# + titleWords.joined(separator: "|") + #")(?:\.\s*|\s+)(?:\p{Lu}\.?\s+)*"#
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

    static let phoneCandidate = regex(#"(?<![0-9A-Za-z])(\+44|0044|\(?0)[0-9 ()-]{8,16}[0-9](?![0-9])"#)

    private static let months = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"

    private static let datePatterns: [NSRegularExpression] = [
        regex(#"\b[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\b"#),
        regex(#"\b[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}\b"#),
        regex(#"\b[0-9]{1,2}(st|nd|rd|th)?\s+(of\s+)?("# + months + #")\b"#),
        regex(#"\b("# + months + #")\.?\s+[0-9]{1,2}(st|nd|rd|th)?\b"#),
    ]
}
