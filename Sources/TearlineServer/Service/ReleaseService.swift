import Foundation
import TearlineCore
import TearlineStore

extension ReleaseService {
    /// Releases a report to a partner: a tearline copy that carries only the portions the rule
    /// allows, with its own banner, signed by the originator. A `releaser` of the originator only;
    /// the releaser cannot release what they cannot read themselves.
    public func release(reportId: String, _ input: CreateReleaseRequest, by caller: Caller) async throws -> ReleaseResult {
        try Validate.organizationId(input.recipient, field: "recipient")
        if let terms = input.terms { try Validate.text(terms, field: "terms", max: TrustService.termBytes) }
        let now = now()
        let releaseId = self.ids.make("rel")
        return try await transact { s in
            let access = try reports.reportAccess(s, id: reportId, caller: caller, now: now, action: .releaseCreate)
            guard case .success(let (stored, view, member)) = access else {
                if case .failure(let error) = access { return .failure(error) }
                return .failure(.notFound("report"))
            }
            guard member.may(.release) else {
                return try refuse(s, caller, at: now, .releaseCreate, object: reportId, concerns: input.recipient, reasons: .roleRequired,
                                  answer: .forbidden("Only a releaser of \(member.organization) releases its reports.", reasons: .roleRequired))
            }
            // why: an organisation the releaser may not know of is answered exactly as one that does not exist.
            guard try members.mayKnow(s, organization: input.recipient, from: member.organization) else {
                return try refuse(s, caller, at: now, .releaseCreate, object: reportId, reasons: .noPartnership, detail: "recipient=\(input.recipient)",
                                  answer: .badRequest("recipient is not a partner of \(member.organization) on this node."))
            }
            let partnership = try s.partnership(between: member.organization, and: input.recipient)
            var made = try self.makeRelease(
                s, id: releaseId, report: stored.report, releaserView: view, candidates: nil, to: input.recipient,
                partnership: partnership?.terms(releasesFrom: member.organization), orconApproved: input.approveOrcon ?? false, by: caller, now: now, consentRequestId: nil)
            // why: terms ride on the release they are asked for, and only on one that was made.
            if case .success(var result) = made, let text = input.terms, let release = try s.release(id: result.id),
               let term = try trust.attachTerms(s, text, release: release, now: now) {
                result.terms = TrustService.view(term)
                made = .success(result)
            }
            return made
        }
    }

    /// What a release of `report` to `recipient` would carry and withhold, with each withheld
    /// portion's reasons. A releaser passes on only what they may read: portions they may not
    /// read are withheld with their read reasons.
    static func plan(_ report: Report, releaserView: View?, candidates: PortionSet?, to recipient: String,
                     partnership: PartnershipTerms?, orconApproved: Bool) -> ReleasePlan {
        var allowed = candidates ?? PortionSet(first: Report.maxPortions)
        // The whole report includes its title (titleIndex lies outside 0..<maxPortions).
        if candidates == nil { allowed.insert(Report.titleIndex) }
        var unreadable: [Int: DenialReasons] = [:]
        if let releaserView {
            var visible = PortionSet(releaserView.shown.map(\.index).filter { allowed.contains($0) })
            if releaserView.titleShown && allowed.contains(Report.titleIndex) { visible.insert(Report.titleIndex) }
            for w in releaserView.withheld { unreadable[w.index] = w.reasons }
            allowed = visible
        }
        var plan = ReleasePlan.make(report, candidates: allowed, to: recipient, partnership: partnership, orconApproved: orconApproved)
        plan.withheld = plan.withheld.map { w in
            if let reasons = unreadable[w.index] { return WithheldPortion(index: w.index, reasons: reasons) }
            return w
        }
        return plan
    }

