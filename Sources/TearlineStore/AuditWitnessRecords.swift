import Foundation

/// A signed audit head one node has seen of another, kept so that a rollback is caught.
///
/// Each federation exchange carries the sender's latest signed head; the receiver keeps it as
/// `theirs` for that partner, and answers with the head of the sender it had witnessed before,
/// which the sender keeps as `ours`: its own head, as the partner has seen it. A node whose log
/// no longer holds an entry a partner witnessed (same sequence number, same hash) was rolled
/// back or rewritten, and `tearline audit verify` says so.
public struct AuditWitnessRecord: Sendable, Hashable {
    public enum Direction: String, Sendable {
        /// The partner node's head, as this node witnessed it.
        case theirs
        /// This node's head, as the partner node witnessed it.
        case ours
    }

    /// The partner organisation whose node it is.
    public var peer: String
    public var direction: Direction
    public var seq: Int64
    public var hash: Data
    public var at: Int64
    /// The head's signature (a head of theirs only).
    public var signature: Data?
    /// The partner node's audit public key, pinned on first sight (a head of theirs only).
    public var publicKey: Data?
    /// Set once a later head or check contradicted this one; the alert has been raised.
    public var contradicted: Bool
    public var recordedAt: Int64

    public init(peer: String, direction: Direction, seq: Int64, hash: Data, at: Int64, signature: Data? = nil, publicKey: Data? = nil,
                contradicted: Bool = false, recordedAt: Int64) {
        self.peer = peer
        self.direction = direction
        self.seq = seq
        self.hash = hash
        self.at = at
        self.signature = signature
        self.publicKey = publicKey
        self.contradicted = contradicted
        self.recordedAt = recordedAt
    }
}

public protocol AuditWitnessRepository {
    func auditWitness(peer: String, direction: AuditWitnessRecord.Direction) throws -> AuditWitnessRecord?
    func auditWitnesses(direction: AuditWitnessRecord.Direction) throws -> [AuditWitnessRecord]
    /// Inserts or replaces the witness of (peer, direction).
    func saveAuditWitness(_ witness: AuditWitnessRecord) throws
    /// The hash of the audit entry `seq`, or nil when the log holds no such entry.
    func auditEntryHash(seq: Int64) throws -> Data?
    /// This node's signed audit head as stored (it may trail the last entry by one group commit).
    func signedAuditHead() throws -> AuditCheckpoint?
}

/// Migration v13 (SQLite) and schema 4 (PostgreSQL): the audit heads witnessed across federation.
enum AuditWitnessSchema {
    static let sqlite = """
        CREATE TABLE auditWitness (
            peer TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('theirs', 'ours')),
            seq INTEGER NOT NULL,
            hash BLOB NOT NULL,
            at INTEGER NOT NULL,
            signature BLOB,
            publicKey BLOB,
            contradicted INTEGER NOT NULL DEFAULT 0,
            recordedAt INTEGER NOT NULL,
            PRIMARY KEY (peer, direction)
        );
        """

    static let postgres = """
        CREATE TABLE auditWitness (
            peer TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('theirs', 'ours')),
            seq BIGINT NOT NULL,
            hash BYTEA NOT NULL,
            at BIGINT NOT NULL,
            signature BYTEA,
            publicKey BYTEA,
            contradicted BIGINT NOT NULL DEFAULT 0,
            recordedAt BIGINT NOT NULL,
            PRIMARY KEY (peer, direction))
        """
}
