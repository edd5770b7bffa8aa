import ArgumentParser
import DUSCore
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write reproducible synthetic reviews (references SYN-...) for training and benchmarks.",
        discussion: """
            Examples:
              dus generate --count 1000 --out synthetic.jsonl
              dus generate --count 20 --seed 7 --out synthetic
            """)

    @Option(help: "How many reviews.") var count: Int = 100
    @Option(help: "The seed: the same seed gives byte-identical output.") var seed: UInt64 = 1
    @Option(help: "A .jsonl file (one review per line), or a folder (one .md review file each).", completion: .file()) var out: String

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
        // A folder named like a single file is a slip: say so rather than make one.
        if let suffix = [".json", ".md", ".csv", ".txt"].first(where: { out.lowercased().hasSuffix($0) }) {
            throw ValidationError("--out \(out): a \(suffix) name is not a folder; give FILE.jsonl (one review per line) or a folder (one .md file per review)")
        }
    }

    func run() throws {
        try reportingErrors { try SyntheticWriter(count: count, seed: seed).write(to: out) }
        print("wrote \(count) synthetic review\(count == 1 ? "" : "s") to \(out)")
    }
}
