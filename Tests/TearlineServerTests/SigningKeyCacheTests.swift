import Crypto
import Foundation
@testable import TearlineServer
import Testing

@Suite struct SigningKeyCacheTests {
    @Test func aKeyIsOpenedOnceAndOpenedAgainWhenItsSealedFormChanges() throws {
        let cache = SigningKeyCache()
        let first = Curve25519.Signing.PrivateKey(), second = Curve25519.Signing.PrivateKey()
        var opened: [Data] = []
        func get(_ sealed: Data, _ key: Curve25519.Signing.PrivateKey) throws -> Curve25519.Signing.PrivateKey {
            try cache.key(organization: "USA", sealed: sealed) { s in opened.append(s); return key }
        }
        #expect(try get(Data([1]), first).rawRepresentation == first.rawRepresentation)
        #expect(try get(Data([1]), second).rawRepresentation == first.rawRepresentation, "the same sealed key is not opened again")
        #expect(opened == [Data([1])])
        #expect(try get(Data([2]), second).rawRepresentation == second.rawRepresentation, "a replaced key is opened anew")
        #expect(opened == [Data([1]), Data([2])])
    }

    @Test func aKeyThatFailsToOpenIsNotKept() throws {
        struct Sealed: Error {}
        let cache = SigningKeyCache()
        #expect(throws: Sealed.self) { try cache.key(organization: "GBR", sealed: Data([9])) { _ in throw Sealed() } }
        let key = Curve25519.Signing.PrivateKey()
        #expect(try cache.key(organization: "GBR", sealed: Data([9])) { _ in key }.rawRepresentation == key.rawRepresentation)
    }
}
