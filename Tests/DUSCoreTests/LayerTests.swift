import Foundation
import Testing

/// The library's layers go one way (the README's Layout draws them): each folder uses
/// only the folders below it, and only `Store/` talks to SQLite.
@Suite struct LayerTests {
    /// Each folder of `Sources/DUSCore` and its layer: a folder may use lower layers only.
    static let layers: [String: Int] = [
        "Support": 0, "Model": 1, "Validation": 2, "Interchange": 3, "Synthetic": 4, "Store": 4,
        "Patterns": 5, "Search": 5, "Actions": 5, "Bulletin": 6, "Output": 7,
    ]

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every Swift file under `folder`, with its text, comments left out.
    static func swiftFiles(under folder: URL) throws -> [(path: String, code: String)] {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        return try paths.sorted().map { path in
            let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            let code = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
            }.joined(separator: "\n")
            return (path, code)
        }
    }

    @Test func onlyTheStoreTalksToSQLite() throws {
        var offenders: [String] = []
        for (path, code) in try Self.swiftFiles(under: Self.sources) where !path.hasPrefix("DUSCore/Store/") && !path.hasPrefix("C") {
            if code.contains("import GRDB") || code.contains("sqlite3_") { offenders.append(path) }
        }
        #expect(offenders == [])
    }

    @Test func eachFolderUsesOnlyTheFoldersBelowIt() throws {
        let library = Self.sources.appendingPathComponent("DUSCore")
        let files = try Self.swiftFiles(under: library)
        let folders = Set(files.map { String($0.path.prefix { $0 != "/" }) })
        #expect(folders.subtracting(["Resources"]) == Set(Self.layers.keys))
        // Where each type is declared.
        let declaration = try NSRegularExpression(pattern: #"^(?:(?:public|final|private|fileprivate|internal|indirect) )*(?:struct|enum|class|protocol|typealias) ([A-Z]\w*)"#, options: .anchorsMatchLines)
        var home: [String: String] = [:]
        for (path, code) in files {
            let folder = String(path.prefix { $0 != "/" })
            for match in declaration.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
                let name = String(code[Range(match.range(at: 1), in: code)!])
                if home[name] == nil { home[name] = folder }
            }
        }
        let word = try NSRegularExpression(pattern: #"\b[A-Z]\w*\b"#)
        var upward: [String] = []
        for (path, code) in files {
            let folder = String(path.prefix { $0 != "/" })
            guard let layer = Self.layers[folder] else { continue }
            let names = Set(word.matches(in: code, range: NSRange(code.startIndex..., in: code)).map { String(code[Range($0.range, in: code)!]) })
            for name in names.sorted() {
                guard let other = home[name], other != folder, let otherLayer = Self.layers[other] else { continue }
                if otherLayer >= layer { upward.append("\(path) uses \(name) of \(other)") }
            }
        }
        #expect(upward == [])
    }
}
