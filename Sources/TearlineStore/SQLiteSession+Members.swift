import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: MemberRepository {
    func insertMember(_ m: MemberRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO member (id, organizationId, name, roles, clearance, compartments, topics, tokenHash, status, throttled, secondedTo, createdAt, createdBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [m.id, m.organization, m.name, ListColumn.encode(m.roles.map(\.rawValue)), m.clearance.rawValue,
                        ListColumn.encode(m.compartments), ListColumn.encode(m.topics), m.tokenHash, m.status.rawValue,
                        m.throttled, m.secondedTo, m.createdAt, m.createdBy])
    }

    func updateMember(_ m: MemberRecord) throws {
        try db.cachedStatement(sql: """
            UPDATE member SET name = ?, roles = ?, clearance = ?, compartments = ?, topics = ?, status = ?, throttled = ?, secondedTo = ?
            WHERE id = ?
            """).execute(arguments: [m.name, ListColumn.encode(m.roles.map(\.rawValue)), m.clearance.rawValue, ListColumn.encode(m.compartments),
                        ListColumn.encode(m.topics), m.status.rawValue, m.throttled, m.secondedTo, m.id])
    }

    func member(id: String) throws -> MemberRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.memberColumns) FROM member WHERE id = ?"), arguments: [id]).map(Self.member(from:))
    }

    func member(tokenHash: Data) throws -> MemberRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.memberColumns) FROM member WHERE tokenHash = ?"), arguments: [tokenHash]).map(Self.member(from:))
    }

    func members(organization: String) throws -> [MemberRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.memberColumns) FROM member WHERE organizationId = ? ORDER BY createdAt, id"), arguments: [organization])
            .map(Self.member(from:))
    }

    func insertGrant(member: String, report: String, grantedBy: String, createdAt: Int64) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO needToKnowGrant (memberId, reportId, grantedBy, createdAt) VALUES (?, ?, ?, ?)").execute(arguments: [member, report, grantedBy, createdAt])
    }

    func hasGrant(member: String, report: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM needToKnowGrant WHERE memberId = ? AND reportId = ?)"),
            arguments: [member, report]) ?? false
    }

    static let memberColumns = "id, organizationId, name, roles, clearance, compartments, topics, tokenHash, status, throttled, secondedTo, createdAt, createdBy"

    /// Decodes a row selected with ``memberColumns``, by position (name lookups cost on the hot path).
    static func member(from row: Row) throws -> MemberRecord {
        let roles = try ListColumn.decode(row[3]).map { text -> Role in
            guard let role = Role(rawValue: text) else { throw StoreError.corruptRow("member.roles") }
            return role
        }
        guard let clearance = Classification(rawValue: row[4]),
              let status = MemberStatus(rawValue: row[8]) else {
            throw StoreError.corruptRow("member")
        }
        return MemberRecord(
            id: row[0], organization: row[1], name: row[2], roles: roles, clearance: clearance,
            compartments: ListColumn.decode(row[5]), topics: ListColumn.decode(row[6]),
            tokenHash: row[7], status: status, throttled: row[9], secondedTo: row[10],
            createdAt: row[11], createdBy: row[12])
    }
}
