import Crypto
import Foundation

/// The hash chain over the audit log.
///
/// Each entry's hash is SHA-256 over a canonical encoding of its sequence number, time, actor,
/// organisation, concerned organisation, action, object, decision, reasons, detail and the previous
/// entry's hash. Editing, deleting or reordering an entry breaks the chain at that entry; the
/// signed head and checkpoints (``AuditCheckpoint``) catch truncation and a chain rebuilt end to end.
public enum AuditChain {
    /// The previous hash of entry 1.
    public static let genesis = Data(repeating: 0, count: 32)
    /// A checkpoint is signed at every sequence number divisible by this.
    public static let checkpointInterval: Int64 = 1024

    /// The entry's hash over its canonical encoding.
    public static func hash(_ e: AuditRecord, seq: Int64, previous: Data) -> Data {
        var buffer = [UInt8]()
        buffer.reserveCapacity(256)
        encode(e, seq: seq, previous: previous, into: &buffer)
        return Data(SHA256.hash(data: buffer))
    }

    /// The canonical encoding: a version tag, then fixed-width integers (big-endian) and
    /// length-prefixed UTF-8 fields, where an absent field has the length 0xFFFFFFFF.
    static func encode(_ e: AuditRecord, seq: Int64, previous: Data, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: versionTag)
        append(UInt64(bitPattern: seq), to: &buffer)
        append(UInt64(bitPattern: e.at), to: &buffer)
        field(e.actor, &buffer)
        field(e.organization, &buffer)
        field(e.concerns, &buffer)
        field(e.action, &buffer)
        field(e.object, &buffer)
        field(e.decision, &buffer)
        append(UInt32(e.reasons.count), to: &buffer)
        for reason in e.reasons { field(reason, &buffer) }
        field(e.detail, &buffer)
        buffer.append(contentsOf: previous)
    }

    static let versionTag: [UInt8] = Array("tearline-audit-v1".utf8)

    private static func field(_ text: String?, _ buffer: inout [UInt8]) {
        guard let text else {
            append(UInt32.max, to: &buffer)
            return
        }
        var utf8 = text
        utf8.withUTF8 { bytes in
            append(UInt32(bytes.count), to: &buffer)
            buffer.append(contentsOf: bytes)
        }
    }

    static func append(_ value: UInt64, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    static func append(_ value: UInt32, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}

/// A signed statement by the node: "the audit log held `seq` entries, the last one hashing to `hash`".
/// The head is re-signed by every transaction that appends; fixed checkpoints are kept every
/// ``AuditChain/checkpointInterval`` entries so a rewritten chain is located, not only detected.
public struct AuditCheckpoint: Sendable, Hashable {
    public var seq: Int64
    public var hash: Data
    public var at: Int64
    public var signature: Data

    public init(seq: Int64, hash: Data, at: Int64, signature: Data) {
        self.seq = seq
        self.hash = hash
        self.at = at
        self.signature = signature
    }

    /// The signed bytes: a tag, the sequence number, the time and the entry hash.
    static func message(seq: Int64, hash: Data, at: Int64) -> Data {
        var buffer = Array("tearline-audit-checkpoint-v1".utf8)
        AuditChain.append(UInt64(bitPattern: seq), to: &buffer)
        AuditChain.append(UInt64(bitPattern: at), to: &buffer)
        buffer.append(contentsOf: hash)
        return Data(buffer)
    }

    static func signed(seq: Int64, hash: Data, at: Int64, key: Curve25519.Signing.PrivateKey) throws -> AuditCheckpoint {
        AuditCheckpoint(seq: seq, hash: hash, at: at, signature: try key.signature(for: message(seq: seq, hash: hash, at: at)))
    }

    public func isValid(for key: Curve25519.Signing.PublicKey) -> Bool {
        key.isValidSignature(signature, for: Self.message(seq: seq, hash: hash, at: at))
    }
}
