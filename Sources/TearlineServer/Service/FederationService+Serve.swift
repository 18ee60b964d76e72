import Foundation
import TearlineCore
import TearlineStore

/// The originating node's side of federation: a partner node pulls the releases meant for its
/// organisation over TAXII, and sends back receipts, feedback, consent requests and refusals.
extension FederationService {
    static let federationMaxLimit = 100
    /// A page of federation objects stops growing past this many bytes (at least one object goes).
    static let federationPageBytes = 4 * 1024 * 1024

    /// The partner organisation whose `Releases received by` collection `collection` is, when the
    /// node that called presented a key pinned for it; otherwise nil (the caller is then treated
    /// like any unauthenticated one).
    func federationPeer(root: String, collection: String, pin: SPKIPin?) async throws -> PeerRecord? {
        guard pin != nil, root == TAXIIRoots.defaultRoot else { return nil }
        return try await store.read { s in
            for peer in try s.peers() where TAXIICollectionKind.received.collectionId(organization: peer.organization) == collection {
                return try self.authenticatedPeer(s, organization: peer.organization, pin: pin)
            }
            return nil
        }
    }

    /// One page of the releases to `peer` from the organisations hosted here, oldest first, as
    /// STIX `report` objects that carry the originator's signed canonical content. A release goes
    /// only while it is not revoked and its partnership is active.
    func federationObjects(peer: PeerRecord, next: String?, limit: Int) async throws -> TAXIIBody {
        let now = now()
        let after: (createdAt: Int64, id: String)?
        do { after = try next.map(Cursor.decode) } catch {
            throw ServiceError(.invalidRequest, type: "invalid-request", title: "Bad request", detail: "next is not valid.")
        }
        let limit = min(max(limit, 1), Self.federationMaxLimit)
        return try await store.read { s in
            let originators = try s.partnerships(involving: peer.organization).filter { p in
                guard p.status == .active else { return false }
                return try s.organization(id: p.other(than: peer.organization)).map { !$0.isRemote } ?? false
            }.map { $0.other(than: peer.organization) }
            let candidates = try s.releases(recipient: peer.organization, originators: originators, after: after, limit: limit + 1)
            var releases: [ReleaseRecord] = []
            var objects: [JSONValue] = []
            var bytes = 0
            var processed = 0
            var last: ReleaseRecord?
            for release in candidates.prefix(limit) {
                // why: a page stays far below what the partner's client accepts (16 MiB), however long the reports.
                if bytes > Self.federationPageBytes { break }
                processed += 1
                last = release
                guard let stored = try s.report(id: release.reportId), let content = try s.releaseContent(id: release.id) else { continue }
                let copy = content.applied(to: stored.report)
                let canonical = CanonicalContent.release(id: release.id, of: copy, to: release.recipient, included: release.portions, createdAt: release.createdAt)
                bytes += canonical.bytes.count * 4 / 3 + 1024
                releases.append(release)
                objects.append(Self.federationObject(release, canonical: canonical))
                try s.appendAudit(Self.peerAudit(peer.organization, at: now, action: .federationPull, object: release.id,
                                                 concerns: release.originator, decision: .allow, detail: "recipient=\(release.recipient)"))
            }
            let more = candidates.count > processed
            var envelope: JSONObject = ["more": .bool(more)]
            if more, let last { envelope["next"] = .string(Cursor.encode(createdAt: last.createdAt, id: last.id)) }
            envelope["objects"] = .array(objects)
            return TAXIIBody(bytes: Array(envelope.serialized().utf8),
                             firstAdded: releases.first.map { $0.createdAt * 1000 }, lastAdded: releases.last.map { $0.createdAt * 1000 })
        }
    }

