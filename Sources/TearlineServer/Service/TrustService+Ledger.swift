import Foundation
import TearlineCore
import TearlineStore

/// Story 3 — bargaining: declared interests, the exchange ledger (one valued entry per release),
/// terms asked in return, requests for information, and the per-partner table.
extension TrustService {
    public static let termBytes = 1000

    /// Declares the organisation's interest topics (its admins).
    public func setInterests(organization: String, _ input: InterestsInput, by caller: Caller) async throws -> InterestsView {
        try Validate.topics(input.topics, field: "topics")
        guard input.topics.count <= 200 else { throw ServiceError.badRequest("topics names at most 200 topics.") }
        let now = now()
        return try await transact { s in
            guard let member = caller.member, member.organization == organization else { return .failure(.notFound("organisation")) }
            guard member.may(.administer) else {
                return try refuse(s, caller, at: now, .organizationInterests, object: organization, reasons: .roleRequired,
                                  answer: .forbidden("Only an admin declares the organisation's interests.", reasons: .roleRequired))
            }
            let topics = SortedStrings.make(input.topics)
            try s.setInterests(topics, organization: organization)
            try s.appendAudit(.by(caller, at: now, action: .organizationInterests, object: organization, decision: .allow, detail: "topics=\(topics.count)"))
            return .success(InterestsView(organization: organization, topics: topics))
        }
    }

    /// Adds the release to its partnership's ledger, valued by ``ExchangeValue``.
    func recordInLedger(_ s: any StoreSession, release: ReleaseRecord, report: Report, now: Int64) throws {
        guard let partnership = try s.partnership(between: release.originator, and: release.recipient) else { return }
        let classifications = report.portions.filter { release.portions.contains($0.index) }.map(\.marking.classification)
        let interest = ExchangeValue.interest(reportTopics: report.topics, declared: Set(try s.interests(organization: release.recipient)))
        let value = ExchangeValue.value(portions: classifications, sourceGrade: report.sourceGrade, interest: interest)
        try s.insertLedgerEntry(LedgerEntryRecord(id: self.ids.make("led"), partnership: partnership.id, giver: release.originator,
                                                  receiver: release.recipient, releaseId: release.id, value: value, at: now))
    }

    /// Terms asked in return for a release: the recipient owes them to the originator.
    func attachTerms(_ s: any StoreSession, _ text: String, release: ReleaseRecord, now: Int64) throws -> TermRecord? {
        guard let partnership = try s.partnership(between: release.originator, and: release.recipient) else { return nil }
        let term = TermRecord(id: self.ids.make("trm"), partnership: partnership.id, askedBy: release.originator, owedBy: release.recipient,
                              releaseId: release.id, rfiId: nil, text: text, createdAt: now, updatedAt: now)
        try s.insertTerm(term)
        return term
    }

    /// The side that asked marks a term met; the side that owes it may decline it. Releasers and admins.
    public func updateTerm(id: String, _ input: TermUpdateInput, by caller: Caller) async throws -> TermView {
        guard input.status == "met" || input.status == "declined" else { throw ServiceError.badRequest("status must be met or declined.") }
        let now = now()
        return try await transact { s in
            guard let member = caller.member, var term = try s.term(id: id), term.askedBy == member.organization || term.owedBy == member.organization else {
                return .failure(.notFound("term"))
            }
            let side = input.status == "met" ? term.askedBy : term.owedBy
            guard member.organization == side, member.may(.settleTerms) else {
                return try refuse(s, caller, at: now, .termUpdate, object: id, reasons: .roleRequired,
                                  answer: .forbidden("A term is marked met by the side that asked for it and declined by the side that owes it (releasers, admins).",
                                                     reasons: .roleRequired))
            }
            guard term.status == "open" else { return .failure(.conflict("This term is already \(term.status).", type: "term-decided")) }
            term.status = input.status
            term.updatedAt = now
            try s.updateTerm(term)
            try s.appendAudit(.by(caller, at: now, action: .termUpdate, object: id, concerns: member.organization == term.askedBy ? term.owedBy : term.askedBy,
                                  decision: .allow, detail: "status=\(term.status)"))
            return .success(Self.view(term))
        }
    }

