import PropertyBased
import Testing
import TearlineCore

@Suite("Decision rule properties")
struct DecisionRulePropertyTests {
    // MARK: (1) A view shows exactly what the read rule allows.

    @Test func viewShowsExactlyWhatTheReadRuleAllows() async {
        await propertyCheck(count: 500, input: Generators.report, Generators.reader, Generators.holding, Gen.bool(0.2)) {
            report, rawReader, holding, hasGrant in
            let reader = holding.place(rawReader, for: report)
            let channel = holding.channel(for: reader, of: report)
            let view = View.of(report, for: reader, hasGrant: hasGrant, channel: channel)
            let shown = Set(view.shown.map(\.index))
            let withheld = Dictionary(uniqueKeysWithValues: view.withheld.map { ($0.index, $0.reasons) })

            for portion in report.portions {
                let decision = DecisionRule.read(reader, portionIndex: portion.index, marking: portion.marking,
                                                 reportTopics: report.topicTags, hasGrant: hasGrant, channel: channel)
                let reference = ReferenceRule.read(reader, index: portion.index, marking: portion.marking,
                                                   report: report, hasGrant: hasGrant, holding: holding)
                // The rule agrees with DESIGN.md restated, reason for reason.
                #expect(Set(decision.reasons.codes) == reference, "portion \(portion.index) \(portion.marking)")
                if decision.isAllowed {
                    #expect(shown.contains(portion.index), "allowed portion \(portion.index) missing from the view")
                    #expect(withheld[portion.index] == nil)
                } else {
                    #expect(!shown.contains(portion.index), "denied portion \(portion.index) shown")
                    #expect(withheld[portion.index] == decision.reasons)
                }
            }
            // Nothing appears that the report does not hold, and every portion is accounted for once.
            #expect(view.shown.count + view.withheld.count == report.portions.count)
            #expect(view.shown == report.portions.filter { shown.contains($0.index) })

            let titleReference = ReferenceRule.read(reader, index: Report.titleIndex, marking: report.titleMarking,
                                                    report: report, hasGrant: hasGrant, holding: holding)
            #expect(view.titleShown == (!view.shown.isEmpty && titleReference.isEmpty))
            #expect(view.isEmpty == view.shown.isEmpty)
        }
    }

    // MARK: (2) The banner of a view dominates everything it shows.

    @Test func viewBannerDominatesWhatItShows() async {
        await propertyCheck(count: 500, input: Generators.report, Generators.reader, Generators.holding, Gen.bool(0.2)) {
            report, rawReader, holding, hasGrant in
            let reader = holding.place(rawReader, for: report)
            let view = View.of(report, for: reader, hasGrant: hasGrant, channel: holding.channel(for: reader, of: report))
            let markings = view.shown.map(\.marking) + (view.titleShown ? [report.titleMarking] : [])
            guard let banner = view.banner else {
                #expect(view.shown.isEmpty, "a view that shows something has a banner")
                return
            }
            for marking in markings {
                #expect(banner.dominates(marking), "\(banner) does not dominate \(marking)")
                #expect(banner.classification >= marking.classification)
            }
            #expect(banner.classification == markings.map(\.classification).max())
            #expect(banner == ReferenceRule.banner(markings))
        }
    }

