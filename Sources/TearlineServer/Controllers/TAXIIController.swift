import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TearlineCore
import TearlineStore

/// The TAXII 2.1 server: discovery, API roots, collections, objects, manifests, versions and
/// status. Errors are TAXII error messages; members authenticate with a bearer token or HTTP Basic.
struct TAXIIController<Context: AuthenticatedRequestContext>: Sendable {
    let service: TearlineService
    /// `http`, or `https` when the server runs TLS.
    let scheme: String

    func register(on router: Router<Context>) {
        // why a group: the middleware authenticates every TAXII request before its route runs.
        let router = router.group().add(middleware: TAXIIAuthenticationMiddleware(service: service))
        router.get("/taxii2/") { request, context in
            try await handle(request, context) { caller in
                TAXIIMedia.response(try await service.taxii.taxiiDiscovery(by: caller, base: Self.base(request, scheme: scheme)))
            }
        }
        router.get("/:root/") { request, context in
            try await handle(request, context) { caller in
                TAXIIMedia.response(try await service.taxii.taxiiApiRoot(try Self.root(context), by: caller))
            }
        }
        router.get("/:root/status/:status/") { request, context in
            try await handle(request, context) { caller in
                TAXIIMedia.response(try await service.taxii.taxiiStatus(root: try Self.root(context), id: try Self.param(context, "status"), by: caller))
            }
        }
        router.get("/:root/collections/") { request, context in
            try await handle(request, context) { caller in
                TAXIIMedia.response(try await service.taxii.taxiiCollections(root: try Self.root(context), by: caller))
            }
        }
        router.get("/:root/collections/:collection/") { request, context in
            try await handle(request, context) { caller in
                TAXIIMedia.response(try await service.taxii.taxiiCollection(root: try Self.root(context), id: try Self.param(context, "collection"), by: caller))
            }
        }
        router.get("/:root/collections/:collection/objects/") { request, context in
            if request.headers[.authorization] == nil, let response = try await peerObjects(request, context) { return response }
            return try await handle(request, context) { caller in
                let filter = try TAXIIFilter(request.uri, allowed: Self.objectFilters)
                let body = try await service.taxii.taxiiObjects(root: try Self.root(context), collection: try Self.param(context, "collection"), filter: filter, by: caller)
                return Self.paged(body)
            }
        }
        router.post("/:root/collections/:collection/objects/") { request, context in
            try await handle(request, context) { caller in
                guard TAXIIMedia.isTAXIIContent(request.headers[.contentType]) else {
                    throw TAXIIError(status: 415, title: "Unsupported media type", description: "Send \(TAXIIMedia.taxii).")
                }
                var request = request
                let buffer: ByteBuffer
                do { buffer = try await request.collectBody(upTo: TAXIILimits.maxContentLength) } catch {
                    switch BodyReadFailure(error, limit: TAXIILimits.maxContentLength) {
                    case .tooLarge:
                        throw TAXIIError(status: 413, title: "Request too large", description: "The body exceeds max_content_length (\(TAXIILimits.maxContentLength) bytes).")
                    case .malformed:
                        throw TAXIIError(status: 400, title: "Bad request", description: "The request body could not be read: its framing (chunked encoding or length) is malformed.")
                    }
                }
                let body = try await service.taxii.taxiiAdd(root: try Self.root(context), collection: try Self.param(context, "collection"),
                                                      body: Array(buffer.readableBytesView), by: caller)
                return TAXIIMedia.response(body, status: .accepted)
            }
        }
        router.get("/:root/collections/:collection/objects/:object/") { request, context in
            try await handle(request, context) { caller in
                let filter = try TAXIIFilter(request.uri, allowed: Self.objectByIdFilters)
                let body = try await service.taxii.taxiiObjects(root: try Self.root(context), collection: try Self.param(context, "collection"),
                                                          objectId: try Self.objectId(context), filter: filter, by: caller)
                return Self.paged(body)
            }
        }
        router.delete("/:root/collections/:collection/objects/:object/") { request, context in
            try await handle(request, context) { caller in
                var filter = try TAXIIFilter(request.uri, allowed: ["match[version]", "match[spec_version]"])
                // why: a DELETE without match[version] removes every version (TAXII 2.1 §5.7).
                if !request.uri.queryParameters.contains(where: { ($0.key.removingPercentEncoding ?? String($0.key)) == "match[version]" }) {
                    filter.versions = [.all]
                }
                try await service.taxii.taxiiDelete(root: try Self.root(context), collection: try Self.param(context, "collection"),
                                              objectId: try Self.objectId(context), filter: filter, by: caller)
                return Response(status: .ok, headers: [.contentType: TAXIIMedia.taxii])
            }
        }
        router.get("/:root/collections/:collection/objects/:object/versions/") { request, context in
            try await handle(request, context) { caller in
                var filter = try TAXIIFilter(request.uri, allowed: ["added_after", "limit", "next", "match[spec_version]"])
                filter.versions = [.all]
                let body = try await service.taxii.taxiiManifest(root: try Self.root(context), collection: try Self.param(context, "collection"),
                                                           versionsOf: try Self.objectId(context), filter: filter, by: caller)
                return Self.paged(body)
            }
        }
        router.get("/:root/collections/:collection/manifest/") { request, context in
            try await handle(request, context) { caller in
                let filter = try TAXIIFilter(request.uri, allowed: Self.objectFilters)
                let body = try await service.taxii.taxiiManifest(root: try Self.root(context), collection: try Self.param(context, "collection"), filter: filter, by: caller)
                return Self.paged(body)
            }
        }
    }

