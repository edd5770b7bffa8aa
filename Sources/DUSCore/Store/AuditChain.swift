import Crypto
import Foundation
import GRDB

/// The audit table's tamper evidence: triggers (migration `v7-audit-chain`) refuse UPDATE and DELETE on it from any
/// connection but dus's own, and only while `dus redact` or `dus delete` hold the door
/// open; each entry carries a digest of a random salt and its content, chained to the
/// entry before it, which `dus doctor` verifies.
///
/// A redaction or deletion erases an entry's salt with the text it removes (so that a
/// guessed text cannot be confirmed against the digest) and keeps the digest, so the chain
/// still verifies; the redaction's own entry lists the entries it changed.
enum AuditChain {
    /// The SQL function the triggers ask; registered only on dus's connections.
    static let functionName = "dus_audit_may_change"

    /// How a redaction's or deletion's own entry names an entry it erased text from.
    static func erasure(of id: Int64, _ what: String) -> FieldChange {
        FieldChange(path: "audit entry \(id)", old: nil, new: what)
    }

    /// The entry an `erasure` names, or nil for any other change.
    static func erasedEntry(_ change: FieldChange) -> Int64? {
        guard change.path.hasPrefix("audit entry ") else { return nil }
        return Int64(change.path.dropFirst("audit entry ".count))
    }

    /// The chain value before the first chained entry.
    static let origin = Data(repeating: 0, count: 32)

    /// A salt source that threads share.
    final class SharedSaltSource: @unchecked Sendable {
        private let lock = NSLock()
        private var source = SaltSource()

        func next() -> Data {
            lock.lock()
            defer { lock.unlock() }
            return source.next()
        }
    }

    /// Random salts from the kernel's generator (`/dev/urandom`), read 256 salts at a
    /// time: a system call for each byte of each entry is a large share of an import's
    /// writing.
    struct SaltSource {
        private var pool: [UInt8] = []
        private var used = 0

        mutating func next() -> Data {
            if used + 16 > pool.count {
                let count = 16 * 256
                let file = FileHandle(forReadingAtPath: "/dev/urandom")
                pool = [UInt8]((try? file?.read(upToCount: count)) ?? Data())
                try? file?.close()
                if pool.count != count {
                    var generator = SystemRandomNumberGenerator()
                    pool = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                }
                used = 0
            }
            defer { used += 16 }
            return Data(pool[used..<(used + 16)])
        }
    }

    /// SHA-256 of the salt and what a redaction may erase (reason, detail, content, changes).
    static func contentDigest(salt: Data, fields: [String?]) -> Data {
        hash(salt, fields)
    }

    /// SHA-256 of what no correction changes (reference, time, event, actor) and the
    /// content digest: an entry's place in the chain.
    static func digest(fields: [String?], contentDigest: Data) -> Data {
        var data = hash(Data(), fields)
        data.append(contentDigest)
        return Data(SHA256.hash(data: data))
    }

    /// SHA-256 of `prefix` and the fields, each length-prefixed (`-` for none).
    private static func hash(_ prefix: Data, _ fields: [String?]) -> Data {
        var hasher = SHA256()
        hasher.update(data: prefix)
        for field in fields {
            if let field {
                let bytes = Data(field.utf8)
                hasher.update(data: Data("\(bytes.count):".utf8))
                hasher.update(data: bytes)
            } else {
                hasher.update(data: Data("-".utf8))
            }
        }
        return Data(hasher.finalize())
    }

    /// The chain value of an entry: SHA-256 of the previous entry's value and its digest.
    static func link(previous: Data, digest: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: digest)
        return Data(hasher.finalize())
    }

    /// The chain value of the newest chained entry, or `origin`.
    static func head(_ db: Database) throws -> Data {
        // A chain value that is not a blob was changed outside dus: doctor names it; a new
        // entry links to what is there, so that the break stays visible.
        switch try DatabaseValue.fetchOne(db, sql: "SELECT chain FROM audit WHERE chain IS NOT NULL ORDER BY id DESC LIMIT 1")?.storage {
        case .blob(let data)?: data
        case .string(let text)?: Data(text.utf8)
        default: origin
        }
    }

    /// Findings of a walk along the whole chain (none when it holds), and its head.
    static func verify(_ db: Database) throws -> (findings: [String], head: Data, chained: Int, before: Int) {
        // Entries whose salt a redaction or deletion erased, as its own entry lists them.
        var erased = Set<Int64>()
        for value in try DatabaseValue.fetchAll(db, sql: "SELECT changes FROM audit WHERE event IN ('redacted', 'deleted')") {
            guard case .string(let text) = value.storage else { continue }
            erased.formUnion(FieldChange.parse(text).compactMap(erasedEntry))
        }
        var previous = origin
        var chained = 0, before = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT id, reference, at, event, reason, detail, content, actor, changes, salt, content_digest, digest, chain FROM audit ORDER BY id")
        while let row = try rows.next() {
            let id: Int64 = row["id"]
            let stored = StoredRow(row)
            let entry: (chain: Data?, digest: Data?, contentDigest: Data?, salt: Data?, fields: [String?], content: [String?])
            do throws(DamagedValue) {
                entry = (try stored.optionalBlob("chain"), try stored.optionalBlob("digest"), try stored.optionalBlob("content_digest"),
                         try stored.optionalBlob("salt"),
                         [try stored.optionalText("reference"), try stored.optionalText("at"), try stored.optionalText("event"), try stored.optionalText("actor")],
                         [try stored.optionalText("reason"), try stored.optionalText("detail"), try stored.optionalText("content"), try stored.optionalText("changes")])
            } catch {
                return (["audit entry \(id): \(error.field): stored value cannot be read (\(error.stored): \(error.problem)): it was changed outside dus"], previous, chained, before)
            }
            guard let chain = entry.chain, let digest = entry.digest, let contentDigest = entry.contentDigest else {
                if chained > 0 { return (["audit entry \(id) has no place in the chain, though entries before it do: it was added or changed outside dus"], previous, chained, before) }
                before += 1
                continue
            }
            if self.digest(fields: entry.fields, contentDigest: contentDigest) != digest {
                return (["audit entry \(id) does not match its digest: it was changed outside dus"], previous, chained, before)
            }
            if let salt = entry.salt {
                if self.contentDigest(salt: salt, fields: entry.content) != contentDigest {
                    return (["audit entry \(id) does not match its digest: it was changed outside dus"], previous, chained, before)
                }
            } else if !erased.contains(id) {
                return (["audit entry \(id) has lost its salt, and no redaction or deletion lists it: it was changed outside dus"], previous, chained, before)
            }
            if link(previous: previous, digest: digest) != chain {
                return (["audit entry \(id) does not follow the entry before it in the chain: an entry was changed, removed or put in outside dus"], previous, chained, before)
            }
            previous = chain
            chained += 1
        }
        return ([], previous, chained, before)
    }
}

/// Whether `dus redact` or `dus delete` holds the audit table open for change; asked by the
/// triggers through `AuditChain.functionName` on dus's own connections.
final class AuditDoor: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false

    var open: Bool { lock.withLock { isOpen } }

    /// Runs `body` with the door open.
    func whileOpen<T>(_ body: () throws -> T) rethrows -> T {
        lock.withLock { isOpen = true }
        defer { lock.withLock { isOpen = false } }
        return try body()
    }

    /// Registers the function the triggers ask on a connection of dus's.
    func prepare(_ db: Database) {
        db.add(function: DatabaseFunction(AuditChain.functionName, argumentCount: 0, pure: false) { [self] _ in open })
    }
}
