import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `dus` binary in a temporary folder and captures what a user would see.
/// The folder goes when the harness does, at the end of its test.
final class Harness {
    let folder: URL
    private(set) var environment: [String: String]

    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        // The test bundle sits in the same build folder as the dus executable.
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dus"),
            packageRoot.appendingPathComponent(".build/debug/dus"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dus-e2e-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["DUS_DB"] = folder.appendingPathComponent("dus.sqlite").path
        environment["DUS_TODAY"] = "2026-11-22"
        environment["NO_COLOR"] = "1"
        self.environment = environment
    }

    /// A harness whose user's editor is `editor` (a script, in tests), and whose temporary
    /// files go to its own folder, so that a test can see the files dus keeps.
    convenience init(editor: String) throws {
        try self.init()
        environment["TMPDIR"] = folder.path
        environment["EDITOR"] = editor
        environment["VISUAL"] = nil
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// What a Python script prints, given `input` on its standard input: how another
    /// program (a spreadsheet's CSV reader, wcwidth) reads what dus wrote.
    static func python(_ script: String, input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let (stdin, stdout) = (Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs SQL on a database with the `sqlite3` shell, as another SQLite client would.
    static func sqlite3(_ database: String, _ sql: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Standard error is short; standard output is read to its end first.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    /// Sets (or with nil removes) a variable of the environment dus runs in.
    func set(_ name: String, _ value: String?) { environment[name] = value }

    /// The files kept for the user after a failed `dus edit` or `dus new` (full paths).
    func keptEditFiles() throws -> [String] {
        let manager = FileManager.default
        return try manager.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("dus-edit-") }.flatMap { name in
            try manager.contentsOfDirectory(atPath: path(name)).map { path("\(name)/\($0)") }
        }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ arguments: String...) throws -> Result { try run(arguments) }

    /// Runs dus with `input` as its standard input (nothing when nil), and `environment`
    /// added to the harness's.
    func run(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func data(_ name: String) -> Data? { FileManager.default.contents(atPath: path(name)) }

    static var examples: String { packageRoot.appendingPathComponent("reviews").path }
}

extension Harness {
    /// Runs dus with standard input and standard error on a pseudo-terminal (echo off),
    /// as when a person types at the prompts, and standard output on a pipe, so that the
    /// reference printed stays apart from the prompts. `input` is typed in one go; a
    /// `\u{04}` in it is Ctrl-D, the end of input. Carriage returns the terminal adds to
    /// standard error are taken out.
    func runInTerminal(_ arguments: [String], input: String = "") throws -> Result {
        var master: Int32 = 0, slave: Int32 = 0
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw POSIXError(.EIO) }
        let reading = master
        var settings = termios()
        tcgetattr(slave, &settings)
        settings.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(slave, TCSANOW, &settings)
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = terminal
        process.standardError = terminal
        try process.run()
        try terminal.close()
        if !input.isEmpty { _ = input.utf8CString.withUnsafeBufferPointer { Glibc.write(master, $0.baseAddress, $0.count - 1) } }
        // The terminal's side is read until dus and its children have let go of it (EIO).
        let screen = Screen()
        let done = DispatchSemaphore(value: 0)
        Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(reading, &buffer, buffer.count)
                if count <= 0 { break }
                screen.data.append(contentsOf: buffer[0..<count])
            }
            done.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        close(master)
        let stderr = String(decoding: screen.data, as: UTF8.self).replacingOccurrences(of: "\r", with: "")
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: stderr)
    }
}

/// What the terminal showed, filled by one reading thread and read once it has stopped.
private final class Screen: @unchecked Sendable {
    var data = Data()
}
