import Foundation
import TearlineCore
import TearlineServer
import TearlineStore

/// Private discovery: the OPRF on one core, publishing a partner's set of a million entities
/// (PRF, sealing, pages, the holder's rows, the asker's rows) and its size on the wire, and one
/// private search across two nodes on loopback (node A: a release-built `tearline serve` over
/// mutual TLS; node B: this process, as `serve` runs a member's search).
enum DiscoveryBenchmark {
    static func phone(_ i: Int) -> NormalizedEntity { NormalizedEntity(kind: .phone, key: "+4420\(String(format: "%08d", i))") }

    /// Evaluations of blinded elements, and PRF outputs, per second on one core; and the asker's blind + verify per query.
    static func oneCore(count: Int) throws -> (evaluations: Double, outputs: Double, askerMicroseconds: Double) {
        let key = DiscoveryKey()
        let queries = try (0..<count).map { try DiscoveryQuery(phone($0), publicKey: key.publicKey) }
        var start = ContinuousClock.now
        var answers: [Data] = []
        answers.reserveCapacity(count)
        for q in queries { answers.append(try key.evaluate(blindedElement: q.blindedElement)) }
        let evaluations = Double(count) / (ContinuousClock.now - start).seconds
        start = ContinuousClock.now
        for i in 0..<count { _ = key.output(phone(i)) }
        let outputs = Double(count) / (ContinuousClock.now - start).seconds
        start = ContinuousClock.now
        for i in 0..<count {
            let q = try DiscoveryQuery(phone(i), publicKey: key.publicKey)
            _ = try? q.finish(evaluation: answers[i])  // why try?: another blind; the cost of verifying is the same
        }
        let asker = (ContinuousClock.now - start).seconds / Double(count) * 1e6
        return (evaluations, outputs, asker)
    }

    struct Publish {
        var entities: Int
        var prfSeconds: Double
        var sealSeconds: Double
        var holderStoreSeconds: Double
        var askerStoreSeconds: Double
        var wireBytes: Int
        var pages: Int
        var totalSeconds: Double { prfSeconds + sealSeconds + holderStoreSeconds }
    }

    /// A partner's set of `count` entities, each held by one or two organisations, published from
    /// scratch as a refresh does (outputs on every core), then stored as the asker stores it.
    static func publish(count: Int, directory: String) async throws -> Publish {
        let key = DiscoveryKey()
        let entities = (0..<count).map(phone)
        var start = ContinuousClock.now
        let outputs = await key.outputs(entities)
        let prf = (ContinuousClock.now - start).seconds
        start = ContinuousClock.now
        var records: [DiscoveryEntryRecord] = []
        records.reserveCapacity(count)
        for i in 0..<count {
            let pointers = i % 5 == 0 ? [EntityPointer(holder: "USA", count: 1 + i % 3), EntityPointer(holder: "USA-FBI", count: 1)]
                : [EntityPointer(holder: "USA", count: 1 + i % 3)]
            records.append(DiscoveryEntryRecord(partner: "GBR", entity: UInt64(i), holders: "", tag: DiscoverySealing.tag(outputs[i]),
                                                payload: DiscoverySealing.seal(pointers, output: outputs[i]), seq: Int64(i + 1)))
        }
        let seal = (ContinuousClock.now - start).seconds
        let holder = try await TearlineService.open(databasePath: directory + "/holder.db")
        start = ContinuousClock.now
        let batch = 50_000
        for from in stride(from: 0, to: count, by: batch) {
            let part = Array(records[from..<min(count, from + batch)])
            try await holder.store.write { s in for r in part { try s.saveDiscoveryEntry(r) } }
        }
        let holderStore = (ContinuousClock.now - start).seconds
        var pages: [[UInt8]] = []
        for from in stride(from: 0, to: count, by: 80_000) {
            let part = records[from..<min(count, from + 80_000)]
            pages.append(DiscoverySetPage(epoch: 1, reset: from == 0, more: from + 80_000 < count, after: Int64(from), through: Int64(from + part.count),
                                          publicKey: key.publicKey, entries: part.map { .init(tag: $0.tag, payload: $0.payload) }).encoded())
        }
        let asker = try await TearlineService.open(databasePath: directory + "/asker.db")
        start = ContinuousClock.now
        for bytes in pages {
            let page = try DiscoverySetPage.decode(bytes)
            try await asker.store.write { s in try s.saveRemoteDiscoveryEntries(peer: "USA", organization: "GBR", page.entries) }
        }
        let askerStore = (ContinuousClock.now - start).seconds
        return Publish(entities: count, prfSeconds: prf, sealSeconds: seal, holderStoreSeconds: holderStore, askerStoreSeconds: askerStore,
                       wireBytes: pages.reduce(0) { $0 + $1.count }, pages: pages.count)
    }

