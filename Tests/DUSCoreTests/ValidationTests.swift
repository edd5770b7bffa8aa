import Foundation
import Testing
@testable import DUSCore

/// The rules of review-format.md, one test per rule, through the public entry points
/// `ReviewFiles.readMarkdown` and `ReviewFiles.readJSON`.
///
/// The minimal Markdown review puts `---` on line 1, then reference (2), kind (3),
/// event_date (4), region (5), supervision (6); extra keys follow in name order from line 7.
@Suite struct ValidationTests {
    let files = ReviewFiles(catalogue: .standard, today: Day("2026-11-22")!)

    // MARK: - Building inputs

    /// A minimal valid Markdown review, with fields changed or added (`changes`), removed
    /// (`without`), raw YAML lines appended to the front matter (`extra`) and a body.
    func markdownText(
        _ changes: [String: String] = [:], without removed: Set<String> = [], extra: String? = nil, body: String = ""
    ) -> String {
        let base: [(key: String, value: String)] = [
            (key: "reference", value: "NW-2025-0007"),
            (key: "kind", value: "death"),
            (key: "event_date", value: "2025-03-01"),
            (key: "region", value: "North West"),
            (key: "supervision", value: "licence"),
        ]
        let baseKeys: Set<String> = Set(base.map { $0.key })
        var lines: [String] = ["---"]
        for field in base where !removed.contains(field.key) {
            lines.append(field.key + ": " + (changes[field.key] ?? field.value))
        }
        for key in changes.keys.sorted() where !baseKeys.contains(key) {
            lines.append(key + ": " + (changes[key] ?? ""))
        }
        if let extra {
            lines.append(extra)
        }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n" + body
    }

    func readMD(
        _ changes: [String: String] = [:], without removed: Set<String> = [], extra: String? = nil, body: String = ""
    ) -> ReadReview {
        files.readMarkdown(markdownText(changes, without: removed, extra: extra, body: body), file: "t.md")
    }

