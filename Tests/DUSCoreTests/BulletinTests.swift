import Foundation
import Testing
@testable import DUSCore

/// Disclosure control by the rules of product.md, and bulletins that show only what they may.
@Suite struct BulletinTests {
    typealias Figure = DisclosureControl.Figure
    let control = DisclosureControl()

    // MARK: Disclosure control

    @Test func smallCountsAreShownAsLessThanTheMinimumAndZeroAsZero() {
        #expect(control.figure(0).description == "0")
        #expect((1...4).map { control.figure($0).description } == ["<5", "<5", "<5", "<5"])
        #expect(control.figure(5).description == "5")
        #expect(control.figure(12345).description == "12,345")
        #expect(DisclosureControl(minCount: 10).figure(9).description == "<10")
    }

    @Test func oneHiddenCellInATableWithItsTotalHidesTheNextSmallest() {
        // 3 is hidden; with the total shown, 3 = 24 - 9 - 12, so the next smallest (9) goes
        // too, shown as [c]: it is not a small count.
        let table = control.protect([3, 12, 9], total: 24)
        #expect(table.cells.map(\.description) == ["<5", "12", "[c]"])
        #expect(table.total.description == "24")
        // Two cells hidden already, adding up to 5 (1 and 4, 2 and 3, ...): nothing more to hide.
        let two = control.protect([2, 3, 20], total: 25)
        #expect(two.cells.map(\.description) == ["<5", "<5", "20"])
        // Two hidden cells that add up to 2 can only be 1 and 1 (or to 8, 4 and 4): one more goes.
        for cells in [[1, 1, 12], [4, 4, 12]] {
            let forced = control.protect(cells, total: cells.reduce(0, +))
            #expect(forced.cells.map(\.description) == ["<5", "<5", "[c]"], "\(cells)")
        }
        // 7 / <5 / <5 / 0 / 5 with a total of 14 (a bulletin of July 2018): the two add up to 2.
        #expect(control.protect([7, 1, 1, 0, 5], total: 14).cells.map(\.description) == ["7", "<5", "<5", "0", "[c]"])
        // Zero is never hidden, and is not the "next smallest non-zero" cell.
        let zeros = control.protect([7, 0, 3], total: 10)
        #expect(zeros.cells.map(\.description) == ["[c]", "0", "<5"])
        // No other non-zero cell to hide: the total is hidden instead.
        let alone = control.protect([4, 0], total: 9)
        #expect(alone.cells.map(\.description) == ["<5", "0"])
        #expect(alone.total.description == "[c]")
        // A small total is hidden like any count.
        #expect(control.protect([3, 0], total: 3).total.description == "<5")
        // Nothing small: everything shown.
        let plain = control.protect([5, 6], total: 11)
        #expect(plain.cells.map(\.description) == ["5", "6"] && plain.total.description == "11")
    }

    @Test func percentagesAreWithheldWhenTheyCouldGiveACountAway() {
        #expect(control.percentage(12, of: 40, shown: [.count(12), .count(28)]) == "30%")
        #expect(control.percentage(3, of: 40, shown: [.suppressed(below: 5), .count(37)]) == nil)
        #expect(control.percentage(6, of: 9, shown: [.count(6)]) == nil)
        // The count is shown, but a count of its denominator is hidden.
        #expect(control.percentage(12, of: 15, shown: [.count(12), .suppressed(below: 5)]) == nil)
    }

    @Test func theRollingWindowsCountsAreRoundedToTheNearestFive() {
        #expect([0, 3, 5, 7, 8, 12, 13, 390].map { control.rounded($0).description } == ["0", "<5", "5", "5", "10", "10", "15", "390"])
        // With a minimum of 7, the smallest count shown (7) is not shown as itself.
        #expect([7, 8, 12].map { DisclosureControl(minCount: 7).rounded($0).description } == ["10", "10", "10"])
    }

    @Test func aWindowThatWouldStartBeforeTheCalendarIsLeftOut() throws {
        let period = try BulletinPeriod(from: Day("0002-01-01")!, to: Day("0002-12-31")!)
        #expect(BulletinBuilder.window(ending: period, years: 3) == nil)
        #expect(BulletinBuilder.window(ending: period, years: 1)?.label == "January to December 2")
        let bulletin = try BulletinBuilder(store: Self.fixture()).bulletin(for: period)
        #expect(bulletin.window == nil && bulletin.reviews == .count(0))
    }

