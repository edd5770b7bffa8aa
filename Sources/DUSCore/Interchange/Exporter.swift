import Foundation

/// `dus export`: reviews back out as review files, or as CSV tables for analysts.
public struct Exporter {
    public enum Spelling: Sendable {
        case markdown, json
    }

    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// One file per review, named by its reference in lower case. Returns the file count.
    public func exportFiles(matching filter: ReviewFilter, to folder: String, spelling: Spelling) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let writer = ReviewWriter(catalogue: store.catalogue)
        var count = 0
        try store.forEachReview(matching: filter) { review in
            let name = review.reference.lowercased() + (spelling == .json ? ".json" : ".md")
            let text = spelling == .json ? writer.json(review).serialized(pretty: true) + "\n" : writer.markdown(review)
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name), options: .atomic)
            count += 1
        }
        return count
    }

    /// One CSV file per table. Returns the file count.
    public func exportCSV(matching filter: ReviewFilter, to folder: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let tables = CSVExport(catalogue: store.catalogue).tables(for: try store.reviews(matching: filter))
        for (name, table) in tables {
            try Data(table.csv().utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name), options: .atomic)
        }
        return tables.count
    }
}
