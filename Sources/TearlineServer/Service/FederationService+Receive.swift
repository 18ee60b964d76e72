import Foundation
import TearlineCore
import TearlineStore

/// The recipient node's side of federation: releases pulled from a partner's node are verified,
/// checked against the release rule again and stored as the partner's releases; receipts,
/// feedback, consent requests and refusals go back.
extension FederationService {
    /// A received copy's report id: the originator's report id, or, when a copy of that report is
    /// already held through another release, the report id and the release id joined by `~`.
    static func receivedReportId(_ reportId: String, release: String, taken: Bool) -> String {
        taken ? reportId + "~" + release : reportId
    }

    /// The originator's report id behind a received copy's report id.
    static func originatorReportId(_ id: String) -> String {
        id.split(separator: "~", maxSplits: 1).first.map(String.init) ?? id
    }

    /// An audit record of something a partner's node did to `organization`'s holdings here: in
    /// `organization`'s trail (its security members see it), concerning the partner.
    /// why not `release.*`: those events go back to the originator as receipts; these came from it.
    static func nodeAudit(from peer: String, at organization: String, time: Int64, action: AuditAction, object: String?, decision: Decision, detail: String? = nil) -> AuditRecord {
        AuditRecord(at: time, actor: "node:" + peer, organization: organization, concerns: peer, action: action, object: object,
                    decision: decision.isAllowed ? "allow" : "deny", reasons: decision.reasons.codes, detail: detail)
    }

    /// The peer record and the organisations hosted here that have a partnership with it.
    public func federationTargets(peer organization: String) async throws -> (PeerRecord, [FederationCursor]) {
        try await store.read { s in
            guard let peer = try s.peer(organization: organization) else { throw ServiceError.notFound("partner node") }
            var cursors: [FederationCursor] = []
            for p in try s.partnerships(involving: organization) {
                let local = p.other(than: organization)
                guard let o = try s.organization(id: local), !o.isRemote else { continue }
                cursors.append(try s.federationCursor(peer: organization, organization: local))
            }
            return (peer, cursors)
        }
    }

    /// Stores one page of releases pulled from `peer` for `organization`, in one transaction, and
    /// moves the pull cursor past it. Each release must carry content in canonical form, be
    /// addressed from `peer` to `organization`, verify under `peer`'s public key, and pass the
    /// release rule here too; any other is refused, audited, alerted and reported back.
    /// `next` is the originating node's position after this page, when it said there is more.
    /// Returns what the page did and the pull cursor after it.
    public func receiveFederationPage(
        peer: String, organization: String, objects: [JSONValue], next: String? = nil
    ) async throws -> (summary: FederationPullSummary, pulledAfter: String) {
        let now = now()
        defer { trackRecords.removeAll() }
        // why before the transaction: parsing and verifying signatures is most of a page's work and
        // needs nothing the transaction holds; done on every core here, it leaves the writer only
        // what must be serial. The transaction still checks each signature was verified under the
        // key it reads itself, and verifies again where it was not.
        let key = try await store.read { s in try s.organization(id: peer)?.publicKey }
        let checks = await ReceivedPageCheck.run(objects, publicKey: key)
        return try await store.write { s in
            var summary = FederationPullSummary(peer: peer, organization: organization)
            guard let originator = try s.organization(id: peer), originator.isRemote else { throw ServiceError.notFound("partner node") }
            let checked = originator.publicKey == checks.publicKey ? checks.items : []
            var cursor = try s.federationCursor(peer: peer, organization: organization)
            // why: the recipient node applies the originator's trust in its organisation.
            let terms = try s.partnership(between: peer, and: organization)?.terms(releasesFrom: peer)
            var last: (createdAt: Int64, id: String)?
            for (index, object) in objects.enumerated() {
                let check = checked.indices.contains(index) ? checked[index] : nil
                let (position, outcome) = try self.receive(s, object, check: check, from: originator, for: organization, partnership: terms, now: now)
                if let position { last = position }
                switch outcome {
                case .received: summary.received += 1
                case .alreadyHeld: summary.alreadyHeld += 1
                case .refused(let refusal): summary.refused.append(refusal)
                }
            }
            // why the last only: the position of each object is needed only to resume after the page.
            if let last { cursor.pulledAfter = Cursor.encode(createdAt: last.createdAt, id: last.id) }
            if let next, next.utf8.count <= 512 { cursor.pulledAfter = next }
            try s.saveFederationCursor(cursor)
            return (summary, cursor.pulledAfter)
        }
    }

