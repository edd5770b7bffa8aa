import Foundation

/// `dus export`: reviews back out as review files, or as CSV tables for analysts.
public struct Exporter {
    public enum Spelling: Sendable {
        case markdown, json
    }

    /// Calls the function it is given with each review to export, in order (the store's
    /// `forEachReview(matching:)`, say).
    public typealias Reviews = ((Review) throws -> Void) throws -> Void

    public let catalogue: Catalogue

    public init(catalogue: Catalogue) {
        self.catalogue = catalogue
    }

    /// One file per review, named by its reference in lower case. Returns the file count.
    public func exportFiles(_ reviews: Reviews, to folder: String, spelling: Spelling) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let writer = ReviewWriter(catalogue: catalogue)
        var count = 0
        try reviews { review in
            let name = review.reference.lowercased() + (spelling == .json ? ".json" : ".md")
            let text = spelling == .json ? writer.json(review).serialized(pretty: true) + "\n" : writer.markdown(review)
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name), options: .atomic)
            count += 1
        }
        return count
    }

    /// One CSV file per table. Returns the file count.
    public func exportCSV(_ reviews: Reviews, to folder: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = try CSVExport(catalogue: catalogue).files(reviews)
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name), options: .atomic)
        }
        return files.count
    }
}