    /// A minimal valid JSON review object, with extra members (already JSON) appended.
    func jsonText(_ extra: String? = nil, reference: String = "NW-2025-0007") -> String {
        var members: [String] = [
            "\"reference\": \"" + reference + "\"",
            "\"kind\": \"death\"",
            "\"event_date\": \"2025-03-01\"",
            "\"region\": \"North West\"",
            "\"supervision\": \"licence\"",
        ]
        if let extra {
            members.append(extra)
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// Reads one JSON review object (the first and only read).
    func readJSON(_ extra: String? = nil, reference: String = "NW-2025-0007") -> ReadReview {
        let reads = files.readJSON(jsonText(extra, reference: reference), file: "t.json")
        return reads.first ?? ReadReview(review: nil, problems: [], file: "t.json", line: nil)
    }

    /// A recommendations block holding one recommendation with the given lines.
    func recommendationYAML(_ lines: [String]) -> String {
        "recommendations:\n  - " + lines.joined(separator: "\n    ")
    }

    /// A recommendations block with one valid recommendation R1 holding the given actions.
    func actionsYAML(_ actions: [[String]]) -> String {
        var text = "recommendations:\n  - id: R1\n    text: Hand naloxone to every prison leaver.\n    response: agreed\n    actions:"
        for action in actions {
            text += "\n      - " + action.joined(separator: "\n        ")
        }
        return text
    }

    let validAction: [String] = [
        "text: Add naloxone to the release checklist.",
        "owner: Head of Healthcare",
        "target_date: 2025-06-30",
    ]

    let publishedBody = "## Findings\n- No naloxone was handed over. #naloxone\n\n## Learning\n- Check naloxone before release. #naloxone\n"

    // MARK: - Checking results

    func describe(_ read: ReadReview) -> String {
        read.problems.map { $0.description }.joined(separator: "\n")
    }

    /// The read failed with a problem on `field` whose message contains `fragment`, and
    /// (unless `count` is nil) exactly `count` problems in all.
    func expectProblem(
        _ read: ReadReview, field: String, contains fragment: String, count: Int? = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let list = describe(read)
        #expect(read.review == nil, "a review with problems must not be returned", sourceLocation: sourceLocation)
        if let count {
            #expect(read.problems.count == count, "expected \(count) problem(s), got:\n\(list)", sourceLocation: sourceLocation)
        }
        let found = read.problems.contains { $0.field == field && $0.message.contains(fragment) }
        #expect(found, "no problem on \(field) containing \"\(fragment)\"; got:\n\(list)", sourceLocation: sourceLocation)
    }

    /// The read passed every rule; returns the review.
    func expectValid(_ read: ReadReview, sourceLocation: SourceLocation = #_sourceLocation) throws -> Review {
        #expect(read.problems.isEmpty, "unexpected problems:\n\(describe(read))", sourceLocation: sourceLocation)
        return try #require(read.review, sourceLocation: sourceLocation)
    }

    // MARK: - The minimal reviews

    @Test func minimalMarkdownReviewIsValid() throws {
        let review = try expectValid(readMD())
        #expect(review.reference == "NW-2025-0007")
        #expect(review.kind == .death)
        #expect(review.eventDate == Day("2025-03-01"))
        #expect(review.region == "North West")
        #expect(review.supervision == .licence)
        #expect(review.status == .draft)
        #expect(review.classification == .suspected)
        #expect(review.sex == .unknown)
        #expect(review.eventPlace == .unknown)
        #expect(review.bystanderPresent == .unknown)
        #expect(review.summary == nil)
        #expect(review.findings.isEmpty)
        #expect(review.factors.isEmpty)
    }

    @Test func minimalJSONReviewIsValid() throws {
        let review = try expectValid(readJSON())
        #expect(review.reference == "NW-2025-0007")
        #expect(review.kind == .death)
        #expect(review.region == "North West")
    }

    // MARK: - Reference

    @Test func lowerCaseReferenceIsRefused() {
        let read = readMD(["reference": "nw-2025-0007"])
        expectProblem(read, field: "reference", contains: "lower case is refused")
    }

    @Test func tooShortReferenceIsRefused() {
        let read = readMD(["reference": "NW"])
        expectProblem(read, field: "reference", contains: "characters of A-Z, 0-9 and -")
        #expect(read.problems.first?.message.contains("lower case") == false)
    }

    @Test func tooLongReferenceIsRefused() {
        let read = readMD(["reference": String(repeating: "A", count: 41)])
        expectProblem(read, field: "reference", contains: "characters of A-Z, 0-9 and -")
    }

    @Test func referenceWithBadCharactersIsRefused() {
        let read = readMD(["reference": "NW_2025_0007"])
        expectProblem(read, field: "reference", contains: "characters of A-Z, 0-9 and -")
        #expect(read.problems.first?.message.contains("lower case") == false)
    }

    @Test func referenceThatLooksLikeACaseReferenceNumberIsRefused() {
        let read = readMD(["reference": "X123456"])
        expectProblem(read, field: "reference", contains: "looks like a case reference number")
    }

    @Test func referenceThatLooksLikeAPrisonNumberIsRefused() {
        let read = readMD(["reference": "A1234BC"])
        expectProblem(read, field: "reference", contains: "looks like a prison number")
    }

    // MARK: - Required fields and controlled lists

    @Test(arguments: ["reference", "kind", "event_date", "region", "supervision"])
    func missingRequiredFieldIsReported(field: String) {
        let read = readMD(without: [field])
        expectProblem(read, field: field, contains: "is required")
    }

    @Test func requiredFieldInJSONIsReported() {
        let reads = files.readJSON("{\"reference\": \"NW-2025-0007\", \"kind\": \"death\", \"event_date\": \"2025-03-01\", \"region\": \"North West\"}", file: "t.json")
        #expect(reads.count == 1)
        if let read = reads.first {
            expectProblem(read, field: "supervision", contains: "is required")
        }
    }

    @Test func unknownKindNamesTheList() {
        let read = readMD(["kind": "dead"])
        expectProblem(read, field: "kind", contains: "\"dead\" is not one of death, near-miss")
    }

    @Test(arguments: zip(
        ["status", "classification", "supervision", "sex", "ethnicity", "event_place"],
        ["final", "probable", "parole", "m", "martian", "garden"]
    ))
    func valueNotInControlledListIsRefused(field: String, value: String) {
        let read = readMD([field: value])
        expectProblem(read, field: field, contains: "\"\(value)\" is not one of")
    }

    @Test func controlledValuesAreRead() throws {
        let review = try expectValid(readMD([
            "kind": "near-miss", "status": "agreed", "classification": "confirmed",
            "supervision": "community-order", "sex": "female", "ethnicity": "mixed", "event_place": "own-home",
        ]))
        #expect(review.kind == .nearMiss)
        #expect(review.status == .agreed)
        #expect(review.classification == .confirmed)
        #expect(review.supervision == .communityOrder)
        #expect(review.sex == .female)
        #expect(review.ethnicity == .mixed)
        #expect(review.eventPlace == .ownHome)
    }

    // MARK: - Dates

    @Test func impossibleCalendarDateIsRefused() {
        let read = readMD(["event_date": "2025-02-30"])
        expectProblem(read, field: "event_date", contains: "2025-02-30 is not a real calendar date")
    }

    @Test func dateNotInStrictFormIsRefused() {
        let read = readMD(["event_date": "2025-2-3"])
        expectProblem(read, field: "event_date", contains: "is not a date in the form YYYY-MM-DD")
    }

    @Test func eventDateInTheFutureIsRefused() {
        let read = readMD(["event_date": "2026-11-23"])
        expectProblem(read, field: "event_date", contains: "is in the future")
    }

    @Test func eventDateTodayIsAccepted() throws {
        let review = try expectValid(readMD(["event_date": "2026-11-22"]))
        #expect(review.eventDate == Day("2026-11-22"))
    }

    @Test func releaseDateAfterEventDateIsRefused() {
        let read = readMD(["release_date": "2025-03-05"])
        expectProblem(read, field: "release_date", contains: "is after the event date 2025-03-01")
    }

    @Test func releaseDateOnOrBeforeEventDateIsAccepted() throws {
        let review = try expectValid(readMD(["release_date": "2025-02-20"]))
        #expect(review.releaseDate == Day("2025-02-20"))
    }

    @Test func reviewDateBeforeEventDateIsRefused() {
        let read = readMD(["review_date": "2025-02-01"])
        expectProblem(read, field: "review_date", contains: "is before the event date 2025-03-01")
    }

    // MARK: - Region

    @Test(arguments: ["\"kent, surrey & sussex\"", "Kent Surrey and Sussex", "kent-surrey-and-sussex", "KSS"])
    func regionSpellingsGiveTheDisplayName(spelling: String) throws {
        let review = try expectValid(readMD(["region": spelling]))
        #expect(review.region == "Kent, Surrey and Sussex")
    }

    @Test func lowerCaseRegionNameGivesTheDisplayName() throws {
        let review = try expectValid(readMD(["region": "north west"]))
        #expect(review.region == "North West")
    }

    @Test func unknownRegionIsRefused() {
        let read = readMD(["region": "Atlantis"])
        expectProblem(read, field: "region", contains: "unknown region \"Atlantis\"")
    }

    // MARK: - Age

    @Test(arguments: ["17", "111"])
    func ageOutsideRangeIsRefused(age: String) {
        let read = readMD(["age": age])
        expectProblem(read, field: "age", contains: "\(age) is outside 18")
    }

    @Test func ageNotANumberIsRefused() {
        let read = readMD(["age": "forty"])
        expectProblem(read, field: "age", contains: "\"forty\" is not a whole number")
    }

    @Test func ageInRangeIsRead() throws {
        let review = try expectValid(readMD(["age": "41"]))
        #expect(review.age == 41)
    }

    // MARK: - YAML yes/no and empty values

    @Test(arguments: zip(["true", "On", "NO", "off", "yes", "unknown"], [Answer.yes, Answer.yes, Answer.no, Answer.no, Answer.yes, Answer.unknown]))
    func yamlBooleansReadAsAnswers(spelling: String, answer: Answer) throws {
        let review = try expectValid(readMD(["bystander_present": spelling]))
        #expect(review.bystanderPresent == answer)
    }

    @Test func factorAnsweredFalseReadsAsNo() throws {
        let review = try expectValid(readMD(extra: "factors:\n  naloxone_held_at_event: false"))
        #expect(review.factors["naloxone_held_at_event"] == .no)
    }

    @Test func badAnswerIsRefused() {
        let read = readMD(["bystander_present": "maybe"])
        expectProblem(read, field: "bystander_present", contains: "\"maybe\" is not yes, no or unknown")
    }

    @Test func emptyYAMLValueMeansOmitted() throws {
        let review = try expectValid(readMD(extra: "age:\nsex:\nrelease_date:\nstatus:"))
        #expect(review.age == nil)
        #expect(review.sex == .unknown)
        #expect(review.releaseDate == nil)
        #expect(review.status == .draft)
    }

    // MARK: - Factors

    @Test func unknownFactorIsRefused() {
        let read = readMD(extra: "factors:\n  not_a_factor: yes")
        expectProblem(read, field: "factors.not_a_factor", contains: "unknown factor")
    }

    @Test func derivedFactorIsRefused() {
        let read = readMD(["release_date": "2025-02-20"], extra: "factors:\n  first_fortnight: yes")
        expectProblem(read, field: "factors.first_fortnight", contains: "is derived from dates and lists")
    }

    @Test func releasedFactorWithoutReleaseDateIsRefused() {
        let read = readMD(extra: "factors:\n  homeless_on_release: yes")
        expectProblem(read, field: "factors.homeless_on_release", contains: "applies only when a release_date is recorded")
    }

    @Test func releasedFactorWithReleaseDateIsAccepted() throws {
        let review = try expectValid(readMD(["release_date": "2025-02-20"], extra: "factors:\n  homeless_on_release: yes"))
        #expect(review.factors["homeless_on_release"] == .yes)
    }

    @Test func unknownFactorAnswerIsNotKept() throws {
        let review = try expectValid(readMD(extra: "factors:\n  previous_overdose: unknown\n  used_alone: yes"))
        #expect(review.factors["previous_overdose"] == nil)
        #expect(review.factors == ["used_alone": Answer.yes])
        #expect(review.answer("previous_overdose") == .unknown)
    }

    // MARK: - Substances and themes

    @Test func substancesAreRead() throws {
        let review = try expectValid(readMD(["substances": "[heroin, benzodiazepines]"]))
        #expect(review.substances == ["heroin", "benzodiazepines"])
    }

    @Test func unknownSubstanceIsRefused() {
        let read = readMD(["substances": "[heroin, glue]"])
        expectProblem(read, field: "substances", contains: "unknown substance \"glue\"")
    }

    @Test func duplicateSubstanceIsRefused() {
        let read = readMD(["substances": "[heroin, heroin]"])
        expectProblem(read, field: "substances", contains: "substance \"heroin\" is listed twice")
    }

    @Test func unknownThemeInFindingHashtagIsRefused() {
        let read = readMD(body: "## Findings\n- No naloxone was handed over. #nonsense\n")
        expectProblem(read, field: "findings[1].themes", contains: "unknown theme \"nonsense\"")
    }

    @Test func themeListInJSONIsRead() throws {
        let review = try expectValid(readJSON("\"findings\": [{\"text\": \"No naloxone was handed over.\", \"themes\": [\"naloxone\", \"release-planning\"]}]"))
        #expect(review.findings == [Note(text: "No naloxone was handed over.", themes: ["naloxone", "release-planning"])])
    }

    @Test func unknownThemeInJSONListIsRefused() {
        let read = readJSON("\"findings\": [{\"text\": \"No naloxone was handed over.\", \"themes\": [\"naloxone\", \"bogus\"]}]")
        expectProblem(read, field: "findings[1].themes", contains: "unknown theme \"bogus\"")
    }

    // MARK: - Unknown fields

    @Test func unknownYAMLFieldSuggestsNearName() {
        let read = readMD(extra: "event_dat: 2025-03-01")
        expectProblem(read, field: "event_dat", contains: "unknown field (did you mean event_date?)")
    }

    @Test func unknownJSONFieldIsRefused() {
        let read = readJSON("\"colour\": \"red\"")
        expectProblem(read, field: "colour", contains: "unknown field")
    }

    @Test func unknownJSONFieldSuggestsNearName() {
        let read = readJSON("\"event_dat\": \"2025-03-01\"")
        expectProblem(read, field: "event_dat", contains: "did you mean event_date?")
    }

    @Test func unknownFieldInJSONFindingIsRefused() {
        let read = readJSON("\"findings\": [{\"text\": \"No naloxone was handed over.\", \"theme\": [\"naloxone\"]}]")
        expectProblem(read, field: "findings[1].theme", contains: "unknown field (did you mean themes?)")
    }

    @Test func derivedObjectInJSONIsAcceptedAndIgnored() throws {
        let review = try expectValid(readJSON("\"derived\": {\"days_since_release\": null, \"release_band\": \"not-released\", \"first_fortnight\": \"not-applicable\", \"polydrug\": \"unknown\"}"))
        #expect(review.reference == "NW-2025-0007")
        #expect(review.factors.isEmpty)
    }

    // MARK: - Markdown body

    @Test(arguments: ["summary", "findings", "learning"])
    func narrativeFieldInFrontMatterIsRefused(key: String) {
        let read = readMD([key: "Something happened."])
        expectProblem(read, field: key, contains: "belongs in the body")
    }

    @Test func textBeforeTheFirstSectionIsRefused() {
        let read = readMD(body: "Stray text\n## Summary\nA summary.\n")
        expectProblem(read, field: "body", contains: "text before the first section")
        #expect(read.problems.first?.line == 8)
    }

    @Test func unknownSectionAfterFindingsIsRefused() {
        let read = readMD(body: "## Findings\n- No naloxone was handed over. #naloxone\n## Other\n")
        expectProblem(read, field: "body", contains: "unknown section '## Other'")
    }

    @Test func nonBulletLineInFindingsIsRefused() {
        let read = readMD(body: "## Findings\n- No naloxone was handed over. #naloxone\nNot a bullet.\n")
        expectProblem(read, field: "findings", contains: "expected a bullet item")
    }

    @Test func summarySectionIsRead() throws {
        let review = try expectValid(readMD(body: "## Summary\nLine one.\nLine two.\n\n"))
        #expect(review.summary == "Line one.\nLine two.")
    }

    @Test func findingBulletsParseIntoTextAndThemes() throws {
        let body = "## Findings\n- No take-home naloxone was handed over. #naloxone #release-planning\n- The release date was not passed on. #information-sharing\n- A finding with no theme.\n\n## Learning\n* Check naloxone before release. #harm-reduction\n"
        let review = try expectValid(readMD(body: body))
        #expect(review.findings == [
            Note(text: "No take-home naloxone was handed over.", themes: ["naloxone", "release-planning"]),
            Note(text: "The release date was not passed on.", themes: ["information-sharing"]),
            Note(text: "A finding with no theme.", themes: []),
        ])
        #expect(review.learning == [Note(text: "Check naloxone before release.", themes: ["harm-reduction"])])
    }

