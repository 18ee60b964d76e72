import Foundation
import TearlineCore

/// An organisation as stored: its signing key pair, the private half sealed under the node master key.
public struct OrganizationRecord: Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: OrganizationKind
    public var publicKey: Data
    public var sealedPrivateKey: Data
    public var createdAt: Int64

    public init(id: String, name: String, kind: OrganizationKind, publicKey: Data, sealedPrivateKey: Data, createdAt: Int64) {
        self.id = id
        self.name = name
        self.kind = kind
        self.publicKey = publicKey
        self.sealedPrivateKey = sealedPrivateKey
        self.createdAt = createdAt
    }
}

/// A member as stored. Only the SHA-256 of the member's API token is kept.
public struct MemberRecord: Sendable, Hashable {
    public var id: String
    public var organization: String
    public var name: String
    public var roles: [Role]
    public var clearance: Classification
    public var compartments: [String]
    public var topics: [String]
    public var tokenHash: Data
    public var status: MemberStatus
    public var throttled: Bool
    /// For a `liaison`: the organisation the member is seconded to.
    public var secondedTo: String?
    public var createdAt: Int64
    /// Who created the member, and so gave it its roles: a member id, `node-admin`, or `nil` when
    /// unknown (created before Tearline recorded it, with no audit record of it).
    public var createdBy: String?

    public init(
        id: String, organization: String, name: String, roles: [Role], clearance: Classification,
        compartments: [String], topics: [String], tokenHash: Data, status: MemberStatus = .active,
        throttled: Bool = false, secondedTo: String? = nil, createdAt: Int64, createdBy: String? = nil
    ) {
        self.id = id
        self.organization = organization
        self.name = name
        self.roles = zip(roles, roles.dropFirst()).allSatisfy { $0 < $1 } ? roles : Array(Set(roles)).sorted()
        self.clearance = clearance
        self.compartments = SortedStrings.make(compartments)
        self.topics = SortedStrings.make(topics)
        self.tokenHash = tokenHash
        self.status = status
        self.throttled = throttled
        self.secondedTo = secondedTo
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }

    /// True when one of the member's roles carries `duty` (see ``RoleRule``).
    public func may(_ duty: Duty) -> Bool { RoleRule.permits(duty, roles: roles) }

    /// The facts the decision rule reads.
    public var reader: Reader {
        Reader(organization: organization, clearance: clearance, compartments: compartments, topics: topics,
               isThrottled: throttled, isSuspended: status == .suspended)
    }
}

/// A partnership as stored. The pair is kept in order (`first < second`), so there is one row per
/// pair; each side's own stance (its trust in the other, its suspension) is kept apart.
public struct PartnershipRecord: Sendable, Hashable {
    public var id: String
    public var kind: PartnershipKind
    public var dominant: String?
    public var sides: PartnershipSides
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, first: String, second: String, kind: PartnershipKind, dominant: String?,
        firstStance: PartnershipStance, secondStance: PartnershipStance, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.kind = kind
        self.dominant = dominant
        let ordered = first <= second
        self.sides = PartnershipSides(
            first: ordered ? first : second, second: ordered ? second : first,
            firstStance: ordered ? firstStance : secondStance, secondStance: ordered ? secondStance : firstStance)
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// A partnership whose sides start with the same trust in each other; `suspended` means both
    /// sides start suspended (each then lifts its own).
    public init(
        id: String, first: String, second: String, kind: PartnershipKind, dominant: String?,
        trust: TrustLevel, status: PartnershipStatus, createdAt: Int64, updatedAt: Int64
    ) {
        let stance = PartnershipStance(trust: trust, suspended: status == .suspended)
        self.init(id: id, first: first, second: second, kind: kind, dominant: dominant, firstStance: stance, secondStance: stance,
                  createdAt: createdAt, updatedAt: updatedAt)
    }

    public var first: String { sides.first }
    public var second: String { sides.second }
    /// Active while neither side has suspended it.
    public var status: PartnershipStatus { sides.status }

