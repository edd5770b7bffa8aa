import Foundation
import GRDB

/// What an import did, or (with `dryRun`) would do.
public struct ImportReport: Equatable, Sendable {
    public var added: [String] = []
    public var replaced: [String] = []
    public var unchanged: [String] = []
    public var isDryRun = false

    public var total: Int { added.count + replaced.count + unchanged.count }
}

public struct ImportProgress: Sendable {
    public var reviews: Int
    public var bytesRead: Int
    public var totalBytes: Int
}

public struct ImportOptions: Sendable {
    /// Update references already in the database.
    public var replace = false
    /// Check everything and report, but write nothing.
    public var dryRun = false
    /// Why a published review is being replaced (an amendment, kept in the audit trail).
    public var reason: String?

    public init(replace: Bool = false, dryRun: Bool = false, reason: String? = nil) {
        self.replace = replace
        self.dryRun = dryRun
        self.reason = reason
    }
}

/// Imports review files into the store, all or nothing.
///
/// Files are read one review at a time (a `.jsonl` file as a stream) inside one write
/// transaction; any problem anywhere rolls the whole import back, after every problem of
/// every file has been collected.
public struct Importer {
    public let store: Store
    public let files: ReviewFiles
    public init(store: Store, today: Day = .today()) {
        self.store = store
        self.files = ReviewFiles(catalogue: store.catalogue, today: today)
    }

    /// Imports the files and folders at `paths`. Throws `ProblemsError` with every problem
    /// when anything is wrong, and then nothing has changed.
    /// `progress` is called after each review with the reviews read and the bytes read so
    /// far, and the total bytes of all the files.
    public func run(
        paths: [String], options: ImportOptions = ImportOptions(), progress: ((ImportProgress) -> Void)? = nil
    ) throws -> ImportReport {
        let (paths, pathProblems) = ReviewFiles.files(in: paths)
        let sizes = paths.map { ((try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? NSNumber)?.intValue ?? 0 }
        let totalBytes = sizes.reduce(0, +)
        var problems = pathProblems
        var report = ImportReport(isDryRun: options.dryRun)
        var seen = FirstSeen()
        let now = Store.timestamp()
        let files = self.files
        func load(_ db: Database) throws -> ImportReport {
            let inserter = try ReviewInserter(db, counter: store.words)
            let audit = try AuditTrail(db, catalogue: store.catalogue, actor: store.actor)
            // Into a database with no reviews, only this import's own references can clash,
            // and `seen` catches those: no need to look each one up.
            let startsEmpty = try store.holdsNoReviews(db)
            // Reviews are parsed and checked on other threads, a few hundred ahead of the
            // writing here (`ReadingThreads`).
            let reading = ReadingThreads(paths: paths, sizes: sizes, files: files)
            defer { reading.stop() }
            var reviewsRead = 0
            while let batch = reading.next() {
                for item in batch {
                    reviewsRead += 1
                    progress?(ImportProgress(reviews: reviewsRead, bytesRead: item.bytesBefore + item.read.bytesRead, totalBytes: totalBytes))
                    // The reading threads work out the columns of every review they read.
                    guard let review = item.read.review, let columns = item.columns else {
                        problems += item.read.problems
                        continue
                    }
                    if let first = seen.record(review.reference, file: item.read.file, line: item.read.line) {
                        problems.append(Problem(file: item.read.file, line: item.read.line, field: "reference", message: "\(review.reference) appears twice in this import (first in \(first))"))
                        continue
                    }
                    try apply(review, read: item.read, columns: columns, inserter: inserter, audit: audit, startsEmpty: startsEmpty, db: db, options: options, now: now, problems: &problems, report: &report)
                }
                reading.free(batch)
            }
            if !problems.isEmpty { throw ProblemsError(problems) }
            return report
        }
        let body = { (db: Database) throws -> ImportReport in
            // Each review adds to several indexes at places spread over the file: a cache big
            // enough to keep their pages saves writing and reading them again and again.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            return try load(db)
        }
        return options.dryRun ? try store.rehearse(body) : try store.bulkWrite(body)
    }

    private func apply(
        _ review: Review, read: ReadReview, columns: StoredColumns, inserter: ReviewInserter, audit: AuditTrail, startsEmpty: Bool, db: Database, options: ImportOptions, now: String,
        problems: inout [Problem], report: inout ImportReport
    ) throws {
        guard !startsEmpty, try store.contains(review.reference, db), let stored = try store.loadReview(db, where: "reference = ?", [review.reference]).first else {
            // Once anything is wrong the import will roll back: keep checking, stop writing.
            if problems.isEmpty {
                try inserter.insert(review, columns: columns, now: now)
                // The review itself is the content of an import: the audit entry points at it.
                try audit.record(reference: review.reference, event: "imported", now: now, detail: read.file, content: nil)
            }
            report.added.append(review.reference)
            return
        }
        if stored == review {
            report.unchanged.append(review.reference)
            return
        }
        guard options.replace else {
            problems.append(Problem(file: read.file, line: read.line, field: "reference", message: "\(review.reference) is already in the database with different content; use --replace to update it"))
            return
        }
        if stored.status == .published && options.reason == nil {
            problems.append(Problem(file: read.file, line: read.line, field: "reference", message: "\(review.reference) is published: replacing it is an amendment and needs --reason"))
            return
        }
        if problems.isEmpty {
            try store.deleteReview(reference: review.reference, db)
            try inserter.insert(review, columns: columns, now: now)
            let event = stored.status == .published ? "amended" : "replaced"
            // The audit entry keeps the review as it was before: nothing recorded is lost.
            try audit.record(reference: review.reference, event: event, now: now, reason: options.reason, detail: read.file, content: stored, after: review)
        }
        report.replaced.append(review.reference)
    }
}

/// A review read, and the bytes of the files before its file (for progress).
///
/// A class, so that the importing thread takes each from its batch by one reference,
/// where a struct was copied field by field (a retain and a release for each of the
/// review's texts and lists, and each column).
final class ReadItem: Sendable {
    let read: ReadReview
    let bytesBefore: Int
    /// The review's computed columns, worked out on a parsing thread (nil without a review).
    let columns: StoredColumns?

