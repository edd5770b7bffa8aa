import DUSCore
import Foundation
import Synchronization

/// What a page worked out at length (the dashboard's counts, the sorted list of actions
/// for a query), kept until the database changes: pages of the same list, and the same
/// dashboard, are then answered without reading every action again. A change by any
/// connection (`Store.dataVersion`), a change made through this server (`changed()`) or a
/// new day makes every entry stale. At most `capacity` entries are kept.
final class PageCache: Sendable {
    private struct Entry {
        var version: String
        var value: any Sendable
        var used: Int
    }

    private let entries = Mutex<(table: [String: Entry], clock: Int, generation: Int)>(([:], 0, 0))
    let capacity = 8

    /// The value for `key`, worked out by `make` unless a fresh one is kept.
    func value<T: Sendable>(_ key: String, store: Store, _ make: () throws -> T) throws -> T {
        let generation = entries.withLock { $0.generation }
        let version = "\(try store.dataVersion())/\(generation)/\(Day.today())"
        let kept: T? = entries.withLock { state in
            guard let entry = state.table[key], entry.version == version, let value = entry.value as? T else { return nil }
            state.clock += 1
            state.table[key]?.used = state.clock
            return value
        }
        if let kept { return kept }
        let value = try make()
        entries.withLock { state in
            state.clock += 1
            state.table[key] = Entry(version: version, value: value, used: state.clock)
            if state.table.count > capacity, let oldest = state.table.min(by: { $0.value.used < $1.value.used })?.key {
                state.table[oldest] = nil
            }
        }
        return value
    }

    /// A change was made through this server (its own writes do not change its own
    /// connections' `data_version`).
    func changed() {
        entries.withLock { state in
            state.generation += 1
            state.table.removeAll()
        }
    }
}
