import NIOSSL

/// Our node's certificate chain and private key, presented to partners when we call them.
public struct NodeIdentity: Sendable {
    let certificateChain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey

    public init(certPEM: String, keyPEM: String) throws {
        certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certPEM.utf8))
        privateKey = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
    }

    /// Reads the files `tearline pki node` wrote; the key file must be readable by its owner only.
    public init(certificatePath: String, keyPath: String) throws {
        let certificate = try PEMFiles.read(certificatePath)
        let key = try PEMFiles.readSecret(keyPath)
        do { try self.init(certPEM: certificate, keyPEM: key) } catch { throw FederationError.unusableTLSFiles([certificatePath, keyPath]) }
    }
}
