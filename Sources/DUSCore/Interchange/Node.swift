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
        case .scalar(let text, let plain): return plain && ["", "~", "null", "Null", "NULL"].contains(text)
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

extension Node: Decodable {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            let keys = object.allKeys.sorted { $0.stringValue < $1.stringValue }
            self.init(.map(try keys.map { (key: $0.stringValue, value: try object.decode(Node.self, forKey: $0)) }))
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [Node] = []
            while !array.isAtEnd { items.append(try array.decode(Node.self)) }
            self.init(.list(items))
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self.init(.null)
        } else if let flag = try? single.decode(Bool.self) {
            self.init(.bool(flag))
        } else if let text = try? single.decode(String.self) {
            self.init(.scalar(text, plain: false))
        } else if let integer = try? single.decode(Int.self) {
            self.init(.number(String(integer)))
        } else {
            self.init(.number(String(try single.decode(Double.self))))
        }
    }

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