    init(read: ReadReview, bytesBefore: Int, columns: StoredColumns?) {
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
final class ReadingThreads {
    /// Lines (or files) dealt to a parsing thread at once.
    static let batchSize = 256

    /// What a parsing thread is given: lines of a `.jsonl` file, or whole files.
    private enum Work: Sendable {
        case line(ReviewFiles.JSONLine, file: String, bytesBefore: Int)
        case file(String, bytesBefore: Int)
    }

    private let work: [Channel<[Work]>]
    private let done: [Channel<[ReadItem]>]
    /// Batches written, going back to the thread that made them to be freed there: memory
    /// is then released by the thread that allocated it, which malloc does without a lock.
    private let spent: [Channel<[ReadItem]>]
    private let threads: [BackgroundWork<Void>]
    /// How many batches `next()` has handed out: the next comes from thread `taken % count`.
    private var taken = 0

    init(paths: [String], sizes: [Int], files: ReviewFiles, parsers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let parsers = max(1, min(parsers, 8))
        let work = (0..<parsers).map { _ in Channel<[Work]>(capacity: 1) }
        let done = (0..<parsers).map { _ in Channel<[ReadItem]>(capacity: 2) }
        let spent = (0..<parsers).map { _ in Channel<[ReadItem]>(capacity: 4) }
        self.work = work
        self.done = done
        self.spent = spent
        var threads = (0..<parsers).map { index in
            BackgroundWork { Self.parse(work[index], into: done[index], freeing: spent[index], files: files) }
        }
        threads.append(BackgroundWork { Self.deal(paths, sizes: sizes, to: work) })
        self.threads = threads
    }

    /// The next batch of reviews, in file order; nil after the last.
    func next() -> [ReadItem]? {
        let batch = done[taken % done.count].take()
        taken += 1
        return batch
    }

    /// Hands a batch back to be freed by the thread that made it.
    func free(_ batch: [ReadItem]) {
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
    private static func parse(_ work: Channel<[Work]>, into done: Channel<[ReadItem]>, freeing spent: Channel<[ReadItem]>, files: ReviewFiles) {
        defer { done.finish() }
        func item(_ read: ReadReview, bytesBefore: Int) -> ReadItem {
            ReadItem(read: read, bytesBefore: bytesBefore, columns: read.review.map { StoredColumns($0, catalogue: files.catalogue) })
        }
        while let batch = work.take() {
            var items: [ReadItem] = []
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
