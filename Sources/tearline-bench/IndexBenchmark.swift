import Foundation
import TearlineCore
import TearlineServer
import TearlineStore

/// The entity index at scale: a seeded generator makes `reports` reports with 10 entity mentions
/// each (one entity, the "hot" one, in exactly 10,000 of them); the benchmark measures building
/// the in-memory postings, searching the hot entity with policy filtering, ingesting the same
/// reports into the SQLite store (sealing, portions, mentions), the index's size on disk,
/// reloading it at start, and an audited search through the service.
enum IndexBenchmark {
    static let organizations = (0..<20).map { String(format: "AG%02d", $0) }
    static let topics = (0..<20).map { String(format: "t%02d", $0) }
    static let markings = ["(U)", "(C)", "(S)", "(S//REL TO AG00, AG01, AG02, AG03)", "(C//REL TO AG00, AG05)", "(S//NF)"]
    static let distinctEntities = 1_000_000
    static let hotEntity = distinctEntities
    static let hotPostings = 10_000

    /// A small, fast, seeded generator (SplitMix64): the same seed gives the same data.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// One generated report: everything both phases need.
    struct Generated {
        var id: String
        var originator: Int
        var topics: [String]
        var markings: [Int]
        var discoverability: Discoverability
        var mentions: [(entity: Int, portion: Int)]
        var releaseTo: Int?
    }

    static func generate(_ i: Int, totalReports: Int) -> Generated {
        var g = Generator(state: UInt64(i) &* 0x2545_F491_4F6C_DD1D &+ 42)
        let originator = g.below(organizations.count)
        let chosenTopics = [topics[g.below(topics.count)], topics[g.below(topics.count)]]
        let markings = (0..<3).map { _ in g.below(IndexBenchmark.markings.count) }
        let roll = g.below(10)
        let discoverability: Discoverability = switch roll {
        case 0..<4: .ownOrganization
        case 4..<7: .allPartners
        case 7..<9: .partners([organizations[g.below(organizations.count)], organizations[g.below(organizations.count)]])
        default: .none
        }
        var entities = Set<Int>()
        // The hot entity sits in exactly `hotPostings` reports, spread evenly.
        if i % max(1, totalReports / hotPostings) == 0, i / max(1, totalReports / hotPostings) < hotPostings { entities.insert(hotEntity) }
        while entities.count < 10 {
            // Skewed towards low numbers, as real entities are: a few are everywhere, most are rare.
            entities.insert(Int(pow(g.unit(), 3) * Double(distinctEntities)))
        }
        let mentions = entities.sorted().map { (entity: $0, portion: g.below(3)) }
        let releaseTo = g.below(10) == 0 ? (originator + 1 + g.below(organizations.count - 1)) % organizations.count : nil
        return Generated(id: String(format: "rpt_%08d", i), originator: originator, topics: chosenTopics, markings: markings,
                         discoverability: discoverability, mentions: mentions, releaseTo: releaseTo)
    }

    /// The entity as a report names it.
    static func mention(_ n: Int) -> (kind: EntityKind, value: String) {
        if n == hotEntity { return (.person, "Vasily Petrov") }
        switch n % 6 {
        case 0: return (.person, "Person \(n)")
        case 1: return (.organization, "Company \(n) Ltd")
        case 2: return (.vessel, "MV Vessel \(n)")
        case 3: return (.phone, "+44 20 \(String(format: "%07d", n))")
        case 4: return (.ipv4, "10.\((n >> 16) & 255).\((n >> 8) & 255).\(n & 255)")
        default: return (.email, "user\(n)@example.org")
        }
    }

    /// The in-memory phase's stand-in for the store's keyed hash: a fixed mix of the entity number.
    static func blindId(_ n: Int) -> UInt64 {
        var g = Generator(state: UInt64(n))
        return g.next() & 0x7FFF_FFFF_FFFF_FFFF
    }

    /// Member of AG00, SECRET, half the topics; partnerships with AG01–AG09 active, AG10–AG14 suspended.
    static func asker(clearance: Classification = .secret, topicCount: Int = 10) -> Asker {
        var partnerships: [String: PartnershipTerms] = [:]
        for i in 1..<15 { partnerships[organizations[i]] = PartnershipTerms(status: i < 10 ? .active : .suspended, trust: .high) }
        return Asker(reader: Reader(organization: "AG00", clearance: clearance, topics: Array(topics.prefix(topicCount))), partnerships: partnerships)
    }

