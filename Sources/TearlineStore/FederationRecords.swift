import Foundation

/// A partner organisation hosted on another node: where that node answers, and the SPKI pins
/// (`sha256/…`) of the certificates it may present, as server and as client.
public struct PeerRecord: Sendable, Hashable {
    public var organization: String
    /// `https://host:port`, or empty when this node never dials the partner (it only answers it).
    public var url: String
    public var pins: [String]
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(organization: String, url: String, pins: [String], createdAt: Int64, updatedAt: Int64) {
        self.organization = organization
        self.url = url
        self.pins = pins
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// How far the exchange with one peer has gone for one of this node's organisations.
public struct FederationCursor: Sendable, Hashable {
    public var peer: String
    public var organization: String
    /// The pager position after the last release pulled (opaque to the puller), or empty.
    public var pulledAfter: String
    /// The last audit sequence number sent back as access receipts.
    public var pushedAuditSeq: Int64
    /// Feedback at or after this time (ms) is sent again on the next exchange; the peer ignores repeats.
    public var pushedFeedbackAt: Int64
    // why no originatorStatus: v8's column of that name is no longer read or written; since v9 the
    // partnership's sides hold the stance the originator's node reported (FederationRule.mirror).

    public init(
        peer: String, organization: String, pulledAfter: String = "", pushedAuditSeq: Int64 = 0, pushedFeedbackAt: Int64 = 0
    ) {
        self.peer = peer
        self.organization = organization
        self.pulledAfter = pulledAfter
        self.pushedAuditSeq = pushedAuditSeq
        self.pushedFeedbackAt = pushedFeedbackAt
    }
}

extension OrganizationRecord {
    /// Whether the organisation is hosted on a partner node: this node holds its public key only.
    public var isRemote: Bool { sealedPrivateKey.isEmpty }
}
