import Foundation
import TearlineStore
import Testing

/// A location is the one place a backend is chosen: what it opens works, and a file's data
/// outlives the store while memory's does not.
@Suite struct StoreLocationTests {
    @Test func aFileLocationKeepsItsDataAcrossOpeningsAndMemoryDoesNot() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("located.db").path
            #expect(StoreLocation.file(path).filePath == path)
            #expect(StoreLocation.memory.filePath == nil)
            for location in [StoreLocation.file(path), .memory] {
                let store = try await location.open(masterKey: testMasterKey)
                try await store.write { s in try s.insertOrganization(Fixture.organization("USA")) }
            }
            let reopened = try await StoreLocation.file(path).open(masterKey: testMasterKey)
            #expect(try await reopened.read { s in try s.organizations().map(\.id) } == ["USA"])
            let fresh = try await StoreLocation.memory.open(masterKey: testMasterKey)
            #expect(try await fresh.read { s in try s.organizations() }.isEmpty, "a new in-memory store starts empty")
        }
    }
}
