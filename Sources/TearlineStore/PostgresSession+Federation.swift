import Foundation
import TearlineCore

extension PostgresSession: FederationRepository {
    func insertPeer(_ p: PeerRecord) throws {
        try link.execute("INSERT INTO federationPeer (organization, url, pins, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)",
                         [.text(p.organization), .text(p.url), .text(p.pins.joined(separator: " ")), .int(p.createdAt), .int(p.updatedAt)])
    }

    func updatePeer(_ p: PeerRecord) throws {
        try link.execute("UPDATE federationPeer SET url = ?, pins = ?, updatedAt = ? WHERE organization = ?",
                         [.text(p.url), .text(p.pins.joined(separator: " ")), .int(p.updatedAt), .text(p.organization)])
    }

    func peer(organization: String) throws -> PeerRecord? {
        try link.row("SELECT * FROM federationPeer WHERE organization = ?", [.text(organization)]).map(Self.peer(from:))
    }

    func peers() throws -> [PeerRecord] {
        try link.rows("SELECT * FROM federationPeer ORDER BY organization").map(Self.peer(from:))
    }

    static func peer(from row: PGRow) throws -> PeerRecord {
        PeerRecord(organization: try row.string("organization"), url: try row.string("url"),
                   pins: try row.string("pins").split(separator: " ").map(String.init), createdAt: try row.int("createdAt"),
                   updatedAt: try row.int("updatedAt"))
    }

    func federationCursor(peer: String, organization: String) throws -> FederationCursor {
        guard let row = try link.row("SELECT * FROM federationCursor WHERE peer = ? AND organization = ?", [.text(peer), .text(organization)]) else {
            return FederationCursor(peer: peer, organization: organization)
        }
        return FederationCursor(peer: peer, organization: organization, pulledAfter: try row.string("pulledAfter"),
                                pushedAuditSeq: try row.int("pushedAuditSeq"), pushedFeedbackAt: try row.int("pushedFeedbackAt"))
    }

    func saveFederationCursor(_ c: FederationCursor) throws {
        try link.execute("""
            INSERT INTO federationCursor (peer, organization, pulledAfter, pushedAuditSeq, pushedFeedbackAt) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (peer, organization) DO UPDATE SET pulledAfter = excluded.pulledAfter, pushedAuditSeq = excluded.pushedAuditSeq,
                pushedFeedbackAt = excluded.pushedFeedbackAt
            """, [.text(c.peer), .text(c.organization), .text(c.pulledAfter), .int(c.pushedAuditSeq), .int(c.pushedFeedbackAt)])
    }

    func releases(recipient: String, originators: [String], after: (createdAt: Int64, id: String)?, limit: Int) throws -> [ReleaseRecord] {
        guard !originators.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: originators.count).joined(separator: ", ")
        var arguments: [SQLValue] = [.text(recipient)] + originators.map(SQLValue.text)
        var sql = "SELECT \(SQLiteSession.releaseColumns) FROM release WHERE recipient = ? AND originator IN (\(marks)) AND revokedAt IS NULL"
        if let after {
            sql += " AND (createdAt > ? OR (createdAt = ? AND id > ?))"
            arguments += [.int(after.createdAt), .int(after.createdAt), .text(after.id)]
        }
        sql += " ORDER BY createdAt, id LIMIT ?"
        arguments.append(.int(Int64(limit)))
        return try link.rows(sql, arguments).map(Self.release(from:))
    }

    func revokedReleases(recipient: String, originators: [String]) throws -> [ReleaseRecord] {
        guard !originators.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: originators.count).joined(separator: ", ")
        return try link.rows("""
            SELECT \(SQLiteSession.releaseColumns) FROM release WHERE recipient = ? AND originator IN (\(marks)) AND revokedAt IS NOT NULL ORDER BY createdAt, id
            """, [.text(recipient)] + originators.map(SQLValue.text)).map(Self.release(from:))
    }
}
