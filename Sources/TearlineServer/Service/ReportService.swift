import Foundation
import TearlineCore
import TearlineStore

/// Limits on what one report may hold.
public enum ReportLimits {
    public static let titleBytes = 500
    public static let portionBytes = 64 * 1024
    public static let maxEntities = 1000
}

extension ReportService {
    /// Creates a report, signed by its originator organisation. Analysts and releasers only, and
    /// nobody writes a portion above their own clearance or compartments.
    public func createReport(_ input: CreateReportRequest, by caller: Caller) async throws -> DocumentView {
        guard let author = caller.member else { throw ServiceError.forbidden("Reports are written by members.", reasons: .roleRequired) }
        try Validate.text(input.title, field: "title", max: ReportLimits.titleBytes)
        let titleMarking = try Validate.marking(input.titleMarking, field: "titleMarking")
        let grade: SourceGrade
        do { grade = try SourceGrade(code: input.sourceGrade) } catch { throw ServiceError.badRequest("sourceGrade: \(error.description)") }
        guard !input.topics.isEmpty else { throw ServiceError.badRequest("topics must name at least one topic (need-to-know is decided on topics).") }
        try Validate.topics(input.topics, field: "topics")
        guard !input.portions.isEmpty else { throw ServiceError.badRequest("portions must hold at least one portion.") }
        guard input.portions.count <= Report.maxPortions else { throw ServiceError.badRequest("A report holds at most \(Report.maxPortions) portions.") }
        var portions: [Portion] = []
        for (index, p) in input.portions.enumerated() {
            try Validate.text(p.text, field: "portions[\(index)].text", max: ReportLimits.portionBytes)
            let marking = try Validate.marking(p.marking, field: "portions[\(index)].marking")
            portions.append(Portion(index: index, marking: marking, sourcesAndMethods: p.sourcesAndMethods ?? false, text: p.text))
        }
        let entities = try Self.entityMentions(input.entities ?? [], portions: portions)
        let discoverability = try EntityService.discoverability(input.discoverability, input.discoverableTo)
        let now = now()
        let id = self.ids.make("rpt")
        let portionMarkings = portions.map(\.marking)
        let report = Report(
            id: id, originator: author.organization, title: input.title, titleMarking: titleMarking, sourceGrade: grade,
            topics: input.topics, entities: entities,
            portions: portions, createdBy: author.id, createdAt: now)
        return try await transact { s in
            var reasons = DenialReasons()
            if !author.may(.writeReports) { reasons.insert(.roleRequired) }
            for marking in [titleMarking] + portionMarkings {
                reasons.formUnion(DecisionRule.author(author.reader, marking: marking).reasons)
            }
            if !reasons.isEmpty {
                return try refuse(s, caller, at: now, .reportCreate, object: nil, reasons: reasons,
                                  answer: .forbidden("This member may not write this report.", reasons: reasons))
            }
            guard let org = try s.organization(id: author.organization) else { return .failure(.notFound("organisation")) }
            if case .partners(let ids) = discoverability {
                for id in ids where try s.organization(id: id) == nil {
                    return .failure(.badRequest("discoverableTo: \"\(id)\" is not an organisation on this node."))
                }
            }
            let signature = try ContentSignature.sign(CanonicalContent.report(report), with: self.signingKey(for: org))
            try s.insertReport(StoredReport(report: report, signature: signature), discoverability: discoverability)
            try self.entities.notifyCorrelations(s, newReport: report, discoverability: discoverability, now: now)
            try s.appendAudit(.by(caller, at: now, action: .reportCreate, object: id, decision: .allow,
                                  detail: "portions=\(portionMarkings.count)"))
            let view = View.of(report, for: author.reader, hasGrant: false, channel: .originator)
            return .success(DocumentView(report: report, view: view, release: nil))
        }
    }

