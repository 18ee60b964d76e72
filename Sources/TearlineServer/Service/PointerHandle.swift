import Crypto
import Foundation
import TearlineStore

/// The handle a pointer carries: which holder, which entity, issued to which organisation, when.
/// Sealed with AES-GCM under a key derived from the node master key, so it reveals nothing,
/// cannot be forged or altered, and is refused from any other organisation or after a week.
struct PointerHandle: Codable, Hashable {
    var holder: String
    var entity: UInt64
    var asker: String
    var issuedAt: Int64
    /// For a pointer found by private discovery on a partner node: that node (its registered
    /// organisation), the set epoch and the entry's tag (base64). The entity is then our blind id.
    var peer: String? = nil
    var epoch: Int64? = nil
    var tag: String? = nil

    static let lifetime: Int64 = 7 * 24 * 3600 * 1000
    private static let prefix = "ptr_"

    func sealed(with key: SymmetricKey) throws -> String {
        let box = try AES.GCM.seal(try JSONEncoder().encode(self), using: key, authenticating: Data("pointer-handle".utf8)).combined!
        return Self.prefix + Base64URL.encode(box)
    }

    /// Opens a handle for an asker; nil when it is malformed, forged, expired or someone else's.
    static func open(_ text: String, key: SymmetricKey, asker: String, now: Int64) -> PointerHandle? {
        guard text.hasPrefix(prefix), text.utf8.count < 1024, let box = Base64URL.decode(String(text.dropFirst(prefix.count))),
              let sealed = try? AES.GCM.SealedBox(combined: box),
              let plain = try? AES.GCM.open(sealed, using: key, authenticating: Data("pointer-handle".utf8)),
              let handle = try? JSONDecoder().decode(PointerHandle.self, from: plain) else { return nil }
        guard handle.asker == asker, now - handle.issuedAt <= lifetime, handle.issuedAt <= now + 60_000 else { return nil }
        return handle
    }
}
