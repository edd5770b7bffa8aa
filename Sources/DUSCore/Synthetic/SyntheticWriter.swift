import Foundation

/// Writes generated reviews to a `.jsonl` file (streamed) or to a folder of `.md` files.
public struct SyntheticWriter {
    public let count: Int
    public let seed: UInt64

    public init(count: Int, seed: UInt64) {
        self.count = count
        self.seed = seed
    }

    public func write(to path: String) throws {
        var generator = Generator(seed: seed)
        let writer = ReviewWriter()
        if path.lowercased().hasSuffix(".jsonl") {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                // createFile gives no reason: the usual one is a missing folder.
                let folder = (path as NSString).deletingLastPathComponent
                var isFolder: ObjCBool = false
                if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
                    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder])
                }
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            defer { try? handle.close() }
            var buffer = ""
            for number in 1...max(count, 1) where count > 0 {
                buffer += writer.json(generator.review(number: number)).serialized() + "\n"
                if buffer.utf8.count > 1 << 20 {
                    try handle.write(contentsOf: Data(buffer.utf8))
                    buffer = ""
                }
            }
            try handle.write(contentsOf: Data(buffer.utf8))
        } else {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for number in 1...max(count, 1) where count > 0 {
                let review = generator.review(number: number)
                let url = URL(fileURLWithPath: path).appendingPathComponent(review.reference.lowercased() + ".md")
                try Data(writer.markdown(review).utf8).write(to: url)
            }
        }
    }
}