    static let labels: [IndexedPortion] = markings.map { IndexedPortion(label: try! Marking.parse($0).label, sourcesAndMethods: $0.contains("NF")) }

    struct Figures {
        var reports: Int
        var mentions: Int
        var buildPerSecond: Double
        var indexMegabytes: Double
        var rssGrowthMegabytes: Double
        var searchP50: Double
        var searchP99: Double
        var hits: Int
        var pointers: Int
        var widerP50: Double
        var widerP99: Double
        var widerHits: Int
    }

    /// Phase 1: the in-memory postings and policy facts, built and searched.
    static func inMemory(reports: Int) -> Figures {
        // Generated first, so that only indexing is timed.
        var input: [(IndexedReport, IndexedRelease?)] = []
        input.reserveCapacity(reports)
        for i in 0..<reports {
            let r = generate(i, totalReports: reports)
            let report = IndexedReport(
                id: r.id, originator: organizations[r.originator], topics: TagSet(r.topics), portions: r.markings.map { labels[$0] },
                discoverability: r.discoverability, mentions: r.mentions.map { IndexedMention(entity: blindId($0.entity), portion: $0.portion) })
            input.append((report, r.releaseTo.map { IndexedRelease(id: "rel_\(i)", recipient: organizations[$0], portions: PortionSet([0, 1]), revoked: false) }))
        }
        let rssBefore = residentMegabytes()
        var index = EntityIndex()
        let start = Date()
        for (report, release) in input {
            index.add(report)
            if let release { index.record(release, ofReport: report.id) }
        }
        let buildSeconds = Date().timeIntervalSince(start)
        let rssGrowth = residentMegabytes() - rssBefore
        input = []
        let hot = blindId(hotEntity)
        precondition(index.postingCount(hot) == hotPostings, "the hot entity has \(index.postingCount(hot)) postings")
        let (p50, p99, result) = latencies { index.search(hot, for: asker(), limit: 20) }
        let (wp50, wp99, wider) = latencies { index.search(hot, for: asker(clearance: .topSecret, topicCount: 20), limit: 20) }
        return Figures(reports: reports, mentions: index.mentionCount, buildPerSecond: Double(reports) / buildSeconds,
                       indexMegabytes: Double(index.approximateBytes) / 1_048_576, rssGrowthMegabytes: rssGrowth,
                       searchP50: p50, searchP99: p99, hits: result.hitCount, pointers: result.pointers.reduce(0) { $0 + $1.count },
                       widerP50: wp50, widerP99: wp99, widerHits: wider.hitCount)
    }

    /// Runs `body` 2,000 times after 100 warm-up runs; p50 and p99 in milliseconds.
    static func latencies<T>(_ body: () -> T) -> (Double, Double, T) {
        var last = body()
        for _ in 0..<100 { last = body() }
        var samples: [Double] = []
        for _ in 0..<2000 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            last = body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        samples.sort()
        return (samples[samples.count / 2], samples[samples.count * 99 / 100], last)
    }

    struct StoreFigures {
        var ingestPerSecond: Double
        var mentionRows: Int
        var entityRows: Int
        var indexTablesMegabytes: Double
        var databaseMegabytes: Double
        var reloadSeconds: Double
        var serviceP50: Double
        var serviceP99: Double
        var served: Int
    }

    static let unlimited = ThrottleLimits(distinctReads: 1 << 40, searchResults: 1 << 40, exports: 1 << 40, deniedReads: 1 << 40, window: 3_600_000)

