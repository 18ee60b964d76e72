import Foundation

/// `POST /v1/releases/{id}/feedback`.
public struct FeedbackInput: StrictDecodable {
    /// `confirmed`, `partly-confirmed`, `refuted` or `cannot-judge`.
    public var verdict: String
    public var note: String?
    public init(verdict: String, note: String? = nil) {
        self.verdict = verdict
        self.note = note
    }
}

public struct FeedbackView: Codable, Sendable, Hashable {
    public var id: String
    public var releaseId: String
    public var organization: String
    /// Named only for the judging organisation's own members.
    public var member: String?
    public var verdict: String
    public var note: String?
    public var createdAt: String
}

/// An originator's track record: a Beta posterior over its judged releases.
public struct TrackRecordView: Codable, Sendable, Hashable {
    public var mean: Double
    /// The 95% credible interval.
    public var low: Double
    public var high: Double
    public var judged: Int
    public var confirmed: Int
    public var partlyConfirmed: Int
    public var refuted: Int
    public var cannotJudge: Int
}

public struct TrackRecordResponse: Codable, Sendable {
    public var organization: String
    public var overall: TrackRecordView
    public var byTopic: [String: TrackRecordView]
}
