import CSQLiteSettings
import Foundation
import GRDB

/// The SQLite file that holds the reviews: one type owns it, keeps the migrator private,
/// and offers reads and writes that keep the invariants.
public final class Store: Sendable {
    public let catalogue: Catalogue
    let writer: DatabaseQueue
    /// Whether this store created the file (it did not exist, or was empty, when opened).
    public let isNewFile: Bool
    /// Who is making the changes this store writes, for the audit trail (`--user`, else
    /// `$DUS_USER`, else the operating-system login: `Store.defaultActor`).
    public let actor: String
    /// The words of each text the connection indexes (`SearchIndexWriter`).
    let words: WordCounter
    /// Opens the append-only audit table to `dus redact` and `dus delete` (`AuditChain`).
    let auditDoor: AuditDoor
    /// The name the file was opened by (with `immutable=1` in a folder dus cannot write
    /// to), for more connections that read it (`actionsInParts`); nil in memory.
    let openedPath: String?

    /// How long a command waits for another writer before giving up: 10 s unless told.
    public static let defaultBusyTimeout: TimeInterval = 10

    /// SQLite's settings for the whole process, made once, before the first database is
    /// opened (made later, they change nothing). Memory statistics are off: dus never reads
    /// them, and keeping them takes a lock around each allocation SQLite makes, about 130
    /// for each review an import writes.
    private static let sqliteSettings: Void = {
        _ = dus_sqlite_turn_off_memory_statistics()
        _ = dus_sqlite_accept_uri_file_names()
    }()

    /// What a command may do to the file: only writing commands migrate it, and only the
    /// commands that store the first reviews create it.
    public enum Access: Sendable {
        /// Reads: the file must exist and be of the current schema; it is never changed.
        case read
        /// Writes: the file must exist; an older schema is migrated.
        case write
        /// Writes, creating the file (owner-only) when it does not exist.
        case create
    }

    /// The actor when none is named: `$DUS_USER` when set, else the operating-system user's
    /// login name. It is what the user or the system says, not a proof of identity.
    public static var defaultActor: String {
        if let user = ProcessInfo.processInfo.environment["DUS_USER"]?.trimmingCharacters(in: .whitespaces), !user.isEmpty { return user }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(geteuid())"
    }

    /// Whether users other than the owner may read the file (its mode grants others read).
    public static func isReadableByOthers(path: String) -> Bool {
        let mode = ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? 0
        return mode & 0o004 != 0
    }

