import TearlineCore

/// Small builders shared by the example-based tests. Markings are written in their printed
/// form so a test reads like the marking an analyst would see.
enum Fixture {
    /// Parses a marking known to be valid; a typo in a test is a test bug, so it traps.
    static func marking(_ text: String) -> Marking {
        do {
            return try Marking.parse(text)
        } catch {
            fatalError("fixture marking \(text) does not parse: \(error)")
        }
    }

    static func portion(_ index: Int, _ marking: String, sourcesAndMethods: Bool = false, text: String? = nil) -> Portion {
        Portion(index: index, marking: Fixture.marking(marking), sourcesAndMethods: sourcesAndMethods,
                text: text ?? "Portion \(index) text.")
    }

    static let grade: SourceGrade = {
        do { return try SourceGrade(code: "B2") } catch { fatalError("B2 is a valid grade") }
    }()

    static func report(
        originator: String = "USA",
        titleMarking: String = "UNCLASSIFIED",
        topics: [String] = ["terrorism"],
        portions: [Portion],
        entities: [EntityMention] = []
    ) -> Report {
        Report(
            id: "r-1", originator: originator, title: "Courier network", titleMarking: marking(titleMarking),
            sourceGrade: grade, topics: topics, entities: entities, portions: portions,
            createdBy: "m-1", createdAt: 1_700_000_000_000)
    }

    static func reader(
        _ organization: String = "USA",
        clearance: Classification = .topSecret,
        compartments: [String] = [],
        topics: [String] = ["terrorism"],
        throttled: Bool = false,
        suspended: Bool = false
    ) -> Reader {
        Reader(organization: organization, clearance: clearance, compartments: compartments, topics: topics,
               isThrottled: throttled, isSuspended: suspended)
    }

    static let activeHigh = PartnershipTerms(status: .active, trust: .high)
    static let activeFull = PartnershipTerms(status: .active, trust: .full)
    static let suspendedHigh = PartnershipTerms(status: .suspended, trust: .high)

    /// A release channel over the given portion indexes.
    static func release(
        _ portions: [Int], revoked: Bool = false, partnership: PartnershipTerms = activeHigh
    ) -> ReadChannel {
        .release(ReleaseFacts(portions: PortionSet(portions), revoked: revoked, partnership: partnership))
    }
}

extension Decision {
    /// The stable codes of a denial; empty when allowed.
    var codes: [String] { reasons.codes }
}
