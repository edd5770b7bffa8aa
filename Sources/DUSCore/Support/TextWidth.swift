/// How wide text is on a terminal, as `wcwidth` measures it: East Asian wide and
/// full-width characters take two columns, combining marks none, ANSI colour codes none,
/// and everything else (ambiguous widths included: `█`, `–`, `▲`) one.
enum TextWidth {
    static func of(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; continue }
            width += columns(scalar)
        }
        return width
    }

    private static func columns(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        let value = scalar.value
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }

    /// `text` in lines of at most `width` columns, broken at spaces; a word longer than a
    /// line is broken where it must be. The first line starts after `first`, the others
    /// after `rest` (both counted in the width).
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = lineHasWord ? line + " " + word : line + word
            if of(candidate) <= width || !lineHasWord && of(line + word) <= width {
                line = candidate
                lineHasWord = true
                continue
            }
            if lineHasWord {
                lines.append(line)
                line = rest
            }
            // A word wider than a whole line is cut.
            var remaining = word
            while of(line + remaining) > width, let cut = prefix(remaining, columns: width - of(line)), !cut.isEmpty {
                lines.append(line + cut)
                remaining = String(remaining.dropFirst(cut.count))
                line = rest
            }
            line += remaining
            lineHasWord = true
        }
        if lineHasWord || lines.isEmpty { lines.append(line) }
        return lines
    }

    private static func prefix(_ text: String, columns: Int) -> String? {
        var out = ""
        for character in text {
            if of(out + String(character)) > columns { break }
            out.append(character)
        }
        return out
    }

    /// `text` padded with spaces to `width` columns.
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - of(text)))
    }
}
