import Foundation
import TearlineCore
import TearlineStore

/// Private discovery over the federation channel (mutual TLS, pinned node keys): pulls partner
/// nodes' sets, and runs a member's private search against them. See the README's "Private
/// discovery between partner nodes".
public struct PartnerDiscovery: Sendable {
    let service: TearlineService
    let credentials: NodeDialer.Credentials

    public init(service: TearlineService, credentials: NodeDialer.Credentials) {
        self.service = service
        self.credentials = credentials
    }

    /// A set of a million entries takes a while to publish the first time.
    static let setTimeout: Int64 = 600

    /// Pulls, for every organisation here that partners `peer`, the changes to the set `peer`'s
    /// node offers it (or the whole set, after a new epoch), page by page.
    public func pullSets(peer organization: String) async throws -> [DiscoverySetPullSummary] {
        let (peer, cursors) = try await service.federation.federationTargets(peer: organization)
        guard !peer.url.isEmpty else { throw FederationError.noURL(organization) }
        var client = try NodeClient(identity: credentials.identity, trustRoots: credentials.trustRoots, pins: peer.pins)
        client.timeout = .seconds(Self.setTimeout)
        var summaries: [DiscoverySetPullSummary] = []
        for cursor in cursors {
            var summary = DiscoverySetPullSummary(peer: organization, organization: cursor.organization)
            for _ in 0..<10_000 {
                let held = try await service.federation.remoteDiscoveryPosition(peer: organization, organization: cursor.organization)
                var url = "\(peer.url)/federation/v1/discovery/set?organization=\(cursor.organization)"
                if let held { url += "&epoch=\(held.epoch)&after=\(held.through)" }
                let response = try await client.get(url, headers: ["Accept": "application/octet-stream"])
                if response.status == 404 {
                    // why: the partner offers this organisation no set (any more); nothing of an old one may linger.
                    try await service.federation.dropDiscoverySet(peer: organization, organization: cursor.organization)
                    break
                }
                guard response.status == 200 else { throw FederationError.partnerAnswered(response.status, String(decoding: response.body.prefix(300), as: UTF8.self)) }
                let page: DiscoverySetPage
                do { page = try DiscoverySetPage.decode(response.body) } catch { throw FederationError.partnerAnswered(200, error.description) }
                try await service.federation.storeDiscoveryPage(peer: organization, organization: cursor.organization, page: page)
                summary.epoch = page.epoch
                summary.reset = summary.reset || page.reset
                summary.entries += page.entries.count
                summary.pages += 1
                summary.bytes += response.body.count
                if !page.more { break }
            }
            summaries.append(summary)
        }
        return summaries
    }

    /// A member's private search: the entity is blinded for each partner node whose set the
    /// member's organisation holds, evaluated there (verifiably), unblinded here and matched here.
    /// The partner node never sees the value, nor whether it matched.
    public func search(kind: String, value: String, by caller: Caller) async throws -> PartnerSearchResponse {
        let plan = try await service.entities.planPartnerSearch(kind: kind, value: value, by: caller)
        var outcomes: [String: EntityService.PartnerOutcome] = [:]
        for set in plan.sets {
            guard let peer = plan.peers[set.peer], !peer.url.isEmpty else { outcomes[set.peer] = .unreachable; continue }
            outcomes[set.peer] = await Self.evaluate(plan.entity, set: set, peer: peer, organization: plan.organization, credentials: credentials)
        }
        return try await service.entities.finishPartnerSearch(plan, outcomes: outcomes, by: caller)
    }

    static func evaluate(_ entity: NormalizedEntity, set: RemoteDiscoverySetRecord, peer: PeerRecord, organization: String,
                         credentials: NodeDialer.Credentials) async -> EntityService.PartnerOutcome {
        let query: DiscoveryQuery
        do { query = try DiscoveryQuery(entity, publicKey: set.publicKey) } catch { return .refused(error.description) }
        let response: NodeClient.Response
        do {
            var client = try NodeClient(identity: credentials.identity, trustRoots: credentials.trustRoots, pins: peer.pins)
            client.timeout = .seconds(10)
            let body = try JSONEncoder().encode(DiscoveryEvaluateRequest(organization: organization, epoch: set.epoch,
                                                                         elements: [query.blindedElement.base64EncodedString()]))
            response = try await client.post("\(peer.url)/federation/v1/discovery/evaluate", headers: ["Content-Type": "application/json"], body: Array(body))
        } catch {
            return .unreachable
        }
        switch response.status {
        case 200: break
        case 429: return .budgetExhausted
        case 409: return .staleSet
        default: return .unreachable
        }
        guard let reply = try? JSONDecoder().decode(DiscoveryEvaluateReply.self, from: Data(response.body)), reply.epoch == set.epoch,
              reply.evaluations.count == 1, let evaluation = Data(base64Encoded: reply.evaluations[0]) else {
            return .refused("the answer is not one evaluation for epoch \(set.epoch)")
        }
        return finish(query, evaluation: evaluation)
    }

    /// Verifies and unblinds an evaluation: what a forged or replayed answer fails.
    static func finish(_ query: DiscoveryQuery, evaluation: Data) -> EntityService.PartnerOutcome {
        do { return .output(try query.finish(evaluation: evaluation)) } catch { return .refused(error.description) }
    }
}