    @Test func aShareIsWithheldWhenItWouldGiveAwayHowFewWereNotAnswered() throws {
        // 13 at risk, 15 not: 46% of 28 answered; of 32 reviews, 4 were not answered.
        let store = try Store(inMemory: .standard)
        try store.write { db in
            for number in 0..<32 {
                var review = Self.review("U-\(number)")
                review.factors = number < 13 ? ["in_treatment_at_event": .no] : number < 28 ? ["in_treatment_at_event": .yes] : [:]
                try store.insert(review, db, now: "2026-01-01T00:00:00Z")
            }
        }
        let row = try #require(try BulletinBuilder(store: store).bulletin(for: Self.quarter).factors.first { $0.id == "in_treatment_at_event" })
        #expect(row.risk.description == "13" && row.share == nil)
    }

    // MARK: The period

    @Test func aBulletinCoversWholeMonthsAndNamesThem() throws {
        let quarter = try ReviewFilter.period("2025-Q3")
        #expect(try BulletinPeriod(from: quarter.from, to: quarter.to).label == "July to September 2025")
        #expect(try BulletinPeriod(from: Day("2025-11-01")!, to: Day("2026-01-31")!).label == "November 2025 to January 2026")
        #expect(try BulletinPeriod(from: Day("2025-02-01")!, to: Day("2025-02-28")!).label == "February 2025")
        #expect(throws: BulletinError.self) { try BulletinPeriod(from: Day("2025-07-15")!, to: Day("2025-09-30")!) }
        #expect(throws: BulletinError.self) { try BulletinPeriod(from: Day("2025-07-01")!, to: Day("2025-09-29")!) }
    }

    // MARK: What goes in

    static func review(_ reference: String, kind: Kind = .death, event: String = "2025-08-10", release: String? = "2025-08-01",
                       status: Status = .published, classification: Classification = .confirmed, learning: [String] = ["Offer naloxone at every contact."]) -> Review {
        var review = Review(reference: reference, kind: kind, eventDate: Day(event)!, region: "Wales", supervision: .licence)
        review.releaseDate = release.flatMap(Day.init)
        review.status = status
        review.classification = classification
        review.findings = [Note(text: "No naloxone was handed over.", themes: ["naloxone"])]
        review.learning = learning.map { Note(text: $0, themes: ["naloxone"]) }
        review.factors = ["homeless_on_release": .yes, "opioid_use": .yes]
        return review
    }

    /// In 2025-Q3: 12 published deaths (10 in the first fortnight, 2 later) and 3 published
    /// near misses with no release; besides them, a draft, a not-drug-related review and a
    /// review from the quarter before, none of which may count.
    static func fixture() throws -> Store {
        let store = try Store(inMemory: .standard)
        var reviews = (1...10).map { review("B-\($0)") }
        reviews += (11...12).map { review("B-\($0)", release: "2025-05-01") }
        reviews += (13...15).map { review("B-\($0)", kind: .nearMiss, release: nil, learning: ["Check on people the day after release."]) }
        reviews.append(review("B-16", status: .draft, learning: ["A draft's learning, not for a bulletin."]))
        reviews.append(review("B-17", classification: .notDrugRelated))
        reviews.append(review("B-18", event: "2025-06-10", release: "2025-06-01"))
        try store.write { db in
            for review in reviews { try store.insert(review, db, now: "2026-01-01T00:00:00Z") }
        }
        return store
    }

    static let quarter = try! BulletinPeriod(from: Day("2025-07-01")!, to: Day("2025-09-30")!)

