import ArgumentParser
import DUSCore
import Foundation

/// `--db` and `--busy-timeout`, shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $DUS_DB, else ./dus.sqlite).", completion: .file())
    var db: String?

    @Option(name: .long, help: "Seconds to wait for another writer before giving up.")
    var busyTimeout: Double = Store.defaultBusyTimeout

    var path: String {
        db ?? ProcessInfo.processInfo.environment["DUS_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "dus.sqlite"
    }

    /// Opens the database for `access`, warning on standard error when other users of the
    /// machine may read it.
    func open(_ access: Store.Access = .read, actor: ActorOptions? = nil) throws -> Store {
        let store = try Store(path: path, access: access, actor: try actor?.name() ?? Store.defaultActor, busyTimeout: busyTimeout)
        if Store.isReadableByOthers(path: path) {
            var standardError = FileHandle.standardError
            print("dus: warning: \(path) can be read by other users of this machine; make it yours alone with: chmod 600 \(path)", to: &standardError)
        }
        return store
    }
}

/// `--user`, taken by every command that writes: who makes the change, for the audit trail.
struct ActorOptions: ParsableArguments {
    @Option(help: "Who is making the change, as the audit trail records it (default: $DUS_USER, else your login name).")
    var user: String?

    /// The actor: `--user`, else `$DUS_USER`, else the operating-system login name.
    func name() throws -> String {
        guard let user else { return Store.defaultActor }
        let trimmed = user.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100, !trimmed.contains(where: \.isNewline) else {
            throw ValidationError("--user: give a name of 1 to 100 characters on one line")
        }
        return trimmed
    }
}

/// The filters shared by list, patterns, search, similar, actions and export.
struct FilterOptions: ParsableArguments {
    @Option(help: "Event date on or after (YYYY-MM-DD).") var from: String?
    @Option(help: "Event date on or before (YYYY-MM-DD).") var to: String?
    @Option(help: "A quarter (2025-Q1), year (2025) or financial year (FY2025-26).") var period: String?
    @Option(help: helpListing("The kind of event.", rawValues(of: Kind.self)), completion: .list(rawValues(of: Kind.self)))
    var kind: String?
    @Option(help: helpListing("A probation region, by name, slug or code.", regionSlugs()), completion: .list(regionSlugs()))
    var region: String?
    @Option(help: helpListing("The supervision type.", rawValues(of: Supervision.self)), completion: .list(rawValues(of: Supervision.self)))
    var supervision: String?
    @Option(help: helpListing("The review's status.", rawValues(of: Status.self)), completion: .list(rawValues(of: Status.self)))
    var status: String?
    @Option(help: helpListing("The review's classification.", rawValues(of: Classification.self)), completion: .list(rawValues(of: Classification.self)))
    var classification: String?
    @Option(name: .customLong("factor"), help: "ID (risk present) or ID=ANSWER, IDs as dus factors lists them; repeatable, combined with AND.",
            completion: .list(Catalogue.standard.factors.map(\.id)))
    var factors: [String] = []

    func validate() throws {
        _ = try makeFilter()
    }

