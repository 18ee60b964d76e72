import Foundation

/// A partner organisation hosted on another node, as the node administrator registers it.
public struct PeerInput: Codable, Sendable {
    public var organization: String
    public var name: String
    public var kind: String
    /// The organisation's Ed25519 public key, base64 (its originator signatures are checked with it).
    public var publicKey: String
    /// `https://host:port` of its node; empty when this node only answers it.
    public var url: String
    /// `sha256/…` pins of the node's certificate keys.
    public var pins: [String]

    public init(organization: String, name: String, kind: String, publicKey: String, url: String, pins: [String]) {
        self.organization = organization
        self.name = name
        self.kind = kind
        self.publicKey = publicKey
        self.url = url
        self.pins = pins
    }
}

public struct PeerResponse: Codable, Sendable {
    public var organization: String
    public var name: String
    public var url: String
    public var pins: [String]
    public var publicKey: String
}

/// What a recipient node sends back to an originating node: access receipts, feedback, consent
/// requests and refused releases, for one of its organisations.
public struct FederationExchangeRequest: StrictDecodable, Encodable {
    public var organization: String
    public var receipts: [FederationReceipt]
    public var feedback: [FederationFeedback]
    public var consentRequests: [FederationConsentRequest]
    public var refused: [FederationRefusal]
    /// The sending node's signed audit head and what it witnessed of ours (absent from older nodes).
    public var audit: FederationAuditWitness?
    /// Access requests made there through pointers from this node's discovery set (absent from older nodes).
    public var accessRequests: [FederationAccessRequest]?
}

/// A signed audit head, as one node shows it to another.
public struct FederationAuditHead: Codable, Sendable, Hashable {
    public var seq: Int64
    /// The entry's hash, base64.
    public var hash: String
    public var at: Int64
    /// The node's Ed25519 signature over the head, base64.
    public var signature: String
    /// The node's audit public key, base64 (pinned by the partner on first sight).
    public var publicKey: String
}

/// A head as another node witnessed it: which entry, with which hash (base64).
public struct FederationWitnessedHead: Codable, Sendable, Hashable {
    public var seq: Int64
    public var hash: String
}

/// What each exchange (request and reply alike) carries so that a rollback is caught: the
/// sender's latest signed head; the receiver's head as the sender last witnessed it; and whether
/// the sender's own log still extends the head of it the receiver last said it had witnessed.
public struct FederationAuditWitness: Codable, Sendable, Hashable {
    public var head: FederationAuditHead?
    public var witnessed: FederationWitnessedHead?
    public var extendsWitnessed: Bool?
}

/// One access event at the recipient node about the originator's release.
public struct FederationReceipt: Codable, Sendable, Hashable {
    public var seq: Int64
    public var at: Int64
    public var actor: String?
    public var action: String
    public var release: String
    public var decision: String
    public var reasons: [String]
    public var detail: String?
}

public struct FederationFeedback: Codable, Sendable, Hashable {
    public var id: String
    public var release: String
    public var verdict: String
    public var note: String?
    public var at: Int64
}

public struct FederationConsentRequest: Codable, Sendable, Hashable {
    public var id: String
    public var release: String
    public var target: String
    public var requestedBy: String
    public var at: Int64
}

/// A release the recipient node refused on arrival, and why.
public struct FederationRefusal: Codable, Sendable, Hashable {
    public var release: String
    public var reason: String
}

/// The originating node's answer: the partnerships as it holds them, its revocations and its
/// consent decisions.
public struct FederationExchangeReply: Codable, Sendable {
    public var partnerships: [FederationPartnership]
    public var revoked: [FederationRevocation]
    public var consentDecisions: [FederationConsentDecision]
    /// The originating node's signed audit head and what it witnessed of ours (absent from older nodes).
    public var audit: FederationAuditWitness?
    /// Decisions on the access requests that came from the partner's node (absent from older nodes).
    public var accessDecisions: [FederationAccessDecision]?
}

