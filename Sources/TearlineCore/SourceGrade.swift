/// An Admiralty (NATO) source grade: source reliability `A`–`F` and information credibility `1`–`6`.
public struct SourceGrade: Hashable, Sendable, CustomStringConvertible {
    /// `A` (completely reliable) … `E` (unreliable), `F` (cannot be judged).
    public let reliability: Character
    /// `1` (confirmed) … `5` (improbable), `6` (cannot be judged).
    public let credibility: Int

    public init(reliability: Character, credibility: Int) throws(SourceGradeError) {
        // why: a Character range admits "B" followed by a combining mark ("B\u{20DD}"); only the
        // six ASCII letters are Admiralty reliabilities.
        guard reliability.isASCII, ("A"..."F").contains(reliability) else { throw SourceGradeError(text: "\(reliability)\(credibility)") }
        guard (1...6).contains(credibility) else { throw SourceGradeError(text: "\(reliability)\(credibility)") }
        self.reliability = reliability
        self.credibility = credibility
    }

    /// Parses the conventional two-character code, for example `B2`.
    public init(code: String) throws(SourceGradeError) {
        let chars = Array(code)
        guard chars.count == 2, let digit = chars[1].wholeNumberValue, chars[1].isASCII else {
            throw SourceGradeError(text: code)
        }
        try self.init(reliability: chars[0], credibility: digit)
    }

    public var code: String { "\(reliability)\(credibility)" }
    public var description: String { code }
}

/// A source grade that is not an Admiralty code.
public struct SourceGradeError: Error, Hashable, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "invalid source grade \"\(text)\": expected reliability A–F followed by credibility 1–6, for example B2"
    }
}
