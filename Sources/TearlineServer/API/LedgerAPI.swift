import Foundation

/// `PUT /v1/organizations/{id}/interests`.
public struct InterestsInput: StrictDecodable {
    public var topics: [String]
    public init(topics: [String]) { self.topics = topics }
}

public struct InterestsView: Codable, Sendable {
    public var organization: String
    public var topics: [String]
}

/// `PATCH /v1/terms/{id}`.
public struct TermUpdateInput: StrictDecodable {
    /// `met` (by the side that asked) or `declined` (by the side that owes).
    public var status: String
    public init(status: String) { self.status = status }
}

public struct TermView: Codable, Sendable, Hashable {
    public var id: String
    public var askedBy: String
    public var owedBy: String
    public var releaseId: String?
    public var rfiId: String?
    public var text: String
    public var status: String
    public var createdAt: String
}

/// `POST /v1/rfis`.
public struct RFIInput: StrictDecodable {
    public var to: String
    public var question: String
    /// A concession offered in return.
    public var terms: String?
    public init(to: String, question: String, terms: String? = nil) {
        self.to = to
        self.question = question
        self.terms = terms
    }
}

/// `POST /v1/rfis/{id}/answer`.
public struct RFIAnswerInput: StrictDecodable {
    public var releaseId: String
    public init(releaseId: String) { self.releaseId = releaseId }
}

public struct RFIView: Codable, Sendable {
    public var id: String
    public var requester: String
    public var responder: String
    public var question: String
    public var status: String
    public var answerReleaseId: String?
    public var terms: [TermView]
    public var createdAt: String
}

public struct ExchangeTotals: Codable, Sendable, Hashable {
    public var releases: Int
    public var value: Double
}

/// One row of the partners table, from the caller's organisation's point of view.
public struct PartnerRow: Codable, Sendable {
    public var partner: String
    public var partnership: String
    public var kind: String
    /// Our trust in the partner: the ceiling of what we release to it.
    public var trustLevel: String
    /// The partner's trust in us: the ceiling of what it releases to us.
    public var partnerTrustLevel: String
    /// `suspended` while either side's suspension stands.
    public var status: String
    public var suspendedBy: [String]
    public var sharedInterests: [String]
    public var given: ExchangeTotals
    public var received: ExchangeTotals
    /// Value given minus value received.
    public var balance: Double
    /// Open terms the partner owes us, and open terms we owe the partner.
    public var openTermsOwedToUs: Int
    public var openTermsOwedByUs: Int
    public var partnerTrackRecord: TrackRecordView
    public var ourTrackRecordWithPartner: TrackRecordView
    public var breachesByPartner: Int
    public var breachesByUs: Int
}

/// A point of a partnership's exchange over time: cumulative value given and received.
public struct ExchangePoint: Codable, Sendable, Hashable {
    public var at: String
    public var given: Double
    public var received: Double
    public var balance: Double
}

/// A report the partner declared interest in that could go to it now, with the portions that would.
public struct ReleaseSuggestion: Codable, Sendable {
    public var reportId: String
    public var title: String?
    public var matchingTopics: [String]
    public var portions: [Int]
    public var banner: String
    public var value: Double
}
