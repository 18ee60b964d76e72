import Foundation

/// `POST /v1/partnerships/{id}/breaches`: a breach recorded by the wronged side.
public struct BreachInput: StrictDecodable {
    /// The side that breached.
    public var against: String
    /// `leak-traced`, `refused-forward` or `consent-violation`.
    public var kind: String
    public var detail: String
    public init(against: String, kind: String, detail: String) {
        self.against = against
        self.kind = kind
        self.detail = detail
    }
}

/// `PUT /v1/organizations/{id}/breach-policy`.
public struct BreachPolicyInput: StrictDecodable {
    /// `recommend` (a downgrade is recommended) or `automatic` (it is applied at once).
    public var response: String
    public init(response: String) { self.response = response }
}

public struct BreachPolicyView: Codable, Sendable {
    public var organization: String
    public var response: String
}

/// A change of one side's stance: `organization`'s trust in the other side, or its own suspension.
public struct TrustChangeView: Codable, Sendable, Hashable {
    public var changedBy: String
    /// The side whose stance changed (absent only in history from before trust was directional).
    public var organization: String?
    public var fromTrust: String
    public var toTrust: String
    /// The side's own stance before and after: `suspended` while its suspension stands.
    public var fromStatus: String
    public var toStatus: String
    public var reason: String
    public var at: String
}

public struct BreachView: Codable, Sendable, Hashable {
    public var id: String
    public var against: String
    public var kind: String
    public var detail: String
    /// `recommended` or `applied`.
    public var response: String
    /// The trust level recommended or applied.
    public var trustLevel: String
    public var at: String
}

public struct PartnershipHistory: Codable, Sendable {
    public var partnership: String
    /// Each side's trust in the other, by side.
    public var trust: [String: String]
    /// The caller's organisation's trust in the other side (absent for the node administrator).
    public var trustLevel: String?
    /// The other side's trust in the caller's organisation (absent for the node administrator).
    public var partnerTrustLevel: String?
    public var status: String
    public var suspendedBy: [String]
    public var trustChanges: [TrustChangeView]
    public var breaches: [BreachView]
}

public struct ReleaseLossView: Codable, Sendable, Hashable {
    public var releaseId: String
    public var lostPortions: [Int]
    public var keptPortions: [Int]
}

/// If the caller's organisation's trust in the partner fell to `trustLevel`, what the partner
/// would lose of the caller's organisation's releases.
public struct WhatIfResponse: Codable, Sendable {
    public var partner: String
    /// The caller's organisation's trust in the partner today.
    public var currentTrustLevel: String
    public var trustLevel: String
    public var releasesAffected: Int
    public var portionsLost: Int
    public var releases: [ReleaseLossView]
}
