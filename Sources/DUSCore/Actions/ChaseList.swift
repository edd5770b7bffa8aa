import Foundation

/// `dus actions --group-by owner`: one section per owner, most overdue first, that can be
/// sent to that owner as it is; or one list per region and owner, to send separately.
public struct ChaseList: Sendable, Equatable {
    /// The actions of one owner (and one region, when split by region), most overdue first.
    public struct Section: Sendable, Equatable {
        public var owner: String
        public var region: String?
        public var actions: [TrackedAction]
        public var overdue: Int { actions.count(where: \.isOverdue) }
        /// Days overdue of the section's most overdue action (0 when none is overdue).
        public var longestOverdue: Int { actions.compactMap(\.daysOverdue).max() ?? 0 }
    }

    public var asOf: Day
    public var dueWithin: Int?
    public var sections: [Section]

    /// Groups `actions` (in the order `ActionTracker.actions` gives: by current target date,
    /// so most overdue first) by owner, and by region too when `byRegion`. The sections
    /// come in order of their most overdue action, the longest overdue first; then by how
    /// many are overdue.
    public init(_ actions: [TrackedAction], asOf: Day, dueWithin: Int?, byRegion: Bool = false) {
        self.asOf = asOf
        self.dueWithin = dueWithin
        var sections: [Section] = []
        var places: [String: Int] = [:]
        for action in actions {
            let key = byRegion ? "\(action.region ?? "")\u{0}\(action.owner)" : action.owner
            if let place = places[key] {
                sections[place].actions.append(action)
            } else {
                places[key] = sections.count
                sections.append(Section(owner: action.owner, region: byRegion ? action.region : nil, actions: [action]))
            }
        }
        self.sections = sections.sorted {
            ($0.longestOverdue, $0.overdue, $0.actions.count) != ($1.longestOverdue, $1.overdue, $1.actions.count)
                ? ($0.longestOverdue, $0.overdue, $0.actions.count) > ($1.longestOverdue, $1.overdue, $1.actions.count)
                : ($0.owner, $0.region ?? "") < ($1.owner, $1.region ?? "")
        }
    }

    /// The Markdown of some sections (all by default) under one title.
    public func markdown(_ sections: [Section]? = nil) -> String {
        let sections = sections ?? self.sections
        var out = "# Actions to chase\n\n"
        let actions = sections.flatMap(\.actions)
        out += "As of \(asOf): \(counted(actions.count, "action")), \(actions.count(where: \.isOverdue)) overdue"
        if let dueWithin { out += ", \(actions.count { $0.isDue(within: dueWithin) }) due within \(counted(dueWithin, "day"))" }
        out += ". Most overdue first: owners by their longest-overdue action, then each owner's actions by target date.\n\n"
        if sections.isEmpty { out += "Nothing to chase.\n\n" }
        for section in sections {
            out += "## \(section.owner)" + (section.region.map { ", \($0)" } ?? "") + "\n\n"
            out += "\(counted(section.actions.count, "action")), \(section.overdue) overdue"
            if let dueWithin { out += ", \(section.actions.count { $0.isDue(within: dueWithin) }) due within \(counted(dueWithin, "day"))" }
            out += ".\n\n"
            let table = Table(headers: ["Action", "What", "Target date", "State", "Latest update"], rows: section.actions.map { action in
                [action.id, action.text, action.targetDate.description, ActionRenderer.state(of: action),
                 action.lastUpdate.map { "\($0.date): \($0.note)" } ?? "–"]
            })
            out += table.markdown() + "\n"
        }
        out += "Definitions:\n\n"
        for (term, definition) in ActionRenderer.definitions(asOf: asOf, dueWithin: dueWithin) { out += "- \(term): \(definition)\n" }
        out += "\nTo record progress: dus action update REF/R1/A1 --note TEXT; a new date: dus action revise REF/R1/A1 --target DATE; done: dus action complete REF/R1/A1 --evidence TEXT.\n"
        return out
    }

    /// One self-contained HTML page of some sections.
    public func html(_ sections: [Section]? = nil) -> String {
        MarkdownHTML.page(title: "Actions to chase as of \(asOf)", markdown: markdown(sections), layout: .landscape)
    }

    /// A file name for one section: region and owner in lower case, words joined by `-`
    /// (`north-west--head-of-healthcare`), without the extension.
    public static func fileName(_ section: Section) -> String {
        func slug(_ text: String) -> String {
            let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }
            return words.isEmpty ? "none" : words.joined(separator: "-")
        }
        return (section.region.map { slug($0) + "--" } ?? "") + slug(section.owner)
    }
}
