import Foundation
import Hummingbird

/// `/federation/v1/exchange`: a partner node, identified by the pinned certificate it presented
/// over mutual TLS, sends back receipts, feedback, consent requests and refusals for its
/// organisation, and gets revocations, partnership status and consent decisions.
/// `/federation/v1/discovery/set` and `/federation/v1/discovery/evaluate`: private discovery — a
/// partner node pulls the set this node offers its organisation, and has blinded entities evaluated.
struct FederationController<Context: PeerAwareRequestContext>: Sendable {
    let service: TearlineService

    func register(on router: Router<Context>) {
        router.get("/federation/v1/discovery/set") { request, context in
            let pin = try await peerPin(request, context)
            let query = request.uri.queryParameters
            let organization = query.get("organization") ?? ""
            do {
                let epoch = try query.get("epoch").map { text throws(ServiceError) -> Int64 in
                    guard let n = Int64(text), n >= 0 else { throw .badRequest("epoch must be a whole number.") }
                    return n
                }
                let after = try query.get("after").map { text throws(ServiceError) -> Int64 in
                    guard let n = Int64(text), n >= 0 else { throw .badRequest("after must be a whole number.") }
                    return n
                } ?? 0
                let bytes = try await service.federation.discoverySetPage(organization: organization, epoch: epoch, after: after, pin: pin)
                return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            } catch let error as ServiceError where [400, 401, 404].contains(error.httpStatus) {
                try await service.federation.auditRefusedFederationRequest(pin: pin, spokeFor: organization.isEmpty ? nil : organization, kind: "discovery-set",
                                                                           status: error.httpStatus, reason: error.detail)
                throw error
            }
        }
        router.post("/federation/v1/discovery/evaluate") { request, context in
            var request = request
            let pin = try await peerPin(request, context)
            let input: DiscoveryEvaluateRequest
            do {
                input = try await request.decode(DiscoveryEvaluateRequest.self)
            } catch let problem as Problem {
                try await service.federation.auditRefusedFederationRequest(pin: pin, spokeFor: nil, kind: "discovery-evaluate", status: problem.status, reason: problem.detail)
                throw problem
            }
            do {
                return try JSONResponse.make(try await service.federation.discoveryEvaluate(input, pin: pin))
            } catch let error as ServiceError where [400, 401, 404].contains(error.httpStatus) {
                try await service.federation.auditRefusedFederationRequest(pin: pin, spokeFor: input.organization, kind: "discovery-evaluate",
                                                                           status: error.httpStatus, reason: error.detail)
                throw error
            }
        }
        router.post("/federation/v1/exchange") { request, context in
            var request = request
            guard let pin = await context.clientPin() else {
                try await service.members.auditUnauthenticated(path: request.uri.path)
                throw Problem.unauthorized("Partner nodes call over mutual TLS with a pinned node certificate.")
            }
            let input: FederationExchangeRequest
            do {
                input = try await request.decode(FederationExchangeRequest.self)
            } catch let problem as Problem {
                try await service.federation.auditRefusedFederationRequest(pin: pin, spokeFor: nil, kind: "exchange", status: problem.status, reason: problem.detail)
                throw problem
            }
            do {
                return try JSONResponse.make(try await service.federation.federationExchange(input, pin: pin))
            } catch let error as ServiceError where (400..<500).contains(error.httpStatus) {
                // why: a refused exchange writes nothing else, so its audit entry is the only trace.
                try await service.federation.auditRefusedFederationRequest(pin: pin, spokeFor: input.organization, kind: "exchange",
                                                                           status: error.httpStatus, reason: error.detail)
                throw error
            }
        }
    }

    /// The pin of the node certificate the caller presented; without one, the call is refused (401) and audited.
    private func peerPin(_ request: Request, _ context: Context) async throws -> SPKIPin {
        guard let pin = await context.clientPin() else {
            try await service.members.auditUnauthenticated(path: request.uri.path)
            throw Problem.unauthorized("Partner nodes call over mutual TLS with a pinned node certificate.")
        }
        return pin
    }
}
