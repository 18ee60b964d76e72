/// Which portions of a report may go to a partner, and why the others may not.
public struct ReleasePlan: Sendable, Hashable {
    public var included: PortionSet
    public var includedPortions: [Portion]
    public var titleIncluded: Bool
    public var withheld: [WithheldPortion]
    /// The banner of what the release carries, or `nil` when nothing may go.
    public var banner: Marking?

    public var isEmpty: Bool { includedPortions.isEmpty }

    /// Applies ``DecisionRule/release(marking:sourcesAndMethods:originator:partner:partnership:orconApproved:)``
    /// to each portion of `report` (or of `candidates`, when passing on a subset such as a
    /// release being forwarded with consent).
    ///
    /// - Parameter orconApproved: the originator's explicit approval of ORCON portions for this partner.
    public static func make(
        _ report: Report,
        candidates: PortionSet? = nil,
        to partner: String,
        partnership: PartnershipTerms?,
        orconApproved: Bool
    ) -> ReleasePlan {
        var included = PortionSet()
        var includedPortions: [Portion] = []
        var withheld: [WithheldPortion] = []
        let partnerTag = TagTable.shared.id(partner)
        for portion in report.portions {
            if let candidates, !candidates.contains(portion.index) {
                withheld.append(WithheldPortion(index: portion.index, reasons: .portionNotReleased))
                continue
            }
            let decision = DecisionRule.release(
                label: portion.marking.label, sourcesAndMethods: portion.sourcesAndMethods,
                originator: report.originator, partner: partner, partnerTag: partnerTag, partnership: partnership,
                orconApproved: orconApproved)
            switch decision {
            case .allow:
                included.insert(portion.index)
                includedPortions.append(portion)
            case .deny(let reasons):
                withheld.append(WithheldPortion(index: portion.index, reasons: reasons))
            }
        }
        let titleAllowed = !includedPortions.isEmpty
            && (candidates?.contains(Report.titleIndex) ?? true)
            && DecisionRule.release(
                marking: report.titleMarking, sourcesAndMethods: false, originator: report.originator,
                partner: partner, partnership: partnership, orconApproved: orconApproved).isAllowed
        if titleAllowed { included.insert(Report.titleIndex) }
        let markings = includedPortions.map(\.marking) + (titleAllowed ? [report.titleMarking] : [])
        return ReleasePlan(
            included: included, includedPortions: includedPortions, titleIncluded: titleAllowed,
            withheld: withheld, banner: Banner.rollUp(markings))
    }

    /// The reasons that apply to every portion, when nothing may go at all.
    public var commonReasons: DenialReasons {
        guard let first = withheld.first?.reasons else { return [] }
        return withheld.dropFirst().reduce(first) { $0.intersection($1.reasons) }
    }
}
