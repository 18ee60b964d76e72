import PropertyBased
import TearlineCore

/// Random organisations, readers, partnerships, markings and reports for the property tests.
/// Every generator is built from integer and boolean generators, so failures shrink.
enum Generators {
    static let organizations = ["USA", "GBR", "DEU", "ISR", "JOR", "IAEA", "USA-FBI", "USA-CIA"]
    static let compartmentPool = ["HCS", "SI", "TK", "G", "KDK-1"]
    static let topicPool = ["terrorism", "proliferation", "finance", "cyber", "maritime"]

    /// A subset of `pool`, chosen by a bit mask.
    static func subset(of pool: [String]) -> Generator<[String], Shrink.Integer<Int>> {
        Gen.int(in: 0...((1 << pool.count) - 1)).map { mask in
            pool.indices.filter { mask & (1 << $0) != 0 }.map { pool[$0] }
        }
    }

    /// A non-empty subset of the organisations, for REL TO.
    static let relToList = Gen.int(in: 1...((1 << organizations.count) - 1)).map { mask in
        organizations.indices.filter { mask & (1 << $0) != 0 }.map { organizations[$0] }
    }

    static let organization = Gen.int(in: 0...(organizations.count - 1)).map { organizations[$0] }

    static let classification = Gen.int(in: 0...4).map { Classification(rawValue: $0)! }

    /// TLP in about half the markings.
    static let tlp = Gen.int(in: -5...4).map { $0 < 0 ? nil : TLPLevel(rawValue: $0) }

    /// Any valid marking: compartments only when classified; NOFORN and REL TO never together;
    /// REL TO never empty.
    static let marking = zip(classification, subset(of: compartmentPool), Gen.bool(0.3), Gen.int(in: 0...2), relToList, tlp)
        .map { level, compartments, orcon, dissemination, relTo, tlp in
            Marking(
                classification: level,
                compartments: level == .unclassified ? [] : compartments,
                noforn: dissemination == 1,
                orcon: orcon,
                relTo: dissemination == 2 ? relTo : nil,
                tlp: tlp)
        }

    static let reader = zip(organization, classification, subset(of: compartmentPool), subset(of: topicPool),
                            Gen.bool(0.15), Gen.bool(0.1))
        .map { organization, clearance, compartments, topics, throttled, suspended in
            Reader(organization: organization, clearance: clearance, compartments: compartments, topics: topics,
                   isThrottled: throttled, isSuspended: suspended)
        }

    static let trust = Gen.int(in: 0...5).map { TrustLevel(rawValue: $0)! }

    static let partnership = zip(Gen.bool(0.8), trust).map { active, trust in
        PartnershipTerms(status: active ? .active : .suspended, trust: trust)
    }

    static let portions = zip(marking, Gen.bool(0.2)).array(of: 0...8).map { items in
        items.enumerated().map { index, item in
            Portion(index: index, marking: item.0, sourcesAndMethods: item.1, text: "Portion \(index).")
        }
    }

    static let report = zip(organization, marking, portions, subset(of: topicPool))
        .map { originator, titleMarking, portions, topics in
            Report(id: "r", originator: originator, title: "Title", titleMarking: titleMarking,
                   sourceGrade: Fixture.grade, topics: topics, entities: [], portions: portions,
                   createdBy: "m", createdAt: 0)
        }

    /// A set of portion indexes out of `0..<9` plus, by the top bit, the title.
    static let portionSet = Gen.int(in: 0...((1 << 10) - 1)).map { mask in
        var set = PortionSet((0..<9).filter { mask & (1 << $0) != 0 })
        if mask & (1 << 9) != 0 { set.insert(Report.titleIndex) }
        return set
    }

    /// Whether and how the reader's organisation holds the report.
    static let holding = zip(Gen.bool(0.25), Gen.bool(0.7), portionSet, Gen.bool(0.15), partnership)
        .map { isOriginator, hasRelease, portions, revoked, partnership in
            Holding(readerIsOriginator: isOriginator, hasRelease: hasRelease, releasePortions: portions,
                    revoked: revoked, partnership: partnership)
        }
}

/// The facts of the world that decide how a reader's organisation holds a report, kept as
/// plain data so the reference rule can read them without going through ``ReadChannel``.
struct Holding: Sendable {
    var readerIsOriginator: Bool
    var hasRelease: Bool
    var releasePortions: PortionSet
    var revoked: Bool
    var partnership: PartnershipTerms

    /// The reader, moved into the originator when the scenario says so (and out of it otherwise).
    func place(_ reader: Reader, for report: Report) -> Reader {
        var placed = reader
        if readerIsOriginator {
            placed.organization = report.originator
        } else if placed.organization == report.originator {
            placed.organization = "NZL"
        }
        return placed
    }

    /// The channel the server would hand the decision rule.
    func channel(for reader: Reader, of report: Report) -> ReadChannel {
        if reader.organization == report.originator { return .originator }
        guard hasRelease else { return .none }
        return .release(ReleaseFacts(portions: releasePortions, revoked: revoked, partnership: partnership))
    }
}
