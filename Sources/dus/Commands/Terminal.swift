import ArgumentParser
import DUSCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal a person types in: whether there is one, prompts that Ctrl-C can stop
/// without losing what was typed, and an editor that owns the terminal while it runs.
enum Terminal {
    /// Standard input and standard error are both a terminal: a person can answer prompts
    /// and an editor can take over the screen.
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    /// Refuses at once, before anything is asked, when nobody could answer (a script, a pipe).
    static func requireInteractive(_ message: String) throws {
        guard isInteractive else { try fail(message) }
    }

    /// Set by the SIGINT handler while prompts are asked (`whilePrompting`).
    nonisolated(unsafe) static var interrupted: sig_atomic_t = 0

    /// Runs `body` with Ctrl-C turned into the end of input: a read at a prompt returns
    /// nil and `wasInterrupted` says why, so the caller can keep the answers and stop.
    static func whilePrompting<T>(_ body: () throws -> T) rethrows -> T {
        var action = sigaction()
        var previous = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in Terminal.interrupted = 1 }
        #else
        action.__sigaction_u.__sa_handler = { _ in Terminal.interrupted = 1 }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: the blocked read returns, with EINTR
        sigaction(SIGINT, &action, &previous)
        // Ctrl-C reaches dus even when whatever started it had blocked the signal.
        var interrupt = sigset_t(), previousMask = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, &previousMask)
        defer {
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
            sigaction(SIGINT, &previous, nil)
        }
        return try body()
    }

    static var wasInterrupted: Bool { interrupted != 0 }

    /// One line typed at a prompt, without its newline; nil at the end of input or when
    /// Ctrl-C was pressed (`wasInterrupted`). Read a byte at a time straight from the file
    /// descriptor, so that an interrupted read is seen at once and nothing is buffered.
    static func readAnswer() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 {
                if byte == 0x0A { break }
                bytes.append(byte)
                continue
            }
            if count == -1, errno == EINTR, !wasInterrupted { continue }
            if wasInterrupted || bytes.isEmpty { return nil }
            break
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How an editor ended.
    enum EditorEnd: Equatable {
        case exited(Int32)
        case killed(Int32)
    }

    /// Runs `command` (split into words by `sh`, so `code --wait` and `vim -u NONE` work)
    /// on `path`, in dus's own process group, which holds the terminal's foreground: the
    /// editor reads the keyboard and owns the screen until it exits. dus ignores Ctrl-C and
    /// Ctrl-\ while it waits (they are the editor's keys); the editor gets them as usual.
    static func runEditor(_ command: String, path: String) throws -> EditorEnd {
        let foregroundTaken = takeForeground()
        let ignore = unsafeBitCast(Int(1), to: sighandler_t.self)  // SIG_IGN, which Swift does not import
        let previousInt = signal(SIGINT, ignore)
        let previousQuit = signal(SIGQUIT, ignore)
        defer {
            signal(SIGINT, previousInt)
            signal(SIGQUIT, previousQuit)
            _ = foregroundTaken
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The editor starts with Ctrl-C and Ctrl-\ at their defaults and nothing blocked.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGQUIT)
        sigaddset(&defaults, SIGTSTP)
        sigaddset(&defaults, SIGTTIN)
        sigaddset(&defaults, SIGTTOU)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let arguments = ["sh", "-c", command + " \"$1\"", "sh", path]
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, &cArguments, environ)
        guard spawned == 0 else { throw EditorError(editor: command, end: .exited(127)) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw EditorError(editor: command, end: .exited(127)) }
        }
        // WIFEXITED / WTERMSIG, which are macros in C.
        let signalNumber = status & 0x7F
        return signalNumber == 0 ? .exited((status >> 8) & 0xFF) : .killed(signalNumber)
    }

    /// Makes dus's process group the terminal's foreground when it is not (dus started in
    /// the background of a shell): an editor outside the foreground is stopped by the first
    /// read. True when it had to be moved.
    private static func takeForeground() -> Bool {
        let group = getpgrp()
        let foreground = tcgetpgrp(STDIN_FILENO)
        guard foreground != -1, foreground != group else { return false }
        // Moving the foreground from the background raises SIGTTOU, which must not stop dus.
        let previous = signal(SIGTTOU, unsafeBitCast(Int(1), to: sighandler_t.self))
        defer { signal(SIGTTOU, previous) }
        return tcsetpgrp(STDIN_FILENO, group) == 0
    }
}

/// The user's editor: $VISUAL, else $EDITOR, else vi (empty values are passed over).
var userEditor: String {
    let environment = ProcessInfo.processInfo.environment
    return [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
}

/// A review in a private temporary file (its folder readable by the user only), opened in
/// the user's editor. It is removed once the review is stored, and kept, with its path
/// printed, whenever it is not: nothing typed is lost.
final class EditorFile {
    let folder: URL
    let path: String
    /// What dus last wrote to the file, to tell whether the editor saved it.
    private var original: Data

    init(name: String, text: String) throws {
        let manager = FileManager.default
        folder = manager.temporaryDirectory.appendingPathComponent("dus-edit-" + UUID().uuidString)
        try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = folder.appendingPathComponent(name.isEmpty ? "new-review.md" : name + ".md").path
        original = Data(text.utf8)
        try write(text)
    }


    /// Replaces the file's text (the answers given so far, while prompting).
    func write(_ text: String) throws {
        original = Data(text.utf8)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Opens the file in the user's editor on this terminal and waits. An editor that
    /// fails or is killed gives the edit up; the file is kept and named.
    func edit(rerun: String) throws {
        let editor = userEditor
        let end = try Terminal.runEditor(editor, path: path)
        guard end == .exited(0) else {
            keep(rerun: rerun)
            throw EditorError(editor: editor, end: end)
        }
    }

    var isChanged: Bool { FileManager.default.contents(atPath: path) != original }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Tells the user where the file is kept and how to carry on from it (`unsaved`: the
    /// editor left it as dus wrote it, so there is nothing to fix).
    func keep(rerun: String, unsaved: Bool = false) {
        var standardError = FileHandle.standardError
        if unsaved {
            print("The file is kept in \(path): to go on, change it and run: \(rerun)", to: &standardError)
        } else {
            print("Your edit is kept in \(path): fix it there and run: \(rerun)", to: &standardError)
        }
    }

    /// Runs `body`, which reads and stores the edited file: removes the file when it
    /// succeeds, and keeps it, naming it, when it fails, so that no edit is lost.
    func keptOnFailure<T>(rerun: String, _ body: () throws -> T) throws -> T {
        do {
            let result = try body()
            remove()
            return result
        } catch {
            keep(rerun: rerun)
            throw error
        }
    }
}

struct EditorError: LocalizedError {
    var editor: String
    var end: Terminal.EditorEnd
    var errorDescription: String? {
        switch end {
        case .exited(let status):
            return "the editor (\(editor)) stopped with exit status \(status); nothing was changed (set VISUAL or EDITOR to choose another)"
        case .killed(let signal):
            return "the editor (\(editor)) was stopped by signal \(signal); nothing was changed"
        }
    }
}