    /// Plans, signs, stores and audits a release; refuses (and audits) when nothing may go.
    func makeRelease(
        _ s: any StoreSession, id: String, report: Report, releaserView: View?, candidates: PortionSet?, to recipient: String,
        partnership: PartnershipTerms?, orconApproved: Bool, by caller: Caller, now: Int64, consentRequestId: String?
    ) throws -> Result<ReleaseResult, ServiceError> {
        let plan = Self.plan(report, releaserView: releaserView, candidates: candidates, to: recipient, partnership: partnership,
                             orconApproved: orconApproved)
        let withheldViews = plan.withheld.map { WithheldView(index: $0.index, reasons: $0.reasons.codes) }
        guard !plan.isEmpty, let banner = plan.banner else {
            let reasons = plan.withheld.reduce(into: DenialReasons()) { $0.formUnion($1.reasons) }
            var answer = ServiceError.forbidden("No portion of this report may go to \(recipient).", reasons: reasons)
            answer.type = "release-denied"
            answer.withheld = withheldViews
            return try refuse(s, caller, at: now, .releaseCreate, object: report.id, concerns: recipient, reasons: reasons, detail: "recipient=\(recipient)",
                              answer: answer)
        }
        guard let originator = try s.organization(id: report.originator) else { return .failure(.notFound("organisation")) }
        let content = CanonicalContent.release(id: id, of: report, to: recipient, included: plan.included, createdAt: now)
        let signature = try ContentSignature.sign(content, with: signingKey(for: originator))
        let record = ReleaseRecord(
            id: id, reportId: report.id, originator: report.originator, recipient: recipient, portions: plan.included, banner: banner,
            orconApproved: orconApproved, createdBy: caller.actorId, createdAt: now, signature: signature, consentRequestId: consentRequestId)
        try s.insertRelease(record, content: ReleaseContent(of: report, included: plan.included))
        try entities.notifyCorrelations(s, newRelease: record, report: report, now: now)
        try trust.recordInLedger(s, release: record, report: report, now: now)
        try s.appendAudit(.by(caller, at: now, action: .releaseCreate, object: id, concerns: recipient, decision: .allow,
                              detail: "report=\(report.id) recipient=\(recipient) portions=\(plan.includedPortions.count) withheld=\(plan.withheld.count)"))
        return .success(ReleaseResult(release: record, withheld: plan.withheld))
    }

    /// How the caller's organisation holds a release, and the report behind it.
    enum ReleaseAccess {
        case recipient(ReleaseRecord, StoredReport, ReadChannel)
        case originator(ReleaseRecord, StoredReport)
        case none(ReleaseRecord?)
    }

    func releaseAccess(_ s: any StoreSession, id: String, member: MemberRecord) throws -> ReleaseAccess {
        guard let release = try s.release(id: id), let stored = try s.report(id: release.reportId) else { return .none(nil) }
        if member.organization == release.originator { return .originator(release, stored) }
        guard member.organization == release.recipient else { return .none(release) }
        let partnership = try s.partnership(between: release.originator, and: release.recipient)
        // why: a partnership that no longer exists gives no access, like a suspended one.
        // why: the recipient reads under the originator's trust in it, checked again at every read.
        let terms = partnership?.terms(releasesFrom: release.originator) ?? .none
        return .recipient(release, stored, .release(ReleaseFacts(portions: release.portions, revoked: release.isRevoked, partnership: terms)))
    }

    private func terms(of channel: ReadChannel) -> PartnershipTerms {
        if case .release(let facts) = channel { return facts.partnership }
        return .none
    }

    /// The caller's view of a release; for the originator, the release's portions as it holds them.
    /// The report returned is the one the view was made from: for a recipient, the release's own copy.
    func releaseView(
        _ s: any StoreSession, id: String, caller: Caller, now: Int64, action: AuditAction
    ) throws -> Result<(ReleaseRecord, StoredReport, View, MemberRecord), ServiceError> {
        guard let member = caller.member else { return .failure(.notFound("release")) }
        if let refusal = try refuseIfThrottled(s, member, caller: caller, now: now, action: action, object: id) { return .failure(refusal) }
        let access = try releaseAccess(s, id: id, member: member)
        var report: Report
        let channel: ReadChannel
        let release: ReleaseRecord
        let stored: StoredReport
        switch access {
        case .none(let found):
            return try refuse(s, caller, at: now, action, object: id, concerns: found?.originator, reasons: .noAccessPath, countingAgainst: member,
                              answer: .notFound("release"))
        case .originator(let r, let st):
            release = r
            stored = st
            report = st.report
            report.portions = report.portions.filter { r.portions.contains($0.index) }
            channel = .originator
        case .recipient(let r, let st, let ch):
            release = r
            stored = st
            // why: recipients read the release's own copy. Without it (revocation destroyed its key)
            // the release counts as revoked, and only the markings remain to decide on.
            if let content = try s.releaseContent(id: r.id) {
                report = content.applied(to: st.report)
                channel = ch
            } else {
                report = st.report
                report.title = ""
                for i in report.portions.indices { report.portions[i].text = "" }
                report.entities = []
                channel = .release(ReleaseFacts(portions: r.portions, revoked: true, partnership: terms(of: ch)))
            }
        }
        let hasGrant = try s.hasGrant(member: member.id, report: release.reportId)
        var view = View.of(report, for: member.reader, hasGrant: hasGrant, channel: channel)
        if case .originator = access { view.titleShown = view.titleShown && release.portions.contains(Report.titleIndex) }
        if view.isEmpty {
            return try refuse(s, caller, at: now, action, object: id, concerns: release.originator, reasons: view.allReasons, countingAgainst: member,
                              answer: .notFound("release"))
        }
        if case .recipient = access {
            // The recipient's withheld count covers only what the release carries.
            view.withheld = view.withheld.filter { release.portions.contains($0.index) }
        }
        return .success((release, StoredReport(report: report, signature: stored.signature), view, member))
    }

