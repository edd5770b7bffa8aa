import Foundation

/// Marks the texts of a search's hits (`Store.marked`) while the search is still reading
/// them: each full chunk goes to a second thread, and the reading thread helps with what
/// is left once it has read every text. Marking is most of the work of a long search,
/// and this machine has two cores.
final class HitMarker {
    private struct Chunk: Sendable {
        var places: [Int] = []
        var texts: [String] = []
    }

    private struct Marked: Sendable {
        var places: [Int]
        var marks: [(snippet: String, highlighted: String)]
    }

    /// Texts per chunk: each chunk is indexed in a table of its own.
    private static let chunkSize = 8_192

    private let expression: String
    private let marking: HitMarking
    private var pending = Chunk()
    private let chunks = Channel<Chunk>(capacity: .max)
    private var helper: BackgroundWork<Result<[Marked], any Error>>?

    init(expression: String, marking: HitMarking) {
        self.expression = expression
        self.marking = marking
    }

    /// Adds the text of the hit at `place` in the ranking.
    func add(_ place: Int, _ text: String) {
        pending.places.append(place)
        pending.texts.append(text)
        guard pending.places.count >= Self.chunkSize else { return }
        if helper == nil {
            let (chunks, expression, marking) = (chunks, expression, marking)
            helper = BackgroundWork { Result { try Self.markAll(from: chunks, expression: expression, marking: marking) } }
        }
        chunks.put(pending)
        pending = Chunk()
    }

    /// Marks what is left, waits for the second thread, and calls `body` with each hit's
    /// place and marks.
    func finish(_ body: (Int, (snippet: String, highlighted: String)) throws -> Void) throws {
        if !pending.places.isEmpty { chunks.put(pending) }
        pending = Chunk()
        chunks.finish()
        let mine = Result { try Self.markAll(from: chunks, expression: expression, marking: marking) }
        let theirs = helper?.wait() ?? .success([])
        helper = nil
        for marked in try mine.get() + theirs.get() {
            for (place, marks) in zip(marked.places, marked.marks) { try body(place, marks) }
        }
    }

    /// Stops the second thread when the search ends early (an error while reading).
    func stop() {
        chunks.close()
        _ = helper?.wait()
    }

    private static func markAll(from chunks: Channel<Chunk>, expression: String, marking: HitMarking) throws -> [Marked] {
        var done: [Marked] = []
        while let chunk = chunks.take() {
            do {
                done.append(Marked(places: chunk.places, marks: try Store.marked(chunk.texts, matching: expression, marking: marking)))
            } catch {
                chunks.close()
                throw error
            }
        }
        return done
    }
}
