import Crypto
import Foundation

/// The exact bytes an originator signs for a report or for a release of it.
///
/// Every field is written as its name, its byte length and its UTF-8 bytes, in a fixed order,
/// so two different contents can never encode the same way and no JSON ambiguity arises.
public struct CanonicalContent: Sendable, Hashable {
    public private(set) var bytes: [UInt8] = []

    private mutating func field(_ name: String, _ value: String) {
        let utf8 = Array(value.utf8)
        bytes.append(contentsOf: Array(name.utf8))
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: Array(String(utf8.count).utf8))
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: utf8)
        bytes.append(0x0A)
    }

    /// The content of the whole report, as its originator holds it.
    public static func report(_ report: Report) -> CanonicalContent {
        make(kind: "report", id: report.id, report: report, recipient: nil, portions: report.portions,
             titleIncluded: true, createdAt: report.createdAt)
    }

    /// The content of a release: only the portions it carries, for one recipient.
    public static func release(
        id: String, of report: Report, to recipient: String, included: PortionSet, createdAt: Int64
    ) -> CanonicalContent {
        make(kind: "release", id: id, report: report, recipient: recipient,
             portions: report.portions.filter { included.contains($0.index) },
             titleIncluded: included.contains(Report.titleIndex), createdAt: createdAt)
    }

    private static func make(
        kind: String, id: String, report: Report, recipient: String?, portions: [Portion],
        titleIncluded: Bool, createdAt: Int64
    ) -> CanonicalContent {
        var c = CanonicalContent()
        c.field("format", "tearline-\(kind)-v1")
        c.field("id", id)
        c.field("report", report.id)
        c.field("originator", report.originator)
        c.field("recipient", recipient ?? "")
        c.field("title", titleIncluded ? report.title : "")
        c.field("title-marking", titleIncluded ? report.titleMarking.portionMark : "")
        c.field("source-grade", report.sourceGrade.code)
        c.field("topics", report.topics.joined(separator: ","))
        let shown = Set(portions.map(\.index))
        let entities = report.entities.filter { shown.contains($0.portion) }
            .map { "\($0.portion)|\($0.type)|\($0.value)" }
            .sorted()
        c.field("entities", String(entities.count))
        for entity in entities { c.field("entity", entity) }
        c.field("portions", String(portions.count))
        for portion in portions {
            c.field("portion-index", String(portion.index))
            c.field("portion-marking", portion.marking.portionMark)
            c.field("portion-sources-and-methods", portion.sourcesAndMethods ? "1" : "0")
            c.field("portion-text", portion.text)
        }
        c.field("created-at", String(createdAt))
        return c
    }

    /// SHA-256 of the bytes, hex.
    public var digest: String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

/// Ed25519 signatures over canonical content.
public enum ContentSignature {
    public static func sign(_ content: CanonicalContent, with key: Curve25519.Signing.PrivateKey) throws -> Data {
        try key.signature(for: content.bytes)
    }

    public static func verify(_ signature: Data, of content: CanonicalContent, publicKey: Data) -> Bool {
        verify(signature, bytes: content.bytes, publicKey: publicKey)
    }

    /// Verifies a signature over bytes already known to be canonical (``CanonicalContent/parseRelease(_:)``
    /// accepts only bytes that re-encode to themselves).
    public static func verify(_ signature: Data, bytes: [UInt8], publicKey: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: bytes)
    }
}