    @Test func onlyPublishedDrugRelatedReviewsOfThePeriodCountAndSmallCountsAreHidden() throws {
        let bulletin = try BulletinBuilder(store: Self.fixture()).bulletin(for: Self.quarter)
        #expect(bulletin.reviews.description == "15")
        // 3 near misses are hidden, and so the 12 deaths beside the total of 15.
        #expect(bulletin.deaths.description == "[c]" && bulletin.nearMisses.description == "<5")
        // 0-13: 10; 14-27: 0; 28-83: 0; 84+: 2; not released: 3. The 3 and the 2 are hidden,
        // and with two hidden, nothing more; a percentage of released reviews would rest on
        // hidden counts, so none is shown.
        #expect(bulletin.releaseTiming.map(\.figure.description) == ["10", "0", "0", "<5", "<5"])
        #expect(bulletin.releaseTiming.allSatisfy { $0.percentage == nil })
        // Homelessness on release was recorded for the 12 released: shown, 12 would say that
        // at least 12 were released, so 10 + 2 of the hidden 84+ and 3 not released.
        let homeless = try #require(bulletin.factors.first { $0.id == "homeless_on_release" })
        #expect(homeless.risk.description == "[c]")
        #expect(homeless.share == nil)
        #expect(!bulletin.factors.contains { $0.id == "first_fortnight" })
        // A protective factor says that its risk is the answer no.
        #expect(bulletin.factors.first { $0.id == "naloxone_supplied_on_release" }?.riskAnswer == "no")
        #expect(homeless.riskAnswer == "yes")
        #expect(bulletin.themes.map(\.label) == ["naloxone"])
        // Each learning point once, a draft's never.
        #expect(bulletin.learning.map(\.theme) == ["naloxone"])
        #expect(bulletin.learning[0].points == ["Offer naloxone at every contact.", "Check on people the day after release."])
    }

    @Test func thePercentageOfReleasedReviewsShowsWhenNoTimingCountIsHidden() throws {
        let store = try Store(inMemory: .standard)
        try store.write { db in
            for number in 1...10 { try store.insert(Self.review("P-\(number)"), db, now: "2026-01-01T00:00:00Z") }
            for number in 11...15 { try store.insert(Self.review("P-\(number)", release: "2025-05-01"), db, now: "2026-01-01T00:00:00Z") }
        }
        let bulletin = try BulletinBuilder(store: store).bulletin(for: Self.quarter)
        #expect(bulletin.releaseTiming.map(\.figure.description) == ["10", "0", "0", "5", "0"])
        #expect(bulletin.releaseTiming.map(\.percentage) == ["67%", "0%", "0%", "33%", nil])
        // No timing count hidden: the release-only factors show.
        let homeless = try #require(bulletin.factors.first { $0.id == "homeless_on_release" })
        #expect(homeless.risk.description == "15" && homeless.share == "100%")
    }

    @Test func aShareIsWithheldWhenItWouldGiveAwayASmallCountOfNoRisk() throws {
        func share(yes: Int, no: Int) throws -> String? {
            let store = try Store(inMemory: .standard)
            try store.write { db in
                for number in 0..<(yes + no) {
                    var review = Self.review("O-\(number)")
                    review.factors = ["opioid_use": number < yes ? .yes : .no]
                    try store.insert(review, db, now: "2026-01-01T00:00:00Z")
                }
            }
            return try BulletinBuilder(store: store).bulletin(for: Self.quarter).factors.first { $0.id == "opioid_use" }?.share
        }
        // 10 at risk of 12 answered would show 83%, and so the 2 with no risk.
        #expect(try share(yes: 10, no: 2) == nil)
        #expect(try share(yes: 7, no: 5) == "58%")
    }

    // MARK: What comes out

    func renderer(_ store: Store) throws -> BulletinRenderer {
        let bulletin = try BulletinBuilder(store: store).bulletin(for: Self.quarter)
        return BulletinRenderer(bulletin: bulletin, store: store)
    }

