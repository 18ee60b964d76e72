/// Machine-readable reasons for a denial. A set, so one decision can name every rule it broke
/// without allocating. The ``codes`` are stable API values.
public struct DenialReasons: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    // Reading (rule 1–4).
    /// The reader's organisation is not the originator and holds no release of the report.
    public static let noAccessPath = DenialReasons(rawValue: 1 << 0)
    /// The release was revoked by the originator.
    public static let releaseRevoked = DenialReasons(rawValue: 1 << 1)
    /// The partnership the release went over is suspended.
    public static let partnershipSuspended = DenialReasons(rawValue: 1 << 2)
    /// The release does not include this portion.
    public static let portionNotReleased = DenialReasons(rawValue: 1 << 3)
    /// The portion is above the ceiling that the partnership's trust level allows.
    public static let trustCeiling = DenialReasons(rawValue: 1 << 4)
    /// The member's clearance is below the portion's classification.
    public static let clearance = DenialReasons(rawValue: 1 << 5)
    /// The member lacks one of the portion's compartments.
    public static let compartments = DenialReasons(rawValue: 1 << 6)
    /// The report's topics do not meet the member's, and the member holds no grant.
    public static let needToKnow = DenialReasons(rawValue: 1 << 7)
    public static let memberThrottled = DenialReasons(rawValue: 1 << 8)
    public static let memberSuspended = DenialReasons(rawValue: 1 << 9)

    // Releasing.
    /// There is no partnership between the originator and the partner.
    public static let noPartnership = DenialReasons(rawValue: 1 << 10)
    /// The portion is flagged sources-and-methods and never leaves the originator.
    public static let sourcesAndMethods = DenialReasons(rawValue: 1 << 11)
    public static let noforn = DenialReasons(rawValue: 1 << 12)
    /// The partner is not in the portion's REL TO (or a classified portion has none).
    public static let notRelTo = DenialReasons(rawValue: 1 << 13)
    /// An ORCON portion without the originator's explicit approval for this partner.
    public static let orconNotApproved = DenialReasons(rawValue: 1 << 14)
    /// TLP:RED is for its named recipients only.
    public static let tlpRed = DenialReasons(rawValue: 1 << 15)
    /// The originator cannot release to itself.
    public static let selfRelease = DenialReasons(rawValue: 1 << 16)

    // Passing on.
    /// A recipient may not pass a release on without the originator's consent.
    public static let thirdPartyRule = DenialReasons(rawValue: 1 << 17)

    // Authority.
    /// The member lacks the role the action needs.
    public static let roleRequired = DenialReasons(rawValue: 1 << 18)
    /// The member may not author a portion above their own clearance or compartments.
    public static let markingAboveAuthor = DenialReasons(rawValue: 1 << 19)

    // Federation.
    /// A release from a partner node whose originator's signature does not verify.
    public static let badSignature = DenialReasons(rawValue: 1 << 20)

    // Partnerships.
    /// A side asked to lift a suspension that only the other side imposed; only that side lifts it.
    public static let imposedByPartner = DenialReasons(rawValue: 1 << 24)

    // Granting and lifting (``GrantRule``, ``ThrottleLiftRule``).
    /// A clearance or compartment granted above what the granting member holds.
    public static let grantAboveGranter = DenialReasons(rawValue: 1 << 28)
    /// The lifter is the throttled member, or was created or given a role by it.
    public static let conflictOfInterest = DenialReasons(rawValue: 1 << 29)

    /// Every reason with its stable code, in a fixed order.
    public static let catalogue: [(DenialReasons, String)] = [
        (.noAccessPath, "no-access-path"),
        (.releaseRevoked, "release-revoked"),
        (.partnershipSuspended, "partnership-suspended"),
        (.portionNotReleased, "portion-not-released"),
        (.trustCeiling, "trust-ceiling"),
        (.clearance, "clearance"),
        (.compartments, "compartments"),
        (.needToKnow, "need-to-know"),
        (.memberThrottled, "member-throttled"),
        (.memberSuspended, "member-suspended"),
        (.noPartnership, "no-partnership"),
        (.sourcesAndMethods, "sources-and-methods"),
        (.noforn, "noforn"),
        (.notRelTo, "not-rel-to"),
        (.orconNotApproved, "orcon-not-approved"),
        (.tlpRed, "tlp-red"),
        (.selfRelease, "self-release"),
        (.thirdPartyRule, "third-party-rule"),
        (.roleRequired, "role-required"),
        (.markingAboveAuthor, "marking-above-author"),
        (.badSignature, "bad-signature"),
        (.imposedByPartner, "imposed-by-partner"),
        (.grantAboveGranter, "grant-above-granter"),
        (.conflictOfInterest, "conflict-of-interest"),
    ]

    /// The stable codes of the reasons in this set.
    public var codes: [String] {
        Self.catalogue.compactMap { contains($0.0) ? $0.1 : nil }
    }

    /// The reasons named by `codes`; unknown codes are ignored.
    public init(codes: [String]) {
        var set = DenialReasons()
        for (reason, code) in Self.catalogue where codes.contains(code) { set.insert(reason) }
        self = set
    }
}

/// The outcome of the decision rule: allow, or deny with reasons.
public enum Decision: Sendable, Hashable {
    case allow
    case deny(DenialReasons)

    @inlinable public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }

    /// The reasons for a denial; empty when allowed.
    public var reasons: DenialReasons {
        if case .deny(let reasons) = self { return reasons }
        return []
    }

    @inlinable static func from(_ reasons: DenialReasons) -> Decision {
        reasons.isEmpty ? .allow : .deny(reasons)
    }
}