    @Test func releasePlanBannerDominatesWhatItIncludes() async {
        await propertyCheck(count: 500, input: Generators.report, Generators.organization, Generators.partnership.optional(valueRate: 0.9),
                            Gen.bool, Generators.portionSet.optional(valueRate: 0.3)) {
            report, partner, partnership, orconApproved, candidates in
            let plan = ReleasePlan.make(report, candidates: candidates, to: partner, partnership: partnership,
                                        orconApproved: orconApproved)
            let markings = plan.includedPortions.map(\.marking) + (plan.titleIncluded ? [report.titleMarking] : [])
            guard let banner = plan.banner else {
                #expect(plan.isEmpty)
                return
            }
            for marking in markings {
                #expect(banner.dominates(marking), "\(banner) does not dominate \(marking)")
                #expect(banner.classification >= marking.classification)
            }
            #expect(banner == ReferenceRule.banner(markings))
            // Every included portion names the partner where it restricts release, so the banner does too.
            #expect(!banner.noforn)
            if banner.restrictsRelease { #expect(banner.relTo?.contains(partner) == true) }
        }
    }

    // MARK: (3) A release plan holds exactly the portions the release rule allows.

    @Test func releasePlanHoldsExactlyWhatTheReleaseRuleAllows() async {
        await propertyCheck(count: 500, input: Generators.report, Generators.organization, Generators.partnership.optional(valueRate: 0.9),
                            Gen.bool, Generators.portionSet.optional(valueRate: 0.3)) {
            report, partner, partnership, orconApproved, candidates in
            let plan = ReleasePlan.make(report, candidates: candidates, to: partner, partnership: partnership,
                                        orconApproved: orconApproved)
            let withheld = Dictionary(uniqueKeysWithValues: plan.withheld.map { ($0.index, $0.reasons) })

            for portion in plan.includedPortions {
                let marking = portion.marking
                // The conditions of DESIGN.md, one by one.
                #expect(partnership?.status == .active, "partnership active")
                #expect(ReferenceRule.rank(marking.classification) <= ReferenceRule.ceilingRank(partnership?.trust ?? .none), "within the trust ceiling")
                #expect(!portion.sourcesAndMethods, "not sources-and-methods")
                #expect(!marking.noforn, "not NOFORN")
                if marking.classification != .unclassified {
                    #expect(marking.relTo?.contains(partner) == true, "partner in REL TO of a classified portion")
                }
                if marking.orcon { #expect(orconApproved, "ORCON only with approval") }
                #expect(partner != report.originator)
                #expect(candidates?.contains(portion.index) ?? true, "only candidates pass on")
            }

            for portion in report.portions {
                let reference: Set<String> = if let candidates, !candidates.contains(portion.index) {
                    ["portion-not-released"]
                } else {
                    ReferenceRule.release(marking: portion.marking, sourcesAndMethods: portion.sourcesAndMethods,
                                          originator: report.originator, partner: partner,
                                          partnership: partnership, orconApproved: orconApproved)
                }
                if reference.isEmpty {
                    #expect(plan.included.contains(portion.index), "releasable portion \(portion.index) left out")
                    #expect(withheld[portion.index] == nil)
                } else {
                    #expect(!plan.included.contains(portion.index), "portion \(portion.index) released despite \(reference)")
                    #expect(withheld[portion.index].map { Set($0.codes) } == reference)
                }
            }
            #expect(plan.includedPortions.map(\.index) == plan.included.indexes.filter { $0 != Report.titleIndex })

            let titleReference = ReferenceRule.release(
                marking: report.titleMarking, sourcesAndMethods: false, originator: report.originator,
                partner: partner, partnership: partnership, orconApproved: orconApproved)
            let titleCandidate = candidates?.contains(Report.titleIndex) ?? true
            #expect(plan.titleIncluded == (!plan.isEmpty && titleCandidate && titleReference.isEmpty))
            #expect(plan.included.contains(Report.titleIndex) == plan.titleIncluded)
        }
    }

    // MARK: Release then read: a recipient never sees what could not be released.

    @Test func recipientSeesOnlyReleasablePortions() async {
        await propertyCheck(count: 300, input: Generators.report, Generators.reader, Generators.partnership, Gen.bool,
                            Generators.partnership) {
            report, rawReader, terms, orconApproved, laterTerms in
            var reader = rawReader
            if reader.organization == report.originator { reader.organization = "NZL" }
            let plan = ReleasePlan.make(report, to: reader.organization, partnership: terms, orconApproved: orconApproved)
            // The partnership may since have been suspended or its trust lowered.
            let channel = ReadChannel.release(ReleaseFacts(portions: plan.included, revoked: false, partnership: laterTerms))
            let view = View.of(report, for: reader, hasGrant: true, channel: channel)
            for portion in view.shown {
                #expect(plan.included.contains(portion.index))
                #expect(ReferenceRule.release(marking: portion.marking, sourcesAndMethods: portion.sourcesAndMethods,
                                              originator: report.originator, partner: reader.organization,
                                              partnership: terms, orconApproved: orconApproved).isEmpty)
                #expect(laterTerms.isActive)
                #expect(ReferenceRule.rank(portion.marking.classification) <= ReferenceRule.ceilingRank(laterTerms.trust))
            }
        }
    }

    // MARK: Denials never come empty, and third parties never receive.

    @Test func everyDenialNamesAReason() async {
        await propertyCheck(count: 300, input: Generators.reader, Generators.marking, Generators.holding, Generators.report) {
            rawReader, marking, holding, report in
            let reader = holding.place(rawReader, for: report)
            let read = DecisionRule.read(reader, portionIndex: 0, marking: marking, reportTopics: report.topicTags,
                                         hasGrant: false, channel: holding.channel(for: reader, of: report))
            if case .deny(let reasons) = read { #expect(!reasons.isEmpty) }
            let author = DecisionRule.author(reader, marking: marking)
            let aboveAuthor = ReferenceRule.rank(marking.classification) > ReferenceRule.rank(reader.clearance)
                || !Set(marking.compartments).isSubset(of: Set(reader.compartments))
            #expect(author.reasons.contains(.markingAboveAuthor) == aboveAuthor)
            #expect(author.reasons.contains(.memberSuspended) == reader.isSuspended)
            #expect(DecisionRule.forward(holder: reader.organization, originator: report.originator).isAllowed
                == (reader.organization == report.originator))
        }
    }
}
