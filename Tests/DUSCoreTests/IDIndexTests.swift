import Foundation
import Testing
@testable import DUSCore

/// The catalogue finds factor ids and list ids by their bytes, and nothing else.
@Suite struct IDIndexTests {
    @Test func everyIdIsFoundAtItsPositionAndNearMissesAreNot() {
        let ids = ["released_from_remand_or_court", "released_from_custody_or_court", "naloxone", "nalox", "", "café-prescriber", "a"]
        let index = IDIndex(ids)
        for (position, id) in ids.enumerated() {
            #expect(index.position(of: id) == position, "\(id)")
        }
        // The same length and the same first and last eight bytes as an id, one byte apart.
        #expect(index.position(of: "released_from_remand_xr_court") == nil)
        #expect(index.position(of: "naloxon") == nil)
        #expect(index.position(of: "naloxonE") == nil)
        #expect(index.position(of: "cafe-prescriber") == nil)
        #expect(index.position(of: "b") == nil)
        // A text that is not a native Swift string (read through Foundation) is found alike.
        #expect(index.position(of: String(NSString(string: "naloxone"))) == 2)
    }

    @Test func anIdListedTwiceKeepsItsFirstPosition() {
        #expect(IDIndex(["x", "y", "x"]).position(of: "x") == 0)
    }

    @Test func theCatalogueFindsEachFactorAndListEntryAndRefusesOthers() {
        let catalogue = Catalogue.standard
        for (position, factor) in catalogue.factors.enumerated() {
            #expect(catalogue.position(of: factor.id) == position)
            #expect(catalogue.factor(factor.id)?.id == factor.id)
        }
        #expect(catalogue.position(of: "naloxone_supplied_on_releasee") == nil)
        for (list, entries) in catalogue.lists {
            for entry in entries { #expect(catalogue.isListed(entry.id, in: list)) }
            #expect(!catalogue.isListed(entries[0].id + "x", in: list))
        }
        #expect(!catalogue.isListed("naloxone", in: "no-such-list"))
    }
}
