import Foundation
import GRDB
import Testing
@testable import DUSCore

/// The pattern engine over thousands of generated reviews (several batches for the
/// counting thread), against a count made directly from the `Review` values.
@Suite struct PatternScaleTests {
    static let count = 5_000

    @Test func engineAgreesWithADirectCountOverManyReviews() throws {
        var generator = Generator(seed: 11)
        let reviews = (1...Self.count).map { generator.review(number: $0) }
        let store = try Store(inMemory: .standard)
        try store.write { db in
            for review in reviews { try store.insert(review, db, now: "2026-11-22T00:00:00Z") }
        }
        let counted = reviews.filter { $0.classification != .notDrugRelated }
        var filter = ReviewFilter()
        filter.includesNotDrugRelated = false
        let report = try PatternEngine(store: store).report(matching: filter, by: .kind)

        #expect(report.all.reviews == counted.count)
        #expect(report.all.deaths == counted.filter { $0.kind == .death }.count)
        for (index, factor) in store.catalogue.factors.enumerated() {
            var expected = [DerivedAnswer: Int]()
            for review in counted { expected[review.answer(to: factor, derived: Derived(for: review)), default: 0] += 1 }
            let got = report.all.factors[index]
            let risk: DerivedAnswer = factor.risk == .yes ? .yes : .no
            let noRisk: DerivedAnswer = factor.risk == .yes ? .no : .yes
            #expect(got.risk == expected[risk, default: 0], "\(factor.id) risk")
            #expect(got.noRisk == expected[noRisk, default: 0], "\(factor.id) no risk")
            #expect(got.unknown == expected[.unknown, default: 0], "\(factor.id) unknown")
            #expect(got.notApplicable == expected[.notApplicable, default: 0], "\(factor.id) not applicable")
        }
        var substances = [String: Int]()
        var themeFindings = [String: Int]()
        var themeReviews = [String: Int]()
        for review in counted {
            for substance in review.substances { substances[substance, default: 0] += 1 }
            for finding in review.findings {
                for theme in finding.themes { themeFindings[theme, default: 0] += 1 }
            }
            for theme in Set(review.findings.flatMap(\.themes)) { themeReviews[theme, default: 0] += 1 }
        }
        #expect(report.all.substances == substances)
        #expect(report.all.themeFindings == themeFindings)
        #expect(report.all.themeReviews == themeReviews)
        // The slices by kind add up to the whole.
        #expect(report.slices.map(\.key) == ["death", "near-miss"])
        #expect(report.slices.map(\.reviews).reduce(0, +) == report.all.reviews)
        #expect(report.slices.first?.reviews == report.all.deaths)
    }

    @Test func aVersion1DatabaseGainsFindingThemesWhenOpened() throws {
        let path = Scratch.root.appendingPathComponent("dus-v1-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try OldDatabase.make(at: path, upTo: "v1-reviews", OldDatabase.review(
            id: 1, reference: "V1-1", classification: "confirmed", eventDate: "2024-05-01", substances: #"["heroin"]"#) + """
            INSERT INTO finding (review_id, position, text, themes) VALUES
              (1, 1, 'First.', '["naloxone","release-planning"]'), (1, 2, 'Second.', '["naloxone"]');
            """)
        let store = try Store(path: path)
        let report = try PatternEngine(store: store).report(matching: ReviewFilter())
        #expect(report.all.themeFindings == ["naloxone": 2, "release-planning": 1])
        #expect(report.all.themeReviews == ["naloxone": 1, "release-planning": 1])
        #expect(report.all.substances == ["heroin": 1])
    }
}

/// The JSON parser that reads `.json` and `.jsonl` review files.
@Suite struct JSONParserTests {
    func scalar(_ json: String) throws -> String? {
        if case .scalar(let text, _) = try JSONParser.parse(json).value { return text }
        return nil
    }

    @Test func escapesAndUnicodeAreDecoded() throws {
        #expect(try scalar(#""a\"b\\c\/d\n\t\r\b\f""#) == "a\"b\\c/d\n\t\r\u{08}\u{0C}")
        #expect(try scalar(#""caf\u00e9 \ud83d\ude00""#) == "café 😀")
        #expect(try scalar("\"café 😀\"") == "café 😀")
    }

    @Test func objectsKeepTheirOrderAndNumbersTheirText() throws {
        guard case .map(let pairs) = try JSONParser.parse(#" {"b": 1, "a": [true, false, null, -2.5e3]} "#).value else {
            Issue.record("not a map")
            return
        }
        #expect(pairs.map(\.key) == ["b", "a"])
        guard case .list(let items) = pairs[1].value.value else {
            Issue.record("not a list")
            return
        }
        #expect(items.count == 4)
        if case .number(let text) = items[3].value { #expect(text == "-2.5e3") } else { Issue.record("not a number") }
        if case .number(let text) = pairs[0].value.value { #expect(text == "1") } else { Issue.record("not a number") }
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, "expected a key"),
        (#"{"a" 1}"#, "expected ':'"),
        (#"[1 2]"#, "expected ',' or ']'"),
        (#""\ud83d""#, "half a surrogate pair"),
        ("\"a\u{01}b\"", "control character"),
        (#""\x""#, "unknown escape"),
        (#"{"a": 1} x"#, "after the end"),
        (#"01"#, "after the end"),
        (#"1."#, "after the decimal point"),
        (#"tru"#, "unexpected"),
        (#""open"#, "not closed"),
        ("", "end of the text"),
    ])
    func malformedJSONIsRefusedWithTheReason(json: String, reason: String) {
        #expect {
            _ = try JSONParser.parse(json)
        } throws: { error in
            (error as? JSONParser.SyntaxError)?.message.contains(reason) == true
        }
    }

    @Test func aKeyWrittenTwiceIsReportedNotSilentlyDropped() {
        let files = ReviewFiles(catalogue: .standard, today: Day("2026-11-22")!)
        let reads = files.readJSON(#"{"reference": "NW-2025-0007", "kind": "death", "kind": "near-miss"}"#, file: "t.json")
        #expect(reads.first?.problems.contains { $0.field == "kind" && $0.message == "appears twice" } == true)
        #expect(reads.first?.review == nil)
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let json = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.SyntaxError.self) { _ = try JSONParser.parse(json) }
    }

    @Test func errorsNameLineAndColumn() {
        #expect {
            _ = try JSONParser.parse("{\n  \"a\": 1,\n  x\n}")
        } throws: { error in
            let error = error as? JSONParser.SyntaxError
            return error?.line == 3 && error?.column == 3
        }
    }
}