    /// A request for information to a partner, optionally with terms offered in return.
    public func requestInformation(_ input: RFIInput, by caller: Caller) async throws -> RFIView {
        try Validate.organizationId(input.to, field: "to")
        try Validate.text(input.question, field: "question", max: Self.termBytes)
        if let terms = input.terms { try Validate.text(terms, field: "terms", max: Self.termBytes) }
        let now = now()
        return try await transact { s in
            guard let member = caller.member, member.may(.askForInformation) else {
                return .failure(.forbidden("Requests for information are made by analysts and releasers.", reasons: .roleRequired))
            }
            guard let partnership = try s.partnership(between: member.organization, and: input.to), partnership.status == .active else {
                return .failure(.notFound("partnership"))
            }
            let rfi = RFIRecord(id: self.ids.make("rfi"), partnership: partnership.id, requester: member.organization, responder: input.to,
                                requestedBy: member.id, question: input.question, createdAt: now)
            try s.insertRFI(rfi)
            var terms: [TermRecord] = []
            if let text = input.terms {
                // why: terms offered with a request are owed by the requester once it is answered.
                let term = TermRecord(id: self.ids.make("trm"), partnership: partnership.id, askedBy: input.to, owedBy: member.organization,
                                      releaseId: nil, rfiId: rfi.id, text: text, createdAt: now, updatedAt: now)
                try s.insertTerm(term)
                terms.append(term)
            }
            try s.appendAudit(.by(caller, at: now, action: .rfiCreate, object: rfi.id, concerns: input.to, decision: .allow))
            return .success(Self.view(rfi, terms: terms))
        }
    }

    /// Requests the caller's organisation made or received, newest first.
    public func rfis(by caller: Caller) async throws -> [RFIView] {
        guard let member = caller.member else { throw ServiceError.forbidden("Requests for information belong to members.", reasons: .roleRequired) }
        return try await lookup { s in
            let rfis = try s.rfis(involving: member.organization)
            let terms = try Dictionary(grouping: Set(rfis.map(\.partnership)).flatMap { try s.terms(partnership: $0) }.filter { $0.rfiId != nil }, by: { $0.rfiId! })
            return .success(rfis.map { Self.view($0, terms: terms[$0.id] ?? []) })
        }
    }

    /// The responder's releaser answers a request with a release of its own to the requester.
    public func answerInformationRequest(id: String, _ input: RFIAnswerInput, by caller: Caller) async throws -> RFIView {
        let now = now()
        return try await transact { s in
            guard let member = caller.member, var rfi = try s.rfi(id: id), rfi.responder == member.organization || rfi.requester == member.organization else {
                return .failure(.notFound("request for information"))
            }
            guard member.organization == rfi.responder, member.may(.decide) else {
                return .failure(.forbidden("The responder's releasers answer a request for information.", reasons: .roleRequired))
            }
            guard rfi.status == "open" else { return .failure(.conflict("This request is already \(rfi.status).", type: "rfi-decided")) }
            guard let release = try s.release(id: input.releaseId), release.originator == rfi.responder, release.recipient == rfi.requester,
                  !release.isRevoked else {
                return .failure(.badRequest("releaseId must name a release of \(rfi.responder) to \(rfi.requester)."))
            }
            rfi.status = "answered"
            rfi.answerReleaseId = release.id
            rfi.answeredAt = now
            try s.updateRFI(rfi)
            try s.appendAudit(.by(caller, at: now, action: .rfiAnswer, object: id, concerns: rfi.requester, decision: .allow, detail: "release=\(release.id)"))
            return .success(Self.view(rfi, terms: try s.terms(partnership: rfi.partnership).filter { $0.rfiId == id }))
        }
    }

    /// The per-partner table of an organisation: exchange, balance, terms, track records both ways, trust, breaches.
    public func partners(of organization: String, by caller: Caller) async throws -> [PartnerRow] {
        if let member = caller.member {
            guard member.organization == organization else { throw ServiceError.notFound("organisation") }
            guard member.may(.readPartnerships) else {
                throw ServiceError.forbidden("The partners table is for admins, releasers and security.", reasons: .roleRequired)
            }
        }
        return try await lookup { s in
            guard try s.organization(id: organization) != nil else { return .failure(.notFound("organisation")) }
            let ours = Set(try s.interests(organization: organization))
            let ourVerdicts = try s.currentVerdicts(originator: organization)
            var rows: [PartnerRow] = []
            for p in try s.partnerships(involving: organization) {
                let partner = p.other(than: organization)
                let ledger = try s.ledger(partnership: p.id)
                let given = ledger.filter { $0.giver == organization }
                let received = ledger.filter { $0.giver == partner }
                let terms = try s.terms(partnership: p.id).filter { $0.status == "open" }
                let breaches = try s.breaches(partnership: p.id)
                let theirs = try s.currentVerdicts(originator: partner).filter { $0.organization == organization }
                rows.append(PartnerRow(
                    partner: partner, partnership: p.id, kind: p.kind.rawValue, trustLevel: p.trust(of: organization).name,
                    partnerTrustLevel: p.trust(of: partner).name, status: p.status.rawValue, suspendedBy: p.sides.suspendedBy,
                    sharedInterests: ours.intersection(try s.interests(organization: partner)).sorted(),
                    given: ExchangeTotals(releases: given.count, value: given.reduce(0) { $0 + $1.value }),
                    received: ExchangeTotals(releases: received.count, value: received.reduce(0) { $0 + $1.value }),
                    balance: given.reduce(0) { $0 + $1.value } - received.reduce(0) { $0 + $1.value },
                    openTermsOwedToUs: terms.filter { $0.owedBy == partner }.count, openTermsOwedByUs: terms.filter { $0.owedBy == organization }.count,
                    partnerTrackRecord: TrackRecordView(TrackRecord(verdicts: theirs.map(\.verdict))),
                    ourTrackRecordWithPartner: TrackRecordView(TrackRecord(verdicts: ourVerdicts.filter { $0.organization == partner }.map(\.verdict))),
                    breachesByPartner: breaches.filter { $0.against == partner }.count, breachesByUs: breaches.filter { $0.against == organization }.count))
            }
            return .success(rows.sorted { $0.partner < $1.partner })
        }
    }

