import Foundation
import GRDB
import TearlineCore
@testable import TearlineStore
import Testing

/// Migration v10 adds `member.createdBy`, filling it for existing members from the audit log's
/// `member.create` records, and leaving it NULL (unknown) where there is none.
@Suite struct MigrationV10Tests {
    static func insertMember(_ db: Database, _ id: String) throws {
        let m = Fixture.member(id, of: "USA")
        try db.execute(sql: """
            INSERT INTO member (id, organizationId, name, roles, clearance, compartments, topics, tokenHash, status, throttled, secondedTo, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [m.id, m.organization, m.name, "analyst", m.clearance.rawValue, "", "terrorism", m.tokenHash, "active", false, nil, m.createdAt])
    }

    static func audit(_ db: Database, actor: String?, action: String, object: String, decision: String) throws {
        try db.execute(sql: "INSERT INTO auditEvent (at, actor, organization, action, object, decision, reasons) VALUES (1, ?, 'USA', ?, ?, ?, '')",
                       arguments: [actor, action, object, decision])
    }

    @Test func existingMembersTakeTheirCreatorFromTheAuditLog() throws {
        let queue = try DatabaseQueue()
        let createdBy: [String: String?] = try queue.write { db in
            try db.execute(sql: Schema.v1)
            let o = Fixture.organization("USA")
            try db.execute(sql: "INSERT INTO organization (id, name, kind, publicKey, sealedPrivateKey, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [o.id, o.name, o.kind.rawValue, o.publicKey, o.sealedPrivateKey, o.createdAt])
            for id in ["m-admin", "m-by-admin", "m-by-node", "m-unknown"] { try Self.insertMember(db, id) }
            try Self.audit(db, actor: "node-admin", action: "member.create", object: "m-admin", decision: "allow")
            // A refused attempt names no creator; the allowed one that follows does.
            try Self.audit(db, actor: "m-other", action: "member.create", object: "m-by-admin", decision: "deny")
            try Self.audit(db, actor: "m-admin", action: "member.create", object: "m-by-admin", decision: "allow")
            try Self.audit(db, actor: "node-admin", action: "member.create", object: "m-by-node", decision: "allow")
            try Self.audit(db, actor: "m-admin", action: "member.update", object: "m-unknown", decision: "allow")
            try MigrationV10.run(db)
            return try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, createdBy FROM member").map { row in
                (row["id"] as String, row["createdBy"] as String?)
            })
        }
        #expect(createdBy["m-admin"] == .some("node-admin"))
        #expect(createdBy["m-by-admin"] == .some("m-admin"))
        #expect(createdBy["m-by-node"] == .some("node-admin"))
        #expect(createdBy["m-unknown"] == .some(nil), "no record: unknown")
    }

    @Test func theStoreKeepsWhoCreatedAMember() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-v10-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("t.db").path, masterKey: testMasterKey)
        var created = Fixture.member("m-2", of: "USA")
        created.createdBy = "m-1"
        let member = created
        let stored = try await store.write { s in
            try s.insertOrganization(Fixture.organization("USA"))
            try s.insertMember(Fixture.member("m-1", of: "USA"))
            try s.insertMember(member)
            return [try s.member(id: "m-1")?.createdBy, try s.member(id: "m-2")?.createdBy]
        }
        #expect(stored == [nil, "m-1"])
    }
}
