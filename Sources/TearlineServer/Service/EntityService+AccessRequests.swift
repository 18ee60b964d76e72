import Foundation
import TearlineCore
import TearlineStore

/// Access requests through pointers: the asker asks, the holder's releaser grants (a release to
/// another organisation, or a need-to-know grant inside the same one) or denies, the asker is
/// told. Every step is audited on both sides.
extension EntityService {
    public static let justificationBytes = 2000

    public func requestAccess(_ input: AccessRequestInput, by caller: Caller) async throws -> AccessRequestView {
        guard let member = caller.member else { throw ServiceError.forbidden("Access requests are made by members.", reasons: .roleRequired) }
        try Validate.text(input.justification, field: "justification", max: Self.justificationBytes)
        let now = now()
        let id = self.ids.make("acr")
        return try await transact { s in
            if let refusal = try self.refuseIfThrottled(s, member, caller: caller, now: now, action: .accessRequestCreate, object: nil) { return .failure(refusal) }
            // why not found for a bad handle: a forged, expired or borrowed handle names nothing the caller may know.
            guard let handle = PointerHandle.open(input.handle, key: self.pointerKey, asker: member.organization, now: now) else {
                return try refuse(s, caller, at: now, .accessRequestCreate, object: nil, reasons: .noAccessPath, detail: "handle=invalid",
                                  answer: .notFound("pointer"))
            }
            if let peer = handle.peer {
                return try self.requestRemoteAccess(s, handle, peer: peer, id: id, justification: input.justification, member: member, caller: caller, now: now)
            }
            let asker = try self.asker(s, member)
            let covered = s.withEntityIndex { $0.pointedHoldings(handle.entity, holder: handle.holder, for: asker) }
            guard !covered.isEmpty else {
                return try refuse(s, caller, at: now, .accessRequestCreate, object: Self.entityObject(handle.entity), concerns: handle.holder,
                                  reasons: .noAccessPath, detail: "handle=stale", answer: .notFound("pointer"))
            }
            if let pending = try s.accessRequests(holder: nil, requesterOrganization: member.organization, limit: 1000).first(where: {
                $0.requester == member.id && $0.holder == handle.holder && $0.entity == handle.entity && $0.status == .pending
            }) {
                return .failure(.conflict("An access request for this pointer is already pending: \(pending.id).", type: "access-request-pending"))
            }
            let record = AccessRequestRecord(id: id, requester: member.id, requesterOrganization: member.organization, holder: handle.holder,
                                             entity: handle.entity, reports: covered, justification: input.justification, createdAt: now)
            try s.insertAccessRequest(record)
            try s.appendAudit(.by(caller, at: now, action: .accessRequestCreate, object: id, concerns: handle.holder == member.organization ? nil : handle.holder,
                                  decision: .allow, detail: "holder=\(handle.holder) \(Self.entityObject(handle.entity)) reports=\(covered.count)"))
            let entity = try s.entity(id: handle.entity)
            for releaser in try s.members(organization: handle.holder) where releaser.may(.decide) && releaser.status == .active {
                let detail = NotificationDetail(entity: entity.map { EntityRef(kind: $0.kind.rawValue, value: $0.key) }, accessRequest: id, status: "pending")
                try s.insertNotification(NotificationRecord(id: self.ids.make("ntf"), member: releaser.id, kind: "access-request.received",
                                                            detail: try Self.encode(detail), createdAt: now))
            }
            return .success(try self.view(s, record, forHolder: false))
        }
    }

    /// Requests the caller's organisation received (`incoming`: releasers, security, admins) or
    /// made (`outgoing`: the caller's own; all of them for security and admins).
    public func accessRequests(incoming: Bool, by caller: Caller, limit: Int) async throws -> [AccessRequestView] {
        guard let member = caller.member else { throw ServiceError.forbidden("Access requests belong to members.", reasons: .roleRequired) }
        let now = now()
        return try await lookup { s in
            if incoming {
                guard member.may(.oversee) else {
                    return try refuse(s, caller, at: now, .accessRequestList, object: nil, reasons: .roleRequired,
                                      answer: .forbidden("Incoming access requests are for releasers, security and admins.", reasons: .roleRequired))
                }
                let records = try s.accessRequests(holder: member.organization, requesterOrganization: nil, limit: limit)
                try s.appendAudit(.by(caller, at: now, action: .accessRequestList, object: nil, decision: .allow, detail: "incoming=\(records.count)"))
                return .success(try records.map { try self.view(s, $0, forHolder: true) })
            }
            let records = try s.accessRequests(holder: nil, requesterOrganization: member.organization, limit: limit)
                .filter { member.may(.followColleagues) || $0.requester == member.id }
            try s.appendAudit(.by(caller, at: now, action: .accessRequestList, object: nil, decision: .allow, detail: "outgoing=\(records.count)"))
            return .success(try records.map { try self.view(s, $0, forHolder: false) })
        }
    }

