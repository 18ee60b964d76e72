import Foundation
import TearlineStore

/// Reading and writing the PEM files of the node PKI.
enum PEMFiles {
    /// The text of a certificate (or other public) PEM file.
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? FederationError.malformedPEM(path: path) : FederationError.missing(path: path)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The text of a private key file; refuses one that others may read, as `MasterKey.load` does.
    static func readSecret(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw FederationError.missing(path: path) }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        if let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
            throw FederationError.tooOpen(path: path, mode: mode.intValue & 0o777)
        }
        return try read(path)
    }

    /// Writes a key (mode 0600) and its certificate, both new files; on any failure neither is left behind.
    ///
    /// why the key through `SecretFile`: open(2) with O_EXCL and mode 0600, so the key is never
    /// readable by others, not even for a moment, and an existing key is never replaced.
    static func writeNew(keyPEM: String, keyPath: String, certificatePEM: String, certificatePath: String) throws {
        for path in [keyPath, certificatePath] where FileManager.default.fileExists(atPath: path) {
            throw FederationError.exists(path: path)
        }
        guard SecretFile.create(atPath: keyPath, contents: Data(keyPEM.utf8)) else { throw FederationError.cannotWrite(path: keyPath) }
        do {
            try Data(certificatePEM.utf8).write(to: URL(fileURLWithPath: certificatePath), options: .withoutOverwriting)
        } catch {
            try? FileManager.default.removeItem(atPath: keyPath)
            throw FileManager.default.fileExists(atPath: certificatePath)
                ? FederationError.exists(path: certificatePath) : FederationError.cannotWrite(path: certificatePath)
        }
    }
}
