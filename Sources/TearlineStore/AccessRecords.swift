import Foundation

/// The state of an access request made through a pointer.
public enum AccessRequestStatus: String, Sendable, Hashable {
    case pending, granted, denied
}

/// A request, through a pointer, for access to another holder's reports on an entity.
public struct AccessRequestRecord: Sendable, Hashable {
    public var id: String
    public var requester: String
    public var requesterOrganization: String
    public var holder: String
    /// The blind identifier of the entity the pointer was for.
    public var entity: UInt64
    /// The holder's reports the pointer covered when the request was made; never shown to the requester.
    public var reports: [String]
    /// Why the requester needs it (sealed at rest).
    public var justification: String
    public var status: AccessRequestStatus
    public var createdAt: Int64
    public var decidedBy: String?
    public var decidedAt: Int64?
    /// What a grant produced: release ids (another organisation) or report ids granted (same organisation).
    public var outcome: [String]

    public init(id: String, requester: String, requesterOrganization: String, holder: String, entity: UInt64, reports: [String],
                justification: String, status: AccessRequestStatus = .pending, createdAt: Int64, decidedBy: String? = nil,
                decidedAt: Int64? = nil, outcome: [String] = []) {
        self.id = id
        self.requester = requester
        self.requesterOrganization = requesterOrganization
        self.holder = holder
        self.entity = entity
        self.reports = reports
        self.justification = justification
        self.status = status
        self.createdAt = createdAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.outcome = outcome
    }
}

/// Something a member is told: a correlation, an access request to decide, its outcome.
public struct NotificationRecord: Sendable, Hashable {
    public var id: String
    public var member: String
    public var kind: String
    /// JSON with pointer data only (sealed at rest).
    public var detail: String
    public var createdAt: Int64

    public init(id: String, member: String, kind: String, detail: String, createdAt: Int64) {
        self.id = id
        self.member = member
        self.kind = kind
        self.detail = detail
        self.createdAt = createdAt
    }
}