    /// One private search after another, from node B (this process) to node A over mutual TLS:
    /// blind, evaluate on A (budget, audit, proof), verify, match, audit on B. Half the numbers match.
    static func searches(binary: String, directory: String, count: Int, port: Int) async throws -> [Double] {
        let pki = directory + "/pki"
        for arguments in [["pki", "ca", "--dir", pki + "-a", "--name", "Bench A CA"], ["pki", "node", "--dir", pki + "-a", "--node", "a", "--host", "127.0.0.1"],
                          ["pki", "ca", "--dir", pki + "-b", "--name", "Bench B CA"], ["pki", "node", "--dir", pki + "-b", "--node", "b", "--host", "127.0.0.1"]] {
            _ = try runCommand(binary, arguments)
        }
        let pinA = try runCommand(binary, ["pki", "pin", pki + "-a/a.pem"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let pinB = try runCommand(binary, ["pki", "pin", pki + "-b/b.pem"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let pathA = directory + "/search-a.db"
        let nodeA = try await TearlineService.open(databasePath: pathA)
        let unthrottled = ThrottleLimits(distinctReads: 1 << 30, searchResults: 1 << 30, exports: 1 << 30, deniedReads: 1 << 30, window: 3_600_000)
        let nodeB = try await TearlineService.open(databasePath: directory + "/search-b.db", limits: unthrottled)
        let usa = try await nodeA.members.createOrganization(.init(id: "USA", name: "United States", kind: "state"), by: .nodeAdmin)
        let gbr = try await nodeB.members.createOrganization(.init(id: "GBR", name: "United Kingdom", kind: "state"), by: .nodeAdmin)
        _ = try await nodeA.federation.addPeer(PeerInput(organization: "GBR", name: "United Kingdom", kind: "state", publicKey: gbr.publicKey, url: "", pins: [pinB]), by: .nodeAdmin)
        _ = try await nodeB.federation.addPeer(PeerInput(organization: "USA", name: "United States", kind: "state", publicKey: usa.publicKey,
                                              url: "https://127.0.0.1:\(port)", pins: [pinA]), by: .nodeAdmin)
        for node in [nodeA, nodeB] {
            _ = try await node.trust.createPartnership(.init(organizations: ["USA", "GBR"], kind: "peer", trustLevel: "high"), by: .nodeAdmin)
        }
        let author = try await nodeA.members.createMember(in: "USA", .init(name: "author", roles: ["analyst", "releaser"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin)
        let analyst = try await nodeB.members.createMember(in: "GBR", .init(name: "analyst", roles: ["analyst"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin)
        guard let authorCaller = try await nodeA.members.authenticate(token: author.token),
              let analystCaller = try await nodeB.members.authenticate(token: analyst.token) else { throw BenchError("seed") }
        for i in 0..<100 {
            _ = try await nodeA.reports.createReport(.init(title: "Calls \(i)", titleMarking: "(U)", sourceGrade: "B2", topics: ["counter-terrorism"],
                                                           portions: [.init(marking: "(S//REL TO USA, GBR)", text: "The courier called +44 20 7946 \(String(format: "%04d", i)).")],
                                                           discoverability: "all-partners"), by: authorCaller)
        }
        _ = try await nodeA.federation.setDiscoveryBudget(partner: "GBR", budget: DiscoveryBudget(perDay: 10_000_000, alertAt: 10_000_000), by: .nodeAdmin)

        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--db", pathA, "--port", String(port), "--tls-cert", pki + "-a/a.pem", "--tls-key", pki + "-a/a.key.pem",
                            "--tls-client-ca", pki + "-b/ca.pem", "--peer-pin", pinB]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let credentials = NodeDialer.Credentials(identity: try NodeIdentity(certificatePath: pki + "-b/b.pem", keyPath: pki + "-b/b.key.pem"),
                                                 trustRoots: try String(contentsOfFile: pki + "-a/ca.pem", encoding: .utf8))
        let health = try NodeClient(identity: credentials.identity, trustRoots: credentials.trustRoots, pins: [pinA])
        var up = false
        for _ in 0..<100 where !up {
            if (try? await health.get("https://127.0.0.1:\(port)/healthz"))?.status == 200 { up = true } else { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard up else { throw BenchError("node A did not come up on port \(port)") }
        let discovery = PartnerDiscovery(service: nodeB, credentials: credentials)
        let sets = try await discovery.pullSets(peer: "USA")
        guard sets.first?.entries == 100 else { throw BenchError("the set has \(sets.first?.entries ?? 0) entries, not 100") }
        var latencies: [Double] = []
        for i in 0..<count {
            let value = "+44 20 7946 \(String(format: "%04d", i % 200))"
            let start = ContinuousClock.now
            let answer = try await discovery.search(kind: "phone", value: value, by: analystCaller)
            latencies.append((ContinuousClock.now - start).seconds * 1000)
            guard answer.pointers.count == (i % 200 < 100 ? 1 : 0), answer.nodes.first?.status == "searched" else {
                throw BenchError("search \(i): \(answer.pointers.count) pointers, \(answer.nodes)")
            }
        }
        return latencies.sorted()
    }
}
