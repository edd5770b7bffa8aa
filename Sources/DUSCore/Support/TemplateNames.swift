import Foundation
import Mustache

/// Checks the names a Mustache template asks for against the values it will be given.
///
/// Mustache renders a name it cannot find as nothing, so a misspelt `{{perod}}` would
/// leave a silent gap in a published bulletin. swift-mustache does not report such names,
/// and keeps its parsed tags to itself, so this reads the tags of the template text
/// directly: variables, sections, inverted sections and their ends, with the set
/// delimiter tag (`{{=<% %>=}}`) honoured. A name passes when it is `.`, or a value at the
/// top level, or a value of the items of a list section it is inside (`{{label}}` inside
/// `{{#themes}}`), as Mustache looks names up; a transform (`uppercased(period)`) or a
/// sequence value (`first()`) must be one swift-mustache knows. Partials are refused: a
/// bulletin template has none to include.
enum TemplateNames {
    struct Unknown: Equatable {
        var tag: String
        var line: Int
        var column: Int
        var problem: String
    }

    /// The functions swift-mustache 2 applies to a value (`uppercased(period)`) or offers
    /// inside a list (`first()`).
    static let transforms: Set<String> = [
        "capitalized", "lowercased", "uppercased", "reversed", "first", "last", "count", "empty", "sorted", "enumerated",
        "equalzero", "plusone", "minusone", "even", "odd", "index",
    ]

    /// Every key of every dictionary in `values`, at any depth.
    static func keys(of values: Any) -> Set<String> {
        var keys: Set<String> = []
        func visit(_ value: Any) {
            if let dictionary = value as? [String: Any] {
                for (key, child) in dictionary {
                    keys.insert(key)
                    visit(child)
                }
            } else if let array = value as? [Any] {
                array.forEach(visit)
            }
        }
        visit(values)
        return keys
    }

    /// The tags of `template` that ask for a name the values do not hold where the tag
    /// sits, or that are partials, with their places (lines and columns count from 1,
    /// columns in characters). `values` maps each list section to the keys of its items,
    /// and "" to the keys at the top level.
    static func unknown(in template: String, values: [String: Set<String>]) -> [Unknown] {
        var sections: [String] = []
        var blocks: Set<String> = []
        func known() -> Set<String> {
            sections.reduce(values[""] ?? []) { $0.union(values[$1] ?? []) }
        }
        var found: [Unknown] = []
        var open = "{{", close = "}}"
        let text = Array(template)
        var index = 0
        var line = 1, column = 1
        func advance(to end: Int) {
            while index < end {
                if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
                index += 1
            }
        }
        func starts(_ marker: String, at position: Int) -> Bool {
            let marker = Array(marker)
            return position + marker.count <= text.count && Array(text[position..<position + marker.count]) == marker
        }
        func firstIndex(of marker: String, from position: Int) -> Int? {
            var position = position
            while position < text.count {
                if starts(marker, at: position) { return position }
                position += 1
            }
            return nil
        }
        while let start = firstIndex(of: open, from: index) {
            advance(to: start)
            let (tagLine, tagColumn) = (line, column)
            var contentStart = start + open.count
            var closing = close
            // A triple mustache `{{{name}}}` ends with an extra brace.
            if open == "{{", contentStart < text.count, text[contentStart] == "{" {
                contentStart += 1
                closing = "}" + close
            }
            // An unclosed tag is the parser's to report; it has already passed.
            guard let end = firstIndex(of: closing, from: contentStart) else { break }
            let content = String(text[contentStart..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
            let tag = String(text[start..<end + closing.count])
            advance(to: end + closing.count)
            let sigil = closing == close ? content.first : nil
            switch sigil {
            case "!", "%":
                continue // comments, pragmas
            case "$":
                // A block's name is not a value; its end tag closes it.
                blocks.insert(String(content.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines))
                continue
            case "=":
                // `=<% %>=`: the new delimiters, separated by space.
                let parts = content.dropFirst().dropLast().split(separator: " ")
                if parts.count == 2 { (open, close) = (String(parts[0]), String(parts[1])) }
                continue
            case ">", "<":
                found.append(Unknown(tag: tag, line: tagLine, column: tagColumn, problem: "a partial, which a bulletin template cannot include"))
                continue
            case "/":
                let name = String(content.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines)
                if blocks.contains(name) { continue }
                if let index = sections.lastIndex(of: name) { sections.removeSubrange(index...) }
            case "#", "^", "&":
                let name = String(content.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines)
                if let problem = problem(with: name, known: known()) {
                    found.append(Unknown(tag: tag, line: tagLine, column: tagColumn, problem: problem))
                }
                if sigil != "&" { sections.append(name) }
            default:
                if let problem = problem(with: content, known: known()) {
                    found.append(Unknown(tag: tag, line: tagLine, column: tagColumn, problem: problem))
                }
            }
        }
        return found
    }

    /// Why the name of a tag (`name`, `a.b`, `.`, `transform(name)`) is not known, or nil.
    private static func problem(with tagName: String, known: Set<String>) -> String? {
        var name = Substring(tagName.trimmingCharacters(in: .whitespacesAndNewlines))
        // `uppercased(name)`: the name is inside the innermost parentheses, and each
        // function before it must be one swift-mustache has.
        if let open = name.lastIndex(of: "(") {
            let functions = name[..<open].split(separator: "(").map { $0.trimmingCharacters(in: .whitespaces) }
            if let unknown = functions.first(where: { !transforms.contains($0) }) {
                return "no function is called \"\(unknown)\""
            }
            name = name[name.index(after: open)...].prefix { $0 != ")" }
        }
        name = Substring(name.trimmingCharacters(in: .whitespaces))
        if name.isEmpty || name == "." { return nil }
        let unknown = name.split(separator: ".").filter { !known.contains(String($0)) }
        return unknown.isEmpty ? nil : "no value is called \(unknown.map { "\"\($0)\"" }.joined(separator: ", "))"
    }
}

extension TemplateNames {
    /// `template` compiled, once every name it asks for is found among `values`. Throws
    /// `TemplateError` with one problem a line, each with its line and column; `listedUnder`
    /// is the README section that lists the values a template of this kind can use.
    static func compiled(_ template: String, values: [String: Set<String>], listedUnder section: String) throws -> MustacheTemplate {
        let compiled: MustacheTemplate
        do {
            compiled = try MustacheTemplate(string: template)
        } catch let error as MustacheTemplate.ParserError {
            throw TemplateError("line \(error.context.lineNumber), column \(error.context.columnNumber): not valid Mustache (\(error.error))")
        } catch {
            throw TemplateError("not valid Mustache (\(error))")
        }
        let unknown = unknown(in: template, values: values)
        if !unknown.isEmpty {
            throw TemplateError(unknown.map { "line \($0.line), column \($0.column): \($0.tag): \($0.problem)" }
                .joined(separator: "\n") + "\n(the values a template can use are listed in the README, under \(section))")
        }
        return compiled
    }
}

/// A template that cannot be used, with the place of each problem, one a line.
public struct TemplateError: LocalizedError, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
}