    @Test func theMarkdownLeadsWithLearningAndShowsNoReferenceAgeOrDateAndTheHTMLIsOneFile() throws {
        let store = try Self.fixture()
        let bulletin = try BulletinBuilder(store: store, issuer: "Wales probation region", marking: "OFFICIAL-SENSITIVE", issued: Day("2026-01-15")!)
            .bulletin(for: Self.quarter)
        let renderer = BulletinRenderer(bulletin: bulletin, store: store)
        let markdown = try renderer.markdown(charts: .init(release: "bulletin-release-timing.svg", themes: "bulletin-themes.svg"))
        #expect(markdown.hasPrefix("**OFFICIAL-SENSITIVE**\n\n# Learning bulletin: July to September 2025\n\nIssued January 2026 by Wales probation region."))
        #expect(markdown.hasSuffix("Wales probation region · Issued January 2026 · **OFFICIAL-SENSITIVE**\n"))
        // Learning first, then the findings, then the figures, then the definitions.
        let order = ["## Key messages", "## What the reviews found", "## The figures", "### The reviews", "### Release from custody", "### Risk factors", "## About these figures"]
        let places = order.compactMap { markdown.range(of: $0)?.lowerBound }
        #expect(places.count == order.count && places == places.sorted())
        // 12 deaths and 3 near misses: both hidden (one beside the total), so a sentence.
        #expect(!markdown.contains("| deaths |") && markdown.contains("The split between deaths and near misses in July to September 2025 is not shown: too many of the counts are under 5"))
        #expect(markdown.contains("![Reviews by time from release to the event](bulletin-release-timing.svg)"))
        #expect(markdown.contains("15 published reviews of events in July to September 2025 are included.\n<5 reviews of the period are not yet published and are not included;\n<5 were classified not drug-related"))
        #expect(!markdown.contains("B-1") && !markdown.contains("draft's") && !markdown.contains("nil") && !markdown.contains("false"))
        #expect(!(try renderer.markdown()).contains("!["))
        let html = renderer.html(markdown: try renderer.markdown(charts: BulletinRenderer.htmlCharts))
        #expect(html.contains("<title>Learning bulletin: July to September 2025</title>"))
        #expect(html.contains("<table>") && html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\"") && !html.contains("<img") && !html.contains("src="))
        #expect(html.contains("@page { size: A4;") && html.contains("a[href]::after"))
    }

    @Test func aTableTooSmallForThePeriodGivesWayToASentenceAndTheRollingWindow() throws {
        let store = try Store(inMemory: .standard)
        // Four published reviews in 2025-Q3, and 20 more over the two years before it.
        try store.write { db in
            for number in 1...4 { try store.insert(Self.review("S-\(number)"), db, now: "2026-01-01T00:00:00Z") }
            for number in 5...24 { try store.insert(Self.review("S-\(number)", event: "2024-03-10", release: "2024-03-01"), db, now: "2026-01-01T00:00:00Z") }
        }
        let bulletin = try BulletinBuilder(store: store).bulletin(for: Self.quarter)
        #expect(!bulletin.showsKinds && !bulletin.showsReleaseTiming && !bulletin.showsThemes)
        let window = try #require(bulletin.window)
        #expect(window.period == "October 2022 to September 2025" && window.reviews.description == "25")
        let markdown = try BulletinRenderer(bulletin: bulletin, store: store).markdown()
        #expect(markdown.contains("Over October 2022 to September 2025 (a rolling window, for context; counts rounded to the nearest 5):\n\n| | reviews |"))
        // Rounded to the nearest 5: the window overlaps other periods' bulletins.
        #expect(markdown.contains("| 0–13 days | 25 | 100% |") && markdown.contains("counts rounded to the nearest 5"))
        // Each table shows the period or the window, never both: one cannot be taken from the other.
        #expect(!markdown.contains("| 0–13 days | <5") && !markdown.contains("| deaths | <5"))
        // A window that is too small too is said, not drawn.
        let none = try BulletinBuilder(store: store, contextYears: 1).bulletin(for: Self.quarter)
        let sentence = try BulletinRenderer(bulletin: none, store: store).markdown()
        #expect(sentence.contains("nor can they be shown over the 1 years to the end of the period") && !sentence.contains("rolling window, for context"))
        #expect(BulletinRenderer(bulletin: none, store: store).releaseChart() == nil)
        #expect(try BulletinBuilder(store: store, contextYears: 0).bulletin(for: Self.quarter).window == nil)
    }