    public func accessRequest(id: String, by caller: Caller) async throws -> AccessRequestView {
        guard let member = caller.member else { throw ServiceError.notFound("access request") }
        let now = now()
        return try await lookup { s in
            guard let record = try s.accessRequest(id: id) else { return .failure(.notFound("access request")) }
            let asHolder = record.holder == member.organization && member.may(.oversee)
            let asRequester = record.requesterOrganization == member.organization && (record.requester == member.id || member.may(.followColleagues))
            guard asHolder || asRequester else {
                return try refuse(s, caller, at: now, .accessRequestRead, object: id, reasons: .noAccessPath, answer: .notFound("access request"))
            }
            try s.appendAudit(.by(caller, at: now, action: .accessRequestRead, object: id, decision: .allow))
            return .success(try self.view(s, record, forHolder: asHolder))
        }
    }

    /// The holder's releaser grants: each covered report (or the chosen ones) is released to the
    /// requester's organisation through the release rule, or, inside one organisation, the
    /// requester gets need-to-know on it.
    public func grantAccessRequest(id: String, _ input: AccessGrantInput, by caller: Caller) async throws -> AccessRequestView {
        let now = now()
        return try await transact { s in
            switch try self.decidable(s, id: id, caller: caller, now: now, action: .accessRequestGrant) {
            case .failure(let error): return .failure(error)
            case .success(let (record, releaser)):
                let chosen = input.reports ?? record.reports
                guard !chosen.isEmpty else { return .failure(.badRequest("reports must name at least one report.")) }
                for reportId in chosen where !record.reports.contains(reportId) {
                    return .failure(.badRequest("reports: \"\(reportId)\" is not covered by this request."))
                }
                var outcome: [String] = []
                var refusals = DenialReasons()
                for reportId in SortedStrings.make(chosen) {
                    guard let stored = try s.report(id: reportId) else { continue }
                    let view = View.of(stored.report, for: releaser.reader, hasGrant: try s.hasGrant(member: releaser.id, report: reportId), channel: .originator)
                    if record.requesterOrganization == record.holder {
                        guard !view.isEmpty else { refusals.insert(.needToKnow); continue }
                        try s.insertGrant(member: record.requester, report: reportId, grantedBy: releaser.id, createdAt: now)
                        try s.appendAudit(.by(caller, at: now, action: .grantCreate, object: reportId, decision: .allow,
                                              detail: "member=\(record.requester) accessRequest=\(record.id)"))
                        outcome.append(reportId)
                    } else {
                        let partnership = try s.partnership(between: record.holder, and: record.requesterOrganization)
                        let made = try releases.makeRelease(s, id: self.ids.make("rel"), report: stored.report, releaserView: view, candidates: nil,
                                                        to: record.requesterOrganization, partnership: partnership?.terms(releasesFrom: record.holder), orconApproved: false,
                                                        by: caller, now: now, consentRequestId: nil)
                        switch made {
                        case .success(let result): outcome.append(result.id)
                        case .failure(let refused): refusals.formUnion(DenialReasons(codes: refused.reasons))
                        }
                    }
                }
                guard !outcome.isEmpty else {
                    var answer = ServiceError.forbidden("Nothing covered by this request may go to \(record.requesterOrganization).", reasons: refusals)
                    answer.type = "access-grant-denied"
                    return try refuse(s, caller, at: now, .accessRequestGrant, object: id, concerns: record.requesterOrganization, reasons: refusals,
                                      answer: answer)
                }
                var decided = record
                decided.status = .granted
                decided.decidedBy = releaser.id
                decided.decidedAt = now
                decided.outcome = outcome
                try s.updateAccessRequest(decided)
                try s.appendAudit(.by(caller, at: now, action: .accessRequestGrant, object: id,
                                      concerns: record.requesterOrganization == record.holder ? nil : record.requesterOrganization,
                                      decision: .allow, detail: "outcome=\(outcome.joined(separator: ","))"))
                try self.tellRequester(s, decided, now: now)
                return .success(try self.view(s, decided, forHolder: true))
            }
        }
    }

