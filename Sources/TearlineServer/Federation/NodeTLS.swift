import HummingbirdTLS
import Logging
import NIOSSL
import SwiftASN1
import X509

/// The TLS side of `tearline serve`: HTTPS, optionally mutual TLS, optionally pinned partners.
public enum NodeTLS {
    /// The server's TLS configuration from PEM texts.
    ///
    /// - `clientCAPEM`: when given, every client must present a certificate that chains to it (mutual TLS).
    /// - `peerPins`: when given, a client's certificate is also checked against these pins, after
    ///   chain verification, in a custom verification callback. Every refused handshake, pinned
    ///   or not, is logged by the server `buildApplication` builds (address, subject, issuer, pin).
    public static func serverConfiguration(
        certificateChainPEM: String, privateKeyPEM: String, clientCAPEM: String? = nil, peerPins: [SPKIPin] = [], logger: Logger
    ) throws -> TLSChannelConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateChainPEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
        let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem))
        guard let clientCAPEM else {
            guard peerPins.isEmpty else { throw FederationError.pinsNeedClientCA }
            return TLSChannelConfiguration(tlsConfiguration: try checked(hardened(.makeServerConfiguration(certificateChain: chain, privateKey: key))))
        }
        let roots = try NIOSSLCertificate.fromPEMBytes(Array(clientCAPEM.utf8))
        let tls = try checked(hardened(.makeServerConfigurationWithMTLS(certificateChain: chain, privateKey: key, trustRoots: .certificates(roots))))
        // why BoringSSL's own verification when nothing is pinned: a custom callback replaces it entirely.
        guard !peerPins.isEmpty else { return TLSChannelConfiguration(tlsConfiguration: tls) }
        let verifier = PeerVerifier(roots: try certificates(inPEM: clientCAPEM), pins: Set(peerPins), role: .client)
        return TLSChannelConfiguration(tlsConfiguration: tls, customAsyncVerificationCallback: { presented in
            switch await verifier.check(presented) {
            case .accepted:
                return .certificateVerified
            case .rejected(let reason):
                // why not logged here: the callback does not know the client's address; the
                // handshake log (``RefusedHandshakeLog``) writes one rate-limited line with it.
                if let leaf = presented.first, let der = try? leaf.toDERBytes(), let pin = try? SPKIPin(Certificate(derEncoded: der)) {
                    VerifierRejections.shared.record(pin, reason)
                }
                logger.debug("refused a client certificate: \(reason)")
                return .failed
            }
        })
    }

    /// The same, reading PEM files; the key file must be readable by its owner only.
    public static func serverConfiguration(
        certificatePath: String, keyPath: String, clientCAPath: String? = nil, peerPins: [SPKIPin] = [], logger: Logger
    ) throws -> TLSChannelConfiguration {
        let certificate = try PEMFiles.read(certificatePath)
        let key = try PEMFiles.readSecret(keyPath)
        let clientCA = try clientCAPath.map(PEMFiles.read)
        do {
            return try serverConfiguration(certificateChainPEM: certificate, privateKeyPEM: key, clientCAPEM: clientCA, peerPins: peerPins, logger: logger)
        } catch let error as FederationError {
            throw error
        } catch {
            // why no detail: NIOSSL's errors do not say which file; the key's bytes must never be echoed.
            throw FederationError.unusableTLSFiles([certificatePath, keyPath] + (clientCAPath.map { [$0] } ?? []))
        }
    }

    /// Every certificate in a PEM text (a CA bundle may hold several).
    static func certificates(inPEM pem: String) throws -> [Certificate] {
        try PEMDocument.parseMultiple(pemString: pem).map { try Certificate(pemDocument: $0) }
    }

    /// why TLS 1.2 at least: NIOSSL's default floor is TLS 1.0.
    static func hardened(_ configuration: TLSConfiguration) -> TLSConfiguration {
        var configuration = configuration
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// why built once here: a key that does not match the certificate is then refused at startup,
    /// with the file names, instead of inside the server.
    static func checked(_ configuration: TLSConfiguration) throws -> TLSConfiguration {
        _ = try NIOSSLContext(configuration: configuration)
        return configuration
    }
}