    @Test func continuationLinesJoinWithNewline() throws {
        let body = "## Findings\n- The referral was made\n  but not followed up. #continuity-of-care\n"
        let review = try expectValid(readMD(body: body))
        #expect(review.findings == [Note(text: "The referral was made\nbut not followed up.", themes: ["continuity-of-care"])])
    }

    @Test func windowsLineEndingsAreNormalised() throws {
        let text = markdownText(body: "## Summary\nLine one.\nLine two.\n").replacingOccurrences(of: "\n", with: "\r\n")
        let review = try expectValid(files.readMarkdown(text, file: "t.md"))
        #expect(review.summary == "Line one.\nLine two.")
    }

    @Test func missingOpeningFrontMatterLineIsRefused() {
        let read = files.readMarkdown("reference: NW-2025-0007\n", file: "t.md")
        expectProblem(read, field: "front matter", contains: "starts with a line '---'")
        #expect(read.problems.first?.line == 1)
    }

    @Test func unclosedFrontMatterIsRefused() {
        let read = files.readMarkdown("---\nreference: NW-2025-0007\nkind: death\n", file: "t.md")
        expectProblem(read, field: "front matter", contains: "is not closed")
    }

    @Test func invalidYAMLIsRefused() {
        let read = files.readMarkdown("---\nreference: [unclosed\n---\n", file: "t.md")
        #expect(read.review == nil)
        #expect(read.problems.count == 1)
        #expect(read.problems.first?.field == "front matter")
        #expect(read.problems.first?.message.hasPrefix("is not valid YAML") == true)
    }

