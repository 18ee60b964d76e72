import Foundation
import TearlineCore

/// A change of a partnership's trust level or status: who, when, why.
public struct TrustChangeRecord: Sendable, Hashable {
    public var id: String
    public var partnership: String
    /// The member who changed it, or `node-admin`, or `policy` for an automatic downgrade.
    public var changedBy: String
    public var organization: String?
    public var fromTrust: TrustLevel
    public var toTrust: TrustLevel
    public var fromStatus: PartnershipStatus
    public var toStatus: PartnershipStatus
    public var reason: String
    public var at: Int64

    public init(id: String, partnership: String, changedBy: String, organization: String?, fromTrust: TrustLevel, toTrust: TrustLevel,
                fromStatus: PartnershipStatus, toStatus: PartnershipStatus, reason: String, at: Int64) {
        self.id = id
        self.partnership = partnership
        self.changedBy = changedBy
        self.organization = organization
        self.fromTrust = fromTrust
        self.toTrust = toTrust
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.reason = reason
        self.at = at
    }
}

/// A breach recorded against one side of a partnership, and what the wronged side's policy did.
public struct BreachRecord: Sendable, Hashable {
    public var id: String
    public var partnership: String
    /// The side that breached.
    public var against: String
    public var kind: BreachKind
    /// Counts and identifiers only; never report text.
    public var detail: String
    /// `recommended` or `applied`.
    public var response: String
    /// The trust level recommended (or applied).
    public var trust: TrustLevel
    public var at: Int64

    public init(id: String, partnership: String, against: String, kind: BreachKind, detail: String, response: String, trust: TrustLevel, at: Int64) {
        self.id = id
        self.partnership = partnership
        self.against = against
        self.kind = kind
        self.detail = detail
        self.response = response
        self.trust = trust
        self.at = at
    }
}

public protocol TrustRepository {
    func insertTrustChange(_ change: TrustChangeRecord) throws
    func trustChanges(partnership: String) throws -> [TrustChangeRecord]
    func insertBreach(_ breach: BreachRecord) throws
    func breaches(partnership: String) throws -> [BreachRecord]
    /// How an organisation responds to breaches against it: recommend a downgrade, or apply it.
    func breachResponse(organization: String) throws -> BreachResponse
    func setBreachResponse(_ response: BreachResponse, organization: String) throws
}
