import Foundation
import GRDB
import TearlineCore

extension SQLiteSession: DiscoveryRepository {
    func discoveryKey(partner: String) throws -> DiscoveryKeyRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM discoveryKey WHERE partner = ?", arguments: [partner]).map { row in
            DiscoveryKeyRecord(partner: row["partner"], epoch: row["epoch"], sealedKey: row["sealedKey"], publicKey: row["publicKey"],
                               createdAt: row["createdAt"], seq: row["seq"], budget: DiscoveryBudget(perDay: row["perDay"], alertAt: row["alertAt"]),
                               spent: DiscoveryBudgetState(windowStart: row["windowStart"], used: row["used"], alerted: row["alerted"]))
        }
    }

    func saveDiscoveryKey(_ k: DiscoveryKeyRecord) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO discoveryKey (partner, epoch, sealedKey, publicKey, createdAt, seq, perDay, alertAt, windowStart, used, alerted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [k.partner, k.epoch, k.sealedKey, k.publicKey, k.createdAt, k.seq, k.budget.perDay, k.budget.alertAt,
                             k.spent.windowStart, k.spent.used, k.spent.alerted])
    }

    func discoveryEntries(partner: String) throws -> [DiscoveryEntryRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM discoveryEntry WHERE partner = ?", arguments: [partner]).map(Self.discoveryEntry)
    }

    func discoveryEntries(partner: String, after seq: Int64, limit: Int) throws -> [DiscoveryEntryRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM discoveryEntry WHERE partner = ? AND seq > ? ORDER BY seq LIMIT ?",
                         arguments: [partner, seq, limit]).map(Self.discoveryEntry)
    }

    func discoveryEntry(partner: String, tag: Data) throws -> DiscoveryEntryRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM discoveryEntry WHERE partner = ? AND tag = ?", arguments: [partner, tag]).map(Self.discoveryEntry)
    }

    func saveDiscoveryEntry(_ e: DiscoveryEntryRecord) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO discoveryEntry (partner, entity, holders, tag, payload, seq) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [e.partner, Int64(bitPattern: e.entity), e.holders, e.tag, e.payload, e.seq])
    }

    func deleteDiscoveryEntries(partner: String) throws {
        try db.execute(sql: "DELETE FROM discoveryEntry WHERE partner = ?", arguments: [partner])
    }

    private static func discoveryEntry(_ row: Row) -> DiscoveryEntryRecord {
        DiscoveryEntryRecord(partner: row["partner"], entity: UInt64(bitPattern: row["entity"]), holders: row["holders"], tag: row["tag"],
                             payload: row["payload"], seq: row["seq"])
    }

    func remoteDiscoverySet(peer: String, organization: String) throws -> RemoteDiscoverySetRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM discoveryRemoteSet WHERE peer = ? AND organization = ?", arguments: [peer, organization])
            .map(Self.remoteSet)
    }

    func remoteDiscoverySets(organization: String) throws -> [RemoteDiscoverySetRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM discoveryRemoteSet WHERE organization = ? ORDER BY peer", arguments: [organization]).map(Self.remoteSet)
    }

    func saveRemoteDiscoverySet(_ r: RemoteDiscoverySetRecord) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO discoveryRemoteSet (peer, organization, epoch, publicKey, through, updatedAt) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [r.peer, r.organization, r.epoch, r.publicKey, r.through, r.updatedAt])
    }

    func deleteRemoteDiscoverySet(peer: String, organization: String) throws {
        try db.execute(sql: "DELETE FROM discoveryRemoteEntry WHERE peer = ? AND organization = ?", arguments: [peer, organization])
        try db.execute(sql: "DELETE FROM discoveryRemoteSet WHERE peer = ? AND organization = ?", arguments: [peer, organization])
    }

    func saveRemoteDiscoveryEntries(peer: String, organization: String, _ entries: [DiscoverySetPage.Entry]) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO discoveryRemoteEntry (peer, organization, tag, payload) VALUES (?, ?, ?, ?)")
        for e in entries { try statement.execute(arguments: [peer, organization, e.tag, e.payload]) }
    }

    func remoteDiscoveryPayload(peer: String, organization: String, tag: Data) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT payload FROM discoveryRemoteEntry WHERE peer = ? AND organization = ? AND tag = ?",
                          arguments: [peer, organization, tag])
    }

    private static func remoteSet(_ row: Row) -> RemoteDiscoverySetRecord {
        RemoteDiscoverySetRecord(peer: row["peer"], organization: row["organization"], epoch: row["epoch"], publicKey: row["publicKey"],
                                 through: row["through"], updatedAt: row["updatedAt"])
    }

    func insertRemoteAccessLink(_ l: RemoteAccessLinkRecord) throws {
        try db.execute(sql: "INSERT INTO discoveryAccessLink (id, peer, holder, epoch, tag) VALUES (?, ?, ?, ?, ?)",
                       arguments: [l.id, l.peer, l.holder, l.epoch, l.tag])
    }

    func remoteAccessLink(id: String) throws -> RemoteAccessLinkRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM discoveryAccessLink WHERE id = ?", arguments: [id]).map(Self.link)
    }

    func remoteAccessLinks(peer: String) throws -> [RemoteAccessLinkRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM discoveryAccessLink WHERE peer = ? ORDER BY id", arguments: [peer]).map(Self.link)
    }

    private static func link(_ row: Row) -> RemoteAccessLinkRecord {
        RemoteAccessLinkRecord(id: row["id"], peer: row["peer"], holder: row["holder"], epoch: row["epoch"], tag: row["tag"])
    }
}
