/// The parts of a review kept in its own row: findings, learning points and
/// recommendations (with their actions), each column a JSON list spelled as in a JSON
/// review file (`ReviewWriter`).
///
/// A review used to spread over about 35 rows of six tables; an import then spent most of
/// its time running statements. One row a review is written by one statement, and read by
/// one. Analysts still see one row per part, through views (`Schema.createPartViews`).
///
/// The JSON is written here directly rather than through `ReviewWriter`'s `JSONValue`
/// tree: building that tree for every part of 100,000 reviews took a second of an import.
/// The keys and their spelling are the review file's, an absent value is left out, and
/// the reader below takes back exactly what is written (a test holds the two together).
enum StoredParts {
    static func json(_ notes: [Note]) -> String {
        var out = "["
        for (index, note) in notes.enumerated() {
            if index > 0 { out += "," }
            out += #"{"text":"#
            JSONValue.writeString(note.text, to: &out)
            out += #","themes":"#
            list(note.themes, to: &out)
            out += "}"
        }
        return out + "]"
    }

    static func json(_ recommendations: [Recommendation]) -> String {
        var out = "["
        for (index, recommendation) in recommendations.enumerated() {
            if index > 0 { out += "," }
            out += "{"
            pair("id", recommendation.id, first: true, to: &out)
            pair("text", recommendation.text, to: &out)
            pair("to", recommendation.to, to: &out)
            pair("response", recommendation.response.rawValue, to: &out)
            pair("reason_category", recommendation.reasonCategory?.rawValue, to: &out)
            pair("reason", recommendation.reason, to: &out)
            out += #","themes":"#
            list(recommendation.themes, to: &out)
            out += #","actions":["#
            for (actionIndex, action) in recommendation.actions.enumerated() {
                if actionIndex > 0 { out += "," }
                out += "{"
                pair("id", action.id, first: true, to: &out)
                pair("text", action.text, to: &out)
                pair("owner", action.owner, to: &out)
                pair("target_date", action.targetDate.description, to: &out)
                out += #","revised_target_dates":"#
                list(action.revisedTargetDates.map(\.description), to: &out)
                pair("status", action.status.rawValue, to: &out)
                pair("completed_date", action.completedDate?.description, to: &out)
                pair("withdrawn_reason", action.withdrawnReason, to: &out)
                out += #","updates":["#
                for (updateIndex, update) in action.updates.enumerated() {
                    if updateIndex > 0 { out += "," }
                    out += "{"
                    pair("date", update.date.description, first: true, to: &out)
                    pair("note", update.note, to: &out)
                    out += "}"
                }
                out += "]}"
            }
            out += "]}"
        }
        return out + "]"
    }

    /// `"key":"value"`, after a comma unless `first`; nothing for a nil value.
    private static func pair(_ key: String, _ value: String?, first: Bool = false, to out: inout String) {
        guard let value else { return }
        if !first { out += "," }
        out += "\""
        out += key
        out += "\":"
        JSONValue.writeString(value, to: &out)
    }

    /// A list of texts, `["a","b"]`.
    static func list(_ items: [String], to out: inout String) {
        out += "["
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            JSONValue.writeString(item, to: &out)
        }
        out += "]"
    }

    /// A stored column that is not what dus wrote: named, and never guessed at.
    struct Damaged: Error {
        var column: String
        var problem: String
    }

    static func notes(_ text: String, column: String) throws(Damaged) -> [Note] {
        try list(text, column: column).map { node throws(Damaged) in
            let fields = try Fields(node, column: column)
            return Note(text: try fields.text("text"), themes: try fields.strings("themes"))
        }
    }

    static func recommendations(_ text: String) throws(Damaged) -> [Recommendation] {
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
            recommendation.actions = try fields.list("actions").map { node throws(Damaged) in
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
                return action
            }
            return recommendation
        }
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
}
