import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TearlineStore
@testable import TearlineServer
import Testing

/// A store failure that reaches the edge is a problem document with no database text: a clash
/// with a concurrent write is 409, a closed store 503 with Retry-After, anything else 500.
@Suite struct StoreErrorEdgeTests {
    @Test func storeFailuresAreAnsweredWithoutDatabaseText() async throws {
        let cases: [(StoreError, HTTPResponse.Status, String)] = [
            (.constraint(.unique), .conflict, "conflict"),
            (.closed, .serviceUnavailable, "unavailable"),
            (.constraint(.foreignKey), .internalServerError, "internal"),
            (.corruptRow("secret row text"), .internalServerError, "internal"),
            (.storage(.full), .serviceUnavailable, "storage-full"),
            (.storage(.readOnly), .serviceUnavailable, "storage-read-only"),
            (.storage(.io), .serviceUnavailable, "storage-error"),
        ]
        let router = Router(context: TearlineRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        for (index, (error, _, _)) in cases.enumerated() {
            router.get("/fail/\(index)") { _, _ -> String in throw error }
        }
        try await Application(router: router).test(.router) { client in
            for (index, (error, status, type)) in cases.enumerated() {
                let (got, body, retry) = try await client.execute(uri: "/fail/\(index)", method: .get) {
                    ($0.status, String(buffer: $0.body), $0.headers[.retryAfter])
                }
                #expect(got == status, "\(error)")
                let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                #expect(object?["type"] as? String == "https://tearline.dev/problems/\(type)", "\(error): \(body)")
                #expect(!body.contains("secret row text"), "no database text leaves the node")
                #expect((retry != nil) == (status == .serviceUnavailable), "\(error): Retry-After only when the store cannot serve now")
            }
        }
    }
}