    /// A release in federation form: a STIX report whose Tearline extension carries the exact
    /// bytes the originator signed and the signature. The recipient node trusts nothing else in it.
    static func federationObject(_ release: ReleaseRecord, canonical: CanonicalContent) -> JSONValue {
        let stamp = STIXTimestamp(milliseconds: release.createdAt).stix
        let extensionBody: JSONObject = [
            "extension_type": "property-extension",
            "release": .object([
                "id": .string(release.id),
                "originator": .string(release.originator),
                "recipient": .string(release.recipient),
                "algorithm": "Ed25519",
                "content": .string(Data(canonical.bytes).base64EncodedString()),
                "signature": .string(release.signature.base64EncodedString()),
            ]),
        ]
        return .object([
            "type": "report",
            "spec_version": "2.1",
            "id": .string(STIXIdentifier.make(type: "report", name: "federation:" + release.id)),
            "created": .string(stamp),
            "modified": .string(stamp),
            "created_by_ref": .string(STIXDocumentMapping.organizationID(release.originator)),
            "name": .string("Tearline release \(release.id)"),
            "published": .string(stamp),
            "object_refs": .array([.string(STIXDocumentMapping.organizationID(release.originator))]),
            "extensions": .object([STIXTearline.extensionID: .object(extensionBody)]),
        ])
    }

