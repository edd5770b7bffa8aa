import CCmarkGFM
import Foundation

/// GitHub-flavoured Markdown to HTML through cmark-gfm: the one file that calls it.
public enum MarkdownHTML {
    /// Registers the GFM extensions once: cmark-gfm's own registration is not thread-safe.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// The HTML body for `markdown`, with GFM tables. Raw HTML in the Markdown is left
    /// out (cmark-gfm's safe default), so no text of a review can inject markup.
    static func body(_ markdown: String) -> String {
        _ = registered
        let options = CMARK_OPT_DEFAULT
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink"] {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        var bytes = Array(markdown.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    /// Text for HTML or SVG: `&`, `<` and `>` escaped.
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// How a page prints: A4 upright (a document to read), or A4 landscape (a wide table).
    enum Layout {
        case portrait, landscape
    }

    /// A standalone page: the body inside a small, printable HTML document, its CSS inline.
    /// Printed, tables, charts and list items are not split across pages where that can
    /// be avoided, headings stay with what follows, and a link shows its address as text.
    /// `inline` maps an image source to markup put in the image's place (a chart as inline
    /// SVG), so that the page refers to no other file.
    static func page(title: String, markdown: String, layout: Layout = .portrait, inline: [String: String] = [:]) -> String {
        let width = layout == .landscape ? "max-width: none; margin: 1rem 1.5rem;" : "max-width: 48rem; margin: 2rem auto;"
        let size = layout == .landscape ? "A4 landscape" : "A4"
        var body = body(markdown)
        for (source, markup) in inline {
            // cmark-gfm writes an image as <img src="SOURCE" alt="..." />.
            let pattern = "<img src=\"" + NSRegularExpression.escapedPattern(for: source) + "\"[^>]*/>"
            if let expression = try? NSRegularExpression(pattern: pattern) {
                body = expression.stringByReplacingMatches(
                    in: body, range: NSRange(body.startIndex..., in: body), withTemplate: NSRegularExpression.escapedTemplate(for: markup))
            }
        }
        // Any other image came from a text (`![x](https://...)` in a note): shown as its
        // words, so that the page fetches nothing from anywhere.
        if let image = try? NSRegularExpression(pattern: #"<img src="[^"]*" alt="([^"]*)"[^>]*/>"#) {
            body = image.stringByReplacingMatches(in: body, range: NSRange(body.startIndex..., in: body), withTemplate: "$1")
        }
        return """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escaped(title))</title>
            <style>
            body { font-family: system-ui, sans-serif; \(width) padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
            table { border-collapse: collapse; margin: 1rem 0; }
            th, td { border-bottom: 1px solid #ccc; padding: 0.25rem 0.75rem; vertical-align: top; }
            th { text-align: left; }
            img, svg { max-width: 100%; height: auto; }
            @page { size: \(size); margin: 12mm; }
            @media print {
              body { margin: 0; max-width: none; font-size: 10pt; }
              table, tr, svg, li, blockquote { break-inside: avoid; }
              h1, h2, h3 { break-after: avoid; }
              a[href]::after { content: " (" attr(href) ")"; }
            }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }
}