    func makeFilter(catalogue: Catalogue = .standard) throws -> ReviewFilter {
        var text = FilterText()
        (text.from, text.to, text.period, text.kind, text.region) = (from, to, period, kind, region)
        (text.supervision, text.status, text.classification, text.factors) = (supervision, status, classification, factors)
        do {
            return try text.filter(catalogue: catalogue)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// The value of an option that takes one of a list (`--kind death`), or nil when not given.
func choice<T: RawRepresentable & CaseIterable>(_ value: String?, _ option: String) throws -> T? where T.RawValue == String {
    do {
        return try FilterText.choice(value, option)
    } catch {
        throw ValidationError(error.description)
    }
}

/// The values of one of the fixed lists as they are typed (`near-miss`), for help and completion.
func rawValues<T: RawRepresentable & CaseIterable>(of type: T.Type) -> [String] where T.RawValue == String {
    T.allCases.map(\.rawValue)
}

/// The regions as `--region` takes them most simply, by slug (`north-west`), for help and completion.
func regionSlugs(_ catalogue: Catalogue = .standard) -> [String] {
    catalogue.regions.map(\.slug)
}

/// An option's help with its values after it, as the argument parser writes an enum option's:
/// `The kind of event. (values: death, near-miss)`.
func helpListing(_ abstract: String, _ values: [String]) -> ArgumentHelp {
    ArgumentHelp("\(abstract) (values: \(values.joined(separator: ", ")))")
}

/// Whether to colour what goes to standard output: only on a terminal, and not when NO_COLOR
/// is set to some text (an empty NO_COLOR does not count; see no-color.org).
func colourWanted(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty
}

/// `--period P`, or `--from DATE` and `--to DATE`, as the first and last days (nil where
/// not given); shared by the filters and `dus bulletin`.
func eventDates(period: String?, from: String?, to: String?) throws -> (from: Day?, to: Day?) {
    do {
        return try FilterText.eventDates(period: period, from: from, to: to)
    } catch {
        throw ValidationError(error.description)
    }
}

/// The text of a `--template` file, or `builtIn` when none was given.
func templateText(_ path: String?, builtIn: String) throws -> String {
    guard let path else { return builtIn }
    let data: Data
    do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch let error as CocoaError {
        throw TemplateError("\(fileMessage(error)); the template cannot be read")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw TemplateError("\(path): the template is not UTF-8 text") }
    return text
}

/// A template's problems, one a line, each named with the template's path (the closing
/// note in brackets is left as it is).
func templateProblems(_ message: String, in path: String) -> String {
    message.split(separator: "\n").map { $0.hasPrefix("(") ? String($0) : "\(path): \($0)" }.joined(separator: "\n")
}

/// Prints problems to standard error and exits 1: the input had problems; nothing changed.
func fail(with problems: [Problem], summary: String) throws -> Never {
    var standardError = FileHandle.standardError
    for problem in problems { print(problem.description, to: &standardError) }
    print(summary, to: &standardError)
    throw ExitCode(1)
}

/// Prints a library error to standard error and exits 1.
func fail(_ message: String) throws -> Never {
    var standardError = FileHandle.standardError
    print("dus: " + message, to: &standardError)
    throw ExitCode(1)
}

/// Runs `body`, turning the library's errors into messages on standard error and exit 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ProblemsError {
        try fail(with: error.problems, summary: "\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"); nothing was changed")
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as CocoaError {
        try fail(fileMessage(error))
    } catch let error as LocalizedError {
        try fail(error.errorDescription ?? "\(error)")
    } catch {
        try fail("\(error)")
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) {
        write(Data(string.utf8))
    }
}

/// A file-system error as `PATH: what went wrong`, rather than Foundation's own text.
func fileMessage(_ error: CocoaError) -> String {
    let path = error.filePath ?? error.url?.path ?? "a file"
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return "\(path): \(String(cString: strerror(Int32(underlying.code))).lowercased())"
    }
    switch error.code {
    case .fileWriteFileExists: return "\(path): a file of that name is in the way"
    case .fileNoSuchFile, .fileReadNoSuchFile: return "\(path): no such file or folder"
    case .fileWriteNoPermission, .fileReadNoPermission: return "\(path): permission denied"
    case .fileWriteOutOfSpace: return "\(path): the disk is full"
    default: return "\(path): \(error.localizedDescription)"
    }
}

/// A date option read strictly as `YYYY-MM-DD`, or nil when not given.
func dateOption(_ text: String?, _ option: String) throws -> Day? {
    guard let text else { return nil }
    guard let day = Day(text) else { throw ValidationError("\(option) '\(text)' is not a real date YYYY-MM-DD") }
    return day
}

/// A file `dus` could not write.
struct FileWriteError: LocalizedError {
    var path: String
    var reason: String
    var errorDescription: String? { "\(path): could not be written (\(reason)); no file was written" }
}

/// Writes every file or none: each goes to a temporary file beside its place first, and
/// only when all are written do they take their places. Folders are made as needed.
func writeAll(_ files: [(path: String, contents: String)]) throws {
    var written: [(temporary: String, path: String)] = []
    do {
        for file in files {
            let url = URL(fileURLWithPath: file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = file.path + ".dus-partial"
            try Data(file.contents.utf8).write(to: URL(fileURLWithPath: temporary))
            written.append((temporary, file.path))
        }
    } catch {
        for file in written { try? FileManager.default.removeItem(atPath: file.temporary) }
        throw FileWriteError(path: files[written.count].path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
    }
    for file in written where rename(file.temporary, file.path) != 0 {
        throw FileWriteError(path: file.path, reason: String(cString: strerror(errno)))
    }
}

/// The width text reports fit: `COLUMNS` when set (40 or more), else the terminal's width
/// when standard output is a terminal wider than 80 columns, else 80.
func terminalWidth(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
    if let columns = environment["COLUMNS"].flatMap(Int.init), columns >= 40 { return columns }
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, Int(size.ws_col) > 80 { return Int(size.ws_col) }
    return 80
}
