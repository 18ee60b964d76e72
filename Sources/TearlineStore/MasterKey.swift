import Crypto
import Foundation

/// The node master key: 256 random bits in a file only the node's user may read.
/// Organisation signing keys are sealed under it with AES-GCM before they reach the database.
public struct MasterKey: Sendable {
    private let bytes: Data

    public init(key: SymmetricKey) { bytes = key.withUnsafeBytes { Data($0) } }

    private var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// A fresh random key that lives only in memory (tests, benchmarks).
    public static func random() -> MasterKey { MasterKey(key: SymmetricKey(size: .bits256)) }

    /// Loads the key file, or creates it with mode 0600 when it does not exist.
    public static func loadOrCreate(path: String) throws -> MasterKey {
        if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard SecretFile.create(atPath: path, contents: data) else { throw MasterKeyError.cannotCreate(path: path) }
        return MasterKey(key: key)
    }

    /// Loads an existing key file; refuses one that others may read.
    public static func load(path: String) throws -> MasterKey {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path) else { throw MasterKeyError.missing(path: path) }
        let attributes = try manager.attributesOfItem(atPath: path)
        if let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
            throw MasterKeyError.tooOpen(path: path, mode: mode.intValue)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count == 32 else { throw MasterKeyError.malformed(path: path) }
        return MasterKey(key: SymmetricKey(data: data))
    }

    /// The conventional key file beside a database: `tearline.db` → `tearline.db.key`.
    public static func defaultPath(forDatabase path: String) -> String { path + ".key" }

    public func seal(_ plaintext: Data, context: String) throws -> Data {
        try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8)).combined!
    }

    public func open(_ sealed: Data, context: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(context.utf8))
    }

    /// A key for one purpose, derived with HKDF-SHA256, so that no two uses share key material.
    public func derive(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data("tearline:\(purpose)".utf8), outputByteCount: 32)
    }

    /// The node's Ed25519 key that signs audit checkpoints, derived from the master key.
    public var auditSigningKey: Curve25519.Signing.PrivateKey {
        // why derived, not stored: whoever can verify with the key file needs nothing from the database,
        // so a database edited by hand cannot swap in its own key.
        let seed = derive("audit-signing-v1").withUnsafeBytes { Data($0) }
        return try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }
}

/// Files that hold secrets: the master key, the one-time node-admin token.
public enum SecretFile {
    /// Creates a new file readable by its owner only and writes `contents` to it. Returns false
    /// (leaving nothing behind) when the file exists or cannot be written.
    ///
    /// why open(2) with mode 0600: FileManager.createFile writes a 0644 temporary file, renames it
    /// into place and only then chmods it, so the secret was briefly readable by every local user.
    /// O_EXCL also stops a concurrent first start from replacing a secret already in use.
    public static func create(atPath path: String, contents: Data) -> Bool {
        let fd = createOwnerOnly(path)
        guard fd >= 0 else { return false }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: contents)
            try handle.synchronize()
            try handle.close()
            return true
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            return false
        }
    }
}

/// why a free function: inside `MasterKey`, `open` names the instance method.
private func createOwnerOnly(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
}

public enum MasterKeyError: Error, CustomStringConvertible {
    case tooOpen(path: String, mode: Int)
    case malformed(path: String)
    case cannotCreate(path: String)
    case missing(path: String)

    public var description: String {
        switch self {
        case .tooOpen(let path, let mode): "master key file \(path) has mode \(String(mode, radix: 8)); it must be readable by its owner only (chmod 600)"
        case .malformed(let path): "master key file \(path) must hold exactly 32 bytes"
        case .cannotCreate(let path): "cannot create master key file \(path)"
        case .missing(let path): "master key file \(path) does not exist"
        }
    }
}
