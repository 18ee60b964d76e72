import Crypto
import Foundation
import TearlineCore

/// Sealing of report and release text at rest.
///
/// Every report and every release has its own random AES-256-GCM data key. The text is sealed
/// under that key; the key is stored wrapped (AES-GCM) by the node master key. Both seals
/// authenticate the record's identity, so a sealed blob moved to another row does not open.
/// Destroying a release's wrapped key destroys its copy of the text.
struct ContentSealer: Sendable {
    let master: MasterKey
    /// The key of the blind index over entity values (HMAC-SHA256), so that the index holds no names.
    private let entityIndexKeyBytes: Data

    init(master: MasterKey) {
        self.master = master
        entityIndexKeyBytes = master.derive("entity-index-v1").withUnsafeBytes { Data($0) }
    }

    struct Sealed {
        var wrappedKey: Data
        var box: Data
    }

    func seal<T: Encodable>(_ value: T, context: String) throws -> Sealed {
        let key = SymmetricKey(size: .bits256)
        let plaintext = try JSONEncoder().encode(value)
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8)).combined!
        let wrapped = try master.seal(key.withUnsafeBytes { Data($0) }, context: "data-key:" + context)
        return Sealed(wrappedKey: wrapped, box: box)
    }

    func open<T: Decodable>(_ type: T.Type, wrappedKey: Data, box: Data, context: String) throws -> T {
        let key = SymmetricKey(data: try master.open(wrappedKey, context: "data-key:" + context))
        let plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: box), using: key, authenticating: Data(context.utf8))
        return try JSONDecoder().decode(T.self, from: plaintext)
    }

    /// The blind-index value stored for an entity: equal inputs give equal values, and nothing
    /// about the name can be read from it without the master key.
    func entityIndex(type: String, value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(type)\u{0}\(value.lowercased())".utf8), using: SymmetricKey(data: entityIndexKeyBytes))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    static func reportContext(_ id: String) -> String { "report:" + id }
    static func releaseContext(_ id: String) -> String { "release:" + id }
}

/// The sealed part of a report: everything that is text written by people.
struct ReportText: Codable {
    var title: String
    var portions: [String]
    var entities: [EntityMention]

    init(_ report: Report) {
        title = report.title
        portions = report.portions.map(\.text)
        // Entities come back ordered by portion, type and value, without duplicates.
        var seen = Set<EntityMention>()
        entities = report.entities
            .sorted { ($0.portion, $0.type, $0.value) < ($1.portion, $1.type, $1.value) }
            .filter { seen.insert($0).inserted }
    }
}
