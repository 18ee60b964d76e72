import Foundation
import TearlineCore
import TearlineStore

/// Whose copy a leaked text is.
public struct TraceResult: Codable, Sendable {
    /// Whether the evidence names a copy (see ``TraceEvidence``).
    public var conclusive: Bool
    /// `conclusive` or `inconclusive`.
    public var verdict: TraceVerdict
    /// The chance that some candidate copy with random choices matches as well as the best one.
    public var chance: Double
    /// The chance at or below which a trace is conclusive.
    public var threshold: Double
    /// Fingerprint slots found in the text.
    public var observed: Int
    /// Slots that occur in the matching document, the ones scored.
    public var scored: Int
    /// The source copy when the trace is conclusive; the best candidate, marked weak, when it is
    /// not and weak candidates were asked for; otherwise `null`.
    public var best: TraceCandidate?
    /// The next most likely, to show the margin; always weak, and without the member unless weak
    /// candidates were asked for.
    public var runnerUp: TraceCandidate?
}

public struct TraceCandidate: Codable, Sendable {
    public var document: String
    public var organization: String
    /// The member, where the caller may know it.
    public var member: String?
    public var matches: Int
    public var observed: Int
    /// Share of scored slots that match this copy's fingerprint.
    public var score: Double
    /// Probability that a copy with random choices would match this well.
    public var chance: Double
    /// Whether the evidence falls short of naming this copy.
    public var weak: Bool
}

extension ReportService {
    /// Traces a leaked text for a `security` member. Candidates are the copies served to the
    /// caller's own members, and copies of the caller's releases served to partners; a partner's
    /// member is named only where the caller is the dominant side of a hierarchical partnership.
    /// A conclusive trace to a partner's copy counts as a breach by the partner that held it.
    ///
    /// With `showWeak`, an inconclusive trace shows its best candidate, marked weak.
    public func trace(text: String, showWeak: Bool = false, by caller: Caller) async throws -> TraceResult {
        guard text.utf8.count <= 1 << 20 else { throw ServiceError.badRequest("text is longer than 1 MiB.") }
        let now = now()
        let result: TraceResult = try await lookup { s in
            var scope: String?
            if case .member(let member) = caller {
                guard member.may(.investigate) else {
                    return try refuse(s, caller, at: now, .trace, object: nil, reasons: .roleRequired,
                                      answer: .forbidden("Only security members trace leaks.", reasons: .roleRequired))
                }
                guard member.status == .active else {
                    return try refuse(s, caller, at: now, .trace, object: nil, reasons: .memberSuspended,
                                      answer: .forbidden("A suspended member traces nothing.", reasons: .memberSuspended))
                }
                scope = member.organization
            }
            let result = try self.trace(s, text: text, scope: scope, showWeak: showWeak)
            try s.appendAudit(.by(caller, at: now, action: .trace, object: result.best?.document, decision: .allow,
                                  detail: "observed=\(result.observed) scored=\(result.scored) verdict=\(result.verdict.rawValue) "
                                      + "score=\(result.best.map { String(format: "%.3f", $0.score) } ?? "-")"))
            return .success(result)
        }
        // why: a leak traced conclusively to a partner's copy is a breach of that partnership;
        // weak evidence accuses nobody.
        if result.conclusive, let organization = caller.organization, let best = result.best, !best.weak, best.organization != organization {
            _ = try await transact { s -> Result<Bool, ServiceError> in
                guard let partnership = try s.partnership(between: organization, and: best.organization) else { return .success(false) }
                try trust.recordBreach(s, partnership, against: best.organization, kind: .leakTraced,
                                      detail: "document=\(best.document) matches=\(best.matches)/\(best.observed)", now: now)
                return .success(true)
            }
        }
        return result
    }

    /// Traces a leaked text across the whole node, for the operator's `tearline trace`.
    /// With `showWeak`, an inconclusive trace shows its best candidate, marked weak.
    public func traceAll(text: String, showWeak: Bool = false) async throws -> TraceResult {
        let now = now()
        return try await store.read { s in
            let result = try self.trace(s, text: text, scope: nil, showWeak: showWeak)
            try s.appendAudit(AuditRecord(at: now, actor: "operator", organization: nil, action: .trace, object: result.best?.document,
                                          decision: "allow",
                                          detail: "observed=\(result.observed) scored=\(result.scored) verdict=\(result.verdict.rawValue)"))
            return result
        }
    }

    func trace(_ s: any StoreSession, text: String, scope: String?, showWeak: Bool) throws -> TraceResult {
        var byDocument: [String: [ServedCopy]] = [:]
        for copy in try s.servedCopies() { byDocument[copy.document, default: []].append(copy) }
        var documents: [ServedDocument] = []
        var organizationOf: [String: String] = [:]
        var namesMembers: [String: Bool] = [:]
        for (id, copies) in byDocument {
            var texts: [String] = []
            var release: ReleaseRecord?
            if let r = try s.release(id: id) {
                release = r
                guard let stored = try s.report(id: r.reportId) else { continue }
                texts = (r.portions.contains(Report.titleIndex) ? [stored.report.title] : [])
                    + stored.report.portions.filter { r.portions.contains($0.index) }.map(\.text)
            } else if let stored = try s.report(id: id) {
                texts = [stored.report.title] + stored.report.portions.map(\.text)
            } else { continue }
            var recipients: [String] = []
            for copy in copies {
                organizationOf[copy.member] = copy.organization
                if let scope, copy.organization != scope {
                    // why: a partner's copy of the caller's release is in scope; the member is named
                    // only where the caller oversees that partner (story 2's dominant side).
                    guard let release, release.originator == scope else { continue }
                    let partnership = try s.partnership(between: scope, and: copy.organization)
                    namesMembers[copy.member] = partnership.map {
                        OversightRule.seesMembers(kind: $0.kind, dominant: $0.dominant, originator: scope)
                    } ?? false
                } else {
                    namesMembers[copy.member] = true
                }
                recipients.append(copy.member)
            }
            if !recipients.isEmpty { documents.append(ServedDocument(id: id, texts: texts, recipients: recipients)) }
        }
        let attribution = LeakAttribution.attribute(text, documents: documents, key: canaryKey)
        func candidate(_ score: CanaryScore?, weak: Bool, namesMember: Bool) -> TraceCandidate? {
            guard let score else { return nil }
            let member = score.candidate.recipient
            return TraceCandidate(
                document: score.candidate.document, organization: organizationOf[member] ?? "",
                member: namesMember && namesMembers[member] == true ? member : nil, matches: score.matches, observed: score.observed,
                score: score.score, chance: score.chance, weak: weak)
        }
        let ranking = attribution.ranking
        let evidence = TraceEvidence.judge(ranking)
        // why: below the evidence threshold nobody is named, unless the caller asks to see the
        // weak candidates, and then they are marked weak.
        let shown = evidence.isConclusive || showWeak
        return TraceResult(
            conclusive: evidence.isConclusive, verdict: evidence.verdict, chance: evidence.chance, threshold: TraceEvidence.threshold,
            observed: attribution.observed, scored: attribution.shared,
            best: shown ? candidate(ranking.first, weak: !evidence.isConclusive, namesMember: true) : nil,
            runnerUp: shown ? candidate(ranking.dropFirst().first, weak: true, namesMember: showWeak) : nil)
    }
}