    @Test func frontMatterThatIsNotAMappingIsRefused() {
        let read = files.readMarkdown("---\n- one\n- two\n---\n", file: "t.md")
        expectProblem(read, field: "front matter", contains: "must be a mapping")
    }

    // MARK: - Publishing

    @Test func publishedWithoutFindingLearningOrClassificationGivesThreeProblems() {
        let read = readMD(["status": "published"])
        #expect(read.review == nil)
        #expect(read.problems.count == 3, "\(describe(read))")
        #expect(read.problems.allSatisfy { $0.field == "status" })
        let messages = read.problems.map { $0.message }
        #expect(messages.contains("published needs at least one finding"))
        #expect(messages.contains("published needs at least one learning point"))
        #expect(messages.contains { $0.hasPrefix("published needs a classification other than suspected") })
    }

    @Test func publishedWithFindingLearningAndClassificationIsAccepted() throws {
        let review = try expectValid(readMD(["status": "published", "classification": "confirmed"], body: publishedBody))
        #expect(review.status == .published)
        #expect(review.findings.count == 1)
        #expect(review.learning.count == 1)
    }

    @Test(arguments: ["The GP saw him on 14 March.", "The GP saw him on 2025-03-14.", "The GP saw him on 14/03/2025."])
    func publishedFindingWithExactDateIsRefused(finding: String) {
        let body = "## Findings\n- \(finding) #continuity-of-care\n\n## Learning\n- Check naloxone before release. #naloxone\n"
        let read = readMD(["status": "published", "classification": "confirmed"], body: body)
        expectProblem(read, field: "findings[1].text", contains: "contains an exact date")
    }

    @Test(arguments: ["The GP saw him on 14 March.", "The GP saw him on 2025-03-14.", "The GP saw him on 14/03/2025."])
    func draftFindingWithExactDateIsAccepted(finding: String) throws {
        let body = "## Findings\n- \(finding) #continuity-of-care\n\n## Learning\n- Check naloxone before release. #naloxone\n"
        let review = try expectValid(readMD(["classification": "confirmed"], body: body))
        #expect(review.findings.first?.text == finding)
    }