    /// Opens (creating and migrating on first use) the database at `path`, in WAL mode with
    /// foreign keys on. A database written by a newer version of `dus` is refused and left
    /// untouched; so is a SQLite file that is not a dus database.
    public init(path: String, access: Access = .create, actor: String = Store.defaultActor, busyTimeout: TimeInterval = Store.defaultBusyTimeout,
                catalogue: Catalogue = .standard) throws {
        Store.sqliteSettings
        self.catalogue = catalogue
        self.actor = actor
        let words = WordCounter()
        self.words = words
        let auditDoor = AuditDoor()
        self.auditDoor = auditDoor
        let migrator = Schema.migrator(words: words)
        let manager = FileManager.default
        let attributes = try? manager.attributesOfItem(atPath: path)
        let isNew = ((attributes?[.size] as? NSNumber)?.intValue ?? 0) == 0
        isNewFile = isNew
        if isNew && access != .create { throw StoreError.noDatabase(path: path) }
        if attributes == nil {
            // Owner-only from the start; SQLite gives its -wal and -shm files the same mode.
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError.cannotCreate(path: path)
            }
        }
        var openPath = path
        var configuration = Configuration()
        if access == .read {
            configuration.readonly = true
            let folder = (path as NSString).deletingLastPathComponent
            if !manager.isWritableFile(atPath: folder.isEmpty ? "." : folder) {
                // SQLite needs to write a -shm file beside a WAL database even to read it. In
                // a folder dus cannot write to, the file is read as it is (immutable), which
                // is safe only when no log holds changes that are not yet in it.
                if manager.fileExists(atPath: path + "-wal") { throw StoreError.readOnlyFolderWithLog(path: path) }
                openPath = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
            }
        }
        if !isNew { try Store.checkCompatible(path: openPath, migrator: migrator) }
        // WAL is set once, when the file is created (it persists in the file). Setting it up
        // again on every open would touch the file, and a read must leave it as it was.
        configuration.journalMode = isNew ? .wal : .default
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        // Whatever a write frees is zeroed, so that a replaced or removed text never lingers
        // in free pages (Debian's SQLite does this by default; others may not).
        configuration.prepareDatabase { db in
            // A new file gets pages of `Schema.pageSize`; the size of a file's pages is fixed
            // once it holds anything, so a file made by an earlier dus keeps its own.
            if isNew { try db.execute(sql: "PRAGMA page_size = \(Schema.pageSize)") }
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try words.prepare(db)
            auditDoor.prepare(db)
            try Schema.prepareSearchVocabulary(db)
        }
        openedPath = openPath
        do {
            writer = try DatabaseQueue(path: openPath, configuration: configuration)
            // Migrate only when needed: a migration pass writes to the file even when it
            // has nothing to do, and a command that changes nothing must leave it as it was.
            if access == .read {
                if try !writer.read(migrator.hasCompletedMigrations) { throw StoreError.olderSchema(path: path) }
                return
            }
            if try writer.read({ try String.fetchOne($0, sql: "PRAGMA journal_mode") }) != "wal" {
                try writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
            }
            if try !writer.read(migrator.hasCompletedMigrations) {
                try migrator.migrate(writer)
            }
        } catch let error as DatabaseError {
            throw StoreError(databaseError: error, path: path)
        }
    }

    /// An in-memory database, for tests and dry runs.
    public init(inMemory catalogue: Catalogue = .standard, actor: String = Store.defaultActor) throws {
        Store.sqliteSettings
        self.catalogue = catalogue
        self.actor = actor
        isNewFile = true
        openedPath = nil
        let words = WordCounter()
        self.words = words
        let auditDoor = AuditDoor()
        self.auditDoor = auditDoor
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try words.prepare(db)
            auditDoor.prepare(db)
            try Schema.prepareSearchVocabulary(db)
        }
        writer = try DatabaseQueue(configuration: configuration)
        try Schema.migrator(words: words).migrate(writer)
    }

    /// Refuses a file that is not a dus database or was migrated by a newer dus, reading only.
    ///
    /// A file whose last write was cut off in rollback-journal mode (a first import, see
    /// `bulkWrite`) has a hot journal, which a read-only connection may not roll back:
    /// then the file is opened once for writing, so that SQLite restores it as it was
    /// before that write, and checked again.
    private static func checkCompatible(path: String, migrator: DatabaseMigrator) throws {
        do {
            try checkCompatibleReadOnly(path: path, migrator: migrator)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_READONLY_ROLLBACK {
            do {
                let queue = try DatabaseQueue(path: path)
                defer { try? queue.close() }
                _ = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
                try checkCompatibleReadOnly(path: path, migrator: migrator)
            } catch let error as DatabaseError {
                throw StoreError(databaseError: error, path: path)
            }
        }
    }

    private static func checkCompatibleReadOnly(path: String, migrator: DatabaseMigrator) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(defaultBusyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'grdb_%'") ?? 0
                if applicationID != Schema.applicationID && tableCount > 0 {
                    throw StoreError.notADusDatabase(path: path)
                }
                if try db.tableExists("grdb_migrations"), try migrator.hasBeenSuperseded(db) {
                    throw StoreError.newerDatabase(path: path)
                }
            }
        } catch let error as DatabaseError where error.extendedResultCode != .SQLITE_READONLY_ROLLBACK {
            throw StoreError(databaseError: error, path: path)
        }
    }

    /// The SQLite file's path, or nil in memory.
    public var path: String? { writer.path == ":memory:" || writer.path.isEmpty ? nil : writer.path }

    /// Runs `body` in one write transaction: all or nothing.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch let error as DatabaseError {
            throw StoreError(databaseError: error, path: path ?? ":memory:")
        }
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(databaseError: error, path: path ?? ":memory:")
        }
    }

    /// Runs `body` in one write transaction, like `write`, for a bulk load.
    ///
    /// Into a file this store has just created, the transaction runs with a rollback
    /// journal and WAL is turned on after it: a first load then writes each page once,
    /// where WAL would write it to the log and again to the file. New pages need no
    /// journal, and the journal still undoes everything if the load fails or the machine
    /// stops (the next open rolls it back: `checkCompatible`). Other connections wait while
    /// it runs; one that holds the file when the load ends keeps WAL from coming back on,
    /// and then the next command to open the file turns it on. A file that existed before
    /// is written in WAL as usual, so that a failed import leaves it exactly as it was,
    /// byte for byte.
    public func bulkWrite<T>(_ body: (Database) throws -> T) throws -> T {
        guard path != nil, isNewFile else { return try write(body) }
        do {
            return try writer.writeWithoutTransaction { db in
                var isJournalled = false
                if try holdsNoReviews(db), let mode = try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") {
                    isJournalled = mode == "delete"
                }
                defer {
                    if isJournalled { _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
                }
                var result: T?
                // The pages SQLite writes as the load goes on are sent to the disk as they
                // come, so that the commit's fdatasync does not wait for all of them.
                let writeback = path.flatMap(Writeback.init(path:))
                defer { writeback?.stop() }
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw StoreError(databaseError: error, path: path ?? ":memory:")
        }
    }

    /// Runs `body` in a transaction that is always rolled back (a dry run).
    public func rehearse<T>(_ body: (Database) throws -> T) throws -> T {
        var result: T?
        do {
            try writer.inTransaction { db in
                result = try body(db)
                return .rollback
            }
        } catch let error as DatabaseError {
            throw StoreError(databaseError: error, path: path ?? ":memory:")
        }
        return result!
    }

}