    @Test func onlyFactorsThatCanBeShownAreShownAndTheRestAreNamed() throws {
        let bulletin = try BulletinBuilder(store: Self.fixture()).bulletin(for: Self.quarter)
        // Homelessness on release is hidden ([c]): named, not shown; no factor under 5 is shown.
        #expect(!bulletin.shownFactors.contains { $0.id == "homeless_on_release" })
        #expect(bulletin.factorsNotShown.contains { $0.id == "homeless_on_release" })
        #expect(bulletin.shownFactors.allSatisfy { if case .count(let value) = $0.risk { value >= 5 } else { false } })
        #expect(bulletin.shownFactors.contains { $0.id == "opioid_use" } && bulletin.factorsAtZero.contains { $0.id == "injecting" })
        let markdown = try BulletinRenderer(bulletin: bulletin, store: try Self.fixture()).markdown()
        #expect(markdown.contains("Not shown (fewer than 5 reviews, or hidden so that a small count elsewhere cannot be worked out): ")
            && markdown.contains("no settled accommodation on the night of release"))
        #expect(markdown.contains("No review had the risk: ") && markdown.contains("injecting in the past year"))
        // Under 10 reviews, no factor figure at all.
        let small = try Store(inMemory: .standard)
        try small.write { db in for number in 1...6 { try small.insert(Self.review("F-\(number)"), db, now: "2026-01-01T00:00:00Z") } }
        let few = try BulletinBuilder(store: small).bulletin(for: Self.quarter)
        #expect(few.shownFactors.isEmpty && few.factorsAtZero.isEmpty)
        #expect(try BulletinRenderer(bulletin: few, store: small).markdown().contains("Risk factors in July to September 2025 are not shown: fewer than 10 published reviews"))
    }

    @Test func theIssuerAndMarkingAreShownAsTypedNotAsMarkup() throws {
        let store = try Self.fixture()
        let bulletin = try BulletinBuilder(store: store, issuer: "*Region* <b>", marking: "OFFICIAL_SENSITIVE").bulletin(for: Self.quarter)
        let renderer = BulletinRenderer(bulletin: bulletin, store: store)
        let html = renderer.html(markdown: try renderer.markdown(charts: BulletinRenderer.htmlCharts))
        #expect(html.contains("*Region* &lt;b&gt;") && html.contains("OFFICIAL_SENSITIVE") && !html.contains("<em>Region"))
        // At the start of the footer's line, a # stays a #, not a heading.
        let hashed = BulletinRenderer(bulletin: try BulletinBuilder(store: store, issuer: "# North West & Wales").bulletin(for: Self.quarter), store: store)
        let footer = hashed.html(markdown: try hashed.markdown(charts: BulletinRenderer.htmlCharts))
        #expect(footer.contains("<p># North West &amp; Wales · Issued") && !footer.contains("<h1>North West"))
    }

    @Test func aLearningPointWithAnAgeOrATemplateWithADateIsRefused() throws {
        let store = try Self.fixture()
        try store.write { db in
            try store.insert(Self.review("B-30", learning: ["A man aged 34 was released without a plan."]), db, now: "2026-01-01T00:00:00Z")
        }
        let renderer = try renderer(store)
        #expect {
            try renderer.markdown()
        } throws: { error in
            guard case BulletinError.disclosure(let problems) = error else { return false }
            return problems.count == 1 && problems[0].contains("an age (\"aged 34\")")
        }
        // A reference of any stored review, not only of those covered, is refused.
        let citing = try Self.fixture()
        try citing.write { db in
            try citing.insert(Self.review("OLD-2019-0001", event: "2019-05-01", release: nil), db, now: "2026-01-01T00:00:00Z")
            try citing.insert(Self.review("B-31", learning: ["As OLD-2019-0001 showed, naloxone must go with the person."]), db, now: "2026-01-01T00:00:00Z")
        }
        #expect {
            try self.renderer(citing).markdown()
        } throws: { error in
            guard case BulletinError.disclosure(let problems) = error else { return false }
            return problems.count == 1 && problems[0].contains("the review reference OLD-2019-0001")
        }
        // A chart's file name with a date in it is the user's choice, not the bulletin's.
        #expect(try self.renderer(Self.fixture()).markdown(charts: .init(release: "bulletin 2025-09-30.svg")).contains("](bulletin%202025-09-30.svg)"))
        let clean = try self.renderer(Self.fixture())
        #expect(throws: BulletinError.self) { try clean.markdown(template: "Made on 3 March 2026. {{period}}") }
        #expect(throws: BulletinError.self) { try clean.markdown(template: "{{#factors}}") }
    }

    @Test func aTemplateAskingForAValueThatDoesNotExistIsRefusedWithItsPlace() throws {
        let renderer = try renderer(Self.fixture())
        #expect {
            try renderer.markdown(template: "# {{period}}\n\n{{#factors}}| {{questoin}} | {{count}} |{{/factors}}\n{{{perod}}}")
        } throws: { error in
            guard case BulletinError.template(let message) = error else { return false }
            return message.split(separator: "\n").prefix(2) == [
                "line 3, column 15: {{questoin}}: no value is called \"questoin\"",
                "line 4, column 1: {{{perod}}}: no value is called \"perod\"",
            ]
        }
        // The names checked against are those the values hold when every list has items.
        #expect(TemplateNames.keys(of: renderer.context(charts: .init(release: "c.svg", themes: "t.svg"))) == BulletinRenderer.valueNames.values.reduce([], { $0.union($1) }))
        // A value of one list's items, used outside that list, or in another list.
        for misplaced in ["{{label}}", "{{#factors}}{{label}}{{/factors}}", "{{#themes}}{{/themes}}{{label}}"] {
            #expect(throws: BulletinError.self, "\(misplaced)") { try renderer.markdown(template: misplaced) }
        }
        // A misspelt function.
        #expect(throws: BulletinError.self) { try renderer.markdown(template: "{{uppercasedd(period)}}") }
        #expect(throws: BulletinError.self) { try renderer.markdown(template: "{{#factors}}{{#frist()}}x{{/frist()}}{{/factors}}") }
        // Partials have nothing to include.
        #expect(throws: BulletinError.self) { try renderer.markdown(template: "{{> header}}{{period}}") }
        // Every other kind of tag, with changed delimiters, transforms and sequence values, passes.
        let fine = try renderer.markdown(template: """
            {{! a comment with {{anything}} }}{{%CONTENT_TYPE: TEXT}}
            {{#factors}}{{#first()}}first: {{/first()}}{{id}} {{.}}{{/factors}}
            {{^empty}}{{&period}} {{uppercased(period)}}{{/empty}}
            {{
              period
            }} {{#themes
            }}{{label}}{{/themes}}{{$title}}A block{{/title}}
            {{#learning}}{{theme}}{{#points}}{{.}}{{theme}}{{/points}}{{/learning}}
            {{=<% %>=}}<%period%> {{notatag}}
            """)
        #expect(fine.contains("{{notatag}}") && fine.contains("first: "))
    }

    @Test func aLearningPointWithMarkupIsNotPassedIntoTheHTML() throws {
        let store = try Store(inMemory: .standard)
        try store.write { db in
            try store.insert(Self.review("H-1", learning: ["Use <script>alert(1)</script> nowhere."]), db, now: "2026-01-01T00:00:00Z")
        }
        let renderer = try renderer(store)
        let html = renderer.html(markdown: try renderer.markdown())
        #expect(!html.contains("<script>"))
        // An image written in a text is shown as its words: the page fetches nothing.
        try store.write { db in
            try store.insert(Self.review("H-2", learning: ["See ![the leaflet](https://example.org/beacon.png) for more."]), db, now: "2026-01-01T00:00:00Z")
        }
        let imaged = try self.renderer(store)
        let page = imaged.html(markdown: try imaged.markdown(charts: BulletinRenderer.htmlCharts))
        #expect(!page.contains("example.org/beacon.png\"") && !page.contains("<img") && page.contains("See the leaflet for more."))
    }

    @Test func theChartDrawsAHatchedMarkOfOneSizeForAHiddenCountAndSaysWhatItShows() throws {
        let svg = try #require(try renderer(Self.fixture()).releaseChart())
        // Five bands: a bar for 10, a hatched mark for each of the two hidden counts, none for zeros.
        #expect(svg.components(separatedBy: "fill=\"#333333\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "width=\"12\" height=\"16\" fill=\"url(#").count - 1 == 2)
        #expect(svg.contains(">&lt;5</text>"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.contains("<title id=") && svg.contains("<desc id="))
        // The themes chart: shown counts only.
        let themes = try #require(try renderer(Self.fixture()).themesChart())
        #expect(themes.contains(">naloxone</text>") && themes.contains(">15</text>"))
    }
}
