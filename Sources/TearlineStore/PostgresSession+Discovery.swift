import Foundation
import TearlineCore

extension PostgresSession: DiscoveryRepository {
    func discoveryKey(partner: String) throws -> DiscoveryKeyRecord? {
        try link.row("SELECT * FROM discoveryKey WHERE partner = ?", [.text(partner)]).map { row in
            DiscoveryKeyRecord(partner: try row.string("partner"), epoch: try row.int("epoch"), sealedKey: try row.data("sealedKey"),
                               publicKey: try row.data("publicKey"), createdAt: try row.int("createdAt"), seq: try row.int("seq"),
                               budget: DiscoveryBudget(perDay: Int(try row.int("perDay")), alertAt: Int(try row.int("alertAt"))),
                               spent: DiscoveryBudgetState(windowStart: try row.int("windowStart"), used: Int(try row.int("used")),
                                                           alerted: Int(try row.int("alerted"))))
        }
    }

    func saveDiscoveryKey(_ k: DiscoveryKeyRecord) throws {
        try link.execute("""
            INSERT INTO discoveryKey (partner, epoch, sealedKey, publicKey, createdAt, seq, perDay, alertAt, windowStart, used, alerted)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (partner) DO UPDATE SET epoch = excluded.epoch, sealedKey = excluded.sealedKey, publicKey = excluded.publicKey,
                createdAt = excluded.createdAt, seq = excluded.seq, perDay = excluded.perDay, alertAt = excluded.alertAt,
                windowStart = excluded.windowStart, used = excluded.used, alerted = excluded.alerted
            """, [.text(k.partner), .int(k.epoch), .bytes(k.sealedKey), .bytes(k.publicKey), .int(k.createdAt), .int(k.seq),
                  .int(Int64(k.budget.perDay)), .int(Int64(k.budget.alertAt)), .int(k.spent.windowStart), .int(Int64(k.spent.used)),
                  .int(Int64(k.spent.alerted))])
    }

    func discoveryEntries(partner: String) throws -> [DiscoveryEntryRecord] {
        try link.rows("SELECT * FROM discoveryEntry WHERE partner = ?", [.text(partner)]).map(Self.discoveryEntry)
    }

    func discoveryEntries(partner: String, after seq: Int64, limit: Int) throws -> [DiscoveryEntryRecord] {
        try link.rows("SELECT * FROM discoveryEntry WHERE partner = ? AND seq > ? ORDER BY seq LIMIT ?",
                      [.text(partner), .int(seq), .int(Int64(limit))]).map(Self.discoveryEntry)
    }

    func discoveryEntry(partner: String, tag: Data) throws -> DiscoveryEntryRecord? {
        try link.row("SELECT * FROM discoveryEntry WHERE partner = ? AND tag = ?", [.text(partner), .bytes(tag)]).map(Self.discoveryEntry)
    }

    func saveDiscoveryEntry(_ e: DiscoveryEntryRecord) throws {
        try link.execute("""
            INSERT INTO discoveryEntry (partner, entity, holders, tag, payload, seq) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (partner, entity) DO UPDATE SET holders = excluded.holders, tag = excluded.tag, payload = excluded.payload, seq = excluded.seq
            """, [.text(e.partner), .int(Int64(bitPattern: e.entity)), .text(e.holders), .bytes(e.tag), .bytes(e.payload), .int(e.seq)])
    }

    func deleteDiscoveryEntries(partner: String) throws {
        try link.execute("DELETE FROM discoveryEntry WHERE partner = ?", [.text(partner)])
    }

    private static func discoveryEntry(_ row: PGRow) throws -> DiscoveryEntryRecord {
        DiscoveryEntryRecord(partner: try row.string("partner"), entity: UInt64(bitPattern: try row.int("entity")), holders: try row.string("holders"),
                             tag: try row.data("tag"), payload: try row.data("payload"), seq: try row.int("seq"))
    }

    func remoteDiscoverySet(peer: String, organization: String) throws -> RemoteDiscoverySetRecord? {
        try link.row("SELECT * FROM discoveryRemoteSet WHERE peer = ? AND organization = ?", [.text(peer), .text(organization)]).map(Self.remoteSet)
    }

