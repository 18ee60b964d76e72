import Foundation
import GRDB
import TearlineCore

public protocol FederationRepository {
    func insertPeer(_ peer: PeerRecord) throws
    func updatePeer(_ peer: PeerRecord) throws
    func peer(organization: String) throws -> PeerRecord?
    func peers() throws -> [PeerRecord]
    func federationCursor(peer: String, organization: String) throws -> FederationCursor
    func saveFederationCursor(_ cursor: FederationCursor) throws
    /// Releases from `originators` to `recipient`, oldest first, after (`createdAt`, `id`).
    func releases(recipient: String, originators: [String], after: (createdAt: Int64, id: String)?, limit: Int) throws -> [ReleaseRecord]
    /// The revoked releases from `originators` to `recipient`.
    func revokedReleases(recipient: String, originators: [String]) throws -> [ReleaseRecord]
}

extension SQLiteSession: FederationRepository {
    func insertPeer(_ p: PeerRecord) throws {
        try db.execute(sql: "INSERT INTO federationPeer (organization, url, pins, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)",
                       arguments: [p.organization, p.url, p.pins.joined(separator: " "), p.createdAt, p.updatedAt])
    }

    func updatePeer(_ p: PeerRecord) throws {
        try db.execute(sql: "UPDATE federationPeer SET url = ?, pins = ?, updatedAt = ? WHERE organization = ?",
                       arguments: [p.url, p.pins.joined(separator: " "), p.updatedAt, p.organization])
    }

    func peer(organization: String) throws -> PeerRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM federationPeer WHERE organization = ?", arguments: [organization]).map(Self.peer(from:))
    }

    func peers() throws -> [PeerRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM federationPeer ORDER BY organization").map(Self.peer(from:))
    }

    private static func peer(from row: Row) -> PeerRecord {
        PeerRecord(organization: row["organization"], url: row["url"],
                   pins: (row["pins"] as String).split(separator: " ").map(String.init), createdAt: row["createdAt"], updatedAt: row["updatedAt"])
    }

    func federationCursor(peer: String, organization: String) throws -> FederationCursor {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM federationCursor WHERE peer = ? AND organization = ?", arguments: [peer, organization]) else {
            return FederationCursor(peer: peer, organization: organization)
        }
        return FederationCursor(peer: peer, organization: organization, pulledAfter: row["pulledAfter"],
                                pushedAuditSeq: row["pushedAuditSeq"], pushedFeedbackAt: row["pushedFeedbackAt"])
    }

    func saveFederationCursor(_ c: FederationCursor) throws {
        try db.execute(sql: """
            INSERT INTO federationCursor (peer, organization, pulledAfter, pushedAuditSeq, pushedFeedbackAt) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (peer, organization) DO UPDATE SET pulledAfter = excluded.pulledAfter, pushedAuditSeq = excluded.pushedAuditSeq,
                pushedFeedbackAt = excluded.pushedFeedbackAt
            """, arguments: [c.peer, c.organization, c.pulledAfter, c.pushedAuditSeq, c.pushedFeedbackAt])
    }

    func releases(recipient: String, originators: [String], after: (createdAt: Int64, id: String)?, limit: Int) throws -> [ReleaseRecord] {
        guard !originators.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: originators.count).joined(separator: ", ")
        var arguments: [any DatabaseValueConvertible] = [recipient]
        arguments += originators as [any DatabaseValueConvertible]
        var sql = "SELECT \(Self.releaseColumns) FROM release WHERE recipient = ? AND originator IN (\(marks)) AND revokedAt IS NULL"
        if let after {
            sql += " AND (createdAt > ? OR (createdAt = ? AND id > ?))"
            arguments += [after.createdAt, after.createdAt, after.id] as [any DatabaseValueConvertible]
        }
        sql += " ORDER BY createdAt, id LIMIT ?"
        arguments.append(limit)
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.release(from:))
    }

    func revokedReleases(recipient: String, originators: [String]) throws -> [ReleaseRecord] {
        guard !originators.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: originators.count).joined(separator: ", ")
        return try Row.fetchAll(db, sql: """
            SELECT \(Self.releaseColumns) FROM release WHERE recipient = ? AND originator IN (\(marks)) AND revokedAt IS NOT NULL ORDER BY createdAt, id
            """, arguments: StatementArguments([recipient] + originators)).map(Self.release(from:))
    }
}