    public func viewRelease(id: String, by caller: Caller) async throws -> DocumentView {
        let now = now()
        return try await lookup { s in try self.viewRelease(s, id: id, caller: caller, now: now) }
    }

    /// As ``viewRelease(id:by:)``, resolving the bearer token in the same read transaction.
    public func viewRelease(id: String, token: String) async throws -> DocumentView {
        let now = now()
        let hash = APIToken.hash(token)
        return try await lookup { s in
            guard let caller = try self.caller(s, tokenHash: hash, now: now, path: "/v1/releases/\(id)") else { return .failure(.unauthorized("The bearer token is not valid.")) }
            if let refusal = try self.refuseRestricted(s, caller, action: .releaseRead, object: id, now: now) { return .failure(refusal) }
            return try self.viewRelease(s, id: id, caller: caller, now: now)
        }
    }

    func viewRelease(_ s: any StoreSession, id: String, caller: Caller, now: Int64) throws -> Result<DocumentView, ServiceError> {
        switch try releaseView(s, id: id, caller: caller, now: now, action: .releaseRead) {
        case .failure(let error): return .failure(error)
        case .success(let (release, stored, view, member)):
            if let kind = try throttle.admitRead(member.id, document: id, at: now) {
                return .failure(try refuseCrossing(kind, s, member, caller: caller, now: now, action: .releaseRead, object: id, concerns: release.originator))
            }
            try s.appendAudit(.by(caller, at: now, action: .releaseRead, object: id, concerns: release.originator, decision: .allow,
                                  detail: view.auditDetail))
            var document = DocumentView(report: stored.report, view: view, release: release)
            if !document.entities.isEmpty { document.corroboration = try entities.corroboration(s, reportId: release.reportId, member: member) }
            document.trackRecord = try trackRecords.get(release.originator) { try trust.trackRecord(s, originator: release.originator) }
            return .success(reports.fingerprinted(document, member: member.id))
        }
    }

    public func verifyRelease(id: String, by caller: Caller) async throws -> VerificationResult {
        let now = now()
        return try await lookup { s in
            switch try self.releaseView(s, id: id, caller: caller, now: now, action: .releaseVerify) {
            case .failure(let error): return .failure(error)
            case .success(let (release, _, _, _)):
                let result = try ReportService.verification(s, release: release)
                try s.appendAudit(.by(caller, at: now, action: .releaseVerify, object: id, concerns: release.originator, decision: .allow,
                                      detail: "valid=\(result.valid)"))
                return .success(result)
            }
        }
    }