    private enum Arrival {
        case received, alreadyHeld
        case refused(FederationRefusal)
    }

    /// `check`: the object parsed and its signature verified before the transaction, under the
    /// key this transaction read (nil: do both here).
    private func receive(
        _ s: any StoreSession, _ object: JSONValue, check: ReceivedPageCheck.Item?, from originator: OrganizationRecord, for organization: String,
        partnership: PartnershipTerms?, now: Int64
    ) throws -> ((createdAt: Int64, id: String)?, Arrival) {
        let block = ReceivedPageCheck.releaseBlock(of: object)
        let releaseId = block?["id"]?.stringValue ?? "(none)"
        let created = object.objectValue?["created"]?.stringValue.flatMap(STIXTimestamp.init(parsing:))
        let position = created.map { (createdAt: $0.microseconds / 1000, id: releaseId) }
        func refuse(_ reason: String, reasons: DenialReasons = .badSignature) throws -> ((createdAt: Int64, id: String)?, Arrival) {
            // why: a release that fails on arrival is never stored; the refusal is audited, our
            // security members are alerted, and the originator hears of it on the next exchange.
            try s.appendAudit(Self.nodeAudit(from: originator.id, at: organization, time: now, action: .federationReceive, object: releaseId,
                                             decision: .deny(reasons), detail: "reason=\(reason)"))
            try s.insertAlert(AlertRecord(id: self.ids.make("alr"), organization: organization, subject: Self.remoteMemberId(originator.id),
                                          kind: "federation-refused",
                                          detail: "Release \(releaseId) from \(originator.id)'s node was refused: \(reason)", createdAt: now))
            return (position, .refused(FederationRefusal(release: releaseId, reason: reason)))
        }
        guard let (content, signature) = ReceivedPageCheck.signed(block), releaseId.utf8.count <= 128 else {
            return try refuse("malformed federation object")
        }
        let signed: SignedRelease
        let bytes = Array(content)
        if let parsed = check?.parsed, check?.content == content {
            signed = parsed
        } else {
            do { signed = try CanonicalContent.parseRelease(bytes) } catch { return try refuse(error.description) }
        }
        // why: `~` joins a report id and a release id here, so an originator's id may not contain it.
        guard signed.reportId.utf8.count <= 128, !signed.reportId.isEmpty, !signed.reportId.contains("~") else {
            return try refuse("the report id is not valid")
        }
        guard signed.id == releaseId else {
            return try refuse("served as release \(releaseId) but the signed bytes are release \(signed.id)")
        }
        guard signed.originator == originator.id, signed.recipient == organization else {
            return try refuse("content addressed from \(signed.originator) to \(signed.recipient), not from \(originator.id) to \(organization)")
        }
        // why the bytes as received: parseRelease accepted them only because they re-encode to themselves.
        let verified = check.map { $0.verified && $0.content == content && $0.signature == signature } ?? false
        guard verified || ContentSignature.verify(signature, bytes: bytes, publicKey: originator.publicKey) else {
            return try refuse("signature does not verify under \(originator.id)'s public key")
        }
        if try s.release(id: signed.id) != nil { return (position, .alreadyHeld) }
        // why: the receiving side enforces the release rule as well; a portion it would never let in is refused.
        let plan = ReleasePlan.make(signed.report(createdBy: ""), to: organization, partnership: partnership, orconApproved: true)
        if let w = plan.withheld.first {
            return try refuse("portion \(w.index) may not come to \(organization) under the rule here (\(w.reasons.codes.joined(separator: ", ")))",
                              reasons: w.reasons)
        }
        guard let banner = signed.banner, !signed.portions.isEmpty else { return try refuse("the release carries no portion") }
        let reportId = Self.receivedReportId(signed.reportId, release: signed.id, taken: try s.report(id: signed.reportId) != nil)
        var report = signed.report(createdBy: Self.remoteMemberId(originator.id))
        report.id = reportId
        try s.insertReport(StoredReport(report: report, signature: signature), discoverability: .none)
        let record = ReleaseRecord(
            id: signed.id, reportId: reportId, originator: originator.id, recipient: organization, portions: signed.included, banner: banner,
            orconApproved: signed.portions.contains { $0.marking.orcon }, createdBy: Self.remoteMemberId(originator.id), createdAt: signed.createdAt,
            signature: signature, consentRequestId: nil)
        try s.insertRelease(record, content: ReleaseContent(of: report, included: signed.included))
        try entities.notifyCorrelations(s, newRelease: record, report: report, now: now)
        try trust.recordInLedger(s, release: record, report: report, now: now)
        try s.appendAudit(Self.nodeAudit(from: originator.id, at: organization, time: now, action: .federationReceive, object: signed.id,
                                         decision: .allow, detail: "verified=Ed25519"))
        return (position, .received)
    }

