/// Text built up as UTF-8 bytes: long outputs (a list of 80,000 actions) are several
/// times faster to make this way than by appending to a String.
struct TextBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the buffer, keeping its memory.
    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Hands the bytes so far to `write` and starts again, keeping the buffer.
    mutating func flush(to write: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer(write)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: Substring) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes.append(contentsOf: bytes)
    }

    mutating func append(_ number: Int) {
        append(String(number))
    }

    /// The text on one line: each run of line ends becomes a space.
    mutating func appendOneLine(_ text: String) {
        var text = text
        // Line ends are U+000A to U+000D, U+0085 (C2 85), U+2028 and U+2029 (E2 80 A8/A9).
        let plain = text.withUTF8 { bytes in !bytes.contains { (0x0A...0x0D).contains($0) || $0 == 0xC2 || $0 == 0xE2 } }
        if plain {
            append(text)
        } else {
            append(text.split(whereSeparator: \.isNewline).joined(separator: " "))
        }
    }
}
