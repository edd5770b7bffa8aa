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
            let inserter = try ReviewInserter(db)
            // Into a database with no reviews, only this import's own references can clash,
            // and `seen` catches those: no need to look each one up.
            let startsEmpty = try store.holdsNoReviews(db)
            // Reading and checking run on a second thread, a few hundred reviews ahead of
            // the writing here: on two cores that nearly halves a large import.
            let reads = Channel<[ReadItem]>(capacity: 4)
            // Written batches go back to the reading thread to be freed there: memory is
            // then released by the thread that allocated it, which malloc does without a lock.
            let spent = Channel<[ReadItem]>(capacity: 8)
            let reading = BackgroundWork { Self.read(paths, sizes: sizes, files: files, into: reads, returned: spent) }
            defer {
                reads.close()
                _ = reading.wait()
            }
            var reviewsRead = 0
            while let batch = reads.take() {
                for item in batch {
                    let read = item.read
                    reviewsRead += 1
                    progress?(ImportProgress(reviews: reviewsRead, bytesRead: item.bytesBefore + read.bytesRead, totalBytes: totalBytes))
                    // The reading thread works out the columns of every review it read.
                    guard let review = read.review, let columns = item.columns else {
                        problems += read.problems
                        continue
                    }
                    if let first = seen.record(review.reference, file: read.file, line: read.line) {
                        problems.append(Problem(file: read.file, line: read.line, field: "reference", message: "\(review.reference) appears twice in this import (first in \(first))"))
                        continue
                    }
                    try apply(review, read: read, columns: columns, inserter: inserter, startsEmpty: startsEmpty, db: db, options: options, now: now, problems: &problems, report: &report)
                }
                spent.offer(batch)
            }
            if let failure = reading.wait() { throw failure.error }
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

    /// A review read, and the bytes of the files before its file (for progress).
    struct ReadItem: Sendable {
        var read: ReadReview
        var bytesBefore: Int
        /// The review's computed columns, worked out on the reading thread (nil without a review).
        var columns: StoredColumns?
    }

    /// An error that stopped the reading thread.
    struct ReadingFailure: @unchecked Sendable {
        var error: any Error
    }

    /// The reading thread: every review of every file, in order, in batches.
    private static func read(
        _ paths: [String], sizes: [Int], files: ReviewFiles, into reads: Channel<[ReadItem]>, returned: Channel<[ReadItem]>
    ) -> ReadingFailure? {
        defer { reads.finish() }
        var batch: [ReadItem] = []
        var bytesBefore = 0
        do {
            for (path, size) in zip(paths, sizes) {
                try files.readReviews(inFile: path) { read in
                    batch.append(ReadItem(
                        read: read, bytesBefore: bytesBefore,
                        columns: read.review.map { StoredColumns($0, catalogue: files.catalogue) }))
                    if batch.count == 256 {
                        // A closed channel means the writer has stopped: stop reading too.
                        guard reads.put(batch) else { throw CancellationError() }
                        batch = []
                        _ = returned.drain()
                    }
                }
                bytesBefore += size
            }
            reads.put(batch)
            return nil
        } catch is CancellationError {
            return nil
        } catch {
            return ReadingFailure(error: error)
        }
    }

    private func apply(
        _ review: Review, read: ReadReview, columns: StoredColumns, inserter: ReviewInserter, startsEmpty: Bool, db: Database, options: ImportOptions, now: String,
        problems: inout [Problem], report: inout ImportReport
    ) throws {
        guard !startsEmpty, try store.contains(review.reference, db), let stored = try store.loadReview(db, where: "reference = ?", [review.reference]).first else {
            // Once anything is wrong the import will roll back: keep checking, stop writing.
            if problems.isEmpty {
                try inserter.insert(review, columns: columns, now: now)
                // The review itself is the content of an import: the audit entry points at it.
                try store.audit(db, reference: review.reference, event: "imported", now: now, detail: read.file, content: nil)
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
            try store.audit(db, reference: review.reference, event: event, now: now, reason: options.reason, detail: read.file, content: stored)
        }
        report.replaced.append(review.reference)
    }
}

/// Checks review files without a database: every problem of every file, and references
/// that appear twice.
public func validateReviewFiles(_ paths: [String], today: Day = .today(), catalogue: Catalogue = .standard) throws -> (reviews: Int, problems: [Problem]) {
    let (files, pathProblems) = ReviewFiles.files(in: paths)
    var problems = pathProblems
    var seen = FirstSeen()
    var count = 0
    let reader = ReviewFiles(catalogue: catalogue, today: today)
    for path in files {
        try reader.readReviews(inFile: path) { read in
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
        if let place = places[reference] {
            return files[Int(place.file)] + (place.line > 0 ? ":\(place.line)" : "")
        }
        let number: Int32
        if let known = fileNumbers[file] {
            number = known
        } else {
            number = Int32(files.count)
            files.append(file)
            fileNumbers[file] = number
        }
        places[reference] = (number, Int32(clamping: line ?? 0))
        return nil
    }
}
