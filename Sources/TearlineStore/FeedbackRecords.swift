import Foundation
import TearlineCore

/// A recipient's judgement of a release, as given at one moment. Later judgements of the same
/// release by the same organisation supersede earlier ones; all are kept.
public struct FeedbackRecord: Sendable, Hashable {
    public var id: String
    public var releaseId: String
    /// The organisation judging: the release's recipient.
    public var organization: String
    public var member: String
    public var verdict: FeedbackVerdict
    /// Sealed at rest.
    public var note: String?
    public var createdAt: Int64

    public init(id: String, releaseId: String, organization: String, member: String, verdict: FeedbackVerdict, note: String?, createdAt: Int64) {
        self.id = id
        self.releaseId = releaseId
        self.organization = organization
        self.member = member
        self.verdict = verdict
        self.note = note
        self.createdAt = createdAt
    }
}

/// The current verdict on one release, with the topics of its report: what a track record counts.
public struct CurrentVerdict: Sendable, Hashable {
    public var releaseId: String
    public var verdict: FeedbackVerdict
    public var topics: [String]
    /// The judging organisation.
    public var organization: String

    public init(releaseId: String, verdict: FeedbackVerdict, topics: [String], organization: String) {
        self.releaseId = releaseId
        self.verdict = verdict
        self.topics = topics
        self.organization = organization
    }
}

public protocol FeedbackRepository {
    func insertFeedback(_ feedback: FeedbackRecord) throws
    /// Every judgement of a release, oldest first.
    func feedback(release: String) throws -> [FeedbackRecord]
    /// The latest judgement of each release of `originator` (by its recipient).
    func currentVerdicts(originator: String) throws -> [CurrentVerdict]
    /// Judgements received by `originator`, newest first.
    func feedbackReceived(originator: String, limit: Int) throws -> [FeedbackRecord]
}
