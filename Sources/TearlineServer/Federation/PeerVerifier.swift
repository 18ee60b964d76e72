import Foundation
import NIOSSL
import SwiftASN1
import X509

/// Checks the certificate chain a TLS peer presents: a chain to one of `roots` (RFC 5280: signatures,
/// validity dates, basic constraints), the extended key usage the peer's role needs, for a server
/// the host we dialled, and then, when `pins` is not empty, that the leaf's key is pinned.
///
/// why in Swift: NIOSSL's custom verification callback replaces BoringSSL's verification wholesale,
/// so a callback that only compared pins would admit any self-signed certificate with a pinned key.
struct PeerVerifier: Sendable {
    enum Role: Sendable {
        /// A partner dialling in: its certificate must allow clientAuth.
        case client
        /// A partner we dial: its certificate must allow serverAuth and name `host`.
        case server(host: String)
    }

    enum Outcome: Sendable, Equatable {
        case accepted
        case rejected(String)
    }

    let roots: [Certificate]
    let pins: Set<SPKIPin>
    let role: Role

    func check(_ presented: [NIOSSLCertificate]) async -> Outcome {
        let chain: [Certificate]
        do { chain = try presented.map { try Certificate(derEncoded: try $0.toDERBytes()) } } catch {
            return .rejected("unparseable certificate")
        }
        guard let leaf = chain.first else { return .rejected("no certificate presented") }
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy()
            KeyPurposePolicy(usage: role.usage)
            if let host = role.host {
                let isAddress = NodePKI.ipAddressBytes(host) != nil
                ServerIdentityPolicy(serverHostname: isAddress ? nil : host, serverIP: isAddress ? host : nil)
            }
        }
        let who = "\(leaf.subject)" + (role.host.map { " for \($0)" } ?? "")
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst()))
        if case .couldNotValidate(let failures) = result {
            let reasons = Set(failures.map(\.policyFailureReason.description)).sorted()
            return .rejected("\(who): " + (reasons.isEmpty ? "no chain to a trusted CA" : reasons.joined(separator: "; ")))
        }
        guard !pins.isEmpty else { return .accepted }
        let pin = try? SPKIPin(leaf)
        guard let pin, pins.contains(pin) else {
            return .rejected("\(who) has key pin \(pin?.description ?? "(unreadable)"), which is not listed")
        }
        return .accepted
    }
}

extension PeerVerifier.Role {
    var host: String? {
        if case .server(let host) = self { host } else { nil }
    }

    var usage: ExtendedKeyUsage.Usage {
        switch self {
        case .client: .clientAuth
        case .server: .serverAuth
        }
    }
}

/// The leaf must carry an extended key usage for `usage`, as BoringSSL requires of TLS peers.
struct KeyPurposePolicy: VerifierPolicy {
    let usage: ExtendedKeyUsage.Usage
    var verifyingCriticalExtensions: [ASN1ObjectIdentifier] { [.X509ExtensionID.extendedKeyUsage] }

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        guard let usages = try? chain.leaf.extensions.extendedKeyUsage, usages.contains(usage) else {
            return .failsToMeetPolicy(reason: "the certificate is not for \(usage)")
        }
        return .meetsPolicy
    }
}