    @Test func publishedLearningWithExactDateIsRefused() {
        let body = "## Findings\n- No naloxone was handed over. #naloxone\n\n## Learning\n- Since 1 April staff check naloxone. #naloxone\n"
        let read = readMD(["status": "published", "classification": "confirmed"], body: body)
        expectProblem(read, field: "learning[1].text", contains: "contains an exact date")
    }

    @Test func publishedRecommendationWithExactDateIsRefused() {
        let extra = recommendationYAML(["id: R1", "text: Review the checklist by 30 June 2025.", "response: agreed"])
        let read = readMD(["status": "published", "classification": "confirmed"], extra: extra, body: publishedBody)
        expectProblem(read, field: "recommendations[R1].text", contains: "contains an exact date")
    }

    // MARK: - Personal identifiers

    @Test(arguments: [
        ("His prison number A1234BC was on the file.", "a prison number"),
        ("Case X123456 was open.", "a case reference number"),
        ("The police record 12/345678A was checked.", "a police national computer id"),
        ("The number 943 476 5919 was on the letter.", "an NHS number"),
        ("He wrote from someone@example.org about it.", "an e-mail address"),
        ("He gave the number 07700 900123 to staff.", "a UK phone number"),
        ("He can be reached on +44 20 7946 0123 at work.", "a UK phone number"),
        ("He was living near M1 1AE at the time.", "a postcode"),
        ("He was living near sw1a 1aa at the time.", "a postcode"),
        ("Mr Brown was released on a Friday.", "a name (a title and a name)"),
        ("The GP, Dr. Patel, had not been told.", "a name (a title and a name)"),
        ("Her key worker spoke to Mrs O'Neill.", "a name (a title and a name)"),
        ("Mr Brown was known to services.", "a name (a title and a name)"),
        ("Date of birth: 12 March 1984.", "a date of birth"),
        ("He was born in 1984 in Leeds.", "a date of birth"),
        ("Records gave his d.o.b. as 1980-02-01.", "a date of birth"),
        ("Mr J Smith attended once.", "a name (a title and a name)"),
        ("The GP, Dr. A. Patel, was not told.", "a name (a title and a name)"),
        ("PC Jones found him.", "a name (a title and a name)"),
        ("She spoke to Mrs.Brown at the hostel.", "a name (a title and a name)"),
        ("Mr Ó Briain gave evidence.", "a name (a title and a name)"),
        ("Year of birth 1984.", "a date of birth"),
        ("YOB 1984, male.", "a date of birth"),
        ("He was born in the summer of 1984.", "a date of birth"),
        ("Birthday: 3 March 1984.", "a date of birth"),
        ("Known to services (b. 1984).", "a date of birth"),
    ])
    func identifierInSummaryIsRefused(text: String, kind: String) {
        let read = readMD(body: "## Summary\n\(text)\n")
        expectProblem(read, field: "summary", contains: "contains what looks like \(kind)")
    }

    @Test func aRecommendationsSectionSaysWhereRecommendationsGo() {
        let read = readMD(body: "## Summary\nReleased on a Friday.\n\n## Recommendations\n- Hand over naloxone on release.\n")
        expectProblem(read, field: "body", contains: "the sections are ## Summary, ## Findings and ## Learning; recommendations and their actions go in the front matter")
    }

    @Test func everyIdentifierInAFieldIsReportedInOneRun() {
        let read = readMD(body: "## Summary\nHe gave the number 07700 900123 and the address someone@example.org to staff.\n")
        let messages = read.problems.filter { $0.field == "summary" }.map(\.message)
        #expect(messages.count == 2)
        #expect(messages.first?.contains("a UK phone number (line 1, column 20)") == true)
        #expect(messages.last?.contains("an e-mail address (line 1, column 49)") == true)
        #expect(!messages.joined().contains("07700") && !messages.joined().contains("someone@"))
    }

    @Test func nhsNumberWithInvalidCheckDigitIsAccepted() throws {
        let review = try expectValid(readMD(body: "## Summary\nThe number 943 476 5918 was on the letter.\n"))
        #expect(review.summary == "The number 943 476 5918 was on the letter.")
    }

    @Test(arguments: [
        "Mrs and Mr are titles a panel may write about in general.",
        "He was born and raised in the area and had missed 3 appointments.",
        "Drug use rose after MS was diagnosed in 2019; Dr appointments were missed.",
        "No date of birth is recorded here, and DOB checks were done at 2 visits.",
        "Missed doses in the 14 days after release were not followed up.",
        "Mr A's mother called the hostel twice in 2024.",
        "Ms B’s partner was at the flat.",
        "He was seen by the prison Dr. He was not asked about 2 overdoses.",
        "The meeting was held on Ms Teams.",
        "The referral form lacked a date of birth until March 2024.",
        "Her son was born in custody in 2022, which the panel noted.",
        "Dr appointments and MRI scans were missed in 2023.",
        "DROP IN sessions at the hub were offered after his MRI Scan; the team met on MS Teams.",
    ])
    func wordsNearATitleOrBirthAreNotMistakenForIdentifiers(text: String) throws {
        let review = try expectValid(readMD(body: "## Summary\n\(text)\n"))
        #expect(review.summary == text)
    }

    @Test func aProblemInTheSummaryPointsAtItsTextNotItsHeading() throws {
        // Front matter on lines 1-7, the heading on line 8, a blank line, the text on 10.
        let read = readMD(body: "## Summary\n\nCase X123456 was open.\n")
        expectProblem(read, field: "summary", contains: "a case reference number")
        #expect(read.problems.first?.line == 10)
    }

