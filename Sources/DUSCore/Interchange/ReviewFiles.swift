import Foundation
import Yams

/// One review read from a file: the review when it passed every rule, and the problems.
public struct ReadReview: Sendable {
    public var review: Review?
    public var problems: [Problem]
    /// The file, as the user named it.
    public var file: String
    /// The line the review starts on (a `.jsonl` line; a review in a `.json` array).
    public var line: Int?
    /// How far into the file reading has got, in bytes (for progress).
    public var bytesRead: Int = 0
}

/// Finds review files and reads reviews from them, in both spellings.
public struct ReviewFiles: Sendable {
    /// A single review (a `.md` or `.json` file, or one `.jsonl` line) may be at most this big.
    public static let maximumReviewSize = 1 << 20

    public let catalogue: Catalogue
    public let today: Day

    public init(catalogue: Catalogue = .standard, today: Day = .today()) {
        self.catalogue = catalogue
        self.today = today
    }

    static let extensions: Set<String> = ["md", "json", "jsonl"]

    /// Expands paths into review files by the folder rules of review-format.md: folders are
    /// read with their subfolders, in name order, skipping `README.md` and names that begin
    /// with `.` or `_`. A named file must be a `.md`, `.json` or `.jsonl` file.
    public static func files(in paths: [String]) -> (files: [String], problems: [Problem]) {
        var files: [String] = []
        var problems: [Problem] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                problems.append(Problem(file: path, field: "file", message: "no such file or folder"))
                continue
            }
            if !isFolder.boolValue {
                if extensions.contains((path as NSString).pathExtension.lowercased()) {
                    files.append(path)
                } else {
                    problems.append(Problem(file: path, field: "file", message: "not a review file: use .md, .json or .jsonl"))
                }
                continue
            }
            files += reviewFiles(inFolder: path)
        }
        return (files, problems)
    }

    private static func reviewFiles(inFolder folder: String) -> [String] {
        var found: [String] = []
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for name in names where !name.hasPrefix(".") && !name.hasPrefix("_") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                found += reviewFiles(inFolder: path)
            } else if name.lowercased() != "readme.md", extensions.contains((name as NSString).pathExtension.lowercased()) {
                found.append(path)
            }
        }
        return found
    }

    /// Reads every review in one file and hands each to `body`, in file order. A `.jsonl`
    /// file is read as a stream, one line at a time.
    public func readReviews(inFile path: String, _ body: (ReadReview) throws -> Void) rethrows {
        if Self.isJSONLines(path) {
            try readJSONLines(path, body)
            return
        }
        let fileExtension = (path as NSString).pathExtension.lowercased()
        guard let handle = FileHandle(forReadingAtPath: path) else {
            try body(ReadReview(review: nil, problems: [Problem(file: path, field: "file", message: "cannot be read")], file: path))
            return
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: Self.maximumReviewSize + 1)) ?? Data()
        if data.count > Self.maximumReviewSize {
            try body(ReadReview(review: nil, problems: [Problem(file: path, field: "file", message: "is over 1 MiB; a single review may be at most 1 MiB")], file: path))
            return
        }
        guard let text = String(data: data, encoding: .utf8) else {
            try body(ReadReview(review: nil, problems: [Problem(file: path, field: "file", message: "is not UTF-8 text")], file: path))
            return
        }
        if fileExtension == "md" {
            var read = readMarkdown(text, file: path)
            read.bytesRead = data.count
            try body(read)
        } else {
            for var review in readJSON(text, file: path) {
                review.bytesRead = data.count
                try body(review)
            }
        }
    }

    // MARK: Markdown

    /// Reads a review in the Markdown spelling: YAML front matter, then the `## Summary`,
    /// `## Findings` and `## Learning` sections.
    public func readMarkdown(_ source: String, file: String) -> ReadReview {
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        func failure(_ line: Int?, _ field: String, _ message: String) -> ReadReview {
            ReadReview(review: nil, problems: [Problem(file: file, line: line, field: field, message: message)], file: file)
        }
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") == "---" else {
            return failure(1, "front matter", "a review file starts with a line '---', then the YAML front matter, then '---'")
        }
        guard let end = lines.indices.dropFirst().first(where: { ["---", "..."].contains(lines[$0].trimmingCharacters(in: .whitespaces)) }) else {
            return failure(1, "front matter", "the front matter is not closed by a line '---'")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let composed: Yams.Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
            // Yams refuses a mapping with a key written twice; it names the key and where it
            // was first written. The problem is the second time, as JSON reports it.
            let lines = lines[1..<end].map(String.init)
            return ReadReview(review: nil, problems: keys.map { key in
                let line = Self.repeatedKey(key, firstAt: context.mark, in: lines).map { $0 + 1 }
                return Problem(file: file, line: line, field: key, message: "appears twice")
            }, file: file)
        } catch let error as YamlError {
            return failure(Self.line(of: error).map { $0 + 1 }, "front matter", "is not valid YAML: \(Self.describe(error))")
        } catch {
            return failure(2, "front matter", "is not valid YAML: \(error)")
        }
        guard let composed, case .mapping = composed else {
            return failure(2, "front matter", "must be a mapping of fields (key: value)")
        }
        let frontMatter = Node(yaml: composed, lineOffset: 1)
        guard case .map(var pairs) = frontMatter.value else { return failure(2, "front matter", "must be a mapping") }
        var problems: [Problem] = []
        for key in ["summary", "findings", "learning"] where pairs.contains(where: { $0.key == key }) {
            let line = pairs.first { $0.key == key }?.value.line
            problems.append(Problem(file: file, line: line, field: key, message: "belongs in the body, under a '## \(key.capitalized)' heading, not in the front matter"))
        }
        pairs.removeAll { ["summary", "findings", "learning"].contains($0.key) }
        let body = MarkdownBody.parse(lines[(end + 1)...], firstLine: end + 2, file: file)
        problems += body.problems
        pairs += body.fields
        var reader = ReviewReader(catalogue: catalogue, today: today, file: file)
        let review = reader.read(Node(.map(pairs), line: 1))
        problems += reader.problems
        return ReadReview(review: problems.isEmpty ? review : nil, problems: problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }, file: file)
    }

    /// The line (1-based, in the front matter) where `key` is written again in the mapping
    /// that first holds it at `first`: the next line that starts the same key at the same
    /// column, before the mapping ends (a line indented less). Nil when it cannot be told.
    static func repeatedKey(_ key: String, firstAt first: Yams.Mark, in lines: [String]) -> Int? {
        let column = first.column - 1
        guard first.line >= 1, first.line <= lines.count, column >= 0 else { return nil }
        let starts = [key + ":", "\"" + key + "\":", "'" + key + "':"]
        for index in first.line..<lines.count {
            let line = Array(lines[index])
            let indentation = line.prefix { $0 == " " || $0 == "-" }.count
            if line.allSatisfy({ $0 == " " }) || line.first == "#" { continue }
            if indentation < column { return nil }
            guard indentation == column, line.count > column else { continue }
            let rest = String(line[column...])
            if starts.contains(where: { rest.hasPrefix($0) || rest.hasPrefix(String($0.dropLast()) + " :") }) { return index + 1 }
        }
        return nil
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        default:
            return "\(error)"
        }
    }

    // MARK: JSON

    /// Reads a `.json` file: one review, or an array of reviews.
    public func readJSON(_ source: String, file: String) -> [ReadReview] {
        let node: Node
        do {
            node = try JSONParser.parse(source)
        } catch {
            return [ReadReview(review: nil, problems: [Problem(file: file, line: error.line, field: "file", message: "is not valid JSON: \(error.message) (column \(error.column))")], file: file)]
        }
        if case .list(let items) = node.value {
            return items.map { item in
                let line = Self.line(ofReferenceIn: item, source: source)
                return read(item.withLine(line), file: file, line: line)
            }
        }
        return [read(node, file: file, line: nil)]
    }

    /// Whether `path` names a `.jsonl` file (a review on each line).
    static func isJSONLines(_ path: String) -> Bool {
        (path as NSString).pathExtension.lowercased() == "jsonl"
    }

    private func readJSONLines(_ path: String, _ body: (ReadReview) throws -> Void) rethrows {
        try Self.forEachJSONLine(inFile: path) { try body(read($0, file: path)) }
    }

    /// One line of a `.jsonl` file as it was read, not yet parsed: reading lines is one
    /// pass through the file, while parsing and checking them can be shared out.
    public struct JSONLine: Sendable {
        public enum Content: Sendable {
            case text(String)
            case notUTF8
            /// Over `maximumReviewSize`: the line was passed over, not kept.
            case tooLong
            /// The file could not be opened (the only "line" then).
            case unreadableFile
        }

        public var content: Content
        /// The 1-based line number.
        public var number: Int
        /// How far into the file reading has got after this line, in bytes.
        public var bytesRead: Int
    }

    /// Hands each line of the `.jsonl` file at `path` to `body`, in order, leaving out
    /// blank lines. A file that cannot be opened gives one `unreadableFile` line.
    public static func forEachJSONLine(inFile path: String, _ body: (JSONLine) throws -> Void) rethrows {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            try body(JSONLine(content: .unreadableFile, number: 0, bytesRead: 0))
            return
        }
        defer { try? handle.close() }
        var reader = LineReader(handle: handle, maximumLineLength: maximumReviewSize)
        var number = 0
        while let line = reader.next() {
            number += 1
            switch line {
            case .tooLong:
                try body(JSONLine(content: .tooLong, number: number, bytesRead: reader.consumed))
            case .line(nil):
                try body(JSONLine(content: .notUTF8, number: number, bytesRead: reader.consumed))
            case .line(let text?):
                if text.utf8.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                try body(JSONLine(content: .text(text), number: number, bytesRead: reader.consumed))
            }
        }
    }

    /// Parses and checks one line of the `.jsonl` file `file`.
    public func read(_ line: JSONLine, file: String) -> ReadReview {
        func failure(_ message: String) -> ReadReview {
            ReadReview(review: nil, problems: [Problem(file: file, line: line.number, field: "review", message: message)], file: file, line: line.number, bytesRead: line.bytesRead)
        }
        switch line.content {
        case .unreadableFile:
            return ReadReview(review: nil, problems: [Problem(file: file, field: "file", message: "cannot be read")], file: file)
        case .tooLong:
            return failure("this line is over 1 MiB; a single review may be at most 1 MiB")
        case .notUTF8:
            return failure("is not UTF-8 text")
        case .text(let text):
            do {
                var read = read(try JSONParser.parse(text, line: line.number), file: file, line: line.number)
                read.bytesRead = line.bytesRead
                return read
            } catch {
                return failure("is not valid JSON: \(error.message) (column \(error.column))")
            }
        }
    }

    private func read(_ node: Node, file: String, line: Int?) -> ReadReview {
        var reader = ReviewReader(catalogue: catalogue, today: today, file: file)
        let review = reader.read(node)
        return ReadReview(review: reader.problems.isEmpty ? review : nil, problems: reader.problems, file: file, line: line)
    }

    /// The line of a review's `"reference"` in the source, so problems in a JSON array can name it.
    private static func line(ofReferenceIn node: Node, source: String) -> Int? {
        guard case .map(let pairs) = node.value,
              let reference = pairs.first(where: { $0.key == "reference" }),
              case .scalar(let value, _) = reference.value.value else { return nil }
        let needle = "\"" + value + "\""
        guard let range = source.range(of: needle) else { return nil }
        return source[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}

/// Reads a file one line at a time without holding more than one line (and one chunk) in memory.
struct LineReader {
    /// The bytes in `range` of the buffer as text, or nil when they are not UTF-8.
    private func text(_ range: Range<Int>) -> String? {
        buffer.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    enum Line {
        /// A line without its line end; nil when it is not UTF-8.
        case line(String?)
        case tooLong
    }

    let handle: FileHandle
    let maximumLineLength: Int
    private var buffer: [UInt8] = []
    private var position = 0
    /// Bytes of the file handed out so far, line ends included.
    private(set) var consumed = 0
    private var bufferStart = 0
    private var atEnd = false
    private var discarding = false

    init(handle: FileHandle, maximumLineLength: Int) {
        self.handle = handle
        self.maximumLineLength = maximumLineLength
    }

    mutating func next() -> Line? {
        var searchFrom = position
        while true {
            let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard searchFrom < bytes.count, let hit = memchr(bytes.baseAddress! + searchFrom, 10, bytes.count - searchFrom) else { return nil }
                return bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let newline = found {
                let start = position
                position = newline + 1
                consumed = bufferStart + position
                if discarding {
                    discarding = false
                    return .tooLong
                }
                return .line(text(start..<newline))
            }
            if buffer.count - position > maximumLineLength {
                bufferStart += buffer.count
                buffer.removeAll(keepingCapacity: true)
                position = 0
                discarding = true
            }
            if atEnd {
                guard position < buffer.count || discarding else { return nil }
                defer { buffer.removeAll(); position = 0; discarding = false }
                return discarding ? .tooLong : .line(text(position..<buffer.count))
            }
            if position > 0 {
                buffer.removeSubrange(0..<position)
                bufferStart += position
                position = 0
            }
            searchFrom = buffer.count
            let chunk = (try? handle.read(upToCount: 1 << 18)) ?? nil
            if let chunk, !chunk.isEmpty {
                buffer.append(contentsOf: chunk)
            } else {
                atEnd = true
            }
        }
    }
}
