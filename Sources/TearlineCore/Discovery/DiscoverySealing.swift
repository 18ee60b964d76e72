import Crypto
import Foundation

/// How a holder's set entry is derived from the PRF output of its entity: a 16-byte tag the
/// asker matches, and the pointers (holders and counts) sealed under a key only that output
/// gives. The asker opens the entries it matched and nothing else; the rest of the set is
/// opaque to it (their number aside).
///
/// Sealing is deterministic (a synthetic nonce from the plaintext, as in SIV), so the same set
/// is the same bytes: a holding that is not in the set changes nothing a partner receives.
public enum DiscoverySealing {
    public static let tagBytes = 16

    public static func tag(_ output: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("tearline-discovery-tag-v1".utf8), using: SymmetricKey(data: output)).prefix(tagBytes))
    }

    public static func seal(_ pointers: [EntityPointer], output: Data) -> Data {
        let plaintext = Data(DiscoveryHolders.encode(pointers).utf8)
        let (key, nonceKey) = keys(output)
        let synthetic = HMAC<SHA256>.authenticationCode(for: plaintext, using: nonceKey)
        // why try!: a 12-byte nonce and a 32-byte key are always accepted.
        let nonce = try! ChaChaPoly.Nonce(data: Data(synthetic.prefix(12)))
        return try! ChaChaPoly.seal(plaintext, using: key, nonce: nonce, authenticating: tag(output)).combined
    }

    /// The pointers of an entry the asker matched; nil when the payload does not open under this
    /// output (it is another entity's, or was altered).
    public static func open(_ payload: Data, output: Data) -> [EntityPointer]? {
        let (key, _) = keys(output)
        guard let box = try? ChaChaPoly.SealedBox(combined: payload),
              let plaintext = try? ChaChaPoly.open(box, using: key, authenticating: tag(output)),
              let text = String(data: plaintext, encoding: .utf8) else { return nil }
        return DiscoveryHolders.decode(text)
    }

    private static func keys(_ output: Data) -> (SymmetricKey, SymmetricKey) {
        let root = SymmetricKey(data: output)
        return (SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data("tearline-discovery-payload-v1".utf8), using: root)),
                SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data("tearline-discovery-nonce-v1".utf8), using: root)))
    }
}
