/// One thing wrong with the input, reported as `FILE[:LINE]: FIELD: message`.
public struct Problem: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String
    public var message: String

    public init(file: String, line: Int? = nil, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(field): \(message)"
    }
}

/// Input that cannot be accepted: every problem found, in file order.
public struct ProblemsError: Error, Sendable {
    public var problems: [Problem]

    public init(_ problems: [Problem]) {
        self.problems = problems
    }
}