    /// `organization`'s trust in the other side (``TrustLevel/none`` for a non-side).
    public func trust(of organization: String) -> TrustLevel { sides.stance(of: organization)?.trust ?? .none }

    /// The terms of what `originator` releases over this partnership (see ``PartnershipSides/terms(releasesFrom:)``).
    public func terms(releasesFrom originator: String) -> PartnershipTerms { sides.terms(releasesFrom: originator) }

    public func involves(_ organization: String) -> Bool { first == organization || second == organization }

    public func other(than organization: String) -> String { first == organization ? second : first }
}

/// A report with the originator's signature over its canonical content.
public struct StoredReport: Sendable, Hashable {
    public var report: Report
    public var signature: Data

    public init(report: Report, signature: Data) {
        self.report = report
        self.signature = signature
    }
}

/// A release: a tearline copy of one report for one partner.
public struct ReleaseRecord: Sendable, Hashable {
    public var id: String
    public var reportId: String
    public var originator: String
    public var recipient: String
    /// The portions it carries; ``Report/titleIndex`` marks the title.
    public var portions: PortionSet
    public var banner: Marking
    public var orconApproved: Bool
    public var createdBy: String
    public var createdAt: Int64
    public var signature: Data
    public var revokedAt: Int64?
    public var revokedBy: String?
    /// Set when the release was made by granting a consent request.
    public var consentRequestId: String?

    public init(
        id: String, reportId: String, originator: String, recipient: String, portions: PortionSet,
        banner: Marking, orconApproved: Bool, createdBy: String, createdAt: Int64, signature: Data,
        revokedAt: Int64? = nil, revokedBy: String? = nil, consentRequestId: String? = nil
    ) {
        self.id = id
        self.reportId = reportId
        self.originator = originator
        self.recipient = recipient
        self.portions = portions
        self.banner = banner
        self.orconApproved = orconApproved
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.signature = signature
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
        self.consentRequestId = consentRequestId
    }

    public var isRevoked: Bool { revokedAt != nil }
}

public enum ConsentStatus: String, Sendable, Codable, CaseIterable {
    case pending, granted, denied
}

/// A request to the originator for consent to pass a release to a third party.
public struct ConsentRequestRecord: Sendable, Hashable {
    public var id: String
    public var releaseId: String
    public var reportId: String
    public var originator: String
    public var holder: String
    public var target: String
    public var requestedBy: String
    public var status: ConsentStatus
    public var createdAt: Int64
    public var decidedBy: String?
    public var decidedAt: Int64?
    public var resultingReleaseId: String?

    public init(
        id: String, releaseId: String, reportId: String, originator: String, holder: String, target: String,
        requestedBy: String, status: ConsentStatus = .pending, createdAt: Int64, decidedBy: String? = nil,
        decidedAt: Int64? = nil, resultingReleaseId: String? = nil
    ) {
        self.id = id
        self.releaseId = releaseId
        self.reportId = reportId
        self.originator = originator
        self.holder = holder
        self.target = target
        self.requestedBy = requestedBy
        self.status = status
        self.createdAt = createdAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.resultingReleaseId = resultingReleaseId
    }
}

/// One access event. The plain table this issue asks for; a later issue chains it.
public struct AuditRecord: Sendable, Hashable {
    public var seq: Int64?
    public var at: Int64
    /// The member or `node-admin` that acted, or `nil` for an unauthenticated caller.
    public var actor: String?
    /// The actor's organisation.
    public var organization: String?
    /// The organisation whose material the event concerns (the originator), when another.
    public var concerns: String?
    /// The stored name of the ``AuditAction`` (an entry read back keeps the name it was written with).
    public var action: String
    public var object: String?
    public var decision: String
    public var reasons: [String]
    /// Non-content detail, such as counts of withheld portions. Never report text.
    public var detail: String?
    /// The entry's hash in the chain, once stored (see ``AuditChain``).
    public var hash: Data?