    public func denyAccessRequest(id: String, by caller: Caller) async throws -> AccessRequestView {
        let now = now()
        return try await transact { s in
            switch try self.decidable(s, id: id, caller: caller, now: now, action: .accessRequestDeny) {
            case .failure(let error): return .failure(error)
            case .success(let (record, releaser)):
                var decided = record
                decided.status = .denied
                decided.decidedBy = releaser.id
                decided.decidedAt = now
                try s.updateAccessRequest(decided)
                try s.appendAudit(.by(caller, at: now, action: .accessRequestDeny, object: id,
                                      concerns: record.requesterOrganization == record.holder ? nil : record.requesterOrganization, decision: .allow))
                try self.tellRequester(s, decided, now: now)
                return .success(try self.view(s, decided, forHolder: true))
            }
        }
    }

    /// A pending request of the caller's organisation, and the caller as its releaser.
    private func decidable(_ s: any StoreSession, id: String, caller: Caller, now: Int64, action: AuditAction) throws -> Result<(AccessRequestRecord, MemberRecord), ServiceError> {
        guard let member = caller.member, let record = try s.accessRequest(id: id), record.holder == member.organization else {
            return try refuse(s, caller, at: now, action, object: id, reasons: .noAccessPath, answer: .notFound("access request"))
        }
        guard member.may(.decide), member.status == .active else {
            return try refuse(s, caller, at: now, action, object: id, reasons: .roleRequired,
                              answer: .forbidden("Only a releaser of \(record.holder) decides its access requests.", reasons: .roleRequired))
        }
        guard record.status == .pending else {
            return .failure(.conflict("This access request was already \(record.status.rawValue).", type: "access-request-decided"))
        }
        return .success((record, member))
    }

    func tellRequester(_ s: any StoreSession, _ record: AccessRequestRecord, now: Int64) throws {
        let sameOrganization = record.requesterOrganization == record.holder
        let detail = NotificationDetail(
            accessRequest: record.id, status: record.status.rawValue,
            releases: record.status == .granted && !sameOrganization ? record.outcome : nil,
            grantedReports: record.status == .granted && sameOrganization ? record.outcome : nil)
        try s.insertNotification(NotificationRecord(id: self.ids.make("ntf"), member: record.requester, kind: "access-request.\(record.status.rawValue)",
                                                    detail: try Self.encode(detail), createdAt: now))
    }

    /// The holder sees the entity and the reports covered; the requester sees neither report ids
    /// nor anything but the outcome (its own releases or grants).
    func view(_ s: any StoreSession, _ r: AccessRequestRecord, forHolder: Bool) throws -> AccessRequestView {
        let entity = forHolder ? try s.entity(id: r.entity).map { EntityRef(kind: $0.kind.rawValue, value: $0.key) } : nil
        let sameOrganization = r.requesterOrganization == r.holder
        return AccessRequestView(
            id: r.id, requester: r.requester, requesterOrganization: r.requesterOrganization, holder: r.holder, entity: entity,
            justification: r.justification, status: r.status.rawValue, createdAt: Timestamp.string(r.createdAt), decidedBy: forHolder ? r.decidedBy : nil,
            decidedAt: r.decidedAt.map(Timestamp.string), reports: forHolder ? r.reports : nil,
            releases: r.status == .granted && !sameOrganization ? r.outcome : nil,
            grantedReports: r.status == .granted && sameOrganization ? r.outcome : nil)
    }

    /// The caller's notifications, newest first.
    public func notifications(by caller: Caller, limit: Int) async throws -> [NotificationView] {
        guard let member = caller.member else { throw ServiceError.forbidden("Notifications belong to members.", reasons: .roleRequired) }
        let now = now()
        return try await lookup { s in
            let records = try s.notifications(member: member.id, limit: limit)
            try s.appendAudit(.by(caller, at: now, action: .notificationList, object: nil, decision: .allow, detail: "results=\(records.count)"))
            return .success(try records.map { record in
                guard let detail = try? JSONDecoder().decode(NotificationDetail.self, from: Data(record.detail.utf8)) else {
                    throw StoreError.corruptRow("notification.detail")
                }
                return NotificationView(id: record.id, kind: record.kind, createdAt: Timestamp.string(record.createdAt), detail: detail)
            })
        }
    }
}