    /// At most this many items of each kind go back in one exchange, so that an exchange stays well
    /// under the request body limit; the rest follow in the next.
    static let exchangeReceipts = 2000
    static let exchangeFeedback = 200
    static let exchangeConsentRequests = 500
    static let exchangeRefusals = 1000
    static let exchangeAccessRequests = 500

    /// What goes back to `peer` for `organization`: receipts of access to its releases since the
    /// last exchange, feedback, pending consent requests, and the refusals of this pull; and how far
    /// the audit trail was read for it.
    public func federationOutbox(peer: String, organization: String, refused: [FederationRefusal]) async throws -> FederationOutbox {
        try await store.read { s in
            let cursor = try s.federationCursor(peer: peer, organization: organization)
            var query = AuditQuery(limit: Self.exchangeReceipts)
            query.actorOrganization = organization
            query.concerns = peer
            query.actionPrefix = "release."
            query.afterSeq = cursor.pushedAuditSeq
            var receipts: [FederationReceipt] = []
            var scanned = cursor.pushedAuditSeq
            let events = try s.auditEvents(query)
            let scannedCount = events.count
            for event in events {
                guard let seq = event.seq else { continue }
                scanned = max(scanned, seq)
                guard let object = event.object, let release = try s.release(id: object),
                      release.originator == peer, release.recipient == organization else { continue }
                receipts.append(FederationReceipt(seq: seq, at: event.at, actor: event.actor, action: event.action, release: object,
                                                  decision: event.decision, reasons: event.reasons, detail: event.detail))
            }
            let feedback = try s.feedbackReceived(originator: peer, limit: 10_000)
                .filter { $0.organization == organization && $0.createdAt >= cursor.pushedFeedbackAt }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
                .prefix(Self.exchangeFeedback)
                .map { FederationFeedback(id: $0.id, release: $0.releaseId, verdict: $0.verdict.rawValue, note: $0.note, at: $0.createdAt) }
            let consent = try s.consentRequests(involving: organization)
                .filter { $0.originator == peer && $0.holder == organization && $0.status == .pending }
                .prefix(Self.exchangeConsentRequests)
                .map { FederationConsentRequest(id: $0.id, release: $0.releaseId, target: $0.target, requestedBy: $0.requestedBy, at: $0.createdAt) }
            // why every pending one, every time: the holder's node ignores a request it already has and answers its decision.
            var access: [FederationAccessRequest] = []
            for link in try s.remoteAccessLinks(peer: peer) where access.count < Self.exchangeAccessRequests {
                guard let r = try s.accessRequest(id: link.id), r.status == .pending, r.requesterOrganization == organization else { continue }
                access.append(FederationAccessRequest(id: r.id, holder: link.holder, epoch: link.epoch, tag: link.tag.base64EncodedString(),
                                                      requestedBy: r.requester, justification: r.justification, at: r.createdAt))
            }
            let request = FederationExchangeRequest(organization: organization, receipts: receipts, feedback: Array(feedback),
                                                    consentRequests: Array(consent), refused: Array(refused.prefix(Self.exchangeRefusals)),
                                                    audit: try self.outgoingAuditWitness(s, peer: peer), accessRequests: access.isEmpty ? nil : access)
            // why not consent requests: pending ones are sent again until decided, so a full list does not mean more is owed.
            let full = scannedCount == Self.exchangeReceipts || feedback.count == Self.exchangeFeedback
            return FederationOutbox(request: request, auditScannedTo: scanned, isFull: full)
        }
    }