    @Test func aYAMLKeyWrittenTwiceIsNamedOnTheLineOfItsSecondUse() throws {
        // The minimal file's keys end on line 6; `age` is on lines 7 and 9.
        let top = readMD(extra: "age: 41\nsex: male\nage: 42")
        expectProblem(top, field: "age", contains: "appears twice")
        #expect(top.problems.first?.line == 9)
        #expect(top.problems.first?.description == "t.md:9: age: appears twice")
        // Within a list item, at its own indentation.
        let nested = readMD(extra: recommendationYAML(["id: R1", "text: One.", "response: agreed", "text: Two."]))
        expectProblem(nested, field: "text", contains: "appears twice")
        let lines = markdownText(extra: recommendationYAML(["id: R1", "text: One.", "response: agreed", "text: Two."]))
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(nested.problems.first.flatMap { $0.line.map { lines[$0 - 1] } }?.contains("text: Two.") == true)
    }

    @Test func plainTextWithSmallNumbersIsAccepted() throws {
        let review = try expectValid(readMD(body: "## Summary\nHe missed three appointments in 28 days and was seen 2 times.\n"))
        #expect(review.summary == "He missed three appointments in 28 days and was seen 2 times.")
    }

    @Test func identifierInFindingIsRefused() {
        let read = readMD(body: "## Findings\n- He gave the number 07700 900123 to staff. #information-sharing\n")
        expectProblem(read, field: "findings[1].text", contains: "a UK phone number")
    }

    @Test func identifierInActionOwnerIsRefused() {
        let read = readMD(extra: actionsYAML([[
            "text: Add naloxone to the release checklist.",
            "owner: Ring 07700 900123",
            "target_date: 2025-06-30",
        ]]))
        expectProblem(read, field: "recommendations[R1].actions[1].owner", contains: "a UK phone number")
    }

    @Test func identifierInAgenciesEntryIsRefused() {
        let read = readMD(extra: "agencies: [Probation Service, \"Contact someone@example.org\"]")
        expectProblem(read, field: "agencies[2]", contains: "an e-mail address")
    }

    @Test func agenciesAreRead() throws {
        let review = try expectValid(readMD(["agencies": "[Probation Service, Prison healthcare]"]))
        #expect(review.agencies == ["Probation Service", "Prison healthcare"])
    }

    // MARK: - Recommendations

    @Test func recommendationIsRead() throws {
        let extra = recommendationYAML([
            "id: R1", "text: Hand naloxone to every prison leaver.", "to: Prison healthcare provider",
            "response: partly-agreed", "reason_category: commissioning", "reason: Supply depends on the contract.",
            "themes: [naloxone]",
        ])
        let review = try expectValid(readMD(extra: extra))
        #expect(review.recommendations.count == 1)
        let recommendation = try #require(review.recommendations.first)
        #expect(recommendation.id == "R1")
        #expect(recommendation.text == "Hand naloxone to every prison leaver.")
        #expect(recommendation.to == "Prison healthcare provider")
        #expect(recommendation.response == .partlyAgreed)
        #expect(recommendation.reasonCategory == .commissioning)
        #expect(recommendation.reason == "Supply depends on the contract.")
        #expect(recommendation.themes == ["naloxone"])
    }

    @Test func recommendationWithoutIdIsRefused() {
        let read = readMD(extra: recommendationYAML(["text: Hand naloxone to every prison leaver.", "response: agreed"]))
        expectProblem(read, field: "recommendations[1].id", contains: "is required")
    }

    @Test func duplicateRecommendationIdIsRefused() {
        let extra = "recommendations:\n  - id: R1\n    text: Hand naloxone to every prison leaver.\n    response: agreed\n  - id: R1\n    text: Tell the treatment service the release date.\n    response: agreed"
        let read = readMD(extra: extra)
        expectProblem(read, field: "recommendations[R1].id", contains: "is used twice in this review")
    }

    @Test(arguments: ["Rec1", "R", "R0", "1"])
    func recommendationIdNotRNumberIsRefused(id: String) {
        let read = readMD(extra: recommendationYAML(["id: \(id)", "text: Hand naloxone to every prison leaver.", "response: agreed"]))
        expectProblem(read, field: "recommendations[\(id)].id", contains: "must be R followed by a number")
    }

    @Test func recommendationWithoutTextIsRefused() {
        let read = readMD(extra: recommendationYAML(["id: R1", "response: agreed"]))
        expectProblem(read, field: "recommendations[R1].text", contains: "is required")
    }

    @Test func recommendationWithoutResponseIsRefused() {
        let read = readMD(extra: recommendationYAML(["id: R1", "text: Hand naloxone to every prison leaver."]))
        expectProblem(read, field: "recommendations[R1].response", contains: "is required")
    }

    @Test func badResponseIsRefused() {
        let read = readMD(extra: recommendationYAML(["id: R1", "text: Hand naloxone to every prison leaver.", "response: maybe"]))
        expectProblem(read, field: "recommendations[R1].response", contains: "\"maybe\" is not one of agreed, partly-agreed, not-agreed")
    }

    @Test func badReasonCategoryIsRefused() {
        let read = readMD(extra: recommendationYAML([
            "id: R1", "text: Hand naloxone to every prison leaver.", "response: not-agreed",
            "reason_category: money", "reason: There is no budget.",
        ]))
        expectProblem(read, field: "recommendations[R1].reason_category", contains: "\"money\" is not one of")
    }

    @Test(arguments: ["partly-agreed", "not-agreed"])
    func notFullyAgreedNeedsReasonCategoryAndReason(response: String) {
        let read = readMD(extra: recommendationYAML(["id: R1", "text: Hand naloxone to every prison leaver.", "response: \(response)"]))
        expectProblem(read, field: "recommendations[R1].reason_category", contains: "is required when the response is \(response)", count: 2)
        expectProblem(read, field: "recommendations[R1].reason", contains: "is required when the response is \(response)", count: 2)
    }

