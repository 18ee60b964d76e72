import Foundation
import TearlineCore
import TearlineStore

/// Story 8 — judging accuracy: recipients give feedback on releases; each originator gets a
/// track record (a Beta posterior with its credible interval), shown beside the source grade.
extension TrustService {
    public static let feedbackNoteBytes = 2000

    /// A member of the recipient who may read the release judges it. A later judgement
    /// supersedes the earlier one; both are kept.
    public func giveFeedback(releaseId: String, _ input: FeedbackInput, by caller: Caller) async throws -> FeedbackView {
        guard let verdict = FeedbackVerdict(rawValue: input.verdict) else {
            throw ServiceError.badRequest("verdict must be one of \(FeedbackVerdict.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if let note = input.note { try Validate.text(note, field: "note", max: Self.feedbackNoteBytes) }
        let now = now()
        let id = self.ids.make("fbk")
        defer { trackRecords.removeAll() }
        return try await transact { s in
            switch try releases.releaseView(s, id: releaseId, caller: caller, now: now, action: .releaseFeedback) {
            case .failure(let error): return .failure(error)
            case .success(let (release, _, _, member)):
                guard member.organization == release.recipient else {
                    // why: only the recipient judges what it received; the originator does not grade itself.
                    return try refuse(s, caller, at: now, .releaseFeedback, object: releaseId, reasons: .roleRequired,
                                      answer: .forbidden("Only the recipient gives feedback on a release.", reasons: .roleRequired))
                }
                let record = FeedbackRecord(id: id, releaseId: releaseId, organization: member.organization, member: member.id,
                                            verdict: verdict, note: input.note, createdAt: now)
                try s.insertFeedback(record)
                try s.appendAudit(.by(caller, at: now, action: .releaseFeedback, object: releaseId, concerns: release.originator,
                                      decision: .allow, detail: "verdict=\(verdict.rawValue)"))
                return .success(Self.view(record, namingMember: true))
            }
        }
    }

    /// The judgements of a release: for its recipient (who may read it) and for its originator.
    public func feedback(releaseId: String, by caller: Caller) async throws -> [FeedbackView] {
        let now = now()
        return try await lookup { s in
            switch try releases.releaseView(s, id: releaseId, caller: caller, now: now, action: .releaseFeedbackList) {
            case .failure(let error): return .failure(error)
            case .success(let (release, _, _, member)):
                let records = try s.feedback(release: releaseId)
                try s.appendAudit(.by(caller, at: now, action: .releaseFeedbackList, object: releaseId,
                                      concerns: member.organization == release.originator ? nil : release.originator, decision: .allow,
                                      detail: "results=\(records.count)"))
                return .success(records.map { Self.view($0, namingMember: $0.organization == member.organization) })
            }
        }
    }

    /// Feedback the caller's organisation received as an originator, newest first.
    public func feedbackReceived(by caller: Caller, limit: Int) async throws -> [FeedbackView] {
        guard let member = caller.member else { throw ServiceError.forbidden("Feedback belongs to members' organisations.", reasons: .roleRequired) }
        let now = now()
        return try await lookup { s in
            let records = try s.feedbackReceived(originator: member.organization, limit: limit)
            try s.appendAudit(.by(caller, at: now, action: .feedbackList, object: nil, decision: .allow, detail: "results=\(records.count)"))
            return .success(records.map { Self.view($0, namingMember: false) })
        }
    }

    /// An originator's track record, overall and per topic. For the organisation itself and its partners.
    public func trackRecord(of organization: String, by caller: Caller) async throws -> TrackRecordResponse {
        guard let member = caller.member else { throw ServiceError.forbidden("Track records are for members.", reasons: .roleRequired) }
        return try await lookup { s in
            // why not found: an organisation that is neither the caller's own nor a partner is none of its business.
            let partnered = try s.partnership(between: organization, and: member.organization) != nil
            let known = organization == member.organization || partnered
            guard known, try s.organization(id: organization) != nil else { return .failure(.notFound("organisation")) }
            let verdicts = try s.currentVerdicts(originator: organization)
            var byTopic: [String: [FeedbackVerdict]] = [:]
            for v in verdicts { for topic in v.topics { byTopic[topic, default: []].append(v.verdict) } }
            return .success(TrackRecordResponse(
                organization: organization, overall: TrackRecordView(TrackRecord(verdicts: verdicts.map(\.verdict))),
                byTopic: byTopic.mapValues { TrackRecordView(TrackRecord(verdicts: $0)) }))
        }
    }

    /// The originator's overall track record, for a release view.
    func trackRecord(_ s: any StoreSession, originator: String) throws -> TrackRecordView {
        TrackRecordView(TrackRecord(verdicts: try s.currentVerdicts(originator: originator).map(\.verdict)))
    }

    static func view(_ f: FeedbackRecord, namingMember: Bool) -> FeedbackView {
        FeedbackView(id: f.id, releaseId: f.releaseId, organization: f.organization, member: namingMember ? f.member : nil,
                     verdict: f.verdict.rawValue, note: f.note, createdAt: Timestamp.string(f.createdAt))
    }
}

extension TrackRecordView {
    init(_ t: TrackRecord) {
        self.init(mean: t.mean, low: t.low, high: t.high, judged: t.judged, confirmed: t.confirmed, partlyConfirmed: t.partlyConfirmed,
                  refuted: t.refuted, cannotJudge: t.cannotJudge)
    }
}

/// Track records by originator. Computing one reads every current verdict of the originator;
/// a release view needs it each time, so it is kept until feedback changes it.
final class TrackRecordCache: @unchecked Sendable {
    // why @unchecked: `values` is guarded by `lock`.
    private let lock = NSLock()
    private var values: [String: TrackRecordView] = [:]
    /// Bumped by every invalidation, so that a value computed from an older snapshot is not kept.
    private var generation = 0

    func get(_ originator: String, compute: () throws -> TrackRecordView) rethrows -> TrackRecordView {
        let (known, seen) = lock.withLock { (values[originator], generation) }
        if let known { return known }
        let value = try compute()
        lock.withLock { if generation == seen { values[originator] = value } }
        return value
    }

    func removeAll() { lock.withLock { values.removeAll(); generation += 1 } }
}
