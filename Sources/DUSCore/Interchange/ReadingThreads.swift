import Foundation

/// A review read, and the bytes of the files before its file (for progress).
///
/// A class, so that the importing thread takes each from its batch by one reference,
/// where a struct was copied field by field (a retain and a release for each of the
/// review's texts and lists, and each column).
final class ReadItem<Prepared: Sendable>: Sendable {
    let read: ReadReview
    let bytesBefore: Int
    /// What the reader of the items prepares from each review and its file on a parsing
    /// thread (the import: its stored columns); nil without a review.
    let columns: Prepared?

    init(read: ReadReview, bytesBefore: Int, columns: Prepared?) {
        self.read = read
        self.bytesBefore = bytesBefore
        self.columns = columns
    }
}

/// Reads, parses and checks the reviews of an import on threads of their own, while the
/// importing thread writes, and hands them over in order, in batches.
///
/// One thread reads the files: each `.jsonl` file a line at a time, as a stream, and other
/// files whole. It deals the lines out in batches, in turn, to the parsing threads (as
/// many as there are processor cores), which parse and check them and work out their
/// columns; `next()` takes the batches back in the order they were dealt. On two cores
/// the parsing and the writing then share both cores, however the work falls between
/// them. Each side waits when a few batches are waiting, so memory stays flat.
final class ReadingThreads<Prepared: Sendable> {
    /// Lines (or files) dealt to a parsing thread at once.
    static var batchSize: Int { 256 }

    /// What a parsing thread is given: lines of a `.jsonl` file, or whole files.
    private enum Work: Sendable {
        case line(ReviewFiles.JSONLine, file: String, bytesBefore: Int)
        case file(String, bytesBefore: Int)
    }

    private let work: [Channel<[Work]>]
    private let done: [Channel<[ReadItem<Prepared>]>]
    /// Batches written, going back to the thread that made them to be freed there: memory
    /// is then released by the thread that allocated it, which malloc does without a lock.
    private let spent: [Channel<[ReadItem<Prepared>]>]
    private let threads: [BackgroundWork<Void>]
    /// How many batches `next()` has handed out: the next comes from thread `taken % count`.
    private var taken = 0

    init(paths: [String], sizes: [Int], files: ReviewFiles, parsers: Int = ProcessInfo.processInfo.activeProcessorCount,
         prepare: @escaping @Sendable (Review, _ file: String) -> Prepared) {
        let parsers = max(1, min(parsers, 8))
        let work = (0..<parsers).map { _ in Channel<[Work]>(capacity: 1) }
        let done = (0..<parsers).map { _ in Channel<[ReadItem<Prepared>]>(capacity: 2) }
        let spent = (0..<parsers).map { _ in Channel<[ReadItem<Prepared>]>(capacity: 4) }
        self.work = work
        self.done = done
        self.spent = spent
        var threads = (0..<parsers).map { index in
            BackgroundWork { Self.parse(work[index], into: done[index], freeing: spent[index], files: files, prepare: prepare) }
        }
        threads.append(BackgroundWork { Self.deal(paths, sizes: sizes, to: work) })
        self.threads = threads
    }

    /// The next batch of reviews, in file order; nil after the last.
    func next() -> [ReadItem<Prepared>]? {
        let batch = done[taken % done.count].take()
        taken += 1
        return batch
    }

    /// Hands a batch back to be freed by the thread that made it.
    func free(_ batch: [ReadItem<Prepared>]) {
        spent[(taken - 1) % spent.count].offer(batch)
    }

    /// Stops every thread (whatever it was doing) and waits for them to end.
    func stop() {
        done.forEach { $0.close() }
        for thread in threads { thread.wait() }
    }