/// Starts the kernel writing a file's changed pages to the disk four times a second, on a
/// thread of its own, until stopped; it never waits for the disk.
private final class Writeback: @unchecked Sendable {
    private let descriptor: Int32
    private let stopped = DispatchSemaphore(value: 0)
    private let ended = DispatchSemaphore(value: 0)

    init?(path: String) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        Thread { [self] in
            while stopped.wait(timeout: .now() + .milliseconds(250)) == .timedOut {
                _ = dus_start_writeback(descriptor)
            }
            ended.signal()
        }.start()
    }

    func stop() {
        stopped.signal()
        ended.wait()
        close(descriptor)
    }
}

public enum StoreError: LocalizedError, Equatable {
    case newerDatabase(path: String)
    case notADusDatabase(path: String)
    case busy(path: String)
    case notFound(reference: String)
    case noDatabase(path: String)
    case cannotCreate(path: String)
    case olderSchema(path: String)
    case readOnlyFolderWithLog(path: String)
    case sqlite(path: String, message: String)
    /// A stored value that dus cannot read back (changed by another tool, or a damaged
    /// file): the review, the field, the stored type and length, and what is wrong.
    case damaged(reference: String, field: String, stored: String, problem: String)

    init(databaseError error: DatabaseError, path: String) {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path)
        case .SQLITE_NOTADB: self = .notADusDatabase(path: path)
        default: self = .sqlite(path: path, message: error.message ?? "\(error.resultCode)")
        }
    }

    public var errorDescription: String? {
        switch self {
        case .newerDatabase(let path):
            return "\(path): this database was written by a newer version of dus; it was not opened or changed. Use that version, or a newer dus."
        case .notADusDatabase(let path):
            return "\(path): not a dus database; it was not changed. Name another file with --db or DUS_DB."
        case .busy(let path):
            return "\(path): the database is busy (another dus is writing); nothing was changed. Try again, or raise --busy-timeout."
        case .notFound(let reference):
            return "\(reference): no review with this reference"
        case .noDatabase(let path):
            return "no database at \(path) (dus import creates one)"
        case .cannotCreate(let path):
            return "\(path): the database file cannot be created here (check the folder exists and you may write to it)"
        case .olderSchema(let path):
            return "\(path): this database was written by an earlier version of dus and needs updating, which only a command that writes does; take a copy first (dus backup --to FILE), then run one (for example dus doctor --rebuild-search)"
        case .readOnlyFolderWithLog(let path):
            return "\(path): the folder cannot be written to and the database has a write-ahead log (\(path)-wal) holding changes not yet in the file; dus cannot read it safely without writing. Copy the database and its -wal file to a folder you can write to, or ask its owner to run any dus command on it"
        case .sqlite(let path, let message):
            return "\(path): database error: \(message)"
        case .damaged(let reference, let field, let stored, let problem):
            return "\(reference): \(field): stored value cannot be read (\(stored): \(problem)); run dus doctor"
        }
    }
}
