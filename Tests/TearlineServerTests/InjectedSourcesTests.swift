import Foundation
import TearlineCore
import TearlineServer
import TearlineStore
import Testing

/// The service reads time and randomness only through what it is given.
@Suite struct InjectedSourcesTests {
    struct FixedRandom: RandomSource {
        func bytes(_ count: Int) -> [UInt8] { [UInt8](repeating: 7, count: count) }
    }

    @Test func theServiceStampsWithTheInjectedClockAndDrawsFromTheInjectedSource() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = MasterKey.random()
        let store = try SQLiteStore(path: directory.appendingPathComponent("t.db").path, masterKey: key)
        let service = TearlineService(store: store, masterKey: key, time: FunctionTime { 1_800_000_000_000 }, random: FixedRandom())
        let token = try #require(try await service.members.bootstrapNodeAdmin())
        #expect(token == "tln_" + Data([UInt8](repeating: 7, count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))
        let organization = try await service.members.createOrganization(.init(id: "USA", name: "United States", kind: "state"), by: .nodeAdmin)
        #expect(organization.createdAt == "2027-01-15T08:00:00.000Z")
        let events = try await service.audit.audit(AuditQuery(limit: 10), by: .nodeAdmin)
        #expect(!events.items.isEmpty && events.items.allSatisfy { $0.at == "2027-01-15T08:00:00.000Z" })
    }
}