    @Test func agreedWithoutReasonIsAccepted() throws {
        let review = try expectValid(readMD(extra: recommendationYAML(["id: R1", "text: Hand naloxone to every prison leaver.", "response: agreed"])))
        #expect(review.recommendations.first?.response == .agreed)
        #expect(review.recommendations.first?.reasonCategory == nil)
        #expect(review.recommendations.first?.reason == nil)
    }

    // MARK: - Actions

    @Test func actionIsRead() throws {
        let action = validAction + [
            "revised_target_dates: [2025-09-30, 2026-03-31]",
            "updates:",
            "  - {date: 2025-07-02, note: Checklist drafted.}",
        ]
        let review = try expectValid(readMD(extra: actionsYAML([action])))
        let read = try #require(review.recommendations.first?.actions.first)
        #expect(read.id == "A1")
        #expect(read.text == "Add naloxone to the release checklist.")
        #expect(read.owner == "Head of Healthcare")
        #expect(read.targetDate == Day("2025-06-30"))
        #expect(read.revisedTargetDates == [Day("2025-09-30")!, Day("2026-03-31")!])
        #expect(read.currentTargetDate == Day("2026-03-31"))
        #expect(read.status == .open)
        #expect(read.updates == [ActionUpdate(date: Day("2025-07-02")!, note: "Checklist drafted.")])
    }

    @Test(arguments: ["text", "owner", "target_date"])
    func actionRequiredFieldIsReported(field: String) {
        let action = validAction.filter { !$0.hasPrefix(field + ":") }
        let read = readMD(extra: actionsYAML([action]))
        expectProblem(read, field: "recommendations[R1].actions[1].\(field)", contains: "is required")
    }

    @Test func actionTargetDateMayBeInTheFuture() throws {
        let action = ["text: Add naloxone to the release checklist.", "owner: Head of Healthcare", "target_date: 2027-06-30"]
        let review = try expectValid(readMD(extra: actionsYAML([action])))
        #expect(review.recommendations.first?.actions.first?.targetDate == Day("2027-06-30"))
    }

