import Foundation

extension Marking {
    /// Parses a banner (`SECRET//HCS//ORCON/REL TO USA, GBR`) or a portion mark
    /// (`(S//REL TO USA, GBR)`), chosen by the surrounding parentheses.
    ///
    /// The grammar is strict: the classification comes first, then at most one segment of
    /// compartments, then at most one segment of dissemination controls, then at most one
    /// `TLP:` segment, separated by `//`. Banners use full words (`NOFORN`, `ORCON`), portion
    /// marks the abbreviations (`NF`, `OC`). Anything else is a ``MarkingError`` naming the part.
    public static func parse(_ text: String) throws(MarkingError) -> Marking {
        let trimmed = text.trimmingSpaces()
        if trimmed.isEmpty { throw MarkingError(part: text, problem: "the marking is empty") }
        if trimmed.hasPrefix("(") || trimmed.hasSuffix(")") {
            guard trimmed.hasPrefix("("), trimmed.hasSuffix(")"), trimmed.count >= 2 else {
                throw MarkingError(part: trimmed, problem: "a portion mark must be enclosed in parentheses")
            }
            return try parseBody(String(trimmed.dropFirst().dropLast()), portion: true)
        }
        return try parseBody(trimmed, portion: false)
    }

    /// Parses a banner only; a portion mark is an error.
    public static func parseBanner(_ text: String) throws(MarkingError) -> Marking {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("(") { throw MarkingError(part: trimmed, problem: "expected a banner, found a portion mark") }
        return try parse(trimmed)
    }

    /// Parses a portion mark only; a banner is an error.
    public static func parsePortion(_ text: String) throws(MarkingError) -> Marking {
        let trimmed = text.trimmingSpaces()
        if !trimmed.hasPrefix("(") { throw MarkingError(part: trimmed, problem: "expected a portion mark in parentheses, such as (S//REL TO USA, GBR)") }
        return try parse(trimmed)
    }

    private enum Stage: Int { case classification, compartments, controls, tlp }

    private static func parseBody(_ body: String, portion: Bool) throws(MarkingError) -> Marking {
        let segments = body.components(separatedBy: "//")
        var marking = Marking(classification: .unclassified)
        var stage = Stage.classification
        var sawTLPOnly = false

        for (index, rawSegment) in segments.enumerated() {
            let segment = rawSegment
            if segment.trimmingSpaces() != segment || segment.isEmpty {
                throw MarkingError(part: rawSegment, problem: segment.isEmpty ? "empty segment between '//'" : "stray spaces around a segment")
            }
            if index == 0 {
                if segment.hasPrefix("TLP:") {
                    // A community marking such as `TLP:AMBER` alone: unclassified.
                    marking.tlp = try parseTLP(segment)
                    stage = .tlp
                    sawTLPOnly = true
                    continue
                }
                guard let level = Classification(name: segment, portion: portion) else {
                    let hint = Classification(name: segment, portion: !portion) != nil
                        ? (portion ? "a portion mark uses the abbreviation (U, R, C, S, TS)" : "a banner spells the level out (UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET)")
                        : "unknown classification"
                    throw MarkingError(part: segment, problem: hint)
                }
                marking.classification = level
                continue
            }
            if sawTLPOnly {
                throw MarkingError(part: segment, problem: "nothing may follow a bare TLP marking; write the classification first")
            }
            if segment.hasPrefix("TLP:") {
                guard stage.rawValue < Stage.tlp.rawValue else {
                    throw MarkingError(part: segment, problem: "only one TLP segment is allowed")
                }
                marking.tlp = try parseTLP(segment)
                stage = .tlp
                continue
            }
            let tokens = segment.components(separatedBy: "/")
            if tokens.contains(where: { isControlToken($0) }) {
                guard stage.rawValue < Stage.controls.rawValue else {
                    throw MarkingError(part: segment, problem: stage == .tlp ? "dissemination controls must come before TLP" : "only one segment of dissemination controls is allowed")
                }
                try parseControls(tokens, into: &marking, portion: portion)
                stage = .controls
            } else {
                guard stage.rawValue < Stage.compartments.rawValue else {
                    throw MarkingError(part: segment, problem: stage == .classification ? "only one segment of compartments is allowed" : "compartments must come before dissemination controls and TLP")
                }
                if marking.classification == .unclassified {
                    throw MarkingError(part: segment, problem: "compartments require a classified marking")
                }
                var seen = Set<String>()
                for token in tokens {
                    guard isIdentifier(token, maxLength: 32) else {
                        throw MarkingError(part: token, problem: "not a compartment or dissemination control")
                    }
                    guard seen.insert(token).inserted else {
                        throw MarkingError(part: token, problem: "compartment listed twice")
                    }
                }
                marking.compartments = SortedStrings.make(tokens)
                stage = .compartments
            }
        }
        return marking
    }

    private static func isControlToken(_ token: String) -> Bool {
        ["NOFORN", "NF", "ORCON", "OC"].contains(token) || token.hasPrefix("REL TO") || token.hasPrefix("REL ")
    }

    private static func parseControls(_ tokens: [String], into marking: inout Marking, portion: Bool) throws(MarkingError) {
        for token in tokens {
            switch token {
            case "NOFORN", "NF":
                if (token == "NF") != portion {
                    throw MarkingError(part: token, problem: portion ? "a portion mark writes NOFORN as NF" : "a banner writes NF as NOFORN")
                }
                if marking.noforn { throw MarkingError(part: token, problem: "NOFORN given twice") }
                marking.noforn = true
            case "ORCON", "OC":
                if (token == "OC") != portion {
                    throw MarkingError(part: token, problem: portion ? "a portion mark writes ORCON as OC" : "a banner writes OC as ORCON")
                }
                if marking.orcon { throw MarkingError(part: token, problem: "ORCON given twice") }
                marking.orcon = true
            default:
                guard token.hasPrefix("REL TO ") else {
                    throw MarkingError(part: token, problem: token.hasPrefix("REL") ? "expected 'REL TO' followed by organisation ids" : "unknown dissemination control")
                }
                if marking.relTo != nil { throw MarkingError(part: token, problem: "REL TO given twice") }
                let list = token.dropFirst("REL TO ".count).components(separatedBy: ",")
                var ids: [String] = []
                for raw in list {
                    let id = raw.trimmingSpaces()
                    guard isIdentifier(id, maxLength: 16) else {
                        throw MarkingError(part: raw.isEmpty ? token : raw, problem: "not an organisation id in REL TO")
                    }
                    guard !ids.contains(id) else { throw MarkingError(part: id, problem: "listed twice in REL TO") }
                    ids.append(id)
                }
                marking.relTo = SortedStrings.make(ids)
            }
        }
        if marking.noforn && marking.relTo != nil {
            throw MarkingError(part: tokens.joined(separator: "/"), problem: "NOFORN conflicts with REL TO")
        }
    }

    private static func parseTLP(_ segment: String) throws(MarkingError) -> TLPLevel {
        guard let level = TLPLevel(label: String(segment.dropFirst(4))) else {
            throw MarkingError(part: segment, problem: "unknown TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)")
        }
        return level
    }

    /// Upper-case letters, digits and inner hyphens, starting with a letter.
    static func isIdentifier(_ token: String, maxLength: Int) -> Bool {
        let bytes = Array(token.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[0]) else { return false }
        guard bytes.last != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }
}

extension String {
    /// Trims ASCII spaces only; markings are ASCII.
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
