/// What one reader may see of a report or a release: the rule applied to every portion.
public struct View: Sendable, Hashable {
    /// The portions shown, in order.
    public var shown: [Portion]
    /// The indexes withheld, each with the reasons.
    public var withheld: [WithheldPortion]
    /// Whether the title is shown.
    public var titleShown: Bool
    /// The banner of what is shown (title and portions), or `nil` when nothing is.
    public var banner: Marking?

    /// True when the reader may see nothing at all; the caller answers 404.
    public var isEmpty: Bool { shown.isEmpty }
}

public struct WithheldPortion: Sendable, Hashable {
    public var index: Int
    public var reasons: DenialReasons
    public init(index: Int, reasons: DenialReasons) {
        self.index = index
        self.reasons = reasons
    }
}

extension View {
    /// Applies ``DecisionRule/read(_:portionIndex:marking:reportTopics:hasGrant:channel:)`` to each portion.
    ///
    /// For a release, `candidates` are the portions the release carries; for the originator, all of them.
    public static func of(
        _ report: Report, for reader: Reader, hasGrant: Bool, channel: ReadChannel
    ) -> View {
        var shown: [Portion] = []
        var withheld: [WithheldPortion] = []
        shown.reserveCapacity(report.portions.count)
        for i in report.portions.indices {
            let decision = DecisionRule.read(
                reader, portionIndex: report.portions[i].index, label: report.portions[i].marking.label,
                reportTopics: report.topicTags, hasGrant: hasGrant, channel: channel)
            switch decision {
            case .allow: shown.append(report.portions[i])
            case .deny(let reasons): withheld.append(WithheldPortion(index: report.portions[i].index, reasons: reasons))
            }
        }
        let titleShown = !shown.isEmpty && DecisionRule.read(
            reader, portionIndex: Report.titleIndex, marking: report.titleMarking,
            reportTopics: report.topicTags, hasGrant: hasGrant, channel: channel).isAllowed
        let markings = shown.map(\.marking) + (titleShown ? [report.titleMarking] : [])
        return View(shown: shown, withheld: withheld, titleShown: titleShown, banner: Banner.rollUp(markings))
    }

    /// The union of the reasons over all withheld portions; what a denial of the whole view cites.
    public var allReasons: DenialReasons {
        withheld.reduce(into: DenialReasons()) { $0.formUnion($1.reasons) }
    }
}
