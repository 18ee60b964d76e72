/// A STIX holding: one object a member posted over TAXII, held by its organisation under one marking.
public struct SharedHolding: Sendable, Hashable {
    /// The organisation whose holding it is (the poster's).
    public var owner: String
    public var marking: MarkingLabel
    /// The collection's need-to-know topics; empty when membership of the collection is the need to know.
    public var topics: TagSet

    public init(owner: String, marking: MarkingLabel, topics: TagSet = TagSet()) {
        self.owner = owner
        self.marking = marking
        self.topics = topics
    }
}

extension DecisionRule {
    /// May `reader` read a STIX holding posted to a collection?
    ///
    /// 1. The reader's organisation reads the collection (`isCollectionReader`).
    /// 2. Across organisations the holding is shared, not released, so the marking must allow
    ///    sharing with the reader's organisation: never TLP:RED, NOFORN or ORCON; the reader's
    ///    organisation in REL TO where the marking restricts release; classified content only over
    ///    an active partnership whose trust ceiling covers it; TLP content only while any
    ///    partnership between the two is active (a suspended partnership stops all sharing).
    /// 3. Clearance, compartments, need-to-know (the collection's topics, when it has any),
    ///    throttling and suspension as for any read.
    @inlinable
    public static func shared(
        _ reader: Reader, holding: SharedHolding, isCollectionReader: Bool, partnership: PartnershipTerms?
    ) -> Decision {
        var reasons = DenialReasons()
        let marking = holding.marking
        if !isCollectionReader { reasons.insert(.noAccessPath) }
        if reader.organization != holding.owner {
            if marking.tlpRed { reasons.insert(.tlpRed) }
            if marking.noforn { reasons.insert(.noforn) }
            if marking.orcon { reasons.insert(.orconNotApproved) }
            if marking.restrictsRelease && !marking.relTo.contains(id: TagTable.shared.id(reader.organization)) {
                reasons.insert(.notRelTo)
            }
            if let partnership {
                if !partnership.isActive { reasons.insert(.partnershipSuspended) }
                if marking.classification > .unclassified {
                    if let ceiling = partnership.trust.ceiling {
                        if marking.classification > ceiling { reasons.insert(.trustCeiling) }
                    } else {
                        reasons.insert(.trustCeiling)
                    }
                }
            } else if marking.classification > .unclassified {
                reasons.insert(.noPartnership)
            }
        }
        if marking.classification > reader.clearance { reasons.insert(.clearance) }
        if !marking.compartments.isSubset(of: reader.compartmentTags) { reasons.insert(.compartments) }
        if !holding.topics.isEmpty && !holding.topics.intersects(reader.topicTags) { reasons.insert(.needToKnow) }
        if reader.isThrottled { reasons.insert(.memberThrottled) }
        if reader.isSuspended { reasons.insert(.memberSuspended) }
        return .from(reasons)
    }
}
