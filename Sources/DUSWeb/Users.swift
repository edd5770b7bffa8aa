import Foundation
import HummingbirdBcrypt

/// Someone who may sign in to `dus serve`: a reader sees every page; an editor can also
/// keep actions current through the forms.
public struct WebUser: Sendable, Equatable {
    public enum Role: String, CaseIterable, Sendable {
        case reader, editor
    }

    public var name: String
    public var role: Role
    /// The password's bcrypt hash; the password itself is never kept.
    var hash: String

    /// Whether `password` is this user's (bcrypt: slow on purpose).
    func accepts(_ password: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}

/// The users file of `dus serve --users FILE`, written by `dus user add`: one line per
/// user, `NAME:ROLE:BCRYPT-HASH`, readable by its owner only.
public enum UserFile {
    public struct Problem: LocalizedError, Equatable {
        public var errorDescription: String?
        init(_ message: String) { errorDescription = message }
    }

    /// Letters, digits, `.`, `_` and `-`, 1 to 64 of them.
    public static func isName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
    }

    public static let shortestPassword = 12

    /// The users of the file; a line that is not one is named by its number.
    public static func read(_ path: String) throws(Problem) -> [WebUser] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Problem("\(path): the users file cannot be read (dus user add writes it)")
        }
        var users: [WebUser] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, isName(fields[0]), let role = WebUser.Role(rawValue: fields[1]), fields[2].hasPrefix("$2") else {
                throw Problem("\(path):\(number + 1): not a user line NAME:ROLE:HASH as dus user add writes it")
            }
            guard !users.contains(where: { $0.name == fields[0] }) else { throw Problem("\(path):\(number + 1): \(fields[0]) appears twice") }
            users.append(WebUser(name: fields[0], role: role, hash: fields[2]))
        }
        guard !users.isEmpty else { throw Problem("\(path): no user; add one with dus user add NAME --role editor --users \(path)") }
        return users
    }

    /// Adds a user (or, with `replacing`, sets an existing user's role and password),
    /// writing the file anew, owner-only. The password is hashed with bcrypt.
    public static func add(name: String, role: WebUser.Role, password: String, to path: String, replacing: Bool) throws(Problem) {
        guard isName(name) else { throw Problem("'\(name)': a user name is 1 to 64 letters, digits, '.', '_' or '-'") }
        guard password.count >= shortestPassword else { throw Problem("the password needs at least \(shortestPassword) characters") }
        // bcrypt reads no further than a NUL byte or the 72nd byte.
        guard !password.contains("\u{0}"), password.utf8.count <= 72 else { throw Problem("the password must be at most 72 bytes, without a NUL character") }
        var users = FileManager.default.fileExists(atPath: path) ? try read(path) : []
        if let index = users.firstIndex(where: { $0.name == name }) {
            guard replacing else { throw Problem("\(name) is already a user in \(path); --replace sets a new role and password") }
            users.remove(at: index)
        }
        users.append(WebUser(name: name, role: role, hash: Bcrypt.hash(password, cost: 12)))
        let text = users.map { "\($0.name):\($0.role.rawValue):\($0.hash)\n" }.joined()
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]),
              rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw Problem("\(path): the users file cannot be written")
        }
    }
}
