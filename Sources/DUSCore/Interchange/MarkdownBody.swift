import Foundation

/// The body of a Markdown review file: `## Summary` (free text), `## Findings` and
/// `## Learning` (bullet lists, one item each, with themes as trailing hashtags).
///
/// An item may run over several lines: continuation lines are indented by two spaces.
struct MarkdownBody {
    var fields: [(key: String, value: Node)] = []
    var problems: [Problem] = []

    static let sections = ["summary", "findings", "learning"]

    static func parse(_ lines: ArraySlice<Substring>, firstLine: Int, file: String) -> MarkdownBody {
        var body = MarkdownBody()
        var current: String?
        var sectionLine = 0
        var collected: [(line: Int, text: Substring)] = []
        var seen: Set<String> = []

        func finish() {
            guard let section = current else { return }
            if section == "summary" {
                let text = collected.map(\.text).joined(separator: "\n")
                // A problem with the summary points at its first line of text, not the heading.
                let firstLine = collected.first { !$0.text.allSatisfy(\.isWhitespace) }?.line ?? sectionLine
                body.fields.append((key: "summary", value: Node(.scalar(text, plain: false), line: firstLine)))
            } else {
                body.fields.append((key: section, value: items(collected, section: section, file: file, sectionLine: sectionLine, problems: &body.problems)))
            }
            collected = []
        }

        for (offset, line) in lines.enumerated() {
            let number = firstLine + offset
            if line.hasPrefix("## ") {
                let title = line.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
                if sections.contains(title) {
                    finish()
                    if !seen.insert(title).inserted {
                        body.problems.append(Problem(file: file, line: number, field: title, message: "the section appears twice"))
                    }
                    current = title
                    sectionLine = number
                    continue
                }
                // Under the summary a heading may be part of its text, but not one that looks
                // like a place for recommendations or actions: those would be lost as prose.
                let misplaced = title.hasPrefix("recommendation") || title.hasPrefix("action")
                if current != "summary" || misplaced {
                    body.problems.append(Problem(file: file, line: number, field: "body", message: "unknown section '\(line)'; the sections are ## Summary, ## Findings and ## Learning; recommendations and their actions go in the front matter, under recommendations: (docs/review-format.md shows how)"))
                    continue
                }
            }
            if current == nil {
                if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    body.problems.append(Problem(file: file, line: number, field: "body", message: "text before the first section; put it under ## Summary"))
                }
                continue
            }
            collected.append((number, line))
        }
        finish()
        return body
    }

    /// Turns the lines of a bullet-list section into `{text, themes}` nodes.
    private static func items(
        _ lines: [(line: Int, text: Substring)], section: String, file: String, sectionLine: Int, problems: inout [Problem]
    ) -> Node {
        var items: [(line: Int, lines: [Substring])] = []
        var pendingBlank = 0
        for (number, raw) in lines {
            let line = raw.replacingOccurrences(of: "\t", with: "    ")[...]
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                pendingBlank += 1
                continue
            }
            if line.hasPrefix("- ") || line.hasPrefix("* ") || line == "-" || line == "*" {
                items.append((number, [line.dropFirst(2)]))
                pendingBlank = 0
            } else if line.hasPrefix("  "), !items.isEmpty {
                items[items.count - 1].lines += Array(repeating: "", count: pendingBlank) + [line.dropFirst(2)]
                pendingBlank = 0
            } else {
                problems.append(Problem(file: file, line: number, field: section, message: "expected a bullet item ('- text #theme') or an indented continuation line"))
            }
        }
        let nodes = items.map { item -> Node in
            var text = item.lines.joined(separator: "\n")
            var themes: [Node] = []
            while let (word, rest) = lastHashtag(text) {
                themes.insert(Node(.scalar(word, plain: true), line: item.line), at: 0)
                text = rest
            }
            return Node(.map([
                (key: "text", value: Node(.scalar(text, plain: false), line: item.line)),
                (key: "themes", value: Node(.list(themes), line: item.line)),
            ]), line: item.line)
        }
        return Node(.list(nodes), line: sectionLine)
    }

    /// Splits a trailing `#theme` off the text: the theme and the text before it.
    static func lastHashtag(_ text: String) -> (String, String)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let start = trimmed.lastIndex(where: { $0 == " " || $0 == "\n" }).map { trimmed.index(after: $0) } ?? trimmed.startIndex
        let word = trimmed[start...]
        guard word.count >= 2, word.first == "#", word.dropFirst().first?.isLetter == true,
              word.dropFirst().allSatisfy({ ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }) else { return nil }
        return (String(word.dropFirst()), trimmed[..<start].trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
