import ArgumentParser
import DUSCore

struct FactorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factors",
        abstract: "The risk-factor catalogue and controlled lists, as a data dictionary.",
        discussion: """
            Examples:
              dus factors
              dus factors --format md > factors.md
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, md
    }

    @Option(help: "The output format.") var format: Format = .text

    func run() {
        let dictionary = FactorDictionary()
        switch format {
        case .text: print(dictionary.text(), terminator: "")
        case .md: print(dictionary.markdown(), terminator: "")
        case .json: print(dictionary.json().serialized(pretty: true))
        }
    }
}
