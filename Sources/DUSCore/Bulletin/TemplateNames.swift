import Foundation

/// Checks the names a Mustache template asks for against the values it will be given.
///
/// Mustache renders a name it cannot find as nothing, so a misspelt `{{perod}}` would
/// leave a silent gap in a published bulletin. swift-mustache does not report such names,
/// and keeps its parsed tags to itself, so this reads the tags of the template text
/// directly: variables, sections, inverted sections and their ends, with the set
/// delimiter tag (`{{=<% %>=}}`) honoured. A name passes when it is a key somewhere in the
/// values (the check does not follow Mustache's scoping), `.`, or a sequence value such
/// as `first()`. Partials are refused: a bulletin template has none to include.
enum TemplateNames {
    struct Unknown: Equatable {
        var tag: String
        var line: Int
        var column: Int
        var problem: String
    }

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

    /// The tags of `template` that ask for a name not in `known`, or that are partials,
    /// with their places (lines and columns count from 1, columns in characters).
    static func unknown(in template: String, known: Set<String>) -> [Unknown] {
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
            let content = String(text[contentStart..<end]).trimmingCharacters(in: .whitespaces)
            let tag = String(text[start..<end + closing.count])
            advance(to: end + closing.count)
            let sigil = closing == close ? content.first : nil
            switch sigil {
            case "!", "%", "$":
                continue // comments, pragmas, block names
            case "=":
                // `=<% %>=`: the new delimiters, separated by space.
                let parts = content.dropFirst().dropLast().split(separator: " ")
                if parts.count == 2 { (open, close) = (String(parts[0]), String(parts[1])) }
                continue
            case ">", "<":
                found.append(Unknown(tag: tag, line: tagLine, column: tagColumn, problem: "a partial, which a bulletin template cannot include"))
                continue
            case "#", "^", "/", "&":
                if let problem = problem(with: String(content.dropFirst()), known: known) {
                    found.append(Unknown(tag: tag, line: tagLine, column: tagColumn, problem: problem))
                }
            default:
                if let problem = problem(with: content, known: known) {
                    found.append(Unknown(tag: tag, line: tagLine, column: tagColumn, problem: problem))
                }
            }
        }
        return found
    }

    /// Why the name of a tag (`name`, `a.b`, `.`, `transform(name)`) is not known, or nil.
    private static func problem(with tagName: String, known: Set<String>) -> String? {
        var name = Substring(tagName.trimmingCharacters(in: .whitespaces))
        // `uppercased(name)`: the name is inside the innermost parentheses.
        if let open = name.lastIndex(of: "(") {
            name = name[name.index(after: open)...].prefix { $0 != ")" }
        }
        if name.isEmpty || name == "." { return nil }
        let unknown = name.split(separator: ".").filter { !known.contains(String($0)) }
        return unknown.isEmpty ? nil : "no value is called \(unknown.map { "\"\($0)\"" }.joined(separator: ", "))"
    }
}
