import Foundation

/// Turns a parsed review file (a `Node` tree, from either spelling) into a `Review`,
/// enforcing every rule of review-format.md and collecting every problem on the way.
///
/// Texts are normalised at this boundary, the same way for both spellings: line endings
/// become `\n` and leading and trailing white space is trimmed. Nothing else is changed.
struct ReviewReader {
    let catalogue: Catalogue
    let today: Day
    let file: String
    private(set) var problems: [Problem] = []

    init(catalogue: Catalogue, today: Day, file: String) {
        self.catalogue = catalogue
        self.today = today
        self.file = file
    }

    static let reviewKeys: [String] = [
        "reference", "kind", "status", "classification", "event_date", "release_date", "region",
        "supervision", "age", "sex", "ethnicity", "substances", "event_place", "bystander_present",
        "naloxone_given_at_event", "ambulance_attended", "factors", "review_date", "agencies",
        "summary", "findings", "learning", "recommendations", "derived",
    ]
    static let recommendationKeys: [String] = ["id", "text", "to", "response", "reason_category", "reason", "themes", "actions"]
    static let actionKeys: [String] = [
        "id", "text", "owner", "target_date", "revised_target_dates", "status", "completed_date",
        "withdrawn_reason", "updates", "evidence",
    ]
    static let noteKeys: [String] = ["text", "themes"]
    static let updateKeys: [String] = ["date", "note"]

    // MARK: Reporting

    mutating func problem(_ field: @autoclosure () -> String, _ message: String, at node: Node?) {
        problems.append(Problem(file: file, line: node?.line, field: field(), message: message))
    }

    // MARK: The review

    /// Reads one review; nil when a required field could not be read. `problems` holds the
    /// reasons either way.
    mutating func read(_ node: Node) -> Review? {
        guard case .map(let pairs) = node.value else {
            problem("review", "expected a mapping of fields, found \(node.kindName)", at: node)
            return nil
        }
        let fields = fieldsChecked(pairs, allowed: Self.reviewKeys, prefix: "", at: node)
        func field(_ key: String) -> Node? { fields[key] }

        let reference = readReference(field("reference"), at: node)
        let kind: Kind? = choice(field("kind"), "kind", required: true, at: node)
        let status: Status = choice(field("status"), "status", required: false, at: node) ?? .draft
        let classification: Classification = choice(field("classification"), "classification", required: false, at: node) ?? .suspected
        let eventDate = date(field("event_date"), "event_date", required: true, at: node)
        let releaseDate = date(field("release_date"), "release_date", required: false, at: node)
        let region = readRegion(field("region"), at: node)
        let supervision: Supervision? = choice(field("supervision"), "supervision", required: true, at: node)

        if let eventDate, let releaseDate, releaseDate > eventDate {
            problem("release_date", "\(releaseDate) is after the event date \(eventDate); it must be the last release before the event", at: field("release_date"))
        }

        guard let reference, let kind, let eventDate, let region, let supervision else {
            // Keep reading to report every problem, but there is no review to return.
            var scratch = Review(reference: "", kind: kind ?? .death, eventDate: eventDate ?? today, region: "", supervision: .other)
            scratch.releaseDate = releaseDate
            readRest(into: &scratch, fields: fields, at: node, knows: (kind: kind != nil, eventDate: eventDate != nil))
            return nil
        }
        var review = Review(reference: reference, kind: kind, eventDate: eventDate, region: region, supervision: supervision)
        review.status = status
        review.classification = classification
        review.releaseDate = releaseDate
        readRest(into: &review, fields: fields, at: node, knows: (kind: true, eventDate: true))
        checkPublishing(review, fields: fields, at: node)
        return review
    }