    func remoteDiscoverySets(organization: String) throws -> [RemoteDiscoverySetRecord] {
        try link.rows("SELECT * FROM discoveryRemoteSet WHERE organization = ? ORDER BY peer", [.text(organization)]).map(Self.remoteSet)
    }

    func saveRemoteDiscoverySet(_ r: RemoteDiscoverySetRecord) throws {
        try link.execute("""
            INSERT INTO discoveryRemoteSet (peer, organization, epoch, publicKey, through, updatedAt) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (peer, organization) DO UPDATE SET epoch = excluded.epoch, publicKey = excluded.publicKey, through = excluded.through,
                updatedAt = excluded.updatedAt
            """, [.text(r.peer), .text(r.organization), .int(r.epoch), .bytes(r.publicKey), .int(r.through), .int(r.updatedAt)])
    }

    func deleteRemoteDiscoverySet(peer: String, organization: String) throws {
        try link.execute("DELETE FROM discoveryRemoteEntry WHERE peer = ? AND organization = ?", [.text(peer), .text(organization)])
        try link.execute("DELETE FROM discoveryRemoteSet WHERE peer = ? AND organization = ?", [.text(peer), .text(organization)])
    }

    func saveRemoteDiscoveryEntries(peer: String, organization: String, _ entries: [DiscoverySetPage.Entry]) throws {
        // why batches: one statement per few hundred entries, not one round trip per entry.
        var start = 0
        while start < entries.count {
            let batch = entries[start..<min(start + 500, entries.count)]
            var values: [SQLValue] = []
            values.reserveCapacity(batch.count * 4)
            for e in batch { values += [.text(peer), .text(organization), .bytes(e.tag), .bytes(e.payload)] }
            let rows = Array(repeating: "(?, ?, ?, ?)", count: batch.count).joined(separator: ", ")
            try link.execute("""
                INSERT INTO discoveryRemoteEntry (peer, organization, tag, payload) VALUES \(rows)
                ON CONFLICT (peer, organization, tag) DO UPDATE SET payload = excluded.payload
                """, values)
            start += batch.count
        }
    }

    func remoteDiscoveryPayload(peer: String, organization: String, tag: Data) throws -> Data? {
        try link.row("SELECT payload FROM discoveryRemoteEntry WHERE peer = ? AND organization = ? AND tag = ?",
                     [.text(peer), .text(organization), .bytes(tag)]).map { try $0.data("payload") }
    }

    private static func remoteSet(_ row: PGRow) throws -> RemoteDiscoverySetRecord {
        RemoteDiscoverySetRecord(peer: try row.string("peer"), organization: try row.string("organization"), epoch: try row.int("epoch"),
                                 publicKey: try row.data("publicKey"), through: try row.int("through"), updatedAt: try row.int("updatedAt"))
    }

    func insertRemoteAccessLink(_ l: RemoteAccessLinkRecord) throws {
        try link.execute("INSERT INTO discoveryAccessLink (id, peer, holder, epoch, tag) VALUES (?, ?, ?, ?, ?)",
                         [.text(l.id), .text(l.peer), .text(l.holder), .int(l.epoch), .bytes(l.tag)])
    }

    func remoteAccessLink(id: String) throws -> RemoteAccessLinkRecord? {
        try link.row("SELECT * FROM discoveryAccessLink WHERE id = ?", [.text(id)]).map(Self.accessLink)
    }

    func remoteAccessLinks(peer: String) throws -> [RemoteAccessLinkRecord] {
        try link.rows("SELECT * FROM discoveryAccessLink WHERE peer = ? ORDER BY id", [.text(peer)]).map(Self.accessLink)
    }

    private static func accessLink(_ row: PGRow) throws -> RemoteAccessLinkRecord {
        RemoteAccessLinkRecord(id: try row.string("id"), peer: try row.string("peer"), holder: try row.string("holder"), epoch: try row.int("epoch"),
                               tag: try row.data("tag"))
    }
}
