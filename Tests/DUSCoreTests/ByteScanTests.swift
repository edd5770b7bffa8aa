import Foundation
import Testing
@testable import DUSCore

/// The eight-bytes-at-a-time scan finds exactly the byte a byte-by-byte look would find.
@Suite struct ByteScanTests {
    /// The byte-by-byte answer the scan must give.
    private func firstSpecial(_ bytes: [UInt8], from start: Int, orE2: Bool) -> Int {
        bytes[start...].firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || (orE2 && $0 == 0xE2) } ?? bytes.count
    }

    @Test func findsTheSameByteAsLookingAtEachInTurn() {
        // Bytes near the edges of the tests (0x1F/0x20, around " and \, 0xE2 and the high
        // bit), at every place in a word and in the tail after the last whole word.
        let alphabet: [UInt8] = [0x00, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x61, 0x7F, 0x80, 0xA2, 0xE1, 0xE2, 0xE3, 0xFF]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &generator)
            // Mostly plain text with a few bytes from the alphabet, so that runs are long.
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<6, using: &generator) == 0 ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0x23...0x5B, using: &generator)
            }
            let start = Int.random(in: 0...count, using: &generator)
            for orE2 in [false, true] {
                let found = bytes.withUnsafeBufferPointer { ByteScan.firstSpecial(in: $0, from: start, orE2: orE2) }
                #expect(found == firstSpecial(bytes, from: start, orE2: orE2), "\(bytes) from \(start), orE2 \(orE2)")
            }
        }
    }

    @Test func aByteAboveTheOneSoughtIsNotMistakenForIt() {
        // A borrow from one byte can flag the byte above it: the scan must report the first.
        let bytes: [UInt8] = [0x61, 0x61, 0x61, 0x00, 0x01, 0x22, 0x5C, 0x61, 0x61]
        #expect(bytes.withUnsafeBufferPointer { ByteScan.firstSpecial(in: $0, from: 0) } == 3)
        let plain = Array("no escape needed here, at all".utf8)
        #expect(plain.withUnsafeBufferPointer { ByteScan.firstSpecial(in: $0, from: 0) } == plain.count)
        let dash = Array("a dash \u{2014} and a line separator \u{2028}".utf8)
        #expect(dash.withUnsafeBufferPointer { ByteScan.firstSpecial(in: $0, from: 0, orE2: true) } == 7)
        #expect(dash.withUnsafeBufferPointer { ByteScan.firstSpecial(in: $0, from: 0) } == dash.count)
        #expect([UInt8]().withUnsafeBufferPointer { ByteScan.firstSpecial(in: $0, from: 0) } == 0)
    }

    @Test func findsADigitExactlyWhenThereIsOne() {
        // Bytes next to the digits (/ and :), those that `^ 0x30` takes below 10 when the
        // high bit is ignored (0x80...0x89, 0xB0...0xB9), and at every place in a word.
        let alphabet: [UInt8] = [0x00, 0x09, 0x2F, 0x30, 0x35, 0x39, 0x3A, 0x80, 0x89, 0xB0, 0xB9, 0xFF]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<8, using: &generator) == 0 ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0x41...0x7A, using: &generator)
            }
            let found = bytes.withUnsafeBufferPointer(ByteScan.containsDigit)
            #expect(found == bytes.contains { $0 >= 0x30 && $0 <= 0x39 }, "\(bytes)")
        }
        // A degree sign and a subscript nine are not digits; their bytes include 0xB0 and 0x89.
        #expect(!Array("twenty \u{B0}C, x\u{2089}, and no digit at all".utf8).withUnsafeBufferPointer(ByteScan.containsDigit))
        #expect(Array("seen on the 3rd".utf8).withUnsafeBufferPointer(ByteScan.containsDigit))
    }
}
