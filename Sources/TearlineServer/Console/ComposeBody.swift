import Foundation
import TearlineCore

/// The compose page: a report's title, topics, source grade, portions (each with its marking and
/// text) and entities. On a refusal the form comes back with what was typed, and a bad marking
/// is shown next to its field with the part the parser refused.
struct ComposeBody: Sendable {
    struct FieldError: Sendable {
        let message: String
        let part: String?
    }

    struct PortionRow: Sendable {
        let number: Int
        var marking: String
        var text: String
        var sourcesAndMethods: Bool
        var markingError: FieldError?
        // why stored: templates see stored properties only.
        let markingName: String
        let textName: String
        let sourcesAndMethodsName: String

        init(number: Int) {
            self.number = number
            marking = ""
            text = ""
            sourcesAndMethods = false
            markingName = "portion-\(number)-marking"
            textName = "portion-\(number)-text"
            sourcesAndMethodsName = "portion-\(number)-sm"
        }
    }

    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    static let defaultRows = 4
    static let maxRows = 20

    var title = ""
    var titleMarking = "(U)"
    var titleMarkingError: FieldError?
    var sourceGrade = "B2"
    var topics = ""
    var portions: [PortionRow]
    var entities = ""
    var discoverability: [Option]
    /// What the form as a whole got wrong, in words (a marking's error is shown at its field as well).
    var errors: [String] = [] {
        didSet { hasErrors = !errors.isEmpty }
    }
    private(set) var hasErrors = false
    var moreRows: String?

    static let scopes = [
        ("own-organisation", "My organisation (the default)"), ("all-partners", "All partners"), ("none", "Nobody: not discoverable"),
    ]

    init(rows: Int = ComposeBody.defaultRows, scope: String = "own-organisation") {
        let rows = min(max(rows, 1), Self.maxRows)
        portions = (1...rows).map { PortionRow(number: $0) }
        discoverability = Self.scopes.map { Option(value: $0.0, label: $0.1, selected: $0.0 == scope) }
        moreRows = rows < Self.maxRows ? "/compose?portions=\(min(rows + 4, Self.maxRows))" : nil
    }

    /// The form as posted, and the request it makes; `nil` when the form itself is malformed
    /// (its errors are then set).
    static func read(_ form: ConsoleForm) -> (ComposeBody, CreateReportRequest?) {
        let rowCount = (1...maxRows).last { form["portion-\($0)-marking"] != nil || form["portion-\($0)-text"] != nil } ?? defaultRows
        let scope = form.trimmed("discoverability") ?? "own-organisation"
        var body = ComposeBody(rows: rowCount, scope: scope)
        body.title = form["title"] ?? ""
        body.titleMarking = form["titleMarking"] ?? ""
        body.sourceGrade = form["sourceGrade"] ?? ""
        body.topics = form["topics"] ?? ""
        body.entities = form["entities"] ?? ""
        var portions: [PortionInput] = []
        var indexOfRow: [Int: Int] = [:]
        for i in body.portions.indices {
            let number = body.portions[i].number
            let marking = form["portion-\(number)-marking"] ?? ""
            let text = form["portion-\(number)-text"] ?? ""
            let sm = form["portion-\(number)-sm"] != nil
            body.portions[i].marking = marking
            body.portions[i].text = text
            body.portions[i].sourcesAndMethods = sm
            let blankMarking = marking.trimmingCharacters(in: .whitespaces).isEmpty
            let blankText = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            if blankMarking && blankText { continue }
            if blankMarking {
                body.portions[i].markingError = FieldError(message: "Every portion needs its marking.", part: nil)
                body.errors.append("Portion \(number) has text but no marking.")
                continue
            }
            if blankText {
                body.errors.append("Portion \(number) has a marking but no text.")
                continue
            }
            indexOfRow[number] = portions.count
            portions.append(PortionInput(marking: marking.trimmingCharacters(in: .whitespaces), text: text, sourcesAndMethods: sm))
        }
        if portions.isEmpty && body.errors.isEmpty { body.errors.append("Write at least one portion: its marking and its text.") }
        var entities: [EntityInput] = []
        for (lineNumber, line) in body.entities.split(whereSeparator: \.isNewline).enumerated() {
            let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            if words.isEmpty { continue }
            guard words.count == 3, let number = Int(words[0]) else {
                body.errors.append("Entities, line \(lineNumber + 1): write the portion number, the type and the value, as in \"1 person Vasily PETROV\".")
                continue
            }
            guard let index = indexOfRow[number] else {
                body.errors.append("Entities, line \(lineNumber + 1): portion \(number) is not one of the portions written.")
                continue
            }
            entities.append(EntityInput(type: String(words[1]), value: String(words[2]).trimmingCharacters(in: .whitespaces), portion: index))
        }
        body.rowOfIndex = Dictionary(uniqueKeysWithValues: indexOfRow.map { ($0.value, $0.key) })
        guard body.errors.isEmpty else { return (body, nil) }
        let topics = body.topics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let request = CreateReportRequest(
            title: body.title.trimmingCharacters(in: .whitespacesAndNewlines), titleMarking: body.titleMarking.trimmingCharacters(in: .whitespaces),
            sourceGrade: body.sourceGrade.trimmingCharacters(in: .whitespaces).uppercased(), topics: topics, portions: portions,
            entities: entities.isEmpty ? nil : entities, discoverability: scope)
        return (body, request)
    }

    /// The banner of what the form shows back: the roll-up of the markings typed for the title and
    /// every non-blank portion; text whose marking does not parse makes the banner `UNMARKED`
    /// (never a guessed classification). `nil` when the form shows no text.
    var banner: BannerStyle? {
        var markings: [Marking] = []
        var unmarked = false
        let shown = [(titleMarking, title)] + portions.map { ($0.marking, $0.text) }
        for (marking, text) in shown where !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            if let parsed = try? Marking.parse(marking.trimmingCharacters(in: .whitespaces)) { markings.append(parsed) } else { unmarked = true }
        }
        if unmarked { return BannerStyle(text: "UNMARKED") }
        return BannerStyle.rolledUp(markings)
    }

    /// The form row of each portion index of the request (rows left blank are not portions).
    var rowOfIndex: [Int: Int] = [:]

    /// Shows a refusal of the service on the form: a marking's at its field, the rest above.
    mutating func show(_ error: ServiceError) {
        if error.kind == .invalidMarking, let field = error.extra["field"] {
            let message = error.detail.hasPrefix(field + ": ") ? String(error.detail.dropFirst(field.count + 2)) : error.detail
            let fieldError = FieldError(message: message, part: error.extra["part"])
            if field == "titleMarking" {
                titleMarkingError = fieldError
                errors.append("Title marking: \(message)")
                return
            }
            if let index = Self.portionIndex(field), let number = rowOfIndex[index],
               let row = portions.firstIndex(where: { $0.number == number }) {
                portions[row].markingError = fieldError
                errors.append("Portion \(number): \(message)")
                return
            }
        }
        errors.append(error.reasons.isEmpty ? error.detail : "\(error.detail) (\(error.reasons.joined(separator: ", ")))")
    }

    /// `3` for `portions[3].marking`.
    static func portionIndex(_ field: String) -> Int? {
        guard field.hasPrefix("portions["), let close = field.firstIndex(of: "]") else { return nil }
        return Int(field[field.index(field.startIndex, offsetBy: "portions[".count)..<close])
    }
}
