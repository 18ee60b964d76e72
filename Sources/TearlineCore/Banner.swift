/// Rolls portion markings up into the banner of a report or of a view of it.
public enum Banner {
    /// The banner of the given portions, or `nil` when there are none.
    ///
    /// - The classification is the highest of the portions.
    /// - Compartments and ORCON are the union.
    /// - TLP is the most restrictive level present.
    /// - REL TO is the intersection over the portions that restrict release (every classified
    ///   portion, and any portion with an explicit REL TO); a classified portion without REL TO
    ///   has an empty set, because foreign release is denied by default.
    /// - An empty intersection, or any NOFORN portion, gives NOFORN.
    public static func rollUp<S: Sequence>(_ markings: S) -> Marking? where S.Element == Marking {
        var any = false
        var classification = Classification.unclassified
        var compartments = Set<String>()
        var orcon = false
        var noforn = false
        var tlp: TLPLevel?
        var relTo: [String]?
        var restricted = false

        for marking in markings {
            any = true
            classification = max(classification, marking.classification)
            compartments.formUnion(marking.compartments)
            orcon = orcon || marking.orcon
            noforn = noforn || marking.noforn
            if let level = marking.tlp { tlp = max(tlp ?? level, level) }
            if marking.restrictsRelease {
                let set = marking.relTo ?? []
                relTo = restricted ? SortedStrings.intersection(relTo ?? [], set) : set
                restricted = true
            }
        }
        guard any else { return nil }
        // why: an empty intersection means no partner may receive every portion: NOFORN.
        if restricted && (relTo ?? []).isEmpty { noforn = true }
        return Marking(
            classification: classification,
            compartments: Array(compartments),
            noforn: noforn,
            orcon: orcon,
            relTo: noforn ? nil : relTo,
            tlp: tlp
        )
    }
}