    /// The listed entities, validated and tied to their portions, followed by the observables
    /// found in the portion text (by their normalised form), without duplicates.
    public static func entityMentions(_ input: [EntityInput], portions: [Portion]) throws(ServiceError) -> [EntityMention] {
        guard input.count <= ReportLimits.maxEntities else { throw .badRequest("A report names at most \(ReportLimits.maxEntities) entities.") }
        var mentions: [EntityMention] = []
        var seen = Set<String>()
        for (index, e) in input.enumerated() {
            let entity = try EntityService.normalized(kind: e.type, value: e.value, field: "entities[\(index)]")
            guard portions.indices.contains(e.portion) else {
                throw .badRequest("entities[\(index)].portion \(e.portion) is not a portion of this report.")
            }
            if seen.insert("\(e.portion)\u{0}\(entity.kind.rawValue)\u{0}\(entity.key)").inserted {
                mentions.append(EntityMention(type: entity.kind.rawValue, value: e.value, portion: e.portion))
            }
        }
        // why: observables (addresses, numbers, hashes…) are found in the text itself, so that they
        // correlate even when the author did not list them.
        for portion in portions {
            for found in ObservableExtraction.extract(from: portion.text)
            where seen.insert("\(portion.index)\u{0}\(found.kind.rawValue)\u{0}\(found.key)").inserted {
                mentions.append(EntityMention(type: found.kind.rawValue, value: found.key, portion: portion.index))
            }
        }
        guard mentions.count <= ReportLimits.maxEntities * 2 else { throw .badRequest("A report mentions at most \(ReportLimits.maxEntities * 2) entities in all.") }
        return mentions
    }

    /// The caller's view of one of its organisation's reports: readable portions only, the
    /// banner of what is shown, the count withheld. Not found when nothing is readable.
    public func viewReport(id: String, by caller: Caller) async throws -> DocumentView {
        let now = now()
        return try await lookup { s in try self.viewReport(s, id: id, caller: caller, now: now) }
    }

    /// As ``viewReport(id:by:)``, resolving the bearer token in the same read transaction.
    public func viewReport(id: String, token: String) async throws -> DocumentView {
        let now = now()
        let hash = APIToken.hash(token)
        return try await lookup { s in
            guard let caller = try self.caller(s, tokenHash: hash, now: now, path: "/v1/reports/\(id)") else { return .failure(.unauthorized("The bearer token is not valid.")) }
            if let refusal = try self.refuseRestricted(s, caller, action: .reportRead, object: id, now: now) { return .failure(refusal) }
            return try self.viewReport(s, id: id, caller: caller, now: now)
        }
    }

    func viewReport(_ s: any StoreSession, id: String, caller: Caller, now: Int64) throws -> Result<DocumentView, ServiceError> {
        switch try reportAccess(s, id: id, caller: caller, now: now, action: .reportRead) {
        case .failure(let error): return .failure(error)
        case .success(let (report, view, member)):
            if let kind = try throttle.admitRead(member.id, document: id, at: now) {
                return .failure(try refuseCrossing(kind, s, member, caller: caller, now: now, action: .reportRead, object: id))
            }
            try s.appendAudit(.by(caller, at: now, action: .reportRead, object: id, decision: .allow,
                                  detail: view.auditDetail))
            var document = DocumentView(report: report.report, view: view, release: nil)
            if !document.entities.isEmpty { document.corroboration = try entities.corroboration(s, reportId: id, member: member) }
            return .success(fingerprinted(document, member: member.id))
        }
    }

    /// Loads a report for a member of its originator and applies the rule; audits a denial and answers it as not found.
    func reportAccess(
        _ s: any StoreSession, id: String, caller: Caller, now: Int64, action: AuditAction
    ) throws -> Result<(StoredReport, View, MemberRecord), ServiceError> {
        guard let member = caller.member else { return .failure(.notFound("report")) }
        if let refusal = try refuseIfThrottled(s, member, caller: caller, now: now, action: action, object: id) { return .failure(refusal) }
        guard let stored = try s.report(id: id), stored.report.originator == member.organization else {
            // why: recipients hold releases, never the original; other organisations' reports do not exist for them.
            // why: probing for what one cannot read is a signal of an insider at work.
            return try refuse(s, caller, at: now, action, object: id, reasons: .noAccessPath, countingAgainst: member, answer: .notFound("report"))
        }
        let hasGrant = try s.hasGrant(member: member.id, report: id)
        let view = View.of(stored.report, for: member.reader, hasGrant: hasGrant, channel: .originator)
        if view.isEmpty {
            return try refuse(s, caller, at: now, action, object: id, reasons: view.allReasons, countingAgainst: member, answer: .notFound("report"))
        }
        return .success((stored, view, member))
    }

