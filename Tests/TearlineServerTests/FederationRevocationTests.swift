import Crypto
import Foundation
import GRDB
import TearlineCore
@testable import TearlineStore
@testable import TearlineServer
import Testing

/// A revocation on the originator's node destroys the received copy on the recipient's node:
/// nothing of the text can be opened from the recipient node's files with its own key.
@Suite(.serialized) struct FederationRevocationTests {
    static let secretText = "The courier Vasily Petrov moves funds through the Dubai exchange house."
    static let title = "Petrov courier network"

    /// A USA report that mentions an entity no other holding on node B mentions.
    static func releasePetrovReport(_ nodes: TwoNodes) async throws -> (report: String, release: String) {
        var body = reportBody(title: title, topics: ["counter-terrorism"], portions: [
            portion("(S//REL TO USA, GBR)", secretText),
            portion("(U)", "The network has been active since 2019."),
        ])
        body["entities"] = [["type": "person", "value": "Vasily Petrov", "portion": 0]]
        let report = try await nodes.a.createReport(body)
        return (report, try await nodes.a.releaseId(report, to: "GBR"))
    }

    /// Everything in B's file that B's master key opens: report and release copies, entity names, notification details.
    static func everythingOpenable(databasePath: String) throws -> [String] {
        let master = try MasterKey.load(path: MasterKey.defaultPath(forDatabase: databasePath))
        let sealer = ContentSealer(master: master)
        let keys = EntityKeys(master: master)
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        return try queue.read { db in
            var opened: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, dataKey, sealed FROM report WHERE dataKey IS NOT NULL OR sealed IS NOT NULL") {
                let id: String = row[0]
                if let key: Data = row[1], let box: Data = row[2],
                   let text = try? sealer.open(ReportText.self, wrappedKey: key, box: box, context: ContentSealer.reportContext(id)) {
                    opened.append("report \(id): \(text.title) \(text.portions.joined(separator: " "))")
                } else {
                    opened.append("report \(id): a sealed value is left")
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, dataKey, sealed FROM release WHERE dataKey IS NOT NULL OR sealed IS NOT NULL") {
                let id: String = row[0]
                if let key: Data = row[1], let box: Data = row[2],
                   let content = try? sealer.open(ReleaseContent.self, wrappedKey: key, box: box, context: ContentSealer.releaseContext(id)) {
                    opened.append("release \(id): \(content.title ?? "") \(content.portions.values.joined(separator: " "))")
                } else {
                    opened.append("release \(id): a sealed value is left")
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, kind, sealedName FROM entity") {
                let id = UInt64(row[0] as Int64)
                if let entity = keys.openName(row[2], kind: row[1], id: id) { opened.append("entity \(entity.key)") }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, sealedDetail FROM notification") {
                let id: String = row[0]
                if let detail = try? keys.open(row[1], context: "notification:" + id) { opened.append("notification " + String(decoding: detail, as: UTF8.self)) }
            }
            return opened
        }
    }

    /// A report row's wrapped data key and sealed text, as they sit in the file.
    static func sealedColumns(databasePath: String, report: String) throws -> (Data, Data) {
        try DatabaseQueue(path: databasePath).read { db -> (Data, Data) in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT dataKey, sealed FROM report WHERE id = ?", arguments: [report]))
            return (row[0], row[1])
        }
    }

    /// The file and its journal, as bytes.
    static func fileBytes(_ databasePath: String) -> Data {
        var data = Data()
        for suffix in ["", "-wal"] {
            if let bytes = FileManager.default.contents(atPath: databasePath + suffix) { data.append(bytes) }
        }
        return data
    }

    @Test func aRevokedCopyLeavesNothingOnTheRecipientNodeThatItsKeyOpens() async throws {
        try await withTwoNodes { nodes in
            let (report, release) = try await Self.releasePetrovReport(nodes)
            let kept = try await nodes.a.releaseId(try await nodes.a.createReport(StoryOneTests.courierReport), to: "GBR")
            #expect(try await nodes.pull().received == 2)
            #expect(try await nodes.b.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 200)
            let found = try await nodes.b.post("/v1/entities/search", as: "gbr-analyst-secret", json: ["kind": "person", "value": "Vasily Petrov"])
            #expect(found.code == 200 && (found.text.contains(release) || found.text.contains(report)), "the copy is searchable before revocation: \(found)")
            let before = try Self.everythingOpenable(databasePath: nodes.b.databasePath)
            #expect(before.contains { $0.contains("report \(report)") && $0.contains("Dubai exchange house") }, "the test opens the copy before: \(before)")
            #expect(before.contains { $0 == "entity vasily petrov" })
            // The received copy's own key and sealed text, as they sit in B's file.
            let (wrappedKey, box) = try Self.sealedColumns(databasePath: nodes.b.databasePath, report: report)

            #expect(try await nodes.a.post("/v1/releases/\(release)/revoke", as: "usa-releaser").code == 200)
            #expect(try await nodes.pull().revoked == 1)
            #expect(try await nodes.b.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 404)
            let after = try await nodes.b.post("/v1/entities/search", as: "gbr-analyst-secret", json: ["kind": "person", "value": "Vasily Petrov"])
            #expect(after.code == 200 && !after.text.contains(release) && !after.text.contains(report), "no posting of the copy is left: \(after)")

            let opened = try Self.everythingOpenable(databasePath: nodes.b.databasePath)
            #expect(!opened.contains { $0.contains("Dubai") || $0.contains("Petrov") || $0.lowercased().contains("petrov") || $0.contains(release) },
                    "nothing of the revoked copy opens with B's key: \(opened)")
            #expect(opened.contains { $0.contains("three exchange houses") }, "the release not revoked still opens")
            #expect(try await nodes.b.get("/v1/releases/\(kept)", as: "gbr-analyst-secret").code == 200)

            // The bytes of the destroyed key and text are gone from the file and its journal.
            let stored = Self.fileBytes(nodes.b.databasePath)
            #expect(stored.range(of: wrappedKey.prefix(32)) == nil, "the copy's wrapped key is zeroed")
            #expect(stored.range(of: box.prefix(32)) == nil, "the copy's sealed text is zeroed")
        }
    }

    @Test func aCopyRevokedBeforeCopiesWereDestroyedGoesAtTheNextExchange() async throws {
        try await withTwoNodes { nodes in
            let (report, release) = try await Self.releasePetrovReport(nodes)
            #expect(try await nodes.pull().received == 1)
            // As an older node left it: the release revoked, the report it was stored under intact.
            try await nodes.b.service.store.write { s in
                var record = try #require(try s.release(id: release))
                record.revokedAt = 1
                record.revokedBy = "node_USA"
                try s.updateRelease(record)
            }
            #expect(try Self.everythingOpenable(databasePath: nodes.b.databasePath).contains { $0.contains("report \(report)") && $0.contains("Dubai") })
            #expect(try await nodes.a.post("/v1/releases/\(release)/revoke", as: "usa-releaser").code == 200)
            #expect(try await nodes.pull().revoked == 0, "already revoked here")
            let opened = try Self.everythingOpenable(databasePath: nodes.b.databasePath)
            #expect(!opened.contains { $0.contains("Dubai") || $0.lowercased().contains("petrov") }, "\(opened)")
            // A later exchange finds nothing more to destroy.
            #expect(try await nodes.pull().revoked == 0)
        }
    }
}