    public init(
        seq: Int64? = nil, at: Int64, actor: String?, organization: String?, concerns: String? = nil,
        action: AuditAction, object: String?, decision: String, reasons: [String] = [], detail: String? = nil
    ) {
        self.init(seq: seq, at: at, actor: actor, organization: organization, concerns: concerns, actionName: action.rawValue,
                  object: object, decision: decision, reasons: reasons, detail: detail)
    }

    /// An entry as stored, whose action is read back by name.
    public init(
        seq: Int64? = nil, at: Int64, actor: String?, organization: String?, concerns: String? = nil,
        actionName action: String, object: String?, decision: String, reasons: [String] = [], detail: String? = nil
    ) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.organization = organization
        self.concerns = concerns
        self.action = action
        self.object = object
        self.decision = decision
        self.reasons = reasons
        self.detail = detail
    }
}

/// A filter over the audit log.
public struct AuditQuery: Sendable, Hashable {
    /// Events by this organisation's members, or concerning its material.
    public var organization: String?
    public var actor: String?
    public var action: String?
    public var object: String?
    public var since: Int64?
    public var until: Int64?
    public var afterSeq: Int64?
    public var limit: Int
    /// Events by members of exactly this organisation.
    public var actorOrganization: String?
    /// Events concerning exactly this organisation's material.
    public var concerns: String?
    /// Only actions starting with this prefix, such as `release.`.
    public var actionPrefix: String?
    /// Newest first (the default is oldest first).
    public var newestFirst = false

    public init(
        organization: String? = nil, actor: String? = nil, action: String? = nil, object: String? = nil,
        since: Int64? = nil, until: Int64? = nil, afterSeq: Int64? = nil, limit: Int = 100
    ) {
        self.organization = organization
        self.actor = actor
        self.action = action
        self.object = object
        self.since = since
        self.until = until
        self.afterSeq = afterSeq
        self.limit = limit
    }
}

/// The text a release carries: its own copy, sealed under the release's own data key, so that
/// revoking the release (which destroys that key) destroys the copy.
public struct ReleaseContent: Sendable, Hashable, Codable {
    /// The title, when the release carries it.
    public var title: String?
    /// Text of each included portion, by portion index.
    public var portions: [Int: String]
    /// Entity mentions of the included portions.
    public var entities: [EntityMention]

    public init(title: String?, portions: [Int: String], entities: [EntityMention]) {
        self.title = title
        self.portions = portions
        self.entities = entities
    }

    /// The copy of `report` that a release with `included` portions carries.
    public init(of report: Report, included: PortionSet) {
        title = included.contains(Report.titleIndex) ? report.title : nil
        portions = Dictionary(uniqueKeysWithValues: report.portions.filter { included.contains($0.index) }.map { ($0.index, $0.text) })
        entities = report.entities.filter { included.contains($0.portion) }
    }

    /// `report` as the release holds it: the markings and metadata of the original, the text of
    /// this copy only. Portions and title the copy lacks are absent.
    public func applied(to report: Report) -> Report {
        var copy = report
        copy.title = title ?? ""
        copy.portions = report.portions.compactMap { p in
            guard let text = portions[p.index] else { return nil }
            var p = p
            p.text = text
            return p
        }
        copy.entities = entities
        return copy
    }
}

/// An alert for an organisation's `security` members, such as a member throttled for bulk reading.
public struct AlertRecord: Sendable, Hashable {
    public var id: String
    public var organization: String
    /// The member the alert is about.
    public var subject: String
    public var kind: String
    /// What happened, in counts and limits; never report text.
    public var detail: String
    public var createdAt: Int64
    public var resolvedBy: String?
    public var resolvedAt: Int64?

    public init(id: String, organization: String, subject: String, kind: String, detail: String, createdAt: Int64,
                resolvedBy: String? = nil, resolvedAt: Int64? = nil) {
        self.id = id
        self.organization = organization
        self.subject = subject
        self.kind = kind
        self.detail = detail
        self.createdAt = createdAt
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
    }
}