    /// The exchange with one partner over time: cumulative value given and received after each release.
    public func exchangeSeries(partner: String, by caller: Caller) async throws -> [ExchangePoint] {
        guard let member = caller.member else { throw ServiceError.forbidden("The exchange series is for members.", reasons: .roleRequired) }
        guard member.may(.readPartnerships) else {
            throw ServiceError.forbidden("The exchange series is for admins, releasers and security.", reasons: .roleRequired)
        }
        return try await lookup { s in
            guard let p = try s.partnership(between: member.organization, and: partner) else { return .failure(.notFound("partnership")) }
            var given = 0.0, received = 0.0
            return .success(try s.ledger(partnership: p.id).map { e in
                if e.giver == member.organization { given += e.value } else { received += e.value }
                return ExchangePoint(at: Timestamp.string(e.at), given: given, received: received, balance: given - received)
            })
        }
    }

    /// Reports the partner declared interest in that could be released to it now, with the
    /// portions that would go. Nothing is released. Releasers only; the newest 500 reports are considered.
    public func suggestions(partner: String, by caller: Caller) async throws -> [ReleaseSuggestion] {
        guard let member = caller.member, member.may(.release) else {
            throw ServiceError.forbidden("Release suggestions are for releasers.", reasons: .roleRequired)
        }
        return try await lookup { s in
            guard let p = try s.partnership(between: member.organization, and: partner) else { return .failure(.notFound("partnership")) }
            let declared = Set(try s.interests(organization: partner))
            guard !declared.isEmpty else { return .success([]) }
            var result: [ReleaseSuggestion] = []
            let already = Set(try s.releases(recipient: partner, after: nil, limit: 10_000).items.filter { !$0.isRevoked }.map(\.reportId))
            for id in try s.reportIds(originator: member.organization, after: nil, limit: 500).items where !already.contains(id) {
                guard let stored = try s.report(id: id) else { continue }
                let matching = stored.report.topics.filter(declared.contains)
                guard !matching.isEmpty else { continue }
                let view = View.of(stored.report, for: member.reader, hasGrant: try s.hasGrant(member: member.id, report: id), channel: .originator)
                var visible = PortionSet(view.shown.map(\.index))
                if view.titleShown { visible.insert(Report.titleIndex) }
                let plan = ReleasePlan.make(stored.report, candidates: visible, to: partner, partnership: p.terms(releasesFrom: member.organization), orconApproved: false)
                guard !plan.isEmpty, let banner = plan.banner else { continue }
                let portions = plan.includedPortions.map(\.index)
                let classifications = plan.includedPortions.map(\.marking.classification)
                result.append(ReleaseSuggestion(
                    reportId: id, title: view.titleShown ? stored.report.title : nil, matchingTopics: matching, portions: portions,
                    banner: banner.banner,
                    value: ExchangeValue.value(portions: classifications, sourceGrade: stored.report.sourceGrade,
                                               interest: ExchangeValue.interest(reportTopics: stored.report.topics, declared: declared))))
            }
            return .success(result)
        }
    }

    static func view(_ t: TermRecord) -> TermView {
        TermView(id: t.id, askedBy: t.askedBy, owedBy: t.owedBy, releaseId: t.releaseId, rfiId: t.rfiId, text: t.text, status: t.status,
                 createdAt: Timestamp.string(t.createdAt))
    }

    static func view(_ r: RFIRecord, terms: [TermRecord]) -> RFIView {
        RFIView(id: r.id, requester: r.requester, responder: r.responder, question: r.question, status: r.status, answerReleaseId: r.answerReleaseId,
                terms: terms.map(view), createdAt: Timestamp.string(r.createdAt))
    }
}