    /// The inbox: releases to the caller's organisation that the caller may read, newest first, as summaries.
    ///
    /// With a filter (an originator, a topic), pages are read until `limit` releases match or 10 ×
    /// `limit` were examined; `next` then continues after the last one examined. Only what is
    /// returned counts against the member's result window.
    public func inbox(by caller: Caller, cursor: String?, limit: Int, filter: InboxFilter = InboxFilter()) async throws -> DocumentList {
        guard let member = caller.member else { throw ServiceError.forbidden("The inbox belongs to members.", reasons: .roleRequired) }
        if let originator = filter.originator { try Validate.organizationId(originator, field: "originator") }
        if let topic = filter.topic { try Validate.topics([topic], field: "topic") }
        let now = now()
        return try await lookup { s in
            if let refusal = try self.refuseIfThrottled(s, member, caller: caller, now: now, action: .releaseList, object: nil) { return .failure(refusal) }
            var items: [DocumentView] = []
            var after = cursor
            var next: String?
            var examined = 0
            scan: while true {
                let page: Page<ReleaseRecord>
                do { page = try s.releases(recipient: member.organization, after: after, limit: limit) } catch StoreError.invalidCursor {
                    return .failure(.badRequest("cursor is not valid."))
                }
                next = page.next
                for release in page.items {
                    examined += 1
                    if filter.isEmpty == false && (items.count == limit || examined > 10 * limit) {
                        break scan
                    }
                    next = filter.isEmpty ? page.next : Cursor.encode(createdAt: release.createdAt, id: release.id)
                    if let originator = filter.originator, release.originator != originator { continue }
                    guard case .recipient(_, let stored, let channel) = try self.releaseAccess(s, id: release.id, member: member),
                          let copy = try s.releaseContent(id: release.id)?.applied(to: stored.report) else { continue }
                    if let topic = filter.topic, !copy.topics.contains(topic) { continue }
                    let hasGrant = try s.hasGrant(member: member.id, report: release.reportId)
                    let view = View.of(copy, for: member.reader, hasGrant: hasGrant, channel: channel)
                    guard !view.isEmpty else { continue }
                    var summary = DocumentView(report: copy, view: view, release: release)
                    summary.portions = []
                    summary.entities = []
                    summary.trackRecord = try self.trackRecords.get(release.originator) { try self.trust.trackRecord(s, originator: release.originator) }
                    items.append(summary)
                }
                if filter.isEmpty || page.next == nil {
                    next = page.next
                    break
                }
                after = page.next
            }
            if let kind = try self.throttle.admitResults(member.id, count: items.count, at: now) {
                return .failure(try self.refuseCrossing(kind, s, member, caller: caller, now: now, action: .releaseList, object: nil))
            }
            try s.appendAudit(.by(caller, at: now, action: .releaseList, object: nil, decision: .allow,
                                  detail: "results=\(items.count)" + filter.auditDetail))
            return .success(DocumentList(items: items, next: next))
        }
    }

    /// The releases of one report, for its originator's releasers, security and admin members.
    public func releases(ofReport reportId: String, by caller: Caller) async throws -> [ReleaseSummary] {
        let now = now()
        return try await lookup { s in
            switch try reports.reportAccess(s, id: reportId, caller: caller, now: now, action: .releaseList) {
            case .failure(let error): return .failure(error)
            case .success(let (_, _, member)):
                guard member.may(.oversee) else {
                    return try refuse(s, caller, at: now, .releaseList, object: reportId, reasons: .roleRequired,
                                      answer: .forbidden("Only releasers, security and admin members list a report's releases.", reasons: .roleRequired))
                }
                try s.appendAudit(.by(caller, at: now, action: .releaseList, object: reportId, decision: .allow))
                return .success(try s.releases(report: reportId).map(ReleaseSummary.init))
            }
        }
    }

    /// Revokes a release. Its recipient loses access at once; nothing is deleted.
    public func revoke(releaseId: String, by caller: Caller) async throws -> ReleaseSummary {
        let now = now()
        return try await transact { s in
            guard let member = caller.member, var release = try s.release(id: releaseId), release.originator == member.organization else {
                return try refuse(s, caller, at: now, .releaseRevoke, object: releaseId, reasons: .noAccessPath, answer: .notFound("release"))
            }
            guard member.may(.release) else {
                return try refuse(s, caller, at: now, .releaseRevoke, object: releaseId, concerns: release.recipient, reasons: .roleRequired,
                                  answer: .forbidden("Only a releaser revokes a release.", reasons: .roleRequired))
            }
            guard member.status == .active else {
                return try refuse(s, caller, at: now, .releaseRevoke, object: releaseId, concerns: release.recipient, reasons: .memberSuspended,
                                  answer: .forbidden("A suspended member revokes nothing.", reasons: .memberSuspended))
            }
            guard !release.isRevoked else { return .failure(.conflict("The release is already revoked.", type: "already-revoked")) }
            release.revokedAt = now
            release.revokedBy = member.id
            try s.updateRelease(release)
            try s.appendAudit(.by(caller, at: now, action: .releaseRevoke, object: releaseId, concerns: release.recipient, decision: .allow))
            return .success(ReleaseSummary(release))
        }
    }
}
