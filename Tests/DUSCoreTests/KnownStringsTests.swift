import Foundation
import Testing
@testable import DUSCore

/// The parser hands out kept copies of the names review files repeat.
@Suite struct KnownStringsTests {
    @Test func aKeptStringIsFoundOnlyByItsOwnBytes() {
        let known = KnownStrings(["released_from_remand_or_court", "naloxone_given_at_event", "short"])
        func look(_ text: String) -> String? {
            var text = text
            return text.withUTF8 { known.string($0) }
        }
        #expect(look("released_from_remand_or_court") == "released_from_remand_or_court")
        #expect(look("naloxone_given_at_event") == "naloxone_given_at_event")
        // The same length and the same ends, one byte different.
        #expect(look("naloxone_given_on_event") == nil)
        #expect(look("released_from_remand_or_courts") == nil)
        // Short strings are not kept: they cost nothing to make.
        #expect(look("short") == nil)
    }

    @Test func everyFactorIdOfTheCatalogueIsKept() {
        for factor in Catalogue.standard.factors where factor.id.utf8.count > 15 {
            var id = factor.id
            #expect(id.withUTF8 { KnownStrings.review.string($0) } == factor.id)
        }
    }
}
