/// How a reader's organisation comes to hold a report.
public enum ReadChannel: Sendable, Hashable {
    /// The reader's organisation is the originator.
    case originator
    /// The reader's organisation holds a release of the report.
    case release(ReleaseFacts)
    /// Neither: the organisation holds nothing.
    case none
}

/// The facts about a release that the decision rule reads.
public struct ReleaseFacts: Sendable, Hashable {
    public var portions: PortionSet
    public var revoked: Bool
    public var partnership: PartnershipTerms

    public init(portions: PortionSet, revoked: Bool, partnership: PartnershipTerms) {
        self.portions = portions
        self.revoked = revoked
        self.partnership = partnership
    }
}

/// The decision rule of the design: who may read a portion, and which portions may go into a
/// release. Pure, allocation-free and fast; everything else calls it.
public enum DecisionRule {
    /// May `reader` read `portion` of a report with `reportTopics`, held through `channel`?
    ///
    /// 1. The reader's organisation is the originator, or holds a release that includes the
    ///    portion, is not revoked, and whose partnership is active (and, since trust can be
    ///    lowered after a release, whose trust ceiling still covers the portion).
    /// 2. Clearance ≥ classification, and the portion's compartments ⊆ the reader's.
    /// 3. Need-to-know: the report's topics meet the reader's, or the reader holds a grant.
    /// 4. The reader is neither throttled nor suspended.
    @inlinable
    public static func read(
        _ reader: Reader,
        portionIndex: Int,
        marking: Marking,
        reportTopics: TagSet,
        hasGrant: Bool,
        channel: ReadChannel
    ) -> Decision {
        read(reader, portionIndex: portionIndex, label: marking.label, reportTopics: reportTopics, hasGrant: hasGrant, channel: channel)
    }

    /// The read rule over a marking's plain-data ``MarkingLabel``: the form the hot loops use.
    @inlinable
    public static func read(
        _ reader: Reader,
        portionIndex: Int,
        label marking: MarkingLabel,
        reportTopics: TagSet,
        hasGrant: Bool,
        channel: ReadChannel
    ) -> Decision {
        var reasons = DenialReasons()
        switch channel {
        case .originator:
            break
        case .none:
            reasons.insert(.noAccessPath)
        case .release(let release):
            if release.revoked { reasons.insert(.releaseRevoked) }
            if !release.partnership.isActive { reasons.insert(.partnershipSuspended) }
            if !release.portions.contains(portionIndex) { reasons.insert(.portionNotReleased) }
            // why: lowering trust takes effect at once on releases already made.
            if let ceiling = release.partnership.trust.ceiling {
                if marking.classification > ceiling { reasons.insert(.trustCeiling) }
            } else {
                reasons.insert(.trustCeiling)
            }
        }
        if marking.classification > reader.clearance { reasons.insert(.clearance) }
        if !marking.compartments.isSubset(of: reader.compartmentTags) { reasons.insert(.compartments) }
        if !hasGrant && !reportTopics.intersects(reader.topicTags) { reasons.insert(.needToKnow) }
        if reader.isThrottled { reasons.insert(.memberThrottled) }
        if reader.isSuspended { reasons.insert(.memberSuspended) }
        return .from(reasons)
    }

    /// May this portion go into a release from `originator` to `partner`?
    ///
    /// - The partnership exists and is active.
    /// - The classification is at or below the partnership's trust ceiling.
    /// - The portion is neither sources-and-methods nor NOFORN (nor TLP:RED).
    /// - The partner is in REL TO, where the portion restricts release (every classified portion).
    /// - An ORCON portion has the originator's explicit approval for this partner.
    @inlinable
    public static func release(
        marking: Marking,
        sourcesAndMethods: Bool,
        originator: String,
        partner: String,
        partnership: PartnershipTerms?,
        orconApproved: Bool
    ) -> Decision {
        release(label: marking.label, sourcesAndMethods: sourcesAndMethods, originator: originator, partner: partner,
                partnerTag: TagTable.shared.id(partner), partnership: partnership, orconApproved: orconApproved)
    }

    /// The release rule over a ``MarkingLabel``, with the partner's interned id computed once per release.
    @inlinable
    public static func release(
        label marking: MarkingLabel,
        sourcesAndMethods: Bool,
        originator: String,
        partner: String,
        partnerTag: UInt32,
        partnership: PartnershipTerms?,
        orconApproved: Bool
    ) -> Decision {
        var reasons = DenialReasons()
        if partner == originator { reasons.insert(.selfRelease) }
        if let partnership {
            if !partnership.isActive { reasons.insert(.partnershipSuspended) }
            if let ceiling = partnership.trust.ceiling {
                if marking.classification > ceiling { reasons.insert(.trustCeiling) }
            } else {
                reasons.insert(.trustCeiling)
            }
        } else {
            reasons.insert(.noPartnership)
        }
        if sourcesAndMethods { reasons.insert(.sourcesAndMethods) }
        if marking.noforn { reasons.insert(.noforn) }
        if marking.tlpRed { reasons.insert(.tlpRed) }
        if marking.restrictsRelease && !marking.relTo.contains(id: partnerTag) { reasons.insert(.notRelTo) }
        if marking.orcon && !orconApproved { reasons.insert(.orconNotApproved) }
        return .from(reasons)
    }

    /// May an organisation that holds a report pass it to another organisation directly?
    ///
    /// why: the third-party rule — only the originator passes its material on. A recipient's
    /// attempt is refused and becomes a consent request to the originator.
    @inlinable
    public static func forward(holder: String, originator: String) -> Decision {
        holder == originator ? .allow : .deny(.thirdPartyRule)
    }

    /// May a member author a portion with this marking? Nobody writes above their own access.
    @inlinable
    public static func author(_ reader: Reader, marking: Marking) -> Decision {
        var reasons = DenialReasons()
        if marking.classification > reader.clearance || !marking.label.compartments.isSubset(of: reader.compartmentTags) {
            reasons.insert(.markingAboveAuthor)
        }
        if reader.isSuspended { reasons.insert(.memberSuspended) }
        return .from(reasons)
    }
}
