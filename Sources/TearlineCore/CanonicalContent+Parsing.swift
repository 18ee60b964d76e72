/// A release read back from its canonical bytes: what a partner node receives, signed by the originator.
///
/// why: a recipient node must rebuild the release from exactly the bytes the originator signed, not
/// from a rendering that could say something else; anything the signature does not cover is ignored.
public struct SignedRelease: Sendable, Hashable {
    public var id: String
    public var reportId: String
    public var originator: String
    public var recipient: String
    public var title: String
    public var titleMarking: Marking?
    public var sourceGrade: SourceGrade
    public var topics: [String]
    public var entities: [EntityMention]
    public var portions: [Portion]
    /// When the release was made, milliseconds since 1970.
    public var createdAt: Int64

    /// The portions it carries, with ``Report/titleIndex`` when the title goes too.
    public var included: PortionSet {
        var set = PortionSet(portions.map(\.index))
        if titleMarking != nil { set.insert(Report.titleIndex) }
        return set
    }

    /// The recipient's copy as a report of the originator holding only what was released.
    /// Without the title, the title's marking is the lowest there is; the title is empty.
    public func report(createdBy: String) -> Report {
        Report(id: reportId, originator: originator, title: title, titleMarking: titleMarking ?? .unclassified,
               sourceGrade: sourceGrade, topics: topics, entities: entities, portions: portions,
               createdBy: createdBy, createdAt: createdAt)
    }

    /// The canonical bytes of this release, the ones the originator signed.
    public var canonical: CanonicalContent {
        CanonicalContent.release(id: id, of: report(createdBy: ""), to: recipient, included: included, createdAt: createdAt)
    }

    /// The banner of what the release carries.
    public var banner: Marking? {
        Banner.rollUp((titleMarking.map { [$0] } ?? []) + portions.map(\.marking))
    }
}

/// Why canonical bytes could not be read back as a release.
public struct CanonicalContentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { "canonical content: \(problem)" }
}

extension CanonicalContent {
    /// Reads the bytes of ``release(id:of:to:included:createdAt:)`` back. The bytes must be exactly
    /// what that function writes for the result (re-encoding gives the same bytes), so no two
    /// readings of one signature exist.
    public static func parseRelease(_ bytes: [UInt8]) throws(CanonicalContentError) -> SignedRelease {
        var reader = FieldReader(bytes: bytes)
        guard try reader.next("format") == "tearline-release-v1" else { throw CanonicalContentError("not a release") }
        let id = try reader.next("id")
        let reportId = try reader.next("report")
        let originator = try reader.next("originator")
        let recipient = try reader.next("recipient")
        let title = try reader.next("title")
        let titleMark = try reader.next("title-marking")
        let titleMarking: Marking?
        if titleMark.isEmpty {
            guard title.isEmpty else { throw CanonicalContentError("a title without a marking") }
            titleMarking = nil
        } else {
            titleMarking = try marking(titleMark)
        }
        let grade: SourceGrade
        do { grade = try SourceGrade(code: try reader.next("source-grade")) } catch let error as CanonicalContentError { throw error } catch {
            throw CanonicalContentError("source grade is not valid")
        }
        let topicText = try reader.next("topics")
        let topics = topicText.isEmpty ? [] : topicText.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let entityCount = try reader.count("entities")
        var entities: [EntityMention] = []
        for _ in 0..<entityCount {
            let parts = try reader.next("entity").split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let portion = Int(parts[0]) else { throw CanonicalContentError("an entity is not portion|type|value") }
            entities.append(EntityMention(type: parts[1], value: parts[2], portion: portion))
        }
        let portionCount = try reader.count("portions")
        var portions: [Portion] = []
        for _ in 0..<portionCount {
            guard let index = Int(try reader.next("portion-index")), index >= 0, index < Report.maxPortions else {
                throw CanonicalContentError("a portion index is out of range")
            }
            // why: one order only, so no portion can appear twice under one signature.
            guard portions.last.map({ $0.index < index }) ?? true else { throw CanonicalContentError("portion indexes are not increasing") }
            let mark = try marking(try reader.next("portion-marking"))
            let sourcesAndMethods = try reader.next("portion-sources-and-methods")
            guard sourcesAndMethods == "0" || sourcesAndMethods == "1" else { throw CanonicalContentError("portion-sources-and-methods is not 0 or 1") }
            portions.append(Portion(index: index, marking: mark, sourcesAndMethods: sourcesAndMethods == "1", text: try reader.next("portion-text")))
        }
        guard let createdAt = Int64(try reader.next("created-at")) else { throw CanonicalContentError("created-at is not a number") }
        guard reader.isAtEnd else { throw CanonicalContentError("bytes after the last field") }
        let release = SignedRelease(
            id: id, reportId: reportId, originator: originator, recipient: recipient, title: title, titleMarking: titleMarking,
            sourceGrade: grade, topics: topics, entities: entities, portions: portions, createdAt: createdAt)
        // why: only the one encoding counts; re-encoding must give the signed bytes back.
        guard release.canonical.bytes == bytes else { throw CanonicalContentError("not in canonical form") }
        return release
    }

    private static func marking(_ text: String) throws(CanonicalContentError) -> Marking {
        do { return try Marking.parsePortion(text) } catch { throw CanonicalContentError("marking \(text) is not valid: \(error.problem)") }
    }
}

/// Reads `name:length:bytes\n` fields in order.
private struct FieldReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func next(_ name: String) throws(CanonicalContentError) -> String {
        let expected = Array(name.utf8) + [UInt8(ascii: ":")]
        guard bytes.count - offset >= expected.count, Array(bytes[offset..<offset + expected.count]) == expected else {
            throw CanonicalContentError("expected the field \(name)")
        }
        offset += expected.count
        var length = 0
        var digits = 0
        while offset < bytes.count, bytes[offset] != UInt8(ascii: ":") {
            let c = bytes[offset]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), digits < 9 else { throw CanonicalContentError("the length of \(name) is not valid") }
            length = length * 10 + Int(c - UInt8(ascii: "0"))
            digits += 1
            offset += 1
        }
        guard digits > 0, offset < bytes.count else { throw CanonicalContentError("the length of \(name) is missing") }
        offset += 1
        guard bytes.count - offset >= length + 1, bytes[offset + length] == 0x0A else { throw CanonicalContentError("the field \(name) is cut short") }
        guard let value = String(validating: bytes[offset..<offset + length], as: UTF8.self) else { throw CanonicalContentError("the field \(name) is not UTF-8") }
        offset += length + 1
        return value
    }

    mutating func count(_ name: String) throws(CanonicalContentError) -> Int {
        guard let n = Int(try next(name)), n >= 0, n <= 100_000 else { throw CanonicalContentError("\(name) is not a count") }
        return n
    }
}
