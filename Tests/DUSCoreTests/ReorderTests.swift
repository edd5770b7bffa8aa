import Testing
@testable import DUSCore

@Suite struct ReorderTests {
    @Test func reorderingInPlaceGivesWhatMappingTheOrderGives() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 3, 10, 257] {
            let items = (0..<count).map { "item \($0)" }
            let order = Array(items.indices).shuffled(using: &generator)
            var reordered = items
            reordered.reorder(by: order)
            #expect(reordered == order.map { items[$0] })
        }
    }
}
