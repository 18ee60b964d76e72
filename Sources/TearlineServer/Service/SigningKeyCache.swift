import Crypto
import Foundation
import Synchronization

/// Organisations' Ed25519 signing keys, opened from their sealed form once and kept, so that a
/// release or a report does not unseal its organisation's key each time (5.9% of the writer's
/// time under a load of releases).
///
/// A key is kept with the sealed bytes it was opened from: when the organisation's key is
/// replaced, the stored sealed form differs and the new one is opened. The keys live in this
/// process's memory only, beside the master key they are sealed under; at most `capacity`
/// organisations are kept (the cache is emptied past that).
final class SigningKeyCache: Sendable {
    static let capacity = 4096

    private struct Entry: @unchecked Sendable {
        // why @unchecked: an immutable key; swift-crypto does not mark its key types Sendable.
        let sealed: Data
        let key: Curve25519.Signing.PrivateKey
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The key of `organization` sealed as `sealed`, opened by `open` unless already held.
    func key(organization: String, sealed: Data,
             open: (Data) throws -> Curve25519.Signing.PrivateKey) throws -> Curve25519.Signing.PrivateKey {
        if let entry = entries.withLock({ $0[organization] }), entry.sealed == sealed { return entry.key }
        let key = try open(sealed)
        let entry = Entry(sealed: sealed, key: key)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[organization] = entry
        }
        return key
    }
}