public struct FederationPartnership: Codable, Sendable, Hashable {
    public var originator: String
    public var status: String
    public var trust: String
}

public struct FederationRevocation: Codable, Sendable, Hashable {
    public var release: String
    public var at: Int64
}

public struct FederationConsentDecision: Codable, Sendable, Hashable {
    public var id: String
    public var status: String
    public var resultingRelease: String?
    public var at: Int64?
}

/// An exchange to send, and how far the audit trail was read for its receipts (the cursor
/// moves there once the partner has answered).
public struct FederationOutbox: Sendable {
    public var request: FederationExchangeRequest
    public var auditScannedTo: Int64
    /// Whether a kind of item reached its cap, so that more may be owed.
    public var isFull: Bool
}

/// What one pull from a partner node did.
public struct FederationPullSummary: Codable, Sendable, Hashable {
    public var peer: String
    public var organization: String
    public var received: Int = 0
    public var alreadyHeld: Int = 0
    public var refused: [FederationRefusal] = []
    public var revoked: Int = 0
    public var receiptsSent: Int = 0
    public var feedbackSent: Int = 0
    public var consentRequestsSent: Int = 0
    public var consentDecisions: Int = 0
    public var partnershipStatus: String?
    public var accessRequestsSent: Int = 0
    public var accessDecisions: Int = 0
    /// The epoch of the discovery set the partner offers this organisation, and how many of its entries came in this round.
    public var discoveryEpoch: Int64?
    public var discoveryEntries: Int = 0
    /// Why the discovery set could not be pulled this round, if it could not.
    public var discoveryError: String?
}

/// A partner node asks for OPRF evaluations of blinded entities, for one of its organisations,
/// under the key of the set epoch it holds.
public struct DiscoveryEvaluateRequest: StrictDecodable, Encodable {
    public var organization: String
    public var epoch: Int64
    /// Blinded elements (compressed P-384 points), base64; at most ``FederationService/discoveryMaxElements``.
    public var elements: [String]

    public init(organization: String, epoch: Int64, elements: [String]) {
        self.organization = organization
        self.epoch = epoch
        self.elements = elements
    }
}

/// The evaluations, in order, each an evaluated element and its DLEQ proof (base64), and what is
/// left of the partner's budget in the current window.
public struct DiscoveryEvaluateReply: Codable, Sendable {
    public var epoch: Int64
    public var evaluations: [String]
    public var remaining: Int
}

/// An access request made on the asker's node through a pointer from this node's set: it names
/// the set entry (epoch and tag), never the value.
public struct FederationAccessRequest: Codable, Sendable, Hashable {
    public var id: String
    public var holder: String
    public var epoch: Int64
    /// The entry's tag, base64.
    public var tag: String
    public var requestedBy: String
    public var justification: String
    public var at: Int64
}

/// The holder's decision on an access request that came from the asker's node.
public struct FederationAccessDecision: Codable, Sendable, Hashable {
    public var id: String
    public var status: String
    public var releases: [String]
    public var at: Int64?
}

/// What one pull of a partner's discovery set did.
public struct DiscoverySetPullSummary: Codable, Sendable, Hashable {
    public var peer: String
    public var organization: String
    public var epoch: Int64 = 0
    public var reset: Bool = false
    public var entries: Int = 0
    public var pages: Int = 0
    public var bytes: Int = 0
}

/// A pointer to a holding on a partner node, found by private discovery.
public struct PartnerPointerView: Codable, Sendable, Hashable {
    /// The partner node (the organisation registered for it here).
    public var node: String
    public var holder: String
    public var count: Int
    public var handle: String
}

/// How one partner node answered a private search.
public struct PartnerNodeStatus: Codable, Sendable, Hashable {
    public var node: String
    /// `searched`, `budget-exhausted`, `refused-evaluation`, `stale-set` or `unreachable`.
    public var status: String
}

public struct PartnerSearchResponse: Codable, Sendable {
    public var entity: EntityRef
    public var pointers: [PartnerPointerView]
    public var nodes: [PartnerNodeStatus]
}
