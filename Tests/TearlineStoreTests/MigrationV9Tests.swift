import Foundation
import GRDB
import TearlineCore
@testable import TearlineStore
import Testing

/// Migration v9 makes trust directional without losing history: both directions start at the
/// level the partnership had, and a suspension belongs to the side that made it.
@Suite struct MigrationV9Tests {
    /// A database as v8 left it: three partnerships (active, suspended by USA's member, suspended
    /// by the node administrator) and their trust history.
    static func makeV8(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let migrator = SQLiteStore.migrator(StoreContext(masterKey: testMasterKey))
        try migrator.migrate(queue, upTo: "v8-federation")
        try queue.write { db in
            for id in ["USA", "GBR", "DEU", "ISR"] {
                let o = Fixture.organization(id)
                try db.execute(sql: "INSERT INTO organization (id, name, kind, publicKey, sealedPrivateKey, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [o.id, o.name, o.kind.rawValue, o.publicKey, o.sealedPrivateKey, o.createdAt])
            }
            let rows: [(String, String, String, Int, String)] = [
                ("p-peer", "GBR", "USA", TrustLevel.high.rawValue, "active"),
                ("p-usa", "DEU", "USA", TrustLevel.low.rawValue, "suspended"),
                ("p-admin", "ISR", "USA", TrustLevel.limited.rawValue, "suspended"),
            ]
            for (id, first, second, trust, status) in rows {
                try db.execute(sql: """
                    INSERT INTO partnership (id, first, second, kind, dominant, trust, status, createdAt, updatedAt) VALUES (?, ?, ?, 'peer', NULL, ?, ?, 1, 2)
                    """, arguments: [id, first, second, trust, status])
            }
            // USA's member suspended p-usa after the node administrator had suspended and reactivated it.
            let history: [(String, String, String?, String, Int64)] = [
                ("t-1", "p-usa", nil, "suspended", 10), ("t-2", "p-usa", nil, "active", 11), ("t-3", "p-usa", "USA", "suspended", 12),
                ("t-4", "p-admin", nil, "suspended", 13),
            ]
            for (id, partnership, organization, toStatus, at) in history {
                try db.execute(sql: """
                    INSERT INTO trustChange (id, partnership, changedBy, organization, fromTrust, toTrust, fromStatus, toStatus, reason, at)
                    VALUES (?, ?, 'someone', ?, 3, 3, 'active', ?, 'why', ?)
                    """, arguments: [id, partnership, organization, toStatus, at])
            }
        }
    }

    @Test func bothDirectionsStartAtTodaysLevelAndASuspensionBelongsToItsSide() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v8.db").path
            try Self.makeV8(at: path)
            let store = try SQLiteStore(path: path, masterKey: testMasterKey)
            let (peer, byUSA, byAdmin, history) = try await store.read { s in
                (try s.partnership(id: "p-peer"), try s.partnership(id: "p-usa"), try s.partnership(id: "p-admin"),
                 try s.trustChanges(partnership: "p-usa"))
            }
            let p = try #require(peer)
            #expect(p.trust(of: "USA") == .high && p.trust(of: "GBR") == .high)
            #expect(p.status == .active)
            let u = try #require(byUSA)
            #expect(u.trust(of: "USA") == .low && u.trust(of: "DEU") == .low)
            #expect(u.sides.suspendedBy == ["USA"], "USA's member suspended it last: only USA lifts it")
            let a = try #require(byAdmin)
            #expect(a.sides.suspendedBy == ["ISR", "USA"], "the history does not say whose: both sides hold a suspension")
            #expect(history.count == 3, "the trust history is kept")
        }
    }
}