    /// A partner node pulling the releases made to its organisation: no Authorization header, a
    /// client certificate pinned for the organisation whose `Releases received by` collection it
    /// reads. Anything else is nil, and the request is handled like any other (401).
    private func peerObjects(_ request: Request, _ context: Context) async throws -> Response? {
        guard let pin = await context.clientPin(),
              let peer = try await service.federation.federationPeer(root: try Self.root(context), collection: try Self.param(context, "collection"), pin: pin) else {
            return nil
        }
        do {
            guard TAXIIMedia.accepts(request.headers[.accept]) else {
                throw TAXIIError(status: 406, title: "Not acceptable", description: "This server answers with \(TAXIIMedia.taxii).")
            }
            var limit = FederationService.federationMaxLimit
            var next: String?
            for (rawKey, rawValue) in request.uri.queryParameters {
                let key = String(rawKey).removingPercentEncoding ?? String(rawKey)
                let value = String(rawValue).removingPercentEncoding ?? String(rawValue)
                switch key {
                case "limit":
                    guard let n = Int(value), n > 0 else { throw TAXIIError(status: 400, title: "Bad request", description: "limit must be a positive integer.") }
                    limit = n
                case "next": next = value
                default: throw TAXIIError(status: 400, title: "Bad request", description: "A partner node pages with limit and next only.")
                }
            }
            return Self.paged(try await service.federation.federationObjects(peer: peer, next: next, limit: limit))
        } catch let error as TAXIIError {
            try await service.federation.auditRefusedFederationRequest(pin: pin, spokeFor: peer.organization, kind: "pull", status: error.status, reason: error.description)
            return error.response()
        } catch let error as ServiceError {
            try await service.federation.auditRefusedFederationRequest(pin: pin, spokeFor: peer.organization, kind: "pull", status: error.httpStatus, reason: error.detail)
            return TAXIIError(error).response()
        } catch let problem as Problem {
            try await service.federation.auditRefusedFederationRequest(pin: pin, spokeFor: peer.organization, kind: "pull", status: problem.status, reason: problem.detail)
            return TAXIIError(problem).response()
        }
    }

    static var objectFilters: Set<String> { TAXIIFilter.objectFilters }
    static var objectByIdFilters: Set<String> { TAXIIFilter.objectByIdFilters }

    /// Authenticates, negotiates the media type and turns every failure into a TAXII error message.
    private func handle(_ request: Request, _ context: Context, _ body: (Caller) async throws -> Response) async throws -> Response {
        do {
            // why: only a partner node's pull passes the middleware without a caller; anywhere else it is refused.
            guard let caller = context.caller else {
                try await service.members.auditUnauthenticated(path: request.uri.path)
                throw TAXIIError.credentialRequired
            }
            guard TAXIIMedia.accepts(request.headers[.accept]) else {
                throw TAXIIError(status: 406, title: "Not acceptable", description: "This server answers with \(TAXIIMedia.taxii).")
            }
            return try await body(caller)
        } catch {
            guard let answer = TAXIIError(answering: error) else { throw error }
            return answer.response()
        }
    }

    private static func paged(_ body: TAXIIBody) -> Response {
        var headers: HTTPFields = [:]
        if let first = body.firstAdded, let last = body.lastAdded {
            headers[HTTPField.Name("X-TAXII-Date-Added-First")!] = STIXTimestamp(microseconds: first).taxii
            headers[HTTPField.Name("X-TAXII-Date-Added-Last")!] = STIXTimestamp(microseconds: last).taxii
        }
        return TAXIIMedia.response(body.bytes, headers: headers)
    }

    private static func root(_ context: Context) throws -> String {
        let root = try param(context, "root")
        guard !TAXIIRoots.reserved.contains(root) else { throw TAXIIError.notFound("API root") }
        return root
    }

    private static func param(_ context: Context, _ name: String) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty, value.utf8.count <= 300 else { throw TAXIIError.notFound("resource") }
        return value
    }

    private static func objectId(_ context: Context) throws -> String {
        let id = try param(context, "object")
        guard STIXObjectFacts.isIdentifier(id) else { throw TAXIIError.notFound("object") }
        return id
    }

    /// The server's own address as the client reached it, for the absolute URLs discovery lists.
    private static func base(_ request: Request, scheme: String) -> String {
        let host = request.head.authority ?? "localhost"
        let safe = host.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || [0x2E, 0x2D, 0x3A, 0x5B, 0x5D].contains($0) }
        return scheme + "://" + (safe && !host.isEmpty ? host : "localhost")
    }
}