    /// The caller's organisation's reports that it may read, newest first, as summaries.
    public func listReports(by caller: Caller, cursor: String?, limit: Int) async throws -> DocumentList {
        guard let member = caller.member else { throw ServiceError.forbidden("Reports belong to members' organisations.", reasons: .roleRequired) }
        let now = now()
        return try await lookup { s in
            if let refusal = try self.refuseIfThrottled(s, member, caller: caller, now: now, action: .reportList, object: nil) { return .failure(refusal) }
            let page: Page<String>
            do { page = try s.reportIds(originator: member.organization, after: cursor, limit: limit) } catch StoreError.invalidCursor {
                return .failure(.badRequest("cursor is not valid."))
            }
            var items: [DocumentView] = []
            for id in page.items {
                guard let stored = try s.report(id: id) else { continue }
                let view = View.of(stored.report, for: member.reader, hasGrant: try s.hasGrant(member: member.id, report: id), channel: .originator)
                guard !view.isEmpty else { continue }
                var summary = DocumentView(report: stored.report, view: view, release: nil)
                summary.portions = []
                summary.entities = []
                items.append(summary)
            }
            if let kind = try self.throttle.admitResults(member.id, count: items.count, at: now) {
                return .failure(try self.refuseCrossing(kind, s, member, caller: caller, now: now, action: .reportList, object: nil))
            }
            try s.appendAudit(.by(caller, at: now, action: .reportList, object: nil, decision: .allow, detail: "results=\(items.count)"))
            return .success(DocumentList(items: items, next: page.next))
        }
    }

    /// Checks the originator's signature over a report the caller may read.
    public func verifyReport(id: String, by caller: Caller) async throws -> VerificationResult {
        let now = now()
        return try await lookup { s in
            switch try self.reportAccess(s, id: id, caller: caller, now: now, action: .reportVerify) {
            case .failure(let error): return .failure(error)
            case .success(let (stored, _, _)):
                let result = try Self.verification(s, report: stored)
                try s.appendAudit(.by(caller, at: now, action: .reportVerify, object: id, decision: .allow, detail: "valid=\(result.valid)"))
                return .success(result)
            }
        }
    }

    static func verification(_ s: any StoreSession, report stored: StoredReport) throws -> VerificationResult {
        let content = CanonicalContent.report(stored.report)
        let key = try s.organization(id: stored.report.originator)?.publicKey ?? Data()
        return VerificationResult(
            id: stored.report.id, kind: "report", originator: stored.report.originator,
            valid: ContentSignature.verify(stored.signature, of: content, publicKey: key), algorithm: "Ed25519",
            publicKey: key.base64EncodedString(), signature: stored.signature.base64EncodedString(), contentDigest: content.digest)
    }

    static func verification(_ s: any StoreSession, release: ReleaseRecord) throws -> VerificationResult {
        let key = try s.organization(id: release.originator)?.publicKey ?? Data()
        guard let stored = try s.report(id: release.reportId) else {
            return VerificationResult(id: release.id, kind: "release", originator: release.originator, valid: false, algorithm: "Ed25519",
                                      publicKey: key.base64EncodedString(), signature: release.signature.base64EncodedString(), contentDigest: "")
        }
        // why: a copy received from a partner node may be held under a derived report id; the originator signed its own.
        var report = stored.report
        report.id = FederationService.originatorReportId(report.id)
        let content = CanonicalContent.release(id: release.id, of: report, to: release.recipient, included: release.portions,
                                               createdAt: release.createdAt)
        return VerificationResult(
            id: release.id, kind: "release", originator: release.originator,
            valid: ContentSignature.verify(release.signature, of: content, publicKey: key), algorithm: "Ed25519",
            publicKey: key.base64EncodedString(), signature: release.signature.base64EncodedString(), contentDigest: content.digest)
    }

    /// Verifies any report or release in the store, for the operator's `tearline verify`.
    public func verifyStored(id: String) async throws -> VerificationResult? {
        try await store.read { s in
            if let release = try s.release(id: id) { return try Self.verification(s, release: release) }
            if let report = try s.report(id: id) { return try Self.verification(s, report: report) }
            return nil
        }
    }
}
