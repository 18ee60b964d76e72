import Crypto
import Foundation
import X509

/// The PKI directory: `ca.pem` and `ca.key.pem`, then `NAME.pem` and `NAME.key.pem` per node.
extension NodePKI {
    public static func caCertificatePath(in directory: String) -> String { path(directory, "ca.pem") }
    public static func caKeyPath(in directory: String) -> String { path(directory, "ca.key.pem") }
    public static func certificatePath(in directory: String, node: String) -> String { path(directory, "\(node).pem") }
    public static func keyPath(in directory: String, node: String) -> String { path(directory, "\(node).key.pem") }

    /// Creates a CA in `directory` (made, mode 0700, if missing); refuses to overwrite an existing CA.
    @discardableResult
    public static func createCA(in directory: String, name: String) throws -> Issued {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ca = try makeCA(name: name)
        try PEMFiles.writeNew(keyPEM: ca.privateKeyPEM, keyPath: caKeyPath(in: directory),
                              certificatePEM: try ca.certificatePEM(), certificatePath: caCertificatePath(in: directory))
        return ca
    }

    /// Issues a node certificate with the directory's CA; refuses to overwrite an existing one.
    @discardableResult
    public static func createNode(in directory: String, node: String, hosts: [String]) throws -> Issued {
        try validateName(node)
        let issued = try makeNode(name: node, hosts: hosts, ca: try loadCA(from: directory))
        try PEMFiles.writeNew(keyPEM: issued.privateKeyPEM, keyPath: keyPath(in: directory, node: node),
                              certificatePEM: try issued.certificatePEM(), certificatePath: certificatePath(in: directory, node: node))
        return issued
    }

    /// The directory's CA certificate and key.
    public static func loadCA(from directory: String) throws -> Issued {
        let certificatePath = caCertificatePath(in: directory)
        let keyPath = caKeyPath(in: directory)
        let certificate = try parsing(certificatePath) { try Certificate(pemEncoded: try PEMFiles.read(certificatePath)) }
        let key = try parsing(keyPath) { try P256.Signing.PrivateKey(pemRepresentation: try PEMFiles.readSecret(keyPath)) }
        guard case .isCertificateAuthority = try certificate.extensions.basicConstraints,
              certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw FederationError.notACertificateAuthority(path: certificatePath)
        }
        return Issued(certificate: certificate, privateKey: key)
    }

    /// why: the node name becomes a file name; no separators, no hidden files, not the CA's own name.
    static func validateName(_ name: String) throws {
        let valid = !name.isEmpty && name.count <= 64 && !name.hasPrefix(".") && name != "ca"
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        guard valid else { throw FederationError.invalidName(name) }
    }

    /// Runs a parse, reporting any failure that is not already a `FederationError` as malformed PEM at `path`.
    static func parsing<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as FederationError { throw error } catch { throw FederationError.malformedPEM(path: path) }
    }

    private static func path(_ directory: String, _ file: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(file).path
    }
}