    /// What a partner node sends back for its organisation: every item must concern a release
    /// from an organisation hosted here to that organisation, or nothing is written. The edge
    /// audits a refusal (``auditRefusedFederationRequest(pin:spokeFor:kind:status:reason:)``) for
    /// the organisations hosted here that partner the node's organisation, with the status it answered.
    func federationExchange(_ input: FederationExchangeRequest, pin: SPKIPin?) async throws -> FederationExchangeReply {
        try Validate.organizationId(input.organization, field: "organization")
        let total = input.receipts.count + input.feedback.count + input.consentRequests.count + input.refused.count
        guard total <= 10_000 else { throw ServiceError.badRequest("An exchange carries at most 10000 items; send the rest in another.") }
        for f in input.feedback {
            guard FeedbackVerdict(rawValue: f.verdict) != nil else { throw ServiceError.badRequest("feedback \(f.id): verdict is not valid.") }
            if let note = f.note { try Validate.text(note, field: "feedback note", max: TrustService.feedbackNoteBytes) }
            try Validate.text(f.id, field: "feedback id", max: 64)
        }
        for c in input.consentRequests {
            try Validate.organizationId(c.target, field: "consent request target")
            try Validate.text(c.id, field: "consent request id", max: 64)
            try Validate.text(c.requestedBy, field: "consent request requestedBy", max: 64)
        }
        for r in input.receipts {
            guard r.action.hasPrefix("release."), r.action.utf8.count <= 64, ["allow", "deny"].contains(r.decision) else {
                throw ServiceError.badRequest("receipt \(r.seq): only release events, allowed or denied, are receipts.")
            }
            if let detail = r.detail, !detail.isEmpty { try Validate.text(detail, field: "receipt detail", max: 500) }
            if let actor = r.actor { try Validate.text(actor, field: "receipt actor", max: 128) }
            guard r.reasons.count <= 32, r.reasons.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
                throw ServiceError.badRequest("receipt \(r.seq): at most 32 reasons of at most 64 bytes each.")
            }
        }
        for r in input.refused { try Validate.text(r.reason, field: "refusal reason", max: 500) }
        let accessRequests = input.accessRequests ?? []
        guard accessRequests.count <= Self.exchangeAccessRequests else {
            throw ServiceError.badRequest("An exchange carries at most \(Self.exchangeAccessRequests) access requests.")
        }
        for r in accessRequests {
            try Validate.text(r.id, field: "access request id", max: 64)
            try Validate.organizationId(r.holder, field: "access request holder")
            try Validate.text(r.requestedBy, field: "access request requestedBy", max: 128)
            try Validate.text(r.justification, field: "access request justification", max: EntityService.justificationBytes)
            guard Data(base64Encoded: r.tag)?.count == DiscoverySealing.tagBytes else {
                throw ServiceError.badRequest("access request \(r.id): tag must be \(DiscoverySealing.tagBytes) bytes, base64.")
            }
        }
        let now = now()
        defer { trackRecords.removeAll() }
        // Inside: a refusal returns .failure (its audit entry is kept); bad items throw, so nothing of them is written.
        return try await transact { s in
            guard let peer = try self.authenticatedPeer(s, organization: input.organization, pin: pin) else {
                // why: a node speaking for an organisation its key is not pinned for is refused like an
                // unknown one; the edge records the refusal.
                return .failure(.notFound("partner"))
            }
            let p = peer.organization
            func ownRelease(_ id: String) throws -> ReleaseRecord? {
                guard let r = try s.release(id: id), let o = try s.organization(id: r.originator),
                      FederationRule.maySpeakAbout(releaseRecipient: r.recipient, originatorIsHostedHere: !o.isRemote, speaker: p) else { return nil }
                return r
            }
            // why min(at, now) below: a partner's clock may run ahead; nothing it sends is dated after its arrival here.
            var cursor = try s.federationCursor(peer: p, organization: p)
            for r in input.receipts.sorted(by: { $0.seq < $1.seq }) where r.seq > cursor.pushedAuditSeq {
                guard let release = try ownRelease(r.release) else { throw ServiceError.badRequest("receipt \(r.seq): release \(r.release) was not made to \(p) here.") }
                // why: a partner node reports only events of the kinds the audit log knows; it cannot write new names into it.
                guard let action = AuditAction(rawValue: r.action) else { throw ServiceError.badRequest("receipt \(r.seq): action \"\(r.action)\" is not an audit action.") }
                try s.appendAudit(AuditRecord(at: min(r.at, now), actor: r.actor.map { "\(p)/\($0)" }, organization: p, concerns: release.originator, action: action,
                                              object: release.id, decision: r.decision, reasons: r.reasons,
                                              detail: "via=node seq=\(r.seq)" + (r.detail.map { " " + $0 } ?? "")))
                cursor.pushedAuditSeq = r.seq
            }
            try s.saveFederationCursor(cursor)
            for f in input.feedback {
                guard let release = try ownRelease(f.release) else { throw ServiceError.badRequest("feedback \(f.id): release \(f.release) was not made to \(p) here.") }
                if try s.feedback(release: release.id).contains(where: { $0.id == f.id }) { continue }
                try s.insertFeedback(FeedbackRecord(id: f.id, releaseId: release.id, organization: p, member: Self.remoteMemberId(p),
                                                    verdict: FeedbackVerdict(rawValue: f.verdict)!, note: f.note, createdAt: min(f.at, now)))
                try s.appendAudit(Self.peerAudit(p, at: now, action: .releaseFeedback, object: release.id, concerns: release.originator,
                                                 decision: .allow, detail: "via=node verdict=\(f.verdict)"))
            }
            for c in input.consentRequests {
                guard let release = try ownRelease(c.release) else { throw ServiceError.badRequest("consent request \(c.id): release \(c.release) was not made to \(p) here.") }
                if let existing = try s.consentRequest(id: c.id) {
                    guard existing.releaseId == release.id, existing.holder == p else { throw ServiceError.conflict("consent request \(c.id) exists for another release.", type: "consent-id-taken") }
                    continue
                }
                try s.insertConsentRequest(ConsentRequestRecord(
                    id: c.id, releaseId: release.id, reportId: release.reportId, originator: release.originator, holder: p, target: c.target,
                    requestedBy: "\(p)/\(c.requestedBy)", createdAt: min(c.at, now)))
            // why: the attempt is a breach of the partnership, as on one node. The refused forward itself
                // reaches this trail as a receipt (release.forward, deny); this records the request it opened.
                try s.appendAudit(Self.peerAudit(p, at: now, action: .consentRequest, object: release.id, concerns: release.originator,
                                                 decision: .deny(.thirdPartyRule), detail: "via=node target=\(c.target) consentRequest=\(c.id)"))
                if let partnership = try s.partnership(between: release.originator, and: p) {
                    _ = try trust.recordBreach(s, partnership, against: p, kind: .refusedForward, detail: "release=\(release.id) target=\(c.target)", now: now)
                }
            }
            for r in input.refused {
                guard let release = try ownRelease(r.release) else { throw ServiceError.badRequest("refusal: release \(r.release) was not made to \(p) here.") }
                try s.appendAudit(Self.peerAudit(p, at: now, action: .federationRefused, object: release.id, concerns: release.originator,
                                                 decision: .deny(.badSignature), detail: "reason=\(r.reason)"))
                try s.insertAlert(AlertRecord(id: self.ids.make("alr"), organization: release.originator, subject: Self.remoteMemberId(p), kind: "federation-refused",
                                              detail: "\(p)'s node refused release \(release.id): \(r.reason)", createdAt: now))
            }
            var accessDecisions: [FederationAccessDecision] = []
            for r in accessRequests {
                guard try self.receiveAccessRequest(s, r, from: p, now: now), let record = try s.accessRequest(id: r.id) else {
                    // why: the entry is gone (a new epoch, a withdrawn holding); the asker's request cannot name anything here.
                    accessDecisions.append(FederationAccessDecision(id: r.id, status: "stale", releases: [], at: now))
                    continue
                }
                guard record.requesterOrganization == p else { continue }
                if record.status != .pending {
                    accessDecisions.append(FederationAccessDecision(id: r.id, status: record.status.rawValue,
                                                                    releases: record.status == .granted ? record.outcome : [], at: record.decidedAt))
                }
            }
            // why before the reply is built: the head of the partner witnessed so far goes back as it was.
            let witnessedBefore = try s.auditWitness(peer: p, direction: .theirs)
            let extends = try self.absorbAuditWitness(s, input.audit, from: p, organizations: try self.localPartners(s, of: p), now: now)
            var audit = try self.outgoingAuditWitness(s, peer: p)
            audit.witnessed = witnessedBefore.map { FederationWitnessedHead(seq: $0.seq, hash: $0.hash.base64EncodedString()) }
            audit.extendsWitnessed = extends
            var reply = FederationExchangeReply(partnerships: [], revoked: [], consentDecisions: [], audit: audit,
                                                accessDecisions: accessRequests.isEmpty ? nil : accessDecisions)
            var originators: [String] = []
            for partnership in try s.partnerships(involving: p) {
                let other = partnership.other(than: p)
                guard let o = try s.organization(id: other), !o.isRemote else { continue }
                originators.append(other)
                // why: this node speaks for the originator's own stance only — its trust in the
                // recipient and its own suspension; the recipient's node keeps the recipient's.
                let stance = partnership.sides.stance(of: other) ?? PartnershipStance(trust: .none, suspended: true)
                reply.partnerships.append(FederationPartnership(originator: other, status: stance.suspended ? "suspended" : "active", trust: stance.trust.name))
            }
            reply.revoked = try s.revokedReleases(recipient: p, originators: originators).map { FederationRevocation(release: $0.id, at: $0.revokedAt ?? now) }
            reply.consentDecisions = try s.consentRequests(involving: p).filter { $0.holder == p && $0.status != .pending }.map {
                FederationConsentDecision(id: $0.id, status: $0.status.rawValue, resultingRelease: $0.resultingReleaseId, at: $0.decidedAt)
            }
            try s.appendAudit(Self.peerAudit(p, at: now, action: .federationExchange, object: p, concerns: nil, decision: .allow,
                                             detail: "receipts=\(input.receipts.count) feedback=\(input.feedback.count) consent=\(input.consentRequests.count) refused=\(input.refused.count) accessRequests=\(accessRequests.count)"))
            return .success(reply)
        }
    }
}
