import ArgumentParser
import DUSCore
import DUSWeb
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "The people who may sign in to dus serve.",
        subcommands: [UserAddCommand.self])
}

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add someone who may sign in to dus serve --users FILE, as a reader or an editor.",
        discussion: """
            The password is asked twice at the terminal, not shown as it is typed, and kept only as a bcrypt hash; \
            with --password-stdin it is read from the first line of standard input (for scripts). It needs at least \
            12 characters. A reader sees every page; an editor can also keep actions current through the forms. \
            The file is written readable by its owner only.

            Examples:
              dus user add jsmith --role editor --users team-users.txt
              printf '%s\\n' "$PASSWORD" | dus user add reader1 --role reader --users team-users.txt --password-stdin
            """)

    @Argument(help: "The name to sign in with: letters, digits, '.', '_' or '-'.") var name: String
    @Option(help: "reader (sees every page) or editor (can also change actions).", completion: .list(WebUser.Role.allCases.map(\.rawValue)))
    var role: String
    @Option(help: "The users file (created when missing).", completion: .file()) var users: String
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
    @Flag(help: "Set a new role and password for a user already in the file.") var replace = false

    func run() throws {
        guard let role = WebUser.Role(rawValue: role) else {
            throw ValidationError("--role '\(role)' is not one of \(WebUser.Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let password: String
        if passwordStdin {
            guard let line = readLine(strippingNewline: true) else { try fail("--password-stdin: standard input holds no password") }
            password = line
        } else {
            try Terminal.requireInteractive("dus user add asks for the password at a terminal; a script can give it with --password-stdin")
            guard let first = Self.askHidden("Password for \(name): "), let second = Self.askHidden("The same again: ") else {
                try fail("no password given; nothing was written")
            }
            guard first == second else { try fail("the two passwords differ; nothing was written") }
            password = first
        }
        do {
            try UserFile.add(name: name, role: role, password: password, to: users, replacing: replace)
        } catch {
            try fail(error.errorDescription ?? "\(error)")
        }
        print("\(name) can sign in to dus serve --users \(users) as \(role == .editor ? "an editor" : "a reader")")
    }

    /// One line typed at the terminal with echo off (a password), or nil.
    static func askHidden(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return Terminal.whilePrompting { Terminal.readAnswer() }
    }
}