    /// Phase 2: the same reports through the SQLite store (the product's ingest path, without
    /// the per-report Ed25519 signature, which the service adds), then reopened and searched
    /// through the service (hits materialised, fingerprinted and audited).
    static func store(reports: Int, directory: String) async throws -> StoreFigures {
        let path = directory + "/index-bench.db"
        let (ingestPerSecond, readerToken) = try await ingest(reports: reports, path: path)
        let (mentionRows, entityRows, indexBytes) = try tableSizes(path: path)
        let databaseBytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0

        // Reopen: the index is rebuilt from the file.
        let reloadStart = Date()
        let service = try await TearlineService.open(databasePath: path, limits: unlimited)
        let reloadSeconds = Date().timeIntervalSince(reloadStart)
        guard let caller = try await service.members.authenticate(token: readerToken) else { fatalError("reader") }
        let request = EntitySearchRequest(kind: "person", value: "vasily petrov", limit: 20)
        var served = 0
        for _ in 0..<50 { served = try await service.entities.searchEntity(request, by: caller).hits.count }
        var samples: [Double] = []
        for _ in 0..<500 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            served = try await service.entities.searchEntity(request, by: caller).hits.count
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        samples.sort()
        return StoreFigures(ingestPerSecond: ingestPerSecond, mentionRows: mentionRows, entityRows: entityRows,
                            indexTablesMegabytes: Double(indexBytes) / 1_048_576, databaseMegabytes: Double(databaseBytes) / 1_048_576,
                            reloadSeconds: reloadSeconds, serviceP50: samples[samples.count / 2], serviceP99: samples[samples.count * 99 / 100],
                            served: served)
    }

    /// Writes the organisations, members and reports; returns reports per second and the reader's token.
    static func ingest(reports: Int, path: String) async throws -> (Double, String) {
        let service = try await TearlineService.open(databasePath: path, limits: unlimited)
        for id in organizations {
            _ = try await service.members.createOrganization(.init(id: id, name: id, kind: "agency"), by: .nodeAdmin)
        }
        for i in 1..<15 {
            _ = try await service.trust.createPartnership(.init(organizations: ["AG00", organizations[i]], kind: "peer", trustLevel: "high",
                                                          status: i < 10 ? "active" : "suspended"), by: .nodeAdmin)
        }
        var authors: [String] = []
        for id in organizations {
            let m = try await service.members.createMember(in: id, .init(name: "author", roles: ["analyst"], clearance: "TOP SECRET", topics: topics), by: .nodeAdmin)
            authors.append(m.member.id)
        }
        let reader = try await service.members.createMember(in: "AG00", .init(name: "reader", roles: ["analyst"], clearance: "SECRET", topics: Array(topics.prefix(10))), by: .nodeAdmin)
        let markingValues = try markings.map { try Marking.parse($0) }
        let signature = Data(repeating: 7, count: 64)
        let batch = 1000
        let start = Date()
        var done = 0
        while done < reports {
            let range = done..<min(done + batch, reports)
            let stored = range.map { i -> (StoredReport, Discoverability) in
                let r = generate(i, totalReports: reports)
                let portions = r.markings.enumerated().map { index, m in
                    Portion(index: index, marking: markingValues[m], sourcesAndMethods: markings[m].contains("NF"),
                            text: "Generated portion \(index) of report \(i): field reporting on logistics and meetings.")
                }
                // The service's own validation: normalise each listed entity, extract observables from the text.
                let entities = try! ReportService.entityMentions(r.mentions.map { m in
                    let e = mention(m.entity)
                    return EntityInput(type: e.kind.rawValue, value: e.value, portion: m.portion)
                }, portions: portions)
                let report = Report(id: r.id, originator: organizations[r.originator], title: "Generated report \(i)", titleMarking: markingValues[0],
                                    sourceGrade: try! SourceGrade(code: "B2"), topics: r.topics, entities: entities, portions: portions,
                                    createdBy: authors[r.originator], createdAt: 1_780_000_000_000 + Int64(i))
                return (StoredReport(report: report, signature: signature), r.discoverability)
            }
            try await service.store.write { s in
                for (report, discoverability) in stored { try s.insertReport(report, discoverability: discoverability) }
            }
            done = range.upperBound
        }
        let ingestSeconds = Date().timeIntervalSince(start)
        guard let sqlite = service.store as? SQLiteStore else { fatalError("the benchmark runs on SQLite") }
        try sqlite.checkpointJournal()
        return (Double(reports) / ingestSeconds, reader.token)
    }

    /// Rows and on-disk bytes of the index's tables (mention, entity), from SQLite's dbstat.
    static func tableSizes(path: String) throws -> (Int, Int, Int) {
        let output = try run("/usr/bin/env", ["sqlite3", path,
            "SELECT (SELECT count(*) FROM mention), (SELECT count(*) FROM entity), (SELECT sum(pgsize) FROM dbstat WHERE name IN ('mention', 'entity', 'sqlite_autoindex_entity_1'))"])
        let parts = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map { Int($0) ?? 0 }
        return parts.count == 3 ? (parts[0], parts[1], parts[2]) : (0, 0, 0)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
