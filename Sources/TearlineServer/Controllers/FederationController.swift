import Foundation
import Hummingbird

/// `/federation/v1/exchange`: a partner node, identified by the pinned certificate it presented
/// over mutual TLS, sends back receipts, feedback, consent requests and refusals for its
/// organisation, and gets revocations, partnership status and consent decisions.
struct FederationController<Context: PeerAwareRequestContext>: Sendable {
    let service: TearlineService

    func register(on router: Router<Context>) {
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
}