    /// Reads the optional fields; `knows` says whether kind and event date were read, so
    /// that checks against them are made only when they mean something.
    private mutating func readRest(
        into review: inout Review, fields: Fields, at node: Node, knows: (kind: Bool, eventDate: Bool)
    ) {
        if let ageNode = fields["age"], !ageNode.isNull {
            if let age = integer(ageNode, "age") {
                if (18...110).contains(age) { review.age = age } else { problem("age", "\(age) is outside 18–110 (the age at the event)", at: ageNode) }
            }
        }
        review.sex = choice(fields["sex"], "sex", required: false, at: node) ?? .unknown
        review.ethnicity = choice(fields["ethnicity"], "ethnicity", required: false, at: node) ?? .unknown
        review.eventPlace = choice(fields["event_place"], "event_place", required: false, at: node) ?? .unknown
        review.bystanderPresent = answer(fields["bystander_present"], "bystander_present") ?? .unknown
        review.naloxoneGivenAtEvent = answer(fields["naloxone_given_at_event"], "naloxone_given_at_event") ?? .unknown
        review.ambulanceAttended = answer(fields["ambulance_attended"], "ambulance_attended") ?? .unknown
        review.substances = idList(fields["substances"], "substances", in: "substances", what: "substance")
        review.reviewDate = date(fields["review_date"], "review_date", required: false, at: node)
        if let reviewDate = review.reviewDate, knows.eventDate, reviewDate < review.eventDate {
            problem("review_date", "\(reviewDate) is before the event date \(review.eventDate)", at: fields["review_date"])
        }
        review.agencies = textList(fields["agencies"], "agencies")
        review.summary = text(fields["summary"], "summary", required: false, at: node)
        review.findings = notes(fields["findings"], "findings")
        review.learning = notes(fields["learning"], "learning")
        review.factors = readFactors(fields["factors"], review: review, knowsKind: knows.kind)
        review.recommendations = recommendations(fields["recommendations"])
    }

    private mutating func checkPublishing(_ review: Review, fields: Fields, at node: Node) {
        guard review.status == .published else { return }
        for breach in PublishingRules.breaches(review) {
            problem(breach.field, breach.message, at: fields[breach.key])
        }
    }

    // MARK: Field readers

    /// Checks a mapping for unknown and duplicate keys and returns its fields by key.
    private mutating func fieldsChecked(
        _ pairs: [(key: String, value: Node)], allowed: [String], prefix: @autoclosure () -> String, at node: Node
    ) -> Fields {
        var fields = Fields(keys: allowed)
        // Files (dus's own among them) mostly write the fields in the order of `allowed`:
        // the place after the last one found is tried first.
        var guess = 0
        for (key, value) in pairs {
            let slot = guess < allowed.count && allowed[guess] == key ? guess : Fields.slot(of: key, in: allowed)
            guard let slot else {
                let hint = allowed.sorted().first { Self.isNear($0, key) }.map { " (did you mean \($0)?)" } ?? ""
                problem(prefix() + key, "unknown field\(hint)", at: value)
                continue
            }
            guess = slot + 1
            if fields.values[slot] != nil {
                problem(prefix() + key, "appears twice", at: value)
            } else {
                fields.values[slot] = value
            }
        }
        return fields
    }

