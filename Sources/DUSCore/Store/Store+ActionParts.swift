import Foundation
import GRDB

extension Store {
    /// Reads the actions of the reviews the filter selects, as `forEachAction` does, in
    /// `parts` ranges of the reviews' row ids at once, each on a connection and a thread of
    /// its own: `start(k)` makes part k's result, `add` adds each of its actions in the
    /// table's order, and `end` finishes it on the same thread. Making actions and what is
    /// made of them is most of the work of a long list; with two cores it takes about half
    /// the time when shared.
    ///
    /// Every part reads the same state of the file. Should another connection commit a
    /// change while the parts begin, they are read again as one part on this store's
    /// connection; a store in memory, or one of fewer reviews than parts, reads one part
    /// too. The results come in the order of the parts, so that their actions follow the
    /// table's order; a damaged value throws as `forEachAction` would, the first in that
    /// order.
    public func actionsInParts<Part>(
        matching filter: ReviewFilter, status: ActionStatus? = nil, due: DueDates = DueDates(), parts: Int,
        start: (Int) -> Part, add: @escaping @Sendable (inout Part, StoredAction) throws -> Void, end: @escaping @Sendable (inout Part) -> Void
    ) throws -> [Part] {
        try actionsInParts(matching: filter, status: status, due: due, parts: parts, start: start, add: add, end: end, othersBegin: {})
    }

    /// `actionsInParts`, calling `othersBegin` when the first part has begun its view of
    /// the file and before the others begin theirs (a test commits a change there).
    func actionsInParts<Part>(
        matching filter: ReviewFilter, status: ActionStatus?, due: DueDates, parts: Int, start: (Int) -> Part,
        add: @escaping @Sendable (inout Part, StoredAction) throws -> Void, end: @escaping @Sendable (inout Part) -> Void, othersBegin: () -> Void
    ) throws -> [Part] {
        if parts > 1, let path = openedPath,
           let read = try readInParts(path: path, filter, status, due, parts: parts, start: start, add: add, end: end, othersBegin: othersBegin) {
            return read
        }
        var part = start(0)
        try forEachAction(matching: filter, status: status, due: due) { try add(&part, $0) }
        end(&part)
        return [part]
    }

    /// `actionsInParts` on more connections; nil when the parts might not have read one
    /// state of the file, or it has too few reviews to share.
    private func readInParts<Part>(
        path: String, _ filter: ReviewFilter, _ status: ActionStatus?, _ due: DueDates, parts: Int,
        start: (Int) -> Part, add: @escaping @Sendable (inout Part, StoredAction) throws -> Void, end: @escaping @Sendable (inout Part) -> Void,
        othersBegin: () -> Void
    ) throws -> [Part]? {
        var version: Int?
        let boxes: [PartBox<Part>]? = try snapshot { snapshot in
            // The first read begins this connection's view of the file, which the others
            // must share: any commit after it changes `data_version`, checked below.
            version = try Int.fetchOne(snapshot.db, sql: "PRAGMA data_version")
            guard let bounds = try Row.fetchOne(snapshot.db, sql: "SELECT (SELECT min(id) FROM review), (SELECT max(id) FROM review)"),
                  let low = bounds[0] as Int?, let high = bounds[1] as Int?, high - low >= parts else { return nil }
            let cuts = (1..<parts).map { low + (high - low + 1) * $0 / parts }
            let ranges = (0..<parts).map { StoreSnapshot.ReviewIDs(lower: $0 == 0 ? nil : cuts[$0 - 1], upper: $0 == parts - 1 ? nil : cuts[$0]) }
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(Store.defaultBusyTimeout)
            guard let queues = try? (1..<parts).map({ _ in try DatabaseQueue(path: path, configuration: configuration) }) else { return nil }
            let boxes = (0..<parts).map { PartBox(start($0)) }
            othersBegin()
            let others = zip(queues, 1..<parts).map { queue, index in
                BackgroundWork { () -> (any Error)? in
                    defer { try? queue.close() }
                    do {
                        try queue.read { db in
                            try StoreSnapshot(store: self, db: db).forEachAction(
                                matching: filter, status: status, due: due, withRegion: false, reviewIDs: ranges[index]) { try add(&boxes[index].part, $0) }
                        }
                        end(&boxes[index].part)
                        return nil
                    } catch let error as DatabaseError {
                        return StoreError(databaseError: error, path: self.path ?? path)
                    } catch {
                        return error
                    }
                }
            }
            var failure: (any Error)?
            do {
                try snapshot.forEachAction(matching: filter, status: status, due: due, withRegion: false, reviewIDs: ranges[0]) { try add(&boxes[0].part, $0) }
                end(&boxes[0].part)
            } catch {
                failure = error
            }
            // Every thread ends before this returns; the first failure in the table's order is told.
            let failures = others.map { $0.wait() }
            if let first = failure ?? failures.lazy.compactMap({ $0 }).first { throw first }
            return boxes
        }
        guard let boxes, try read({ try Int.fetchOne($0, sql: "PRAGMA data_version") }) == version else { return nil }
        return boxes.map(\.part)
    }
}

/// One part's result, filled by its own thread only (`actionsInParts`) and read once that
/// thread has ended.
private final class PartBox<Part>: @unchecked Sendable {
    var part: Part
    init(_ part: Part) { self.part = part }
}
