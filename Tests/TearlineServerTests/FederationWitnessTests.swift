import Foundation
import GRDB
import TearlineCore
@testable import TearlineServer
@testable import TearlineStore
import Testing

/// A rollback that partners catch: each exchange carries the node's signed audit head, the
/// partner keeps the heads it witnessed, and a node that no longer holds a witnessed head raises
/// an alert, and so does its partner. `audit verify` fails on the rolled-back node.
@Suite struct FederationWitnessTests {
    /// Cuts a node's audit log back to entry `keep`, as restoring an older copy of its database
    /// would, including the witnesses it had recorded since; then signs the head over what is left.
    static func rollBack(_ world: World, toEntry keep: Int64) async throws {
        let queue = try DatabaseQueue(path: world.databasePath)
        try await queue.write { db in
            for trigger in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('auditEvent', 'auditCheckpoint', 'auditHead')") {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "DELETE FROM auditEvent WHERE seq > ?", arguments: [keep])
            try db.execute(sql: "DELETE FROM auditCheckpoint WHERE seq > ?", arguments: [keep])
            try db.execute(sql: "DELETE FROM auditHead")
            try db.execute(sql: "DELETE FROM auditWitness")
        }
        try queue.close()
        _ = try await world.service.store.sealAuditHead()
    }

    static func headSeq(_ world: World) async throws -> Int64 {
        try #require(try await world.service.store.read { s in try s.signedAuditHead()?.seq })
    }

    static func alertKinds(_ world: World, as who: String) async throws -> [String] {
        let reply = try await world.get("/v1/alerts", as: who)
        try #require(reply.code == 200, "\(reply)")
        return reply.array.compactMap { $0["kind"] as? String }
    }

    @Test func exchangesCarryHeadsBothWaysAndAnIntactPairRaisesNothing() async throws {
        try await withTwoNodes { nodes in
            _ = try await nodes.pull()
            _ = try await nodes.pull()
            let theirsOnB = try await nodes.b.service.store.read { s in try s.auditWitness(peer: "USA", direction: .theirs) }
            let theirsOnA = try await nodes.a.service.store.read { s in try s.auditWitness(peer: "GBR", direction: .theirs) }
            let oursOnB = try await nodes.b.service.store.read { s in try s.auditWitness(peer: "USA", direction: .ours) }
            #expect(theirsOnB != nil && theirsOnA != nil && oursOnB != nil, "each node witnessed the other's head")
            #expect(oursOnB?.contradicted == false)
            #expect(try await !Self.alertKinds(nodes.a, as: "usa-security").contains { $0.contains("rollback") })
            #expect(try await !Self.alertKinds(nodes.b, as: "gbr-security").contains { $0.contains("rollback") })
            #expect(try await nodes.b.service.store.verifyAuditChain()?.isIntact == true)
            #expect(try await nodes.b.service.store.verifyAuditChain()?.witnesses == 1)
        }
    }

    @Test func aServingNodeRolledBackAndGrownAgainIsCaughtOnBothSides() async throws {
        try await withTwoNodes { nodes in
            _ = try await nodes.pull()
            _ = try await nodes.pull()
            let witnessed = try #require(try await nodes.b.service.store.read { s in try s.auditWitness(peer: "USA", direction: .theirs) })
            try await Self.rollBack(nodes.a, toEntry: witnessed.seq - 3)
            // Node A writes on, past the entry B witnessed: only the hash there tells.
            while try await Self.headSeq(nodes.a) <= witnessed.seq + 2 {
                _ = try await nodes.a.createReport(reportBody(portions: [portion("(U)", "Written after the rollback.")]))
            }
            _ = try await nodes.pull()
            #expect(try await Self.alertKinds(nodes.a, as: "usa-security").contains("audit-rollback"), "the rolled-back node alerts")
            #expect(try await Self.alertKinds(nodes.b, as: "gbr-security").contains("partner-audit-rollback"), "its partner alerts")
            let verification = try #require(try await nodes.a.service.store.verifyAuditChain())
            #expect(!verification.isIntact, "audit verify fails on the rolled-back node")
            #expect(verification.problem?.contains("GBR") == true, "\(verification.problem ?? "")")
            // Another exchange raises no second alert of the same kind.
            _ = try await nodes.pull()
            #expect(try await Self.alertKinds(nodes.b, as: "gbr-security").filter { $0 == "partner-audit-rollback" }.count == 1)
        }
    }

    @Test func aPullingNodeRolledBackIsCaughtOnBothSides() async throws {
        try await withTwoNodes { nodes in
            _ = try await nodes.pull()
            _ = try await nodes.pull()
            let witnessed = try #require(try await nodes.a.service.store.read { s in try s.auditWitness(peer: "GBR", direction: .theirs) })
            try await Self.rollBack(nodes.b, toEntry: max(1, witnessed.seq - 3))
            _ = try await nodes.pull()
            #expect(try await Self.alertKinds(nodes.a, as: "usa-security").contains("partner-audit-rollback"), "the partner sees an older head at once")
            #expect(try await Self.alertKinds(nodes.b, as: "gbr-security").contains("audit-rollback"), "the rolled-back node learns it from the answer")
            #expect(try await nodes.b.service.store.verifyAuditChain()?.isIntact == false)
        }
    }
}