    @Test func badRevisedTargetDateIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["revised_target_dates: [2025-09-31]"]]))
        expectProblem(read, field: "recommendations[R1].actions[1].revised_target_dates[1]", contains: "is not a real date in the form YYYY-MM-DD")
    }

    @Test func completeActionWithoutCompletedDateIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["status: complete"]]))
        expectProblem(read, field: "recommendations[R1].actions[1].completed_date", contains: "is required when the status is complete")
    }

    @Test func completeActionWithCompletedDateIsAccepted() throws {
        let review = try expectValid(readMD(extra: actionsYAML([validAction + ["status: complete", "completed_date: 2025-06-20"]])))
        let action = try #require(review.recommendations.first?.actions.first)
        #expect(action.status == .complete)
        #expect(action.completedDate == Day("2025-06-20"))
    }

    @Test func completedDateInTheFutureIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["status: complete", "completed_date: 2026-12-01"]]))
        expectProblem(read, field: "recommendations[R1].actions[1].completed_date", contains: "2026-12-01 is in the future")
    }

    @Test func completedDateWithOpenStatusIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["status: open", "completed_date: 2025-06-20"]]))
        expectProblem(read, field: "recommendations[R1].actions[1].completed_date", contains: "is given but the status is open")
    }

    @Test func withdrawnActionWithoutReasonIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["status: withdrawn"]]))
        expectProblem(read, field: "recommendations[R1].actions[1].withdrawn_reason", contains: "is required when the status is withdrawn")
    }

    @Test func withdrawnActionWithReasonIsAccepted() throws {
        let review = try expectValid(readMD(extra: actionsYAML([validAction + ["status: withdrawn", "withdrawn_reason: Superseded by a national scheme."]])))
        let action = try #require(review.recommendations.first?.actions.first)
        #expect(action.status == .withdrawn)
        #expect(action.withdrawnReason == "Superseded by a national scheme.")
    }

    @Test func withdrawnReasonWithOpenStatusIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["withdrawn_reason: Superseded by a national scheme."]]))
        expectProblem(read, field: "recommendations[R1].actions[1].withdrawn_reason", contains: "is given but the status is open")
    }

    @Test func badActionStatusIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["status: done"]]))
        expectProblem(read, field: "recommendations[R1].actions[1].status", contains: "\"done\" is not one of open, complete, withdrawn")
    }

    @Test func updateWithBadDateIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["updates:", "  - {date: 2025-13-01, note: Checklist drafted.}"]]))
        expectProblem(read, field: "recommendations[R1].actions[1].updates[1].date", contains: "2025-13-01 is not a real calendar date")
    }

    @Test func updateWithoutNoteIsRefused() {
        let read = readMD(extra: actionsYAML([validAction + ["updates:", "  - {date: 2025-07-02}"]]))
        expectProblem(read, field: "recommendations[R1].actions[1].updates[1].note", contains: "is required")
    }

    @Test func actionsWithoutIdAreAllocatedInOrder() throws {
        let second = ["text: Brief reception officers.", "owner: Head of Reception", "target_date: 2025-07-31"]
        let review = try expectValid(readMD(extra: actionsYAML([validAction, second])))
        let ids = review.recommendations.first?.actions.map { $0.id }
        #expect(ids == ["A1", "A2"])
    }

    @Test func allocatedIdsSkipIdsAlreadyUsed() throws {
        let second = ["text: Brief reception officers.", "owner: Head of Reception", "target_date: 2025-07-31"]
        let third = ["text: Audit the checklist.", "owner: Head of Healthcare", "target_date: 2025-08-31"]
        let review = try expectValid(readMD(extra: actionsYAML([["id: A1"] + validAction, second, third])))
        let ids = review.recommendations.first?.actions.map { $0.id }
        #expect(ids == ["A1", "A2", "A3"])
    }

    @Test func allocatedIdsFillTheLowestFreeNumber() throws {
        let second = ["text: Brief reception officers.", "owner: Head of Reception", "target_date: 2025-07-31"]
        let third = ["text: Audit the checklist.", "owner: Head of Healthcare", "target_date: 2025-08-31"]
        let review = try expectValid(readMD(extra: actionsYAML([["id: A2"] + validAction, second, third])))
        let ids = review.recommendations.first?.actions.map { $0.id }
        #expect(ids == ["A2", "A1", "A3"])
    }

    @Test func duplicateActionIdIsRefused() {
        let second = ["id: A1", "text: Brief reception officers.", "owner: Head of Reception", "target_date: 2025-07-31"]
        let read = readMD(extra: actionsYAML([["id: A1"] + validAction, second]))
        expectProblem(read, field: "recommendations[R1].actions[A1].id", contains: "is used twice in this recommendation")
    }

    @Test func actionIdNotANumberIsRefused() {
        let read = readMD(extra: actionsYAML([["id: B1"] + validAction]))
        expectProblem(read, field: "recommendations[R1].actions[B1].id", contains: "must be A followed by a number")
    }

    // MARK: - JSON

    @Test func invalidJSONIsRefused() {
        let reads = files.readJSON("{not json", file: "t.json")
        #expect(reads.count == 1)
        #expect(reads.first?.review == nil)
        #expect(reads.first?.problems.count == 1)
        #expect(reads.first?.problems.first?.field == "file")
        #expect(reads.first?.problems.first?.message.hasPrefix("is not valid JSON") == true)
    }

    @Test func numberWhereTextExpectedIsRefused() {
        let read = readJSON("\"summary\": 5")
        expectProblem(read, field: "summary", contains: "expected text")
        #expect(read.problems.first?.line == nil)
        #expect(read.problems.first?.description == "t.json: summary: expected text, found a number")
    }

    @Test func jsonArrayGivesOneReadPerReview() {
        let text = "[\n" + jsonText(reference: "NW-2025-0007") + ",\n" + jsonText("\"age\": 12", reference: "NW-2025-0008") + "\n]"
        let reads = files.readJSON(text, file: "t.json")
        #expect(reads.count == 2)
        guard reads.count == 2 else { return }
        #expect(reads[0].review?.reference == "NW-2025-0007")
        #expect(reads[0].problems.isEmpty)
        #expect(reads[0].line == 2)
        #expect(reads[1].review == nil)
        #expect(reads[1].line == 3)
        #expect(reads[1].problems.map { $0.field } == ["age"])
        #expect(reads[1].problems.first?.line == 3)
    }

    @Test func jsonArrayItemThatIsNotAnObjectIsRefused() {
        let reads = files.readJSON("[5]", file: "t.json")
        #expect(reads.count == 1)
        if let read = reads.first {
            expectProblem(read, field: "review", contains: "expected a mapping of fields")
        }
    }

    @Test func jsonBooleansReadAsYesAndNo() throws {
        let review = try expectValid(readJSON("\"bystander_present\": true, \"ambulance_attended\": false, \"naloxone_given_at_event\": \"unknown\", \"factors\": {\"naloxone_held_at_event\": false, \"used_alone\": true}"))
        #expect(review.bystanderPresent == .yes)
        #expect(review.ambulanceAttended == .no)
        #expect(review.naloxoneGivenAtEvent == .unknown)
        #expect(review.factors == ["naloxone_held_at_event": Answer.no, "used_alone": Answer.yes])
    }

    @Test func jsonFullerReviewIsRead() throws {
        let extra = "\"age\": 41, \"substances\": [\"heroin\"], \"summary\": \"  Found at home.\\n\", \"learning\": [{\"text\": \"Check naloxone before release.\", \"themes\": [\"naloxone\"]}], \"recommendations\": [{\"id\": \"R1\", \"text\": \"Hand naloxone to every prison leaver.\", \"response\": \"agreed\", \"actions\": [{\"text\": \"Add naloxone to the release checklist.\", \"owner\": \"Head of Healthcare\", \"target_date\": \"2025-06-30\"}]}]"
        let review = try expectValid(readJSON(extra))
        #expect(review.age == 41)
        #expect(review.substances == ["heroin"])
        #expect(review.summary == "Found at home.")
        #expect(review.learning == [Note(text: "Check naloxone before release.", themes: ["naloxone"])])
        #expect(review.recommendations.first?.actions.first?.id == "A1")
    }

    // MARK: - Reporting

    @Test func allProblemsAreReportedAtOnce() {
        let read = readMD(["kind": "dead", "age": "12", "substances": "[glue]"])
        #expect(read.review == nil)
        #expect(read.problems.count == 3, "\(describe(read))")
        #expect(read.problems.map { $0.field } == ["kind", "age", "substances"])
    }

    @Test func frontMatterProblemCarriesTheFileLine() {
        let read = readMD(["kind": "dead"])
        #expect(read.problems.count == 1)
        #expect(read.problems.first?.line == 3)
        #expect(read.problems.first?.description.hasPrefix("t.md:3: kind: ") == true)
    }

    @Test func laterFrontMatterFieldCarriesItsLine() {
        let read = readMD(["age": "12"])
        #expect(read.problems.count == 1)
        #expect(read.problems.first?.field == "age")
        #expect(read.problems.first?.line == 7)
    }
}
