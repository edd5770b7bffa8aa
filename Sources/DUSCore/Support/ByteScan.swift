/// Finds the bytes of a JSON string's text that cannot be copied as they are, eight bytes
/// at a time.
///
/// Reading and writing reviews copies about 5 KB of string text per review through the
/// JSON parser and the JSON of the stored parts; looking at each byte in turn was a fifth
/// of the parser's work. A 64-bit word holds eight bytes, and a few integer operations
/// tell whether any of them is one of the bytes sought ("Bit Twiddling Hacks": `haszero`,
/// `hasless`); only then is the word looked at byte by byte.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first byte at or after `start` that is `"`, `\` or a control
    /// character (below 0x20), or also 0xE2 when `orE2` (the first byte of U+2028 and
    /// U+2029, which the stored JSON escapes); `bytes.count` when there is none.
    static func firstSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, orE2: Bool = false) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            // Without `orE2`, the fourth test looks for the quote again and finds nothing new.
            let quote = ones &* 0x22, backslash = ones &* 0x5C, e2 = orE2 ? ones &* 0xE2 : quote
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                // A flag in the high bit of each byte that is below 0x20 or equal to one sought.
                // A flag may also be set wrongly, but only in a byte after a rightly flagged
                // one: the lowest flag is always right.
                let flags = (less(word, than: 0x20) | zero(word ^ quote) | zero(word ^ backslash) | zero(word ^ e2)) & highBits
                if flags != 0 { return index + flags.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || (orE2 && byte == 0xE2) { return index }
            index += 1
        }
        return index
    }

    /// Whether `bytes` holds an ASCII digit. Publishing checks every text of a review for an
    /// exact date, and a text without a digit cannot hold one.
    static func containsDigit(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            // `^ 0x30` turns the digits, and only them, into the bytes below 10.
            let zeroDigit = ones &* 0x30
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if less(word ^ zeroDigit, than: 10) & highBits != 0 { return true }
                index += 8
            }
        }
        while index < bytes.count {
            if bytes[index] &- 0x30 < 10 { return true }
            index += 1
        }
        return false
    }

    /// The high bit set in each byte of `word` that is zero (and maybe in bytes after one).
    @inline(__always)
    private static func zero(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word
    }

    /// The high bit set in each byte of `word` below `limit` (at most 128; maybe also in
    /// bytes after one).
    @inline(__always)
    private static func less(_ word: UInt64, than limit: UInt64) -> UInt64 {
        (word &- ones &* limit) & ~word
    }
}
