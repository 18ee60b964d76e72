import TearlineCore

/// Times the per-portion decision rule over random readers, markings and channels.
enum DecisionBenchmark {
    struct Figures {
        var readNanoseconds: Double
        var releaseNanoseconds: Double
        var evaluations: Int
        var allowed: Int
    }

    static func run(evaluations: Int) -> Figures {
        var rng = SplitMix64(seed: 42)
        let orgs = ["USA", "GBR", "DEU", "ISR", "FRA", "CAN", "AUS", "NZL"]
        let compartmentNames = ["HCS", "SI", "TK", "G", "KDK"]
        let topicNames = ["counter-terrorism", "iran", "soviet-union", "cyber", "proliferation", "maritime"]
        func pick(_ xs: [String], _ n: Int) -> [String] { (0..<n).map { _ in xs[Int(rng.next() % UInt64(xs.count))] } }

        var readers: [Reader] = []
        var markings: [Marking] = []
        var topics: [TagSet] = []
        var channels: [ReadChannel] = []
        for _ in 0..<1024 {
            readers.append(Reader(
                organization: orgs[Int(rng.next() % 8)], clearance: Classification(rawValue: Int(rng.next() % 5))!,
                compartments: pick(compartmentNames, Int(rng.next() % 3)), topics: pick(topicNames, 1 + Int(rng.next() % 3))))
            let classification = Classification(rawValue: Int(rng.next() % 5))!
            let noforn = rng.next() % 6 == 0
            markings.append(Marking(
                classification: classification, compartments: classification > .confidential ? pick(compartmentNames, Int(rng.next() % 2)) : [],
                noforn: noforn, orcon: rng.next() % 5 == 0, relTo: noforn ? nil : pick(orgs, 1 + Int(rng.next() % 4))))
            topics.append(TagSet(pick(topicNames, 1 + Int(rng.next() % 2))))
            channels.append(rng.next() % 3 == 0 ? .originator : .release(ReleaseFacts(
                portions: PortionSet((0..<8).filter { _ in rng.next() % 4 != 0 }), revoked: rng.next() % 10 == 0,
                partnership: PartnershipTerms(status: rng.next() % 10 == 0 ? .suspended : .active, trust: TrustLevel(rawValue: Int(rng.next() % 6))!))))
        }

        var allowed = 0
        let clock = ContinuousClock()
        // As the server does: one reader, report and channel per request, the rule applied to each
        // of the report's portions. Per-request set-up is outside the portion loop, as in View.of.
        let portionsPerRequest = 16
        let readTime = clock.measure {
            markings.withUnsafeBufferPointer { markings in
                for request in 0..<(evaluations / portionsPerRequest) {
                    allowed &+= evaluate(
                        readers[request & 1023], topics: topics[(request &* 13) & 1023], channel: channels[(request &* 5) & 1023],
                        markings: markings, start: request &* 7, count: portionsPerRequest)
                }
            }
        }
        let terms = PartnershipTerms(status: .active, trust: .high)
        // As ReleasePlan does: the partner's interned id once per release, the rule per portion.
        let partnerTags = orgs.map { TagTable.shared.id($0) }
        let releaseTime = clock.measure {
            markings.withUnsafeBufferPointer { markings in
                for i in 0..<evaluations {
                    let decision = DecisionRule.release(
                        label: markings[i & 1023].label, sourcesAndMethods: i & 15 == 0, originator: "USA", partner: orgs[i & 7],
                        partnerTag: partnerTags[i & 7], partnership: terms, orconApproved: i & 1 == 0)
                    if decision.isAllowed { allowed &+= 1 }
                }
            }
        }
        return Figures(
            readNanoseconds: nanoseconds(readTime) / Double(evaluations),
            releaseNanoseconds: nanoseconds(releaseTime) / Double(evaluations),
            evaluations: evaluations, allowed: allowed)
    }

    @inline(never)
    static func evaluate(
        _ reader: Reader, topics: TagSet, channel: ReadChannel, markings: UnsafeBufferPointer<Marking>, start: Int, count: Int
    ) -> Int {
        var allowed = 0
        for k in 0..<count {
            let decision = DecisionRule.read(
                reader, portionIndex: k & 7, label: markings[(start &+ k) & 1023].label, reportTopics: topics, hasGrant: false,
                channel: channel)
            if decision.isAllowed { allowed &+= 1 }
        }
        return allowed
    }

    static func nanoseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
    }
}

/// A small deterministic generator, so every run measures the same data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
