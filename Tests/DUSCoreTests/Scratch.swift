import Foundation

/// The folder for the files tests make (databases, review files), one per test process,
/// removed when the process ends.
enum Scratch {
    static let root: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dus-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return folder
    }()
}
