import Crypto
import Foundation
import TearlineCore

/// Keys of the entity index: blind identifiers for entities, and sealing for the few names and
/// notes the index keeps. Both keys are derived from the node master key.
final class EntityKeys: @unchecked Sendable {
    // why @unchecked: both properties are immutable values (each use copies them); swift-crypto
    // does not mark its key and MAC types Sendable.
    /// HMAC state keyed once; each identifier copies it instead of re-keying.
    private let idMAC: HMAC<SHA256>
    private let nameKey: SymmetricKey

    init(master: MasterKey) {
        idMAC = HMAC<SHA256>(key: master.derive("entity-id-v1"))
        nameKey = master.derive("entity-name-v1")
    }

    /// The blind identifier of a normalised entity: the first 63 bits of HMAC-SHA256 over its
    /// kind and key. Equal entities get equal identifiers; nothing of the name can be read from
    /// it without the master key. (A collision between two entities, about 1 in 2^63 per pair,
    /// would merge their postings.)
    func id(of entity: NormalizedEntity) -> UInt64 {
        var hmac = idMAC
        hmac.update(data: Data("\(entity.kind.rawValue)\u{0}\(entity.key)".utf8))
        return hmac.finalize().withUnsafeBytes { raw in
            var value: UInt64 = 0
            for i in 0..<8 { value = value << 8 | UInt64(raw[i]) }
            return value & 0x7FFF_FFFF_FFFF_FFFF
        }
    }

    /// The entity's key, sealed (AES-GCM) and bound to its identifier.
    func sealName(_ entity: NormalizedEntity, id: UInt64) throws -> Data {
        try seal(Data(entity.key.utf8), context: "entity:\(id)")
    }

    func openName(_ box: Data, kind: String, id: UInt64) -> NormalizedEntity? {
        guard let kind = EntityKind(rawValue: kind), let data = try? open(box, context: "entity:\(id)"),
              let key = String(data: data, encoding: .utf8) else { return nil }
        return NormalizedEntity(kind: kind, key: key)
    }

    /// Seals a note (a notification's detail, a request's justification) bound to its record.
    func seal(_ plaintext: Data, context: String) throws -> Data {
        try AES.GCM.seal(plaintext, using: nameKey, authenticating: Data(context.utf8)).combined!
    }

    func open(_ box: Data, context: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: box), using: nameKey, authenticating: Data(context.utf8))
    }

    /// The normalised mentions of a report: its entities (those that normalise), each tied to its
    /// portion, without duplicates. (The service adds the observables found in the text to the
    /// report's entities when the report is written.)
    static func mentions(of report: Report) -> [(entity: NormalizedEntity, portion: Int)] {
        mentions(of: report, extracting: false)
    }

    /// As ``mentions(of:)``, also extracting observables from the portion text when asked (for
    /// reports written before the service did so).
    static func mentions(of report: Report, extracting: Bool) -> [(entity: NormalizedEntity, portion: Int)] {
        var seen = Set<String>()
        var result: [(NormalizedEntity, Int)] = []
        func add(_ entity: NormalizedEntity, _ portion: Int) {
            if seen.insert("\(portion)\u{0}\(entity.kind.rawValue)\u{0}\(entity.key)").inserted { result.append((entity, portion)) }
        }
        for mention in report.entities {
            guard let kind = EntityKind(rawValue: mention.type),
                  let entity = EntityNormalization.normalize(mention.value, as: kind) else { continue }
            add(entity, mention.portion)
        }
        if extracting {
            for portion in report.portions {
                for found in ObservableExtraction.extract(from: portion.text) {
                    add(NormalizedEntity(kind: found.kind, key: found.key), portion.index)
                }
            }
        }
        return result
    }
}
