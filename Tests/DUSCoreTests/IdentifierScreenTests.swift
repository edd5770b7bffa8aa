import Foundation
import Testing
@testable import DUSCore

/// The identifier screen skips its regular expressions on text that cannot match them.
/// These tests hold each shortcut to the expression it stands for, over many texts made
/// of the pieces that matter; the reading tests (ValidationTests) hold what is refused.
@Suite struct IdentifierScreenTests {
    /// `count` texts of up to `length` pieces drawn from `pieces`, the same every run.
    static func texts(from pieces: [String], count: Int, length: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let size = Int(random.next() % UInt64(length)) + 1
            return (0..<size).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
        }
    }

    static func matches(_ regex: NSRegularExpression, in text: String) -> [String] {
        regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
    }

    /// The regular expression the NHS number scanner stands for.
    static let nhsPattern = try! NSRegularExpression(pattern: #"(?<![0-9])[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![0-9])"#)

    @Test func nhsCandidatesAreTheMatchesOfThePattern() {
        let texts = Self.texts(from: ["0", "1", "23", "456", "7890", " ", "-", "  ", "--", "a", "9434765919"], count: 20000, length: 12, seed: 7)
            + ["943 476 5919", "943-476-5919", "9434765919", "943 4765919", "943476 5919", "x943 476 5919x", "1943 476 5919", "943 476 59190", "943  476 5919"]
        var found = 0
        for text in texts {
            var copy = text
            let scanned = copy.withUTF8 { IdentifierScreen.nhsCandidates(in: $0) }
            let expected = Self.matches(Self.nhsPattern, in: text).map { $0.filter(\.isNumber) }
            #expect(scanned == expected, "\(text.debugDescription)")
            found += expected.count
        }
        // The texts hold many candidates, so the comparison means something.
        #expect(found > 1000)
    }

    @Test func aTitleCluePrecedesEveryTitledName() {
        let pieces = ["Mr", "Mrs", "Ms", "Miss", "Mx", "Mister", "Dr", "MR", "MRS", "DR", "PC", "Drug", "Missed", "PCs",
                      " ", ".", "\n", "\t", "\u{A0}", "Brown", "O'Neill", "Ó", "Briain", "A", "B.", "a", "x", "He", "5", "-"]
        var titled = 0, flagged = 0
        for text in Self.texts(from: pieces, count: 20000, length: 6, seed: 11) {
            let clues = IdentifierScreen.Clues(text)
            if clues.hasTitle { flagged += 1 }
            guard !Self.matches(IdentifierScreen.titledName, in: text).isEmpty else { continue }
            titled += 1
            #expect(clues.hasTitle, "\(text.debugDescription)")
        }
        #expect(titled > 300)
        // The clue passes over text the expression cannot match, such as `Drug` and `Missed`.
        #expect(flagged < 20000)
        #expect(!IdentifierScreen.Clues("Drug use and Missed doses; PCs were offered.").hasTitle)
    }

    @Test func everyUKPhoneNumberIsFoundWhereOneCouldBe() {
        let pieces = ["+44", "0044", "(0", "0", "07", "020", "7700", "900", "123", "1", " ", "(", ")", "-", "a", "+", "4"]
        var numbers = 0
        for text in Self.texts(from: pieces, count: 50000, length: 10, seed: 13) {
            let isNumber = Self.matches(IdentifierScreen.phoneCandidate, in: text).contains { IdentifierScreen.isUKPhoneNumber($0.filter(\.isNumber)) }
            guard isNumber else { continue }
            numbers += 1
            var copy = text
            #expect(copy.withUTF8 { IdentifierScreen.couldHoldPhoneNumber($0) }, "\(text.debugDescription)")
        }
        #expect(numbers > 1000)
        // A review reference with ten digits is not taken for a phone number.
        var reference = "SYN-2016-000001"
        #expect(!reference.withUTF8 { IdentifierScreen.couldHoldPhoneNumber($0) })
    }
}

/// The screen against sentences of the kind panels write (Fixtures/screen): every ordinary
/// one passes, every one with an identifier is caught, and all of a text's identifiers
/// are reported together, each with its place and without its value.
@Suite struct IdentifierScreenSentenceTests {
    static func lines(_ name: String) throws -> [String] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/screen/\(name)", withExtension: "txt"))
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func ordinarySentencesPass() throws {
        let sentences = try Self.lines("ordinary")
        #expect(sentences.count >= 100)
        for sentence in sentences {
            #expect(IdentifierScreen.identifiers(in: sentence).isEmpty, "\(sentence)")
        }
    }

    @Test func sentencesWithAnIdentifierAreCaught() throws {
        let sentences = try Self.lines("identifiers")
        #expect(sentences.count >= 50)
        for sentence in sentences {
            #expect(!IdentifierScreen.identifiers(in: sentence).isEmpty, "\(sentence)")
        }
    }

    @Test func everyIdentifierIsReportedWithItsPlace() {
        let text = "He gave staff the number 07700 900123.\nHis e-mail was someone@example.org and Dr Patel knew."
        let found = IdentifierScreen.identifiers(in: text)
        #expect(found.map(\.kind) == ["a UK phone number", "an e-mail address", "a name (a title and a name)"])
        #expect(found.map(\.line) == [1, 2, 2])
        #expect(found.map(\.column) == [26, 16, 40])
        #expect(found.allSatisfy { !$0.description.contains("07700") && !$0.description.contains("Patel") })
    }

    @Test func theSameNHSNumberTwiceIsReportedAtEachPlace() {
        let found = IdentifierScreen.identifiers(in: "943 476 5919 and again 943 476 5919")
        #expect(found.map(\.kind) == ["an NHS number", "an NHS number"])
        #expect(found.map(\.column) == [1, 24])
    }

    @Test(arguments: ["MRI Scan", "DROP IN sessions", "drop-in centre", "Missed appointments", "MS Teams"])
    func wordsThatStartLikeATitlePass(text: String) {
        #expect(IdentifierScreen.identifiers(in: text).isEmpty)
    }

    @Test(arguments: ["Dr Patel", "Mrs Brown", "Prof Hughes", "Mr John Smith"])
    func aTitleAndANameAreCaught(text: String) {
        #expect(IdentifierScreen.identifiers(in: text).map(\.kind) == ["a name (a title and a name)"])
    }
}
