import Crypto
import Foundation
import SwiftASN1
import X509

/// The node PKI: one small CA per node operator, which signs the certificates its nodes use
/// to serve HTTPS and to authenticate to partners (mutual TLS). Keys are P-256.
public enum NodePKI {
    /// A certificate with the private key of its subject.
    public struct Issued {
        public let certificate: Certificate
        public let privateKey: P256.Signing.PrivateKey

        public init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
            self.certificate = certificate
            self.privateKey = privateKey
        }

        public func certificatePEM() throws -> String { try certificate.serializeAsPEM().pemString + "\n" }
        /// PKCS#8 PEM (`BEGIN PRIVATE KEY`).
        public var privateKeyPEM: String { privateKey.pemRepresentation + "\n" }
    }

    /// why backdated: partners' clocks drift, and a certificate "not yet valid" by a few minutes
    /// would stop federation right after issuance.
    static let backdate: TimeInterval = 5 * 60
    static let caLifetime: TimeInterval = 3650 * 24 * 3600
    static let nodeLifetime: TimeInterval = 365 * 24 * 3600

    /// A self-signed CA certificate valid for ten years.
    public static func makeCA(name: String, now: Date = Date()) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName { CommonName(name) }
        let extensions = try Certificate.Extensions {
            // why path length 0: the CA signs node certificates only, never another CA.
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: randomSerial(), publicKey: publicKey,
            notValidBefore: now - backdate, notValidAfter: now + caLifetime,
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(key))
        return Issued(certificate: certificate, privateKey: key)
    }

    /// A node certificate signed by `ca`, valid for one year (never beyond the CA), for TLS server
    /// and client use, naming each host (IP address or DNS name) as a subject alternative name.
    public static func makeNode(name: String, hosts: [String], ca: Issued, now: Date = Date()) throws -> Issued {
        guard !hosts.isEmpty else { throw FederationError.noHosts }
        let names = try hosts.map(generalName)
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let caKeyID = try ca.certificate.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: ca.certificate.publicKey).keyIdentifier
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            SubjectAlternativeNames(names)
            AuthorityKeyIdentifier(keyIdentifier: caKeyID)
            SubjectKeyIdentifier(hash: publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: randomSerial(), publicKey: publicKey,
            notValidBefore: now - backdate, notValidAfter: min(now + nodeLifetime, ca.certificate.notValidAfter),
            issuer: ca.certificate.subject, subject: try DistinguishedName { CommonName(name) },
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(ca.privateKey))
        return Issued(certificate: certificate, privateKey: key)
    }

    /// A random positive 128-bit serial number.
    static func randomSerial() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        // why: a leading zero byte would be dropped by DER, leaving fewer than 128 bits.
        bytes[0] |= 0x01
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// An IP address (v4 or v6) becomes an iPAddress name; anything else must be a DNS name.
    static func generalName(_ host: String) throws -> GeneralName {
        if let address = ipAddressBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: address[...])) }
        let labels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        let valid = !labels.isEmpty && host.utf8.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        guard valid else { throw FederationError.invalidHost(host) }
        return .dnsName(host.lowercased())
    }

    /// The 4 or 16 network-order bytes of an IP address literal, or nil.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
