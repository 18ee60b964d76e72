import Crypto
import Foundation
import SwiftASN1
import X509

/// A public-key pin: SHA-256 of a certificate's DER SubjectPublicKeyInfo, written `sha256/<base64>`
/// (the HPKP form, also what `curl --pinnedpubkey` takes).
///
/// why the key and not the certificate: a node can renew its certificate with the same key
/// without its partners re-pinning, and a CA that issues a second certificate for a node's
/// name still cannot produce a key that matches the pin.
public struct SPKIPin: Hashable, Sendable, CustomStringConvertible {
    /// The 32-byte SHA-256 digest.
    public let digest: [UInt8]

    /// The pin of a DER-encoded SubjectPublicKeyInfo.
    public init(subjectPublicKeyInfoDER der: some DataProtocol) {
        digest = Array(SHA256.hash(data: der))
    }

    /// The pin of a certificate's public key.
    public init(_ certificate: Certificate) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate.publicKey)
        self.init(subjectPublicKeyInfoDER: serializer.serializedBytes)
    }

    /// The pin of the first certificate in a PEM text.
    public init(certificatePEM pem: String) throws {
        try self.init(Certificate(pemEncoded: pem))
    }

    /// Parses `sha256/<base64 of 32 bytes>`; anything else is refused, so a mistyped pin fails loudly.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("sha256/"), let bytes = Data(base64Encoded: String(trimmed.dropFirst(7))), bytes.count == 32 else {
            throw FederationError.malformedPin(text)
        }
        digest = Array(bytes)
    }

    public var description: String { "sha256/" + Data(digest).base64EncodedString() }
}
