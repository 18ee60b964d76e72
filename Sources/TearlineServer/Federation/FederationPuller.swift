import Foundation
import Logging
import Metrics
import NIOHTTP1
import TearlineCore
import TearlineStore

/// Pulls, from a partner's node, the releases its organisations made to ours (over TAXII, mutual
/// TLS, the partner's server key pinned), then sends back what is owed to the originator and
/// applies what the originator's node answers.
public struct FederationPuller: Sendable {
    let service: TearlineService
    let identity: NodeIdentity
    /// The partner's CA certificate(s), PEM.
    let trustRoots: String

    public init(service: TearlineService, identity: NodeIdentity, trustRoots: String) {
        self.service = service
        self.identity = identity
        self.trustRoots = trustRoots
    }

    /// One round with `peer`: for every organisation here that has a partnership with it, pull
    /// every release not yet pulled, then exchange.
    public func pull(peer organization: String) async throws -> [FederationPullSummary] {
        let (peer, cursors) = try await service.federation.federationTargets(peer: organization)
        guard !peer.url.isEmpty else { throw FederationError.noURL(organization) }
        let client = try NodeClient(identity: identity, trustRoots: trustRoots, pins: peer.pins)
        var summaries: [FederationPullSummary] = []
        for cursor in cursors {
            var summary = FederationPullSummary(peer: organization, organization: cursor.organization)
            var next = cursor.pulledAfter
            var pages = 0
            let collection = TAXIICollectionKind.received.collectionId(organization: cursor.organization)
            let base = "\(peer.url)/\(TAXIIRoots.defaultRoot)/collections/\(collection)/objects/?limit=\(FederationService.federationMaxLimit)"
            var current = try await Self.page(client, base, after: next)
            repeat {
                // why ahead: the partner serves the next page while this one is checked and stored; it is used
                // only if this page moves the cursor exactly where the partner said the next page starts.
                let ahead: Task<PulledPage, any Error>? = current.more && current.next.map { !$0.isEmpty && $0 != next } == true
                    ? Task { [base, after = current.next ?? ""] in try await Self.page(client, base, after: after) } : nil
                let page: FederationPullSummary, moved: String
                do {
                    (page, moved) = try await service.federation.receiveFederationPage(peer: organization, organization: cursor.organization,
                                                                                      objects: current.objects, next: current.more ? current.next : nil)
                } catch {
                    ahead?.cancel()
                    throw error
                }
                summary.received += page.received
                summary.alreadyHeld += page.alreadyHeld
                summary.refused += page.refused
                // why: stop when the partner says it is done, or when a page moved us nowhere (a partner that loops).
                if !current.more || moved == next {
                    ahead?.cancel()
                    break
                }
                if let ahead, current.next == moved {
                    current = try await ahead.value
                } else {
                    ahead?.cancel()
                    current = try await Self.page(client, base, after: moved)
                }
                next = moved
                pages += 1
            } while pages < 10_000
            // Exchanges until everything owed has gone back (each is capped in size); refusals go in the first.
            var refusals = summary.refused
            for _ in 0..<100 {
                let outbox = try await service.federation.federationOutbox(peer: organization, organization: cursor.organization, refused: refusals)
                let body = try JSONEncoder().encode(outbox.request)
                let response = try await client.post("\(peer.url)/federation/v1/exchange", headers: ["Content-Type": "application/json"], body: Array(body))
                guard response.status == 200 else { throw FederationError.partnerAnswered(response.status, Self.text(response.body)) }
                let reply: FederationExchangeReply
                // why: the partner's answer gets the same one strict reading as a body this node serves.
                do { reply = try StrictJSONDecoder.decode(FederationExchangeReply.self, from: response.body) } catch {
                    throw FederationError.partnerAnswered(response.status, "not an exchange reply: \(error.message(root: "the reply"))")
                }
                try await service.federation.applyFederationReply(peer: organization, organization: cursor.organization, sent: outbox, reply: reply, summary: &summary)
                refusals = []
                if !outbox.isFull { break }
            }
            summaries.append(summary)
        }
        // Private discovery: the sets the partner offers our organisations travel in the same round.
        do {
            let sets = try await PartnerDiscovery(service: service, credentials: NodeDialer.Credentials(identity: identity, trustRoots: trustRoots))
                .pullSets(peer: organization)
            for set in sets {
                guard let i = summaries.firstIndex(where: { $0.organization == set.organization }) else { continue }
                summaries[i].discoveryEpoch = set.epoch
                summaries[i].discoveryEntries = set.entries
            }
        } catch {
            for i in summaries.indices { summaries[i].discoveryError = "\(error)" }
        }
        return summaries
    }

    /// One page of a partner's received-collection for us: its objects, whether there is more, and where the next starts.
    struct PulledPage: Sendable {
        var objects: [JSONValue]
        var more: Bool
        var next: String?
    }

    static func page(_ client: NodeClient, _ base: String, after next: String) async throws -> PulledPage {
        let url = next.isEmpty ? base : base + "&next=" + next
        let response = try await client.get(url, headers: ["Accept": TAXIIMedia.taxii])
        guard response.status == 200 else { throw FederationError.partnerAnswered(response.status, Self.text(response.body)) }
        guard case .object(let envelope)? = try? JSONValue.parse(response.body) else {
            throw FederationError.partnerAnswered(response.status, "not a TAXII envelope")
        }
        return PulledPage(objects: envelope["objects"]?.arrayValue ?? [], more: envelope["more"]?.boolValue ?? false,
                          next: envelope["next"]?.stringValue)
    }

    /// Pulls from every partner in `peers`, then waits `interval` seconds, until cancelled. A
    /// failing partner is logged and tried again next round; a refused release is logged as an error.
    /// Logs carry counts, ids and reasons, never report text. Of a node's several instances, only
    /// the one that leads the pull pulls; the others stand by and take over if it goes away.
    public func run(peers: [String], interval: Duration, logger: Logger) async {
        var leading = false
        while !Task.isCancelled {
            let leads = await service.store.leads(.federationPull)
            if leads != leading {
                logger.notice(leads ? "this instance leads the node's federation pulls" : "another instance leads the node's federation pulls")
                leading = leads
            }
            for peer in peers where leads {
                do {
                    let summaries = try await pull(peer: peer)
                    FederationPullClock.shared.succeeded(peer: peer)
                    for s in summaries {
                        Counter(label: "tearline_federation_received_total", dimensions: [("peer", peer)]).increment(by: Int64(s.received))
                        Counter(label: "tearline_federation_refused_total", dimensions: [("peer", peer)]).increment(by: Int64(s.refused.count))
                    }
                    for s in summaries {
                        if s.received + s.revoked + s.consentDecisions + s.refused.count > 0 {
                            logger.notice("pulled from \(peer) for \(s.organization): received \(s.received), revoked \(s.revoked), consent decisions \(s.consentDecisions), refused \(s.refused.count)")
                        }
                        for r in s.refused { logger.error("refused release \(r.release) from \(peer): \(r.reason)") }
                    }
                } catch {
                    Counter(label: "tearline_federation_pull_failures_total", dimensions: [("peer", peer)]).increment()
                    logger.warning("pull from \(peer) failed: \(error)")
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    private static func text(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(500), as: UTF8.self)
    }
}