    /// The reading thread: every line or file, in order, dealt in batches to the parsers in turn.
    private static func deal(_ paths: [String], sizes: [Int], to work: [Channel<[Work]>]) {
        defer { work.forEach { $0.finish() } }
        var batch: [Work] = []
        var dealt = 0
        func add(_ item: Work) throws {
            batch.append(item)
            guard batch.count == batchSize else { return }
            // A closed channel means the importer has stopped: stop reading too.
            guard work[dealt % work.count].put(batch) else { throw CancellationError() }
            dealt += 1
            batch = []
        }
        do {
            var bytesBefore = 0
            for (path, size) in zip(paths, sizes) {
                if ReviewFiles.isJSONLines(path) {
                    try ReviewFiles.forEachJSONLine(inFile: path) { try add(.line($0, file: path, bytesBefore: bytesBefore)) }
                } else {
                    try add(.file(path, bytesBefore: bytesBefore))
                }
                bytesBefore += size
            }
            if !batch.isEmpty { work[dealt % work.count].put(batch) }
        } catch {
            // Only a closed channel stops the dealing early.
        }
    }

    /// A parsing thread: parses and checks each batch it is dealt and works out the columns.
    private static func parse(
        _ work: Channel<[Work]>, into done: Channel<[ReadItem<Prepared>]>, freeing spent: Channel<[ReadItem<Prepared>]>, files: ReviewFiles,
        prepare: @Sendable (Review, _ file: String) -> Prepared
    ) {
        defer { done.finish() }
        func item(_ read: ReadReview, bytesBefore: Int) -> ReadItem<Prepared> {
            ReadItem(read: read, bytesBefore: bytesBefore, columns: read.review.map { prepare($0, read.file) })
        }
        while let batch = work.take() {
            var items: [ReadItem<Prepared>] = []
            items.reserveCapacity(batch.count)
            for piece in batch {
                switch piece {
                case .line(let line, let file, let bytesBefore):
                    items.append(item(files.read(line, file: file), bytesBefore: bytesBefore))
                case .file(let path, let bytesBefore):
                    files.readReviews(inFile: path) { items.append(item($0, bytesBefore: bytesBefore)) }
                }
            }
            guard done.put(items) else {
                // The importer has stopped: so does the dealing, when it next deals here.
                work.close()
                return
            }
            _ = spent.drain()
        }
    }
}

/// Checks review files without a database: every problem of every file, and references
/// that appear twice.
public func validateReviewFiles(_ paths: [String], today: Day = .today(), catalogue: Catalogue = .standard) -> (reviews: Int, problems: [Problem]) {
    let (files, pathProblems) = ReviewFiles.files(in: paths)
    var problems = pathProblems
    var seen = FirstSeen()
    var count = 0
    let reader = ReviewFiles(catalogue: catalogue, today: today)
    for path in files {
        reader.readReviews(inFile: path) { read in
            problems += read.problems
            guard let review = read.review else { return }
            count += 1
            if let first = seen.record(review.reference, file: read.file, line: read.line) {
                problems.append(Problem(file: read.file, line: read.line, field: "reference", message: "\(review.reference) appears twice (first in \(first))"))
            }
        }
    }
    return (count, problems)
}

/// Where each reference was first read in one run, kept small so that a million
/// references fit in tens of megabytes: each file name is stored once.
struct FirstSeen {
    private var files: [String] = []
    private var fileNumbers: [String: Int32] = [:]
    private var places: [String: (file: Int32, line: Int32)] = [:]

    /// Records where `reference` was read. When it was read before, records nothing and
    /// returns where (`file` or `file:line`).
    mutating func record(_ reference: String, file: String, line: Int?) -> String? {
        // Reviews come file by file: the last file's number is nearly always the one.
        let number: Int32
        if let last = files.last, last == file {
            number = Int32(files.count - 1)
        } else if let known = fileNumbers[file] {
            number = known
        } else {
            number = Int32(files.count)
            files.append(file)
            fileNumbers[file] = number
        }
        // One look-up: the place goes in, and when one was there it goes back.
        if let first = places.updateValue((number, Int32(clamping: line ?? 0)), forKey: reference) {
            places[reference] = first
            return files[Int(first.file)] + (first.line > 0 ? ":\(first.line)" : "")
        }
        return nil
    }
}
