import Foundation
import GRDB
import TearlineCore
@testable import TearlineStore
import Testing

/// A database as version 8 left it, with one posted STIX object: v11 keeps the object, readable,
/// sealed again under its owner, and lets another organisation post the same id and version.
@Suite struct MigrationV11Tests {
    @Test func aV8ObjectSurvivesAndAnotherOrganisationsVersionCoexists() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-v11-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("v8.db").path
        let body = Data(#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.7"}"#.utf8)
        let stixId = "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"
        do {
            let context = StoreContext(masterKey: testMasterKey)
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator(context).migrate(queue, upTo: "v8-federation")
            try await queue.write { db in
                for org in ["USA", "GBR"] {
                    try db.execute(sql: "INSERT INTO organization (id, name, kind, publicKey, sealedPrivateKey, createdAt) VALUES (?, ?, 'state', x'00', x'00', 1)",
                                   arguments: [org, org])
                }
                try db.execute(sql: """
                    INSERT INTO taxiiCollection (id, apiRoot, kind, organization, title, description, alias, readers, writers, topics, defaultMarking, createdAt)
                    VALUES ('c1', 'tearline', 'community', NULL, 'CTI', '', NULL, 'USA,GBR', 'USA,GBR', '', 'UNCLASSIFIED//TLP:AMBER', 1)
                    """)
                let sealed = try context.entityKeys.seal(body, context: "taxii-object:c1:\(stixId):5")
                try db.execute(sql: """
                    INSERT INTO taxiiObject (collection, stixId, type, version, specVersion, dateAdded, owner, postedBy, marking, sealedBody)
                    VALUES ('c1', ?, 'ipv4-addr', 5, '2.1', 5, 'USA', NULL, 'UNCLASSIFIED//TLP:RED', ?)
                    """, arguments: [stixId, sealed])
            }
            try queue.close()
        }
        let store = try SQLiteStore(path: path, masterKey: testMasterKey)
        let before = try await store.read { try $0.objects(TAXIIObjectQuery(collection: "c1", versions: [.all], limit: 10)) }
        #expect(before.count == 1)
        #expect(before.first?.body == body && before.first?.owner == "USA" && before.first?.marking == "UNCLASSIFIED//TLP:RED")
        let gbr = TAXIIObjectRecord(collection: "c1", stixId: stixId, type: "ipv4-addr", version: 5, specVersion: "2.1", dateAdded: 6,
                                    owner: "GBR", postedBy: nil, marking: "UNCLASSIFIED//TLP:GREEN", body: body)
        #expect(try await store.write { try $0.insertObject(gbr) }, "GBR's version of the same id and version is its own")
        let usa = TAXIIObjectRecord(collection: "c1", stixId: stixId, type: "ipv4-addr", version: 5, specVersion: "2.1", dateAdded: 7,
                                    owner: "USA", postedBy: nil, marking: "UNCLASSIFIED//TLP:GREEN", body: body)
        #expect(try await store.write { try $0.insertObject(usa) } == false, "USA already holds that version")
        let after = try await store.read { try $0.objects(TAXIIObjectQuery(collection: "c1", versions: [.last], limit: 10)) }
        #expect(Set(after.map(\.owner)) == ["USA", "GBR"], "each organisation's last version")
        let gbrOnly = try await store.read { try $0.objects(TAXIIObjectQuery(collection: "c1", versions: [.all], owner: "GBR", limit: 10)) }
        #expect(gbrOnly.map(\.marking) == ["UNCLASSIFIED//TLP:GREEN"])
        #expect(try await store.write { try $0.deleteObjects(collection: "c1", stixId: stixId, owner: "GBR", versions: [.all], specVersions: []) } == 1)
        #expect(try await store.read { try $0.objects(TAXIIObjectQuery(collection: "c1", versions: [.all], limit: 10)) }.map(\.owner) == ["USA"])
    }
}
