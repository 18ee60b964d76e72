/// A text cut into runs, some of them marked: how the console highlights the entities a portion
/// mentions without ever writing markup into the text (each run is escaped on its own).
public struct TextRun: Sendable, Hashable {
    public let text: String
    /// The entity type of a marked run (`person`, `phone`, …); `nil` for plain text.
    public let entity: String?

    public init(text: String, entity: String?) {
        self.text = text
        self.entity = entity
    }
}

public enum TextHighlight {
    /// `text` cut at each occurrence of a value, compared without regard to case. Where two values
    /// overlap, the earlier, then the longer, wins; an empty value marks nothing. The runs, joined,
    /// give back `text` exactly.
    public static func runs(_ text: String, marking values: [(value: String, type: String)]) -> [TextRun] {
        let lower = text.lowercased()
        // why: lower-casing can change a string's length; fall back to no highlight rather than cut wrongly.
        guard lower.count == text.count else { return text.isEmpty ? [] : [TextRun(text: text, entity: nil)] }
        let characters = Array(text)
        let lowered = Array(lower)
        var matches: [(start: Int, end: Int, type: String)] = []
        for (value, type) in values {
            let needle = Array(value.lowercased())
            guard !needle.isEmpty, needle.count <= lowered.count else { continue }
            var i = 0
            while i + needle.count <= lowered.count {
                if lowered[i] == needle[0] && Array(lowered[i..<(i + needle.count)]) == needle {
                    matches.append((i, i + needle.count, type))
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        matches.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        var runs: [TextRun] = []
        var position = 0
        for match in matches where match.start >= position {
            if match.start > position { runs.append(TextRun(text: String(characters[position..<match.start]), entity: nil)) }
            runs.append(TextRun(text: String(characters[match.start..<match.end]), entity: match.type))
            position = match.end
        }
        if position < characters.count { runs.append(TextRun(text: String(characters[position...]), entity: nil)) }
        return runs
    }
}
