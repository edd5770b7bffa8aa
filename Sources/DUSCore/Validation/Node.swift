import Foundation
import Yams

/// A parsed review file before validation: the same tree for YAML front matter and JSON,
/// keeping the line each value came from so that problems can name it.
public struct Node: Sendable {
    public enum Value: Sendable {
        case null
        /// A YAML scalar (`plain` when unquoted) or a JSON string.
        case scalar(String, plain: Bool)
        case bool(Bool)
        case number(String)
        case list([Node])
        case map([(key: String, value: Node)])
    }

    public var value: Value
    public var line: Int?

    public init(_ value: Value, line: Int? = nil) {
        self.value = value
        self.line = line
    }

    /// What kind of value this is, for messages ("expected a date, found a list").
    var kindName: String {
        switch value {
        case .null: return "nothing"
        case .scalar: return "text"
        case .bool: return "true/false"
        case .number: return "a number"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }

    /// A plain YAML scalar that YAML means as "no value".
    var isNull: Bool {
        switch value {
        case .null: return true
        case .scalar(let text, let plain):
            guard plain else { return false }
            switch text {
            case "", "~", "null", "Null", "NULL": return true
            default: return false
            }
        default: return false
        }
    }
}

// MARK: - YAML

extension Node {
    /// Converts a composed YAML node. `lineOffset` is added to YAML's 1-based line numbers.
    init(yaml node: Yams.Node, lineOffset: Int) {
        let line = node.mark.map { $0.line + lineOffset }
        switch node {
        case .scalar(let scalar):
            self.init(.scalar(scalar.string, plain: scalar.style == .plain || scalar.style == .any), line: line)
        case .sequence(let sequence):
            self.init(.list(sequence.map { Node(yaml: $0, lineOffset: lineOffset) }), line: line)
        case .mapping(let mapping):
            self.init(.map(mapping.map { pair in
                (key: pair.key.string ?? "", value: Node(yaml: pair.value, lineOffset: lineOffset))
            }), line: line)
        case .alias:
            self.init(.null, line: line)
        }
    }
}

// MARK: - JSON

extension Node {
    /// Sets `line` on this node and every node below it (a `.jsonl` line, say).
    func withLine(_ line: Int?) -> Node {
        var copy = self
        copy.line = line
        switch value {
        case .list(let items): copy.value = .list(items.map { $0.withLine(line) })
        case .map(let pairs): copy.value = .map(pairs.map { (key: $0.key, value: $0.value.withLine(line)) })
        default: break
        }
        return copy
    }
}
