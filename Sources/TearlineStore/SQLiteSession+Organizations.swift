import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: OrganizationRepository {
    func insertOrganization(_ o: OrganizationRecord) throws {
        try db.cachedStatement(sql: "INSERT INTO organization (id, name, kind, publicKey, sealedPrivateKey, createdAt) VALUES (?, ?, ?, ?, ?, ?)").execute(arguments: [o.id, o.name, o.kind.rawValue, o.publicKey, o.sealedPrivateKey, o.createdAt])
        try Self.insertOrganizationCollections(db, organization: o.id, now: o.createdAt)
    }

    func organization(id: String) throws -> OrganizationRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM organization WHERE id = ?"), arguments: [id]).map(Self.organization(from:))
    }

    func organizations() throws -> [OrganizationRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM organization ORDER BY id")).map(Self.organization(from:))
    }

    func insertNodeCredential(tokenHash: Data, createdAt: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO nodeCredential (tokenHash, createdAt) VALUES (?, ?)").execute(arguments: [tokenHash, createdAt])
    }

    func nodeCredentialExists(tokenHash: Data) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM nodeCredential WHERE tokenHash = ?)"), arguments: [tokenHash]) ?? false
    }

    func nodeCredentialCount() throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM nodeCredential")) ?? 0
    }

    static func organization(from row: Row) throws -> OrganizationRecord {
        guard let kind = OrganizationKind(rawValue: row["kind"]) else { throw StoreError.corruptRow("organization.kind") }
        return OrganizationRecord(
            id: row["id"], name: row["name"], kind: kind, publicKey: row["publicKey"],
            sealedPrivateKey: row["sealedPrivateKey"], createdAt: row["createdAt"])
    }
}
