import Hummingbird

/// `/misp/feed/`: a MISP feed of the releases the member may read (bearer token; MISP's feed
/// settings send it as a custom header). See ``ReleaseService/mispManifest(by:)``.
struct MISPFeedController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService

    func register(on routes: APIRoutes<Context>) {
        routes.gated.get("/misp/feed/manifest.json") { _, context in
            let caller = try context.requireCaller()
            return Self.json(try await service.releases.mispManifest(by: caller))
        }
        routes.gated.get("/misp/feed/hashes.csv") { _, context in
            let caller = try context.requireCaller()
            return PlainText.response(try await service.releases.mispHashes(by: caller), contentType: "text/csv; charset=utf-8")
        }
        routes.gated.get("/misp/feed/:file") { _, context in
            let caller = try context.requireCaller()
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".json") else { throw ServiceError.notFound("event") }
            return Self.json(try await service.releases.mispEvent(uuid: String(file.dropLast(5)), by: caller))
        }
    }

    static func json(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
