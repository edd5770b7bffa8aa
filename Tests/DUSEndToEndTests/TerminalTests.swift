import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A shell in a real terminal (tmux, on a server of its own), typed into with keys and
/// read from the screen, as a person uses dus: job control, a foreground process group
/// and a full-screen editor (vim) all as on a desk.
final class TerminalSession {
    let dus: Harness
    private let socket: String

    init(_ dus: Harness, editor: String = "vim -u NONE -i NONE -n") throws {
        self.dus = dus
        socket = "dus-test-" + UUID().uuidString.prefix(8)
        var environment = [
            "HOME": dus.folder.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            "DUS_DB": dus.environment["DUS_DB"]!, "DUS_TODAY": dus.environment["DUS_TODAY"]!, "TMPDIR": dus.folder.path,
            "EDITOR": editor, "PS1": "$ ", "NO_COLOR": "1",
        ]
        environment["DUS_USER"] = dus.environment["DUS_USER"]
        let exports = environment.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        try tmux("new-session", "-d", "-x", "120", "-y", "40", "-c", dus.folder.path,
                 "env -i \(exports) bash --norc --noprofile")
        try waitFor("$ ")
    }

    deinit { _ = try? tmux("kill-server") }

    static var isAvailable: Bool {
        ["/usr/bin/tmux", "/usr/bin/vim"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs tmux on this session's server. Spawned and reaped here rather than with
    /// Process: the server that new-session forks keeps what it inherits, and Process
    /// waits for that too. Only capture-pane's output is read (through a file).
    @discardableResult
    private func tmux(_ arguments: String...) throws -> String {
        let output = dus.folder.appendingPathComponent("tmux-\(UUID().uuidString).txt").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, arguments.first == "capture-pane" ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let all = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = all.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        // The shell starts as from a login: no signal blocked or ignored (the test runner's
        // threads may block some, and children inherit that).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), every = sigset_t()
        sigemptyset(&none)
        sigfillset(&every)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &every)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, &cArguments, environ) == 0 else { throw POSIXError(.ENOENT) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        defer { try? FileManager.default.removeItem(atPath: output) }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// Types `text` (tmux key names such as `Enter`, `Escape`, `C-c` when `keys`).
    func type(_ text: String) throws { try tmux("send-keys", "-l", text) }
    /// Presses each key. After Escape it pauses, as a person does: Escape and a key right
    /// after it can reach vim as one key (Alt with the key) while it waits to tell them apart.
    func press(_ keys: String...) throws {
        for key in keys {
            try tmux("send-keys", key)
            if key == "Escape" { Thread.sleep(forTimeInterval: 0.5) }
        }
    }
    func line(_ text: String) throws { try type(text); try press("Enter") }

    /// What the screen shows now, lines joined as tmux prints them.
    func screen() throws -> String { try tmux("capture-pane", "-p", "-J") }

    /// Waits (at most 60 s: the whole suite may be running beside it) until the screen shows
    /// `text`; fails the test with the screen when it never does.
    @discardableResult
    func waitFor(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(60)
        var shown = ""
        while Date() < deadline {
            shown = try screen()
            if shown.contains(text) { return shown }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("the screen never showed \(text.debugDescription); it showed:\n\(shown)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// For each pair, waits until the screen shows the prompt, then types the answer.
    func answer(_ exchanges: [(prompt: String, answer: String)]) throws {
        for exchange in exchanges {
            try waitFor(exchange.prompt)
            try line(exchange.answer)
        }
    }

    /// Runs a shell command and waits for the next prompt; returns the exit status dus gave.
    func command(_ text: String) throws -> Int {
        try line("clear")
        // The typed line holds `exit=%s.`; only the shell's answer holds `exit=` and digits.
        try line(text + "; printf 'exit=%s.\\n' $?")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let shown = try screen()
            if let match = shown.range(of: #"exit=[0-9]+\."#, options: .regularExpression) {
                return Int(shown[match].dropFirst(5).dropLast()) ?? -1
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return -1
    }
}

/// End-to-end: `dus new` and `dus edit` typed at a shell in a real terminal, with vim.
@Suite(.enabled(if: TerminalSession.isAvailable, "needs tmux and vim (scripts/test installs them)"))
struct TerminalTests {
    let dus = Harness.binary.path

    @Test func newAsksThenVimOwnsTheTerminalAndTheSavedReviewIsStored() throws {
        let harness = try Harness()
        let terminal = try TerminalSession(harness)
        try terminal.line("'\(dus)' new")
        try terminal.answer([
            ("Kind (death, near-miss): ", "death"), ("Date of the death or near miss", "2026-10-01"), ("Date of the last release", "2026-09-25"),
            ("Probation region", "Atlantis"), ("unknown region \"Atlantis\"", "NW"), ("Supervision (", "licence"), ("[NW-2026-0001]: ", ""),
        ])
        // vim shows the review with the answers; keys typed go to it, not to the shell.
        let shownInVim = try terminal.waitFor("region: North West")
        #expect(shownInVim.contains("reference: NW-2026-0001") && shownInVim.contains("release_date: 2026-09-25"))
        try terminal.type("/^age:")
        try terminal.press("Enter")
        try terminal.type("Cage: 37")
        try terminal.press("Escape")
        try terminal.type("/^## Findings")
        try terminal.press("Enter")
        try terminal.type("o- No naloxone was handed over on release. #naloxone")
        try terminal.press("Escape")
        try terminal.type(":wq")
        try terminal.press("Enter")
        // The reference dus prints, alone on its line once vim has given the terminal back.
        try terminal.waitFor("\nNW-2026-0001\n")
        let shown = try harness.run("show", "NW-2026-0001", "--format", "json").stdout
        #expect(shown.contains("\"age\": 37") && shown.contains("No naloxone was handed over on release."))
        // The shell has the terminal back and works as before.
        #expect(try terminal.command("echo still-here") == 0)
        #expect(try terminal.screen().contains("still-here"))
        #expect(try harness.keptEditFiles().isEmpty)
    }

    @Test func ctrlCAtAPromptStoresNothingAndKeepsTheAnswers() throws {
        let harness = try Harness()
        let terminal = try TerminalSession(harness)
        try terminal.line("'\(dus)' new")
        try terminal.answer([("Kind (death, near-miss): ", "near-miss"), ("Date of the death or near miss", "2026-10-01")])
        try terminal.waitFor("Date of the last release")
        try terminal.type("2026-0")
        try terminal.press("C-c")
        let shown = try terminal.waitFor("complete the review there")
        #expect(shown.contains("dus: stopped; nothing was stored. Your answers are kept in "))
        let kept = try #require(try harness.keptEditFiles().first)
        let text = try String(contentsOfFile: kept, encoding: .utf8)
        #expect(text.contains("kind: near-miss") && text.contains("event_date: 2026-10-01"))
        let attributes = try FileManager.default.attributesOfItem(atPath: kept)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try harness.run("list").stdout.hasSuffix("0 reviews\n"))
        // The terminal is usable: the shell runs the next command.
        #expect(try terminal.command("echo usable") == 0)
    }

    @Test func editInVimSavesTheChangeAndQuittingWithoutSavingStoresNothing() throws {
        let harness = try Harness()
        #expect(try harness.run("import", Harness.examples).status == 0)
        let terminal = try TerminalSession(harness)
        // Quitting without saving: nothing is written, and the file is named.
        let before = try harness.run("history", "WM-2025-0020").stdout
        try terminal.line("'\(dus)' edit wm-2025-0020")
        try terminal.waitFor("reference: WM-2025-0020")
        try terminal.type(":q!")
        try terminal.press("Enter")
        let quit = try terminal.waitFor("nothing was written")
        #expect(quit.contains("The file is kept in "))
        #expect(try harness.run("history", "WM-2025-0020").stdout == before)
        // Ctrl-C in vim is vim's own key; the edit goes on and is saved.
        #expect(try terminal.command("true") == 0)
        try terminal.line("'\(dus)' edit WM-2025-0020")
        try terminal.waitFor("reference: WM-2025-0020")
        try terminal.press("C-c")
        try terminal.type("/^age:")
        try terminal.press("Enter")
        try terminal.type("Cage: 44")
        try terminal.press("Escape")
        try terminal.type(":wq")
        try terminal.press("Enter")
        try terminal.waitFor("edited WM-2025-0020")
        #expect(try harness.run("show", "WM-2025-0020", "--format", "json").stdout.contains("\"age\": 44"))
    }
}
