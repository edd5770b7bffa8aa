/// The parts of a review kept in its own row: findings, learning points and
/// recommendations (with their actions), each column a JSON list spelled as in a JSON
/// review file (`ReviewWriter`).
///
/// One row a review is written by one statement, and read by one (a table for each kind
/// of part would take about 35 statements a review). Analysts still see one row per part, through views (`Schema.createPartViews`).
///
/// The JSON is written here directly rather than through `ReviewWriter`'s `JSONValue`
/// tree: building that tree for every part is a large share of an import's work.
/// The keys and their spelling are the review file's, an absent value is left out, and
/// the reader below takes back exactly what is written (a test holds the two together).
enum StoredParts {
    static func json(_ notes: [Note]) -> String {
        var out = JSONBytes()
        out.raw("[")
        for (index, note) in notes.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw(#"{"text":"#)
            out.string(note.text)
            out.list("themes", note.themes)
            out.raw("}")
        }
        out.raw("]")
        return out.text
    }

    static func json(_ recommendations: [Recommendation]) -> String {
        var out = JSONBytes()
        out.raw("[")
        for (index, recommendation) in recommendations.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw(#"{"id":"#)
            out.string(recommendation.id)
            out.pair("text", recommendation.text)
            out.pair("to", recommendation.to)
            out.pair("response", recommendation.response.rawValue)
            out.pair("reason_category", recommendation.reasonCategory?.rawValue)
            out.pair("reason", recommendation.reason)
            out.list("themes", recommendation.themes)
            if !recommendation.actions.isEmpty {
                out.raw(#","actions":["#)
                for (actionIndex, action) in recommendation.actions.enumerated() {
                    if actionIndex > 0 { out.raw(",") }
                    out.raw(#"{"id":"#)
                    out.string(action.id)
                    out.pair("text", action.text)
                    out.pair("owner", action.owner)
                    out.pair("target_date", action.targetDate.description)
                    out.list("revised_target_dates", action.revisedTargetDates.map(\.description))
                    out.pair("status", action.status.rawValue)
                    out.pair("completed_date", action.completedDate?.description)
                    out.pair("withdrawn_reason", action.withdrawnReason)
                    if !action.updates.isEmpty {
                        out.raw(#","updates":["#)
                        for (updateIndex, update) in action.updates.enumerated() {
                            if updateIndex > 0 { out.raw(",") }
                            out.raw(#"{"date":"#)
                            out.string(update.date.description)
                            out.pair("note", update.note)
                            out.raw("}")
                        }
                        out.raw("]")
                    }
                    out.pair("evidence", action.evidence)
                    out.raw("}")
                }
                out.raw("]")
            }
            out.raw("}")
        }
        out.raw("]")
        return out.text
    }

    /// A list of texts, `["a","b"]`.
    static func list(_ items: [String]) -> String {
        var out = JSONBytes()
        out.texts(items)
        return out.text
    }

    /// A list of lists of texts, `[["a","b"],[]]`.
    static func lists(_ lists: [[String]]) -> String {
        var out = JSONBytes()
        out.raw("[")
        for (index, items) in lists.enumerated() {
            if index > 0 { out.raw(",") }
            out.texts(items)
        }
        out.raw("]")
        return out.text
    }

    /// The texts of a stored JSON list of texts (`["a","b"]`, as `list` writes it); nil when
    /// the bytes are not such a list. Lists without escapes (ids, dates) are split where
    /// they are; any other goes through the JSON parser.
    static func texts(inList bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        let (open, close, quote, comma, backslash) = (UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "\\"))
        guard bytes.count >= 2, bytes.first == open, bytes.last == close else { return nil }
        if bytes.count == 2 { return [] }
        if bytes.contains(backslash) {
            guard let node = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self)), case .list(let items) = node.value else { return nil }
            var texts: [String] = []
            for item in items {
                guard case .scalar(let text, _) = item.value else { return nil }
                texts.append(text)
            }
            return texts
        }
        var texts: [String] = []
        var index = 1
        while index < bytes.count - 1 {
            guard bytes[index] == quote else { return nil }
            var end = index + 1
            while end < bytes.count - 1 && bytes[end] != quote { end += 1 }
            guard end < bytes.count - 1 else { return nil }
            texts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end]), as: UTF8.self))
            index = end + 1
            if index < bytes.count - 1 {
                guard bytes[index] == comma else { return nil }
                index += 1
            }
        }
        return texts
    }

    /// A stored column that is not what dus wrote: named, and never guessed at.
    struct Damaged: Error {
        var column: String
        var problem: String
    }

    static func notes(_ text: String, column: String) throws(Damaged) -> [Note] {
        if let notes = Quick.notes(text) { return notes }
        return try parsedNotes(text, column: column)
    }

    /// The notes through the JSON parser, which names what is wrong.
    private static func parsedNotes(_ text: String, column: String) throws(Damaged) -> [Note] {
        try list(text, column: column).map { node throws(Damaged) in
            let fields = try Fields(node, column: column)
            return Note(text: try fields.text("text"), themes: try fields.strings("themes"))
        }
    }

    static func recommendations(_ text: String) throws(Damaged) -> [Recommendation] {
        if let recommendations = Quick.recommendations(text) { return recommendations }
        return try parsedRecommendations(text)
    }

    /// The recommendations through the JSON parser, which names what is wrong.
    private static func parsedRecommendations(_ text: String) throws(Damaged) -> [Recommendation] {
        let column = "recommendations"
        return try list(text, column: column).map { node throws(Damaged) in
            let fields = try Fields(node, column: column)
            guard let response = Response(rawValue: try fields.text("response")) else {
                throw Damaged(column: column, problem: "a response dus does not know")
            }
            var recommendation = Recommendation(
                id: try fields.text("id"), text: try fields.text("text"), to: try fields.optionalText("to"), response: response)
            if let category = try fields.optionalText("reason_category") {
                guard let known = ReasonCategory(rawValue: category) else {
                    throw Damaged(column: column, problem: "a reason category dus does not know")
                }
                recommendation.reasonCategory = known
            }
            recommendation.reason = try fields.optionalText("reason")
            recommendation.themes = try fields.strings("themes")
            recommendation.actions = try fields.list("actions").map { node throws(Damaged) in try action(node, column: column) }
            return recommendation
        }
    }

    private static func action(_ node: Node, column: String) throws(Damaged) -> Action {
        let fields = try Fields(node, column: column)
        var action = Action(
            id: try fields.text("id"), text: try fields.text("text"), owner: try fields.text("owner"),
            targetDate: try fields.day("target_date"))
        action.revisedTargetDates = try fields.strings("revised_target_dates").map { text throws(Damaged) in
            guard let day = Day(text) else { throw Damaged(column: column, problem: "a revised target date that is not a date") }
            return day
        }
        guard let status = ActionStatus(rawValue: try fields.text("status")) else {
            throw Damaged(column: column, problem: "an action status dus does not know")
        }
        action.status = status
        action.completedDate = try fields.optionalText("completed_date").map { text throws(Damaged) in
            guard let day = Day(text) else { throw Damaged(column: column, problem: "a completed date that is not a date") }
            return day
        }
        action.withdrawnReason = try fields.optionalText("withdrawn_reason")
        action.updates = try fields.list("updates").map { node throws(Damaged) in
            let fields = try Fields(node, column: column)
            return ActionUpdate(date: try fields.day("date"), note: try fields.text("note"))
        }
        action.evidence = try fields.optionalText("evidence")
        return action
    }

    private static func list(_ text: String, column: String) throws(Damaged) -> [Node] {
        let node: Node
        do {
            node = try JSONParser.parse(text)
        } catch {
            throw Damaged(column: column, problem: "not JSON (\(error.description))")
        }
        guard case .list(let items) = node.value else { throw Damaged(column: column, problem: "not a JSON list") }
        return items
    }

    /// The fields of one stored object. A field written as null reads as absent.
    private struct Fields {
        let pairs: [(key: String, value: Node)]
        let column: String

        init(_ node: Node, column: String) throws(Damaged) {
            guard case .map(let pairs) = node.value else { throw Damaged(column: column, problem: "an item that is not an object") }
            self.pairs = pairs
            self.column = column
        }

        private func value(_ key: String) -> Node.Value? {
            guard let node = pairs.first(where: { $0.key == key })?.value else { return nil }
            if case .null = node.value { return nil }
            return node.value
        }

        func optionalText(_ key: String) throws(Damaged) -> String? {
            switch value(key) {
            case nil: return nil
            case .scalar(let text, _)?: return text
            default: throw Damaged(column: column, problem: "\(key) is not text")
            }
        }

        func text(_ key: String) throws(Damaged) -> String {
            guard let text = try optionalText(key) else { throw Damaged(column: column, problem: "\(key) is missing") }
            return text
        }

        func day(_ key: String) throws(Damaged) -> Day {
            guard let day = Day(try text(key)) else { throw Damaged(column: column, problem: "\(key) is not a date") }
            return day
        }

        func list(_ key: String) throws(Damaged) -> [Node] {
            switch value(key) {
            case nil: return []
            case .list(let items)?: return items
            default: throw Damaged(column: column, problem: "\(key) is not a list")
            }
        }

        func strings(_ key: String) throws(Damaged) -> [String] {
            try list(key).map { node throws(Damaged) in
                guard case .scalar(let text, _) = node.value else { throw Damaged(column: column, problem: "\(key) holds an item that is not text") }
                return text
            }
        }
    }

    /// The parts read with `JSONWalker`, making only what the model holds: several times
    /// quicker than the parser's tree, which a reading of every review (export, doctor)
    /// felt. Nil at anything unexpected (a null, a value of another kind, an unknown
    /// spelling), and then the parser reads the text again and names the problem.
    private enum Quick {
        static func notes(_ text: String) -> [Note]? {
            JSONWalker.reading(text) { walker in notes(&walker) }
        }

        private static func notes(_ walker: inout JSONWalker) -> [Note]? {
            var notes: [Note] = []
            let read = walker.items { walker in
                var note = Note(text: "")
                var hasText = false
                guard walker.members({ key, walker in
                    switch key {
                    case "text":
                        guard let text = walker.string() else { return false }
                        note.text = text
                        hasText = true
                        return true
                    case "themes": return strings(&walker) { note.themes.append($0) }
                    default: return walker.skip()
                    }
                }), hasText else { return false }
                notes.append(note)
                return true
            }
            return read && walker.isAtEnd ? notes : nil
        }

        static func recommendations(_ text: String) -> [Recommendation]? {
            JSONWalker.reading(text) { walker in recommendations(&walker) }
        }

        private static func recommendations(_ walker: inout JSONWalker) -> [Recommendation]? {
            var recommendations: [Recommendation] = []
            let read = walker.items { walker in
                var recommendation = Recommendation(id: "", text: "", response: .agreed)
                var has = (id: false, text: false, response: false)
                guard walker.members({ key, walker in
                    switch key {
                    case "id": return string(&walker) { recommendation.id = $0; has.id = true }
                    case "text": return string(&walker) { recommendation.text = $0; has.text = true }
                    case "to": return string(&walker) { recommendation.to = $0 }
                    case "response":
                        return string(&walker) { recommendation.response = Response(rawValue: $0) ?? .agreed; has.response = Response(rawValue: $0) != nil }
                    case "reason_category":
                        guard let text = walker.string(), let category = ReasonCategory(rawValue: text) else { return false }
                        recommendation.reasonCategory = category
                        return true
                    case "reason": return string(&walker) { recommendation.reason = $0 }
                    case "themes": return strings(&walker) { recommendation.themes.append($0) }
                    case "actions":
                        return walker.items { walker in
                            guard let action = action(&walker) else { return false }
                            recommendation.actions.append(action)
                            return true
                        }
                    default: return walker.skip()
                    }
                }), has.id, has.text, has.response else { return false }
                recommendations.append(recommendation)
                return true
            }
            return read && walker.isAtEnd ? recommendations : nil
        }

        private static func action(_ walker: inout JSONWalker) -> Action? {
            var action = Action(id: "", text: "", owner: "", targetDate: Day(ordinal: 0))
            var has = (id: false, text: false, owner: false, target: false, status: false)
            let read = walker.members { key, walker in
                switch key {
                case "id": return string(&walker) { action.id = $0; has.id = true }
                case "text": return string(&walker) { action.text = $0; has.text = true }
                case "owner": return string(&walker) { action.owner = $0; has.owner = true }
                case "target_date":
                    guard let day = walker.string().flatMap(Day.init) else { return false }
                    action.targetDate = day
                    has.target = true
                    return true
                case "revised_target_dates":
                    var valid = true
                    let read = strings(&walker) { text in
                        if let day = Day(text) { action.revisedTargetDates.append(day) } else { valid = false }
                    }
                    return read && valid
                case "status":
                    guard let status = walker.string().flatMap(ActionStatus.init(rawValue:)) else { return false }
                    action.status = status
                    has.status = true
                    return true
                case "completed_date":
                    guard let day = walker.string().flatMap(Day.init) else { return false }
                    action.completedDate = day
                    return true
                case "withdrawn_reason": return string(&walker) { action.withdrawnReason = $0 }
                case "updates":
                    return walker.items { walker in
                        var date: Day?, note: String?
                        guard walker.members({ key, walker in
                            switch key {
                            case "date": date = walker.string().flatMap(Day.init); return date != nil
                            case "note": note = walker.string(); return note != nil
                            default: return walker.skip()
                            }
                        }), let date, let note else { return false }
                        action.updates.append(ActionUpdate(date: date, note: note))
                        return true
                    }
                case "evidence": return string(&walker) { action.evidence = $0 }
                default: return walker.skip()
                }
            }
            return read && has.id && has.text && has.owner && has.target && has.status ? action : nil
        }

        private static func string(_ walker: inout JSONWalker, _ use: (String) -> Void) -> Bool {
            guard let text = walker.string() else { return false }
            use(text)
            return true
        }

        private static func strings(_ walker: inout JSONWalker, _ use: (String) -> Void) -> Bool {
            walker.items { walker in string(&walker, use) }
        }
    }
}
