import Foundation
import TearlineCore
import TearlineStore

/// Partner nodes: organisations hosted elsewhere, known here by their public key, the address of
/// their node and the pins of its certificate keys.
extension FederationService {
    /// The member id that stands for a remote organisation where a row needs a member
    /// (the creator of a received copy, the author of feedback that came from its node).
    /// It is suspended and has no usable token: nobody acts as it.
    static func remoteMemberId(_ organization: String) -> String { "node_" + organization }

    /// Registers (or updates the address and pins of) a partner organisation hosted on another node.
    /// Node admin only. An organisation hosted here cannot become remote, and a remote one keeps its key.
    public func addPeer(_ input: PeerInput, by caller: Caller) async throws -> PeerResponse {
        guard case .nodeAdmin = caller else { throw ServiceError.forbidden("Only the node administrator registers partner nodes.", reasons: .roleRequired) }
        let kind = try Validate.organization(id: input.organization, idField: "organization", name: input.name, kind: input.kind)
        guard let key = Data(base64Encoded: input.publicKey), key.count == 32 else {
            throw ServiceError.badRequest("publicKey must be the organisation's Ed25519 public key: 32 bytes, base64.")
        }
        if !input.url.isEmpty {
            guard let url = URL(string: input.url), url.scheme == "https", url.host != nil, url.path.isEmpty || url.path == "/", url.query == nil else {
                throw ServiceError.badRequest("url must be https://host:port of the partner's node.")
            }
        }
        guard !input.pins.isEmpty, input.pins.count <= 8 else { throw ServiceError.badRequest("pins must list one to eight sha256/… pins of the partner node's keys.") }
        let pins: [String]
        do { pins = try input.pins.map { try SPKIPin($0).description } } catch {
            throw ServiceError.badRequest("pins must be sha256/<base64 of 32 bytes>, as `tearline pki pin` prints them.")
        }
        let url = input.url.hasSuffix("/") ? String(input.url.dropLast()) : input.url
        let now = now()
        return try await transact { s in
            if let existing = try s.organization(id: input.organization) {
                guard existing.isRemote else {
                    return .failure(.conflict("\(input.organization) is hosted on this node.", type: "local-organization"))
                }
                guard existing.publicKey == key else {
                    // why: a changed key would let whoever holds it sign as the partner; re-keying is a deliberate new registration.
                    return .failure(.conflict("\(input.organization) is registered with another public key.", type: "key-mismatch"))
                }
            } else {
                try s.insertOrganization(OrganizationRecord(id: input.organization, name: input.name, kind: kind, publicKey: key,
                                                            sealedPrivateKey: Data(), createdAt: now))
                let unusable = APIToken.hash(APIToken.generate(random: self.random))
                try s.insertMember(MemberRecord(
                    id: Self.remoteMemberId(input.organization), organization: input.organization, name: "\(input.organization) (partner node)",
                    roles: [], clearance: .unclassified, compartments: [], topics: [], tokenHash: unusable, status: .suspended, createdAt: now))
            }
            var peer = PeerRecord(organization: input.organization, url: url, pins: pins, createdAt: now, updatedAt: now)
            if let old = try s.peer(organization: input.organization) {
                peer.createdAt = old.createdAt
                try s.updatePeer(peer)
            } else {
                try s.insertPeer(peer)
            }
            try s.appendAudit(.by(caller, at: now, action: .federationPeer, object: input.organization, decision: .allow,
                                  detail: "url=\(url) pins=\(pins.count)"))
            return .success(PeerResponse(organization: input.organization, name: input.name, url: url, pins: pins, publicKey: input.publicKey))
        }
    }

    /// The partner organisation a node acts for, when the certificate key it presented is pinned for it.
    func authenticatedPeer(_ s: any StoreSession, organization: String, pin: SPKIPin?) throws -> PeerRecord? {
        guard let peer = try s.peer(organization: organization) else { return nil }
        return FederationRule.admits(presentedPin: pin?.description, pinnedFor: peer.pins) ? peer : nil
    }

    /// An audit record for a partner node acting for `peer`.
    static func peerAudit(_ peer: String, at: Int64, action: AuditAction, object: String?, concerns: String?, decision: Decision, detail: String? = nil) -> AuditRecord {
        AuditRecord(at: at, actor: "node:" + peer, organization: peer, concerns: concerns, action: action, object: object,
                    decision: decision.isAllowed ? "allow" : "deny", reasons: decision.reasons.codes, detail: detail)
    }
}
