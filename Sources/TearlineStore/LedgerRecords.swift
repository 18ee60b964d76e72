import Foundation

/// One release in a partnership's exchange ledger: who gave what to whom, and its value.
public struct LedgerEntryRecord: Sendable, Hashable {
    public var id: String
    public var partnership: String
    public var giver: String
    public var receiver: String
    public var releaseId: String
    public var value: Double
    public var at: Int64

    public init(id: String, partnership: String, giver: String, receiver: String, releaseId: String, value: Double, at: Int64) {
        self.id = id
        self.partnership = partnership
        self.giver = giver
        self.receiver = receiver
        self.releaseId = releaseId
        self.value = value
        self.at = at
    }
}

/// A concession asked in return for a release, or offered with a request for information.
public struct TermRecord: Sendable, Hashable {
    public var id: String
    public var partnership: String
    /// The side that asks for the concession.
    public var askedBy: String
    /// The side that owes it.
    public var owedBy: String
    public var releaseId: String?
    public var rfiId: String?
    /// Sealed at rest.
    public var text: String
    /// `open`, `met` or `declined`.
    public var status: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, partnership: String, askedBy: String, owedBy: String, releaseId: String?, rfiId: String?, text: String,
                status: String = "open", createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.partnership = partnership
        self.askedBy = askedBy
        self.owedBy = owedBy
        self.releaseId = releaseId
        self.rfiId = rfiId
        self.text = text
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A request for information from one partner to another; answered by a release.
public struct RFIRecord: Sendable, Hashable {
    public var id: String
    public var partnership: String
    public var requester: String
    public var responder: String
    public var requestedBy: String
    /// Sealed at rest.
    public var question: String
    /// `open`, `answered` or `declined`.
    public var status: String
    public var answerReleaseId: String?
    public var createdAt: Int64
    public var answeredAt: Int64?

    public init(id: String, partnership: String, requester: String, responder: String, requestedBy: String, question: String,
                status: String = "open", answerReleaseId: String? = nil, createdAt: Int64, answeredAt: Int64? = nil) {
        self.id = id
        self.partnership = partnership
        self.requester = requester
        self.responder = responder
        self.requestedBy = requestedBy
        self.question = question
        self.status = status
        self.answerReleaseId = answerReleaseId
        self.createdAt = createdAt
        self.answeredAt = answeredAt
    }
}

public protocol LedgerRepository {
    func setInterests(_ topics: [String], organization: String) throws
    func interests(organization: String) throws -> [String]
    func insertLedgerEntry(_ entry: LedgerEntryRecord) throws
    /// A partnership's entries, oldest first.
    func ledger(partnership: String) throws -> [LedgerEntryRecord]
    func insertTerm(_ term: TermRecord) throws
    func term(id: String) throws -> TermRecord?
    func terms(partnership: String) throws -> [TermRecord]
    func updateTerm(_ term: TermRecord) throws
    func insertRFI(_ rfi: RFIRecord) throws
    func rfi(id: String) throws -> RFIRecord?
    /// Requests an organisation made or received, newest first.
    func rfis(involving organization: String) throws -> [RFIRecord]
    func updateRFI(_ rfi: RFIRecord) throws
}
