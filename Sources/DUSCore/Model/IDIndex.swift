import Foundation

/// The position of a string among a fixed list of ids (the catalogue's factors, or one of
/// its controlled lists), found without Swift's `Hasher`.
///
/// An import looks up each factor answer and theme of every review here, about sixty ids
/// per review. A `Dictionary` hashes each with SipHash, which is built to resist chosen
/// keys and costs more than the rest of the lookup; these ids come from the catalogue, so
/// a cheap hash of a few of their bytes does. A lookup compares the bytes before it
/// answers, so a text that is not an id is never taken for one.
struct IDIndex: Sendable {
    private let table: Table

    /// An index of `ids`; an id listed twice keeps its first position.
    init(_ ids: [String]) {
        table = Table(ids)
    }

    /// The position of `id` in the list the index was made from, or nil.
    func position(of id: String) -> Int? {
        if let position = id.utf8.withContiguousStorageIfAvailable({ table.position(of: $0) }) { return position }
        var copy = id
        return copy.withUTF8 { table.position(of: $0) }
    }

    /// The position of the id with exactly these UTF-8 bytes, or nil.
    func position(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        table.position(of: bytes)
    }

    /// The bytes and slots, kept in memory of their own: a lookup then reads them without
    /// the bounds checks and reference counting of arrays.
    private final class Table: Sendable {
        /// Every id's UTF-8 bytes, one after another; id `k` is `bytes[starts[k]..<starts[k + 1]]`.
        private nonisolated(unsafe) let bytes: UnsafeMutableBufferPointer<UInt8>
        private nonisolated(unsafe) let starts: UnsafeMutableBufferPointer<Int>
        /// Open addressing: each slot holds an id's position plus one, or 0 when empty.
        private nonisolated(unsafe) let slots: UnsafeMutableBufferPointer<Int32>

        init(_ ids: [String]) {
            let allBytes = ids.flatMap(\.utf8)
            bytes = .allocate(capacity: max(allBytes.count, 1))
            _ = bytes.initialize(from: allBytes)
            starts = .allocate(capacity: ids.count + 1)
            starts[0] = 0
            for (position, id) in ids.enumerated() { starts[position + 1] = starts[position] + id.utf8.count }
            // At most half full, so that a miss ends at an empty slot after a step or two.
            var capacity = 16
            while capacity < ids.count * 2 { capacity *= 2 }
            slots = .allocate(capacity: capacity)
            slots.initialize(repeating: 0)
            for position in ids.indices {
                let slot = probe(UnsafeBufferPointer(rebasing: bytes[starts[position]..<starts[position + 1]]))
                if slots[slot] == 0 { slots[slot] = Int32(position + 1) }
            }
        }

        deinit {
            bytes.deallocate()
            starts.deallocate()
            slots.deallocate()
        }

        func position(of key: UnsafeBufferPointer<UInt8>) -> Int? {
            let entry = Int(slots[probe(key)])
            return entry == 0 ? nil : entry - 1
        }

        /// The slot that holds `key`, or the empty slot where it would go.
        private func probe(_ key: UnsafeBufferPointer<UInt8>) -> Int {
            let hash = Self.hash(key)
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash >> 32) & mask
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return slot }
                let start = starts[entry - 1], length = starts[entry] - start
                if length == key.count, length == 0 || memcmp(key.baseAddress!, bytes.baseAddress! + start, length) == 0 { return slot }
                slot = (slot + 1) & mask
            }
        }

        /// A hash of the first and last eight bytes and the length: ids of one list differ
        /// there, and reading two words costs less than reading every byte.
        private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var first: UInt64 = 0, last: UInt64 = 0
            if key.count >= 8 {
                let base = UnsafeRawPointer(key.baseAddress!)
                first = base.loadUnaligned(as: UInt64.self)
                last = base.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self)
            } else {
                for byte in key { first = first << 8 | UInt64(byte) }
            }
            return (first &* 0x9E37_79B9_7F4A_7C15) ^ (last &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(key.count)
        }
    }
}
