import Crypto
import Foundation

/// The node master key: 256 random bits in a file only the node's user may read.
/// Organisation signing keys are sealed under it with AES-GCM before they reach the database.
public struct MasterKey: Sendable {
    private let bytes: Data

    public init(key: SymmetricKey) { bytes = key.withUnsafeBytes { Data($0) } }

    private var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// Loads the key file, or creates it with mode 0600 when it does not exist.
    public static func loadOrCreate(path: String) throws -> MasterKey {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            let attributes = try manager.attributesOfItem(atPath: path)
            if let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
                throw MasterKeyError.tooOpen(path: path, mode: mode.intValue)
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard data.count == 32 else { throw MasterKeyError.malformed(path: path) }
            return MasterKey(key: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard manager.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw MasterKeyError.cannotCreate(path: path)
        }
        return MasterKey(key: key)
    }

    /// The conventional key file beside a database: `tearline.db` → `tearline.db.key`.
    public static func defaultPath(forDatabase path: String) -> String { path + ".key" }

    public func seal(_ plaintext: Data, context: String) throws -> Data {
        try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8)).combined!
    }

    public func open(_ sealed: Data, context: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(context.utf8))
    }
}

public enum MasterKeyError: Error, CustomStringConvertible {
    case tooOpen(path: String, mode: Int)
    case malformed(path: String)
    case cannotCreate(path: String)

    public var description: String {
        switch self {
        case .tooOpen(let path, let mode): "master key file \(path) has mode \(String(mode, radix: 8)); it must be readable by its owner only (chmod 600)"
        case .malformed(let path): "master key file \(path) must hold exactly 32 bytes"
        case .cannotCreate(let path): "cannot create master key file \(path)"
        }
    }
}
