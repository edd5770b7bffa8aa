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
            // Into a database with no reviews, only this import's own references can clash,
            // and `seen` catches those: no need to look each one up.
            let startsEmpty = try store.holdsNoReviews(db)
            // The covering index of the patterns is made once the reviews are in, in the
            // same transaction: sorting them all at the end costs less than placing each
            // in it as it comes.
            let deferred = startsEmpty ? try store.dropIndexForLoad("review_patterns", db) : nil
            let inserter = try ReviewInserter(db, counter: store.words)
            let audit = try AuditTrail(db, catalogue: store.catalogue, actor: store.actor)
            // Reviews are parsed and checked on other threads, a few hundred ahead of the
            // writing here (`ReadingThreads`).
            let (catalogue, actor) = (store.catalogue, store.actor)
            let salts = AuditChain.SharedSaltSource()
            // The parsing threads work out each review's columns and the digests of its
            // `imported` entry, leaving the writing here only the chain link.
            let reading = ReadingThreads(paths: paths, sizes: sizes, files: files) { review, file in
                var columns = StoredColumns(review, catalogue: catalogue)
                columns.imported = AuditTrail.seal(
                    reference: review.reference, now: now, event: "imported", actor: actor, reason: nil, detail: file, content: nil, changes: nil,
                    salt: salts.next())
                return columns
            }
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
            if let deferred {
                // The parsing threads are done: SQLite may sort on a second thread. Each
                // sorting thread may hold as much as the page cache; a smaller cache keeps
                // a load of 1,000,000 reviews within its memory (the sort spills to files).
                try db.execute(sql: "PRAGMA cache_size = -16384; PRAGMA threads = 2")
                try db.execute(sql: deferred)
            }
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
        var stored: Review?
        if !startsEmpty, try store.contains(review.reference, db) {
            do {
                stored = try store.loadReview(db, where: "reference = ?", [review.reference]).first
            } catch StoreError.damaged {
                // A stored review damaged by another tool is restored from its file, with
                // --replace; its damaged copy cannot be read into the audit trail.
                guard options.replace else {
                    problems.append(Problem(file: read.file, line: read.line, field: "reference", message: "\(review.reference) is stored with a damaged value (dus doctor names it); use --replace to store it again from this file"))
                    return
                }
                if problems.isEmpty {
                    try store.replaceStored(review, columns: columns, inserter: inserter, db, now: now)
                    try audit.record(reference: review.reference, event: "replaced", now: now, reason: options.reason,
                                     detail: read.file + " (over a damaged stored copy)", content: nil)
                }
                report.replaced.append(review.reference)
                return
            }
        }
        guard let stored else {
            // Once anything is wrong the import will roll back: keep checking, stop writing.
            if problems.isEmpty {
                try inserter.insert(review, columns: columns, now: now)
                // The review itself is the content of an import: the audit entry points at it.
                if let sealed = columns.imported {
                    try audit.recordImported(reference: review.reference, now: now, detail: read.file, sealed: sealed)
                } else {
                    try audit.record(reference: review.reference, event: "imported", now: now, detail: read.file, content: nil)
                }
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
        // On a published review, a change only to its actions is progress (no reason needed).
        let isProgress = Store.isProgress(from: stored, to: review)
        if stored.status == .published && !isProgress && options.reason == nil {
            problems.append(Problem(file: read.file, line: read.line, field: "reference", message: "\(review.reference) is published: replacing it changes more than its actions, which is an amendment and needs --reason"))
            return
        }
        if problems.isEmpty {
            try store.replaceStored(review, columns: columns, inserter: inserter, db, now: now)
            let event = stored.status == .published ? (isProgress ? "action updated" : "amended") : "replaced"
            // The audit entry keeps the review as it was before: nothing recorded is lost.
            try audit.record(reference: review.reference, event: event, now: now, reason: options.reason, detail: read.file, content: stored, after: review)
        }
        report.replaced.append(review.reference)
    }
}