    private static func isNear(_ a: String, _ b: String) -> Bool {
        let a = Array(a), b = Array(b)
        guard abs(a.count - b.count) <= 2 else { return false }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count] <= 2
    }

    private mutating func readReference(_ node: Node?, at parent: Node) -> String? {
        guard let value = text(node, "reference", required: true, at: parent, screen: false) else { return nil }
        let isAllowed = value.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        if !(3...40).contains(value.count) || !isAllowed {
            let lower = value.uppercased() != value ? " (lower case is refused, not changed)" : ""
            problem("reference", "\"\(value)\" must be 3–40 characters of A-Z, 0-9 and -\(lower)", at: node)
            return nil
        }
        if let kind = IdentifierScreen.identifier(in: value) {
            problem("reference", "looks like \(kind); references are pseudonymous: use the region's allocated form, e.g. NW-2025-0007", at: node)
            return nil
        }
        return value
    }

    private mutating func readRegion(_ node: Node?, at parent: Node) -> String? {
        guard let value = text(node, "region", required: true, at: parent, screen: false) else { return nil }
        guard let region = catalogue.region(matching: value) else {
            problem("region", "unknown region \"\(value)\"; use one of: \(catalogue.regions.map(\.name).joined(separator: ", "))", at: node)
            return nil
        }
        return region.name
    }

    /// A free-text value, normalised; screened for personal identifiers unless `screen` is false.
    mutating func text(_ node: Node?, _ field: @autoclosure () -> String, required: Bool, at parent: Node?, screen: Bool = true) -> String? {
        guard let node, !node.isNull else {
            if required { problem(field(), "is required", at: node ?? parent) }
            return nil
        }
        guard case .scalar(let raw, _) = node.value else {
            problem(field(), "expected text, found \(node.kindName)", at: node)
            return nil
        }
        let value = Self.normalise(raw)
        if value.isEmpty {
            if required { problem(field(), "is empty", at: node) }
            return nil
        }
        if screen {
            // Every identifier in the text at once, each with its place but not its value.
            let found = IdentifierScreen.identifiers(in: value)
            for finding in found {
                problem(field(), "contains what looks like \(finding.description); reviews are pseudonymous: remove it", at: node)
            }
            if !found.isEmpty { return nil }
        }
        return value
    }

    /// Line endings become `\n`; white space (Unicode's, as Foundation's
    /// `whitespacesAndNewlines`) is trimmed from both ends.
    static func normalise(_ text: String) -> String {
        // Most texts need nothing: they start and end with a visible ASCII character and hold no CR.
        var copy = text
        let isClean = copy.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) else { return false }
            return memchr(bytes.baseAddress!, 0x0D, bytes.count) == nil
        }
        if isClean { return text }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
                previousWasCR = true
                continue
            }
            if !(scalar == "\n" && previousWasCR) { scalars.append(scalar) }
            previousWasCR = false
        }
        guard let start = scalars.firstIndex(where: { !isWhitespace($0) }),
              let end = scalars.lastIndex(where: { !isWhitespace($0) }) else { return "" }
        return String(scalars[start...end])
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85: return true
        case 0..<0x80: return false
        default:
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    private mutating func date(_ node: Node?, _ field: @autoclosure () -> String, required: Bool, at parent: Node?) -> Day? {
        guard let node, !node.isNull else {
            if required { problem(field(), "is required", at: node ?? parent) }
            return nil
        }
        guard case .scalar(let raw, _) = node.value else {
            problem(field(), "expected a date YYYY-MM-DD, found \(node.kindName)", at: node)
            return nil
        }
        guard let day = Day(raw) else {
            let shape = raw.count == 10 && raw.allSatisfy({ $0.isNumber || $0 == "-" })
            problem(field(), shape ? "\(raw) is not a real calendar date" : "\"\(raw)\" is not a date in the form YYYY-MM-DD", at: node)
            return nil
        }
        if day > today {
            problem(field(), "\(day) is in the future (today is \(today))", at: node)
            return nil
        }
        return day
    }

    /// A date that may lie in the future (target dates of actions).
    private mutating func plannedDate(_ node: Node?, _ field: @autoclosure () -> String, required: Bool, at parent: Node?) -> Day? {
        guard let node, !node.isNull else {
            if required { problem(field(), "is required", at: node ?? parent) }
            return nil
        }
        guard case .scalar(let raw, _) = node.value, let day = Day(raw) else {
            if case .scalar(let raw, _) = node.value {
                problem(field(), "\"\(raw)\" is not a real date in the form YYYY-MM-DD", at: node)
            } else {
                problem(field(), "expected a date YYYY-MM-DD, found \(node.kindName)", at: node)
            }
            return nil
        }
        return day
    }

    private mutating func integer(_ node: Node, _ field: @autoclosure () -> String) -> Int? {
        switch node.value {
        case .scalar(let raw, _), .number(let raw):
            if let value = Int(raw) { return value }
            problem(field(), "\"\(raw)\" is not a whole number", at: node)
        default:
            problem(field(), "expected a whole number, found \(node.kindName)", at: node)
        }
        return nil
    }

    /// One value of a controlled list that a Swift enum models.
    private mutating func choice<T: RawRepresentable & CaseIterable>(
        _ node: Node?, _ field: @autoclosure () -> String, required: Bool, at parent: Node?
    ) -> T? where T.RawValue == String {
        guard let node, !node.isNull else {
            if required { problem(field(), "is required", at: node ?? parent) }
            return nil
        }
        guard case .scalar(let raw, _) = node.value else {
            problem(field(), "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), found \(node.kindName)", at: node)
            return nil
        }
        guard let value = T(rawValue: raw) else {
            problem(field(), "\"\(raw)\" is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", at: node)
            return nil
        }
        return value
    }

    /// A yes/no/unknown answer: YAML's `true/false` and `on/off`, in any case, read as yes/no.
    mutating func answer(_ node: Node?, _ field: @autoclosure () -> String) -> Answer? {
        guard let node, !node.isNull else { return nil }
        switch node.value {
        case .bool(let flag):
            return flag ? .yes : .no
        case .scalar(let raw, _):
            // The usual spellings first, without making a lower-case copy.
            switch raw {
            case "yes": return .yes
            case "no": return .no
            case "unknown": return .unknown
            default: break
            }
            switch raw.lowercased() {
            case "yes", "true", "on": return .yes
            case "no", "false", "off": return .no
            case "unknown": return .unknown
            default: break
            }
            problem(field(), "\"\(raw)\" is not yes, no or unknown", at: node)
        default:
            problem(field(), "expected yes, no or unknown, found \(node.kindName)", at: node)
        }
        return nil
    }

    private mutating func list(_ node: Node?, _ field: @autoclosure () -> String) -> [Node] {
        guard let node, !node.isNull else { return [] }
        guard case .list(let items) = node.value else {
            problem(field(), "expected a list, found \(node.kindName)", at: node)
            return []
        }
        return items
    }

    /// A list of ids from a controlled list, with no duplicates.
    private mutating func idList(_ node: Node?, _ field: @autoclosure () -> String, in listName: String, what: String) -> [String] {
        var values: [String] = []
        let listed = catalogue.index(ofList: listName)
        for item in list(node, field()) {
            guard case .scalar(let raw, _) = item.value else {
                problem(field(), "expected a \(what), found \(item.kindName)", at: item)
                continue
            }
            let id = Self.normalise(raw)
            if listed?.position(of: id) == nil {
                problem(field(), "unknown \(what) \"\(id)\"; see `dus factors` for the list", at: item)
            } else if values.contains(id) {
                problem(field(), "\(what) \"\(id)\" is listed twice", at: item)
            } else {
                values.append(id)
            }
        }
        return values
    }

    private mutating func textList(_ node: Node?, _ field: @autoclosure () -> String) -> [String] {
        list(node, field()).enumerated().compactMap { index, item in
            text(item, "\(field())[\(index + 1)]", required: true, at: item)
        }
    }

    private mutating func themes(_ node: Node?, _ field: @autoclosure () -> String) -> [String] {
        idList(node, field(), in: "themes", what: "theme")
    }

    private mutating func notes(_ node: Node?, _ field: @autoclosure () -> String) -> [Note] {
        var notes: [Note] = []
        for (index, item) in list(node, field()).enumerated() {
            func path() -> String { "\(field())[\(index + 1)]" }
            guard case .map(let pairs) = item.value else {
                problem(path(), "expected {text, themes}, found \(item.kindName)", at: item)
                continue
            }
            let fields = fieldsChecked(pairs, allowed: Self.noteKeys, prefix: path() + ".", at: item)
            let text = text(fields["text"], path() + ".text", required: true, at: item)
            let themes = themes(fields["themes"], path() + ".themes")
            if let text { notes.append(Note(text: text, themes: themes)) }
        }
        return notes
    }

    private mutating func readFactors(_ node: Node?, review: Review, knowsKind: Bool) -> [String: Answer] {
        guard let node, !node.isNull else { return [:] }
        guard case .map(let pairs) = node.value else {
            problem("factors", "expected a mapping of factor id to yes/no/unknown, found \(node.kindName)", at: node)
            return [:]
        }
        var answers: [String: Answer] = [:]
        var seen = [Bool](repeating: false, count: catalogue.factors.count)
        answers.reserveCapacity(pairs.count)
        var guess = 0
        for (id, valueNode) in pairs {
            var field: String { "factors.\(id)" }
            guard let position = catalogue.position(of: id, guess: guess) else {
                problem(field, "unknown factor; see `dus factors` for the catalogue", at: valueNode)
                continue
            }
            guess = position + 1
            guard !seen[position] else {
                problem(field, "appears twice", at: valueNode)
                continue
            }
            seen[position] = true
            let factor = catalogue.answerRules[position]
            if factor.derived {
                problem(field, "is derived from dates and lists and cannot be typed in", at: valueNode)
                continue
            }
            guard let answer = answer(valueNode, field) else { continue }
            switch factor.applies {
            case .released where review.releaseDate == nil:
                problem(field, "applies only when a release_date is recorded", at: valueNode)
                continue
            case .death where knowsKind && review.kind != .death, .nearMiss where knowsKind && review.kind != .nearMiss:
                problem(field, "applies only to a \(factor.applies.rawValue)", at: valueNode)
                continue
            default:
                break
            }
            if answer != .unknown { answers[id] = answer }
        }
        return answers
    }

    private mutating func recommendations(_ node: Node?) -> [Recommendation] {
        var result: [Recommendation] = []
        // A review has a few recommendations: a list is searched faster than a set is hashed.
        var ids: [String] = []
        for (index, item) in list(node, "recommendations").enumerated() {
            // Named by its id once that is read, else by its place; made only for a problem.
            var id: String?
            func path() -> String { id.map { "recommendations[\($0)]" } ?? "recommendations[\(index + 1)]" }
            guard case .map(let pairs) = item.value else {
                problem(path(), "expected a recommendation mapping, found \(item.kindName)", at: item)
                continue
            }
            let fields = fieldsChecked(pairs, allowed: Self.recommendationKeys, prefix: path() + ".", at: item)
            id = text(fields["id"], path() + ".id", required: true, at: item, screen: false)
            if let id {
                if ids.contains(id) { problem(path() + ".id", "is used twice in this review", at: fields["id"]) } else { ids.append(id) }
                if !Self.isLabel(id, prefix: "R") { problem(path() + ".id", "must be R followed by a number, e.g. R1", at: fields["id"]) }
            }
            let text = text(fields["text"], path() + ".text", required: true, at: item)
            let to = self.text(fields["to"], path() + ".to", required: false, at: item)
            let response: Response? = choice(fields["response"], path() + ".response", required: true, at: item)
            let category: ReasonCategory? = choice(fields["reason_category"], path() + ".reason_category", required: false, at: item)
            let reason = self.text(fields["reason"], path() + ".reason", required: false, at: item)
            if let response, response != .agreed {
                if fields["reason_category"] == nil || fields["reason_category"]?.isNull == true {
                    problem(path() + ".reason_category", "is required when the response is \(response.rawValue) (commissioning, policy, operational or affordability)", at: item)
                }
                if fields["reason"] == nil || fields["reason"]?.isNull == true {
                    problem(path() + ".reason", "is required when the response is \(response.rawValue): explain why", at: item)
                }
            }
            let themes = themes(fields["themes"], path() + ".themes")
            let actions = actions(fields["actions"], path: path)
            if let id, let text, let response {
                var recommendation = Recommendation(id: id, text: text, to: to, response: response)
                recommendation.reasonCategory = category
                recommendation.reason = reason
                recommendation.themes = themes
                recommendation.actions = actions
                result.append(recommendation)
            }
        }
        return result
    }

    /// `prefix` then a number without leading zeros: `R1`, `A12`.
    static func isLabel(_ id: String, prefix: Character) -> Bool {
        let bytes = id.utf8
        guard let letter = prefix.asciiValue, bytes.count >= 2, bytes.first == letter else { return false }
        let number = bytes.dropFirst()
        return number.first != UInt8(ascii: "0") && number.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private mutating func actions(_ node: Node?, path recommendationPath: () -> String) -> [Action] {
        var result: [Action] = []
        var pending: [(index: Int, action: Action)] = []
        var ids: [String] = []
        for (index, item) in list(node, recommendationPath() + ".actions").enumerated() {
            // Named by its id once that is read, else by its place; made only for a problem.
            var id: String?
            func path() -> String { recommendationPath() + ".actions[" + (id ?? String(index + 1)) + "]" }
            guard case .map(let pairs) = item.value else {
                problem(path(), "expected an action mapping, found \(item.kindName)", at: item)
                continue
            }
            let fields = fieldsChecked(pairs, allowed: Self.actionKeys, prefix: path() + ".", at: item)
            id = text(fields["id"], path() + ".id", required: false, at: item, screen: false)
            if let id {
                if ids.contains(id) { problem(path() + ".id", "is used twice in this recommendation", at: fields["id"]) } else { ids.append(id) }
                if !Self.isLabel(id, prefix: "A") { problem(path() + ".id", "must be A followed by a number, e.g. A1", at: fields["id"]) }
            }
            let text = text(fields["text"], path() + ".text", required: true, at: item)
            let owner = self.text(fields["owner"], path() + ".owner", required: true, at: item)
            let target = plannedDate(fields["target_date"], path() + ".target_date", required: true, at: item)
            var revised: [Day] = []
            for (position, dateNode) in list(fields["revised_target_dates"], path() + ".revised_target_dates").enumerated() {
                if let day = plannedDate(dateNode, path() + ".revised_target_dates[\(position + 1)]", required: true, at: dateNode) {
                    revised.append(day)
                }
            }
            let status: ActionStatus = choice(fields["status"], path() + ".status", required: false, at: item) ?? .open
            let completed = date(fields["completed_date"], path() + ".completed_date", required: false, at: item)
            let withdrawnReason = self.text(fields["withdrawn_reason"], path() + ".withdrawn_reason", required: false, at: item)
            let hasCompleted = fields["completed_date"].map { !$0.isNull } ?? false
            let hasWithdrawnReason = fields["withdrawn_reason"].map { !$0.isNull } ?? false
            if status == .complete && !hasCompleted {
                problem(path() + ".completed_date", "is required when the status is complete", at: item)
            }
            if status != .complete && hasCompleted {
                problem(path() + ".completed_date", "is given but the status is \(status.rawValue); set status: complete or remove it", at: fields["completed_date"])
            }
            if status == .withdrawn && !hasWithdrawnReason {
                problem(path() + ".withdrawn_reason", "is required when the status is withdrawn", at: item)
            }
            if status != .withdrawn && hasWithdrawnReason {
                problem(path() + ".withdrawn_reason", "is given but the status is \(status.rawValue); set status: withdrawn or remove it", at: fields["withdrawn_reason"])
            }
            var updates: [ActionUpdate] = []
            for (position, updateNode) in list(fields["updates"], path() + ".updates").enumerated() {
                func updatePath() -> String { path() + ".updates[\(position + 1)]" }
                guard case .map(let updatePairs) = updateNode.value else {
                    problem(updatePath(), "expected {date, note}, found \(updateNode.kindName)", at: updateNode)
                    continue
                }
                let updateFields = fieldsChecked(updatePairs, allowed: Self.updateKeys, prefix: updatePath() + ".", at: updateNode)
                let day = date(updateFields["date"], updatePath() + ".date", required: true, at: updateNode)
                let note = self.text(updateFields["note"], updatePath() + ".note", required: true, at: updateNode)
                if let day, let note { updates.append(ActionUpdate(date: day, note: note)) }
            }
            let evidence = self.text(fields["evidence"], path() + ".evidence", required: false, at: item)
            if status != .complete && fields["evidence"].map({ !$0.isNull }) == true {
                problem(path() + ".evidence", "is given but the status is \(status.rawValue); evidence is what shows that a completed action worked", at: fields["evidence"])
            }
            guard let text, let owner, let target else { continue }
            var action = Action(id: id ?? "", text: text, owner: owner, targetDate: target)
            action.revisedTargetDates = revised
            action.status = status
            action.completedDate = status == .complete ? completed : nil
            action.withdrawnReason = status == .withdrawn ? withdrawnReason : nil
            action.updates = updates
            action.evidence = status == .complete ? evidence : nil
            if id == nil { pending.append((result.count, action)) }
            result.append(action)
        }
        // Allocate ids to actions that came without one: the lowest free A-number, in order.
        var next = 1
        for (index, _) in pending {
            while ids.contains("A\(next)") { next += 1 }
            result[index].id = "A\(next)"
            ids.append("A\(next)")
        }
        return result
    }
}

/// The fields of one mapping, by key: a small mapping (at most two dozen keys) is searched
/// faster than it is hashed, and reading a review looks up every field once.
struct Fields {
    let keys: [String]
    var values: [Node?]

    init(keys: [String]) {
        self.keys = keys
        values = Array(repeating: nil, count: keys.count)
    }

    subscript(key: String) -> Node? {
        guard let slot = Self.slot(of: key, in: keys) else { return nil }
        return values[slot]
    }

    /// Where `key` is in `keys`. Lengths are compared first: that is all it takes to pass
    /// over most keys, where comparing the strings themselves would cost more.
    static func slot(of key: String, in keys: [String]) -> Int? {
        let length = key.utf8.count
        return keys.firstIndex { $0.utf8.count == length && $0 == key }
    }
}
