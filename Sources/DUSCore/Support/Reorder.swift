extension Array {
    /// Puts the elements in `order` (the element now at `order[i]` goes to place `i`) where
    /// they are, by swaps: moves, where building a new array copies every element.
    /// Following each cycle of the order, the element found at each place is the one the
    /// order asks for there.
    mutating func reorder(by order: [Int]) {
        precondition(order.count == count, "an order for every element")
        var placed = [Bool](repeating: false, count: count)
        // The buffer's swap moves the two elements; the array's copies them.
        withUnsafeMutableBufferPointer { elements in
            for start in elements.indices where !placed[start] {
                var place = start
                while order[place] != start {
                    elements.swapAt(place, order[place])
                    placed[place] = true
                    place = order[place]
                }
                placed[place] = true
            }
        }
    }
}