    /// Applies the originating node's answer: its revocations destroy our copies, its suspension of
    /// the partnership holds here at once, and its consent decisions reach the requests they answer.
    public func applyFederationReply(peer: String, organization: String, sent outbox: FederationOutbox, reply: FederationExchangeReply,
                                     summary: inout FederationPullSummary) async throws {
        let sent = outbox.request
        let now = now()
        let counted = try await store.write { s -> (Int, Int, String?, Int) in
            try self.absorbAuditWitness(s, reply.audit, from: peer, organizations: try self.localPartners(s, of: peer), now: now)
            var cursor = try s.federationCursor(peer: peer, organization: organization)
            cursor.pushedAuditSeq = max(cursor.pushedAuditSeq, outbox.auditScannedTo)
            cursor.pushedFeedbackAt = max(cursor.pushedFeedbackAt, sent.feedback.map(\.at).max() ?? 0)
            var status: String?
            // why: see FederationRule.mirror — the originator's own stance applies here as reported;
            // the recipient's own stance is never touched by what the originator's node says.
            if let reported = reply.partnerships.first(where: { $0.originator == peer }), let wanted = PartnershipStatus(rawValue: reported.status) {
                status = wanted.rawValue
                if var local = try s.partnership(between: peer, and: organization), let current = local.sides.stance(of: peer) {
                    let stance = PartnershipStance(trust: TrustLevel(name: reported.trust) ?? current.trust, suspended: wanted == .suspended)
                    if stance != current {
                        local.sides = FederationRule.mirror(reported: stance, of: peer, onto: local.sides)
                        local.updatedAt = now
                        try s.updatePartnership(local)
                        try s.insertTrustChange(TrustChangeRecord(
                            id: self.ids.make("tcg"), partnership: local.id, changedBy: "node:" + peer, organization: peer,
                            fromTrust: current.trust, toTrust: stance.trust, fromStatus: current.suspended ? .suspended : .active,
                            toStatus: wanted, reason: "reported by \(peer)'s node", at: now))
                        try s.appendAudit(Self.nodeAudit(from: peer, at: organization, time: now, action: .federationPartnership, object: local.id,
                                                         decision: .allow, detail: "status=\(wanted.rawValue) trust=\(stance.trust.name)"))
                    }
                }
            }
            try s.saveFederationCursor(cursor)
            var revoked = 0
            for r in reply.revoked {
                guard var release = try s.release(id: r.release), release.originator == peer, release.recipient == organization else { continue }
                // why: a copy revoked before received copies were destroyed kept its report; it goes now.
                if release.isRevoked { try s.destroyReceivedCopy(of: release); continue }
                release.revokedAt = r.at
                release.revokedBy = Self.remoteMemberId(peer)
                try s.updateRelease(release)
                // why: revocation destroys every copy here, the report the copy was stored under included.
                try s.destroyReceivedCopy(of: release)
                try s.appendAudit(Self.nodeAudit(from: peer, at: organization, time: now, action: .federationRevoke, object: release.id, decision: .allow))
                revoked += 1
            }
            var decided = 0
            for d in reply.consentDecisions {
                guard var request = try s.consentRequest(id: d.id), request.originator == peer, request.holder == organization,
                      request.status == .pending, let status = ConsentStatus(rawValue: d.status), status != .pending else { continue }
                request.status = status
                request.decidedAt = d.at ?? now
                request.decidedBy = "node:" + peer
                request.resultingReleaseId = d.resultingRelease
                try s.updateConsentRequest(request)
                try s.appendAudit(Self.nodeAudit(from: peer, at: organization, time: now, action: .federationConsent, object: request.id, decision: .allow,
                                                 detail: "decision=\(status.rawValue) target=\(request.target)"))
                decided += 1
            }
            var answered = 0
            for d in reply.accessDecisions ?? [] {
                guard let link = try s.remoteAccessLink(id: d.id), link.peer == peer, var request = try s.accessRequest(id: d.id),
                      request.requesterOrganization == organization, request.status == .pending,
                      let status: AccessRequestStatus = d.status == "granted" ? .granted : (d.status == "denied" || d.status == "stale" ? .denied : nil) else { continue }
                request.status = status
                request.decidedBy = "node:" + peer
                request.decidedAt = min(d.at ?? now, now)
                request.outcome = status == .granted ? Array(d.releases.prefix(1000)).filter { $0.utf8.count <= 128 } : []
                try s.updateAccessRequest(request)
                try s.appendAudit(Self.nodeAudit(from: peer, at: organization, time: now, action: status == .granted ? .accessRequestGrant : .accessRequestDeny,
                                                 object: request.id, decision: .allow, detail: "via=node status=\(d.status) releases=\(request.outcome.count)"))
                try self.entities.tellRequester(s, request, now: now)
                answered += 1
            }
            return (revoked, decided, status, answered)
        }
        summary.revoked += counted.0
        summary.consentDecisions += counted.1
        summary.partnershipStatus = counted.2
        summary.accessDecisions += counted.3
        summary.accessRequestsSent += sent.accessRequests?.count ?? 0
        summary.receiptsSent += sent.receipts.count
        summary.feedbackSent += sent.feedback.count
        summary.consentRequestsSent += sent.consentRequests.count
    }
}
