import Foundation
import TearlineCore
import TearlineServer
import TearlineStore

/// Node to node: a release-built `tearline serve` hosts USA over mutual TLS (node A); this
/// process is node B (GBR) and pulls USA's releases to GBR with the same puller as `serve --pull-from`:
/// TAXII pages over TLS, each release parsed from its canonical bytes, its Ed25519 signature
/// verified, the release rule applied again, stored sealed, indexed and audited; then one exchange.
enum FederationBenchmark {
    struct Figures {
        var releases: Int
        var servingSeconds: Double
        var pullSeconds: Double
        var idleRoundMilliseconds: Double
        var receiptsSeconds: Double
        var receipts: Int
    }

    static func run(binary: String, directory: String, releases count: Int, port: Int) async throws -> Figures {
        let pki = directory + "/pki"
        for arguments in [["pki", "ca", "--dir", pki + "-a", "--name", "Bench A CA"], ["pki", "node", "--dir", pki + "-a", "--node", "a", "--host", "127.0.0.1"],
                          ["pki", "ca", "--dir", pki + "-b", "--name", "Bench B CA"], ["pki", "node", "--dir", pki + "-b", "--node", "b", "--host", "127.0.0.1"]] {
            _ = try runCommand(binary, arguments)
        }
        let pinA = try runCommand(binary, ["pki", "pin", pki + "-a/a.pem"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let pinB = try runCommand(binary, ["pki", "pin", pki + "-b/b.pem"]).trimmingCharacters(in: .whitespacesAndNewlines)

        let pathA = directory + "/node-a.db"
        let nodeA = try await TearlineService.open(databasePath: pathA)
        let unthrottled = ThrottleLimits(distinctReads: 1 << 30, searchResults: 1 << 30, exports: 1 << 30, deniedReads: 1 << 30, window: 3_600_000)
        let nodeB = try await TearlineService.open(databasePath: directory + "/node-b.db", limits: unthrottled)
        let usa = try await nodeA.members.createOrganization(.init(id: "USA", name: "United States", kind: "state"), by: .nodeAdmin)
        let gbr = try await nodeB.members.createOrganization(.init(id: "GBR", name: "United Kingdom", kind: "state"), by: .nodeAdmin)
        _ = try await nodeA.federation.addPeer(PeerInput(organization: "GBR", name: "United Kingdom", kind: "state", publicKey: gbr.publicKey, url: "", pins: [pinB]), by: .nodeAdmin)
        _ = try await nodeB.federation.addPeer(PeerInput(organization: "USA", name: "United States", kind: "state", publicKey: usa.publicKey,
                                              url: "https://127.0.0.1:\(port)", pins: [pinA]), by: .nodeAdmin)
        for node in [nodeA, nodeB] {
            _ = try await node.trust.createPartnership(.init(organizations: ["USA", "GBR"], kind: "peer", trustLevel: "high"), by: .nodeAdmin)
        }
        let releaser = try await nodeA.members.createMember(in: "USA", .init(name: "releaser", roles: ["analyst", "releaser"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin)
        let reader = try await nodeB.members.createMember(in: "GBR", .init(name: "reader", roles: ["analyst"], clearance: "SECRET", topics: ["counter-terrorism"]), by: .nodeAdmin)
        guard let releaserCaller = try await nodeA.members.authenticate(token: releaser.token),
              let readerCaller = try await nodeB.members.authenticate(token: reader.token) else { throw BenchError("seed") }
        for i in 0..<count {
            let view = try await nodeA.reports.createReport(benchReport(i), by: releaserCaller)
            _ = try await nodeA.releases.release(reportId: view.id, .init(recipient: "GBR"), by: releaserCaller)
        }

        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--db", pathA, "--port", String(port), "--tls-cert", pki + "-a/a.pem", "--tls-key", pki + "-a/a.key.pem",
                            "--tls-client-ca", pki + "-b/ca.pem", "--peer-pin", pinB]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let identity = try NodeIdentity(certificatePath: pki + "-b/b.pem", keyPath: pki + "-b/b.key.pem")
        let roots = try String(contentsOfFile: pki + "-a/ca.pem", encoding: .utf8)
        let health = try NodeClient(identity: identity, trustRoots: roots, pins: [pinA])
        var up = false
        for _ in 0..<100 where !up {
            if (try? await health.get("https://127.0.0.1:\(port)/healthz"))?.status == 200 { up = true } else { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard up else { throw BenchError("node A did not come up on port \(port)") }
        let puller = FederationPuller(service: nodeB, identity: identity, trustRoots: roots)

        // Node A's side alone: every page, fetched and dropped.
        let collection = "https://127.0.0.1:\(port)/tearline/collections/\(TAXIICollectionKind.received.collectionId(organization: "GBR"))/objects/"
        let servingStart = ContinuousClock.now
        var next: String?
        var served = 0
        repeat {
            let page = try await health.get(collection + (next.map { "?next=" + $0 } ?? ""), headers: ["Accept": "application/taxii+json;version=2.1"])
            guard page.status == 200, case .object(let envelope)? = try? JSONValue.parse(page.body) else { throw BenchError("page \(page.status)") }
            served += envelope["objects"]?.arrayValue?.count ?? 0
            next = envelope["more"]?.boolValue == true ? envelope["next"]?.stringValue : nil
        } while next != nil
        let serving = ContinuousClock.now - servingStart
        guard served == count else { throw BenchError("served \(served) of \(count)") }

        let started = ContinuousClock.now
        let pulled = try await puller.pull(peer: "USA")
        let pull = ContinuousClock.now - started
        guard pulled.first?.received == count else { throw BenchError("pulled \(pulled.first?.received ?? 0) of \(count)") }
        let idleStart = ContinuousClock.now
        _ = try await puller.pull(peer: "USA")
        let idle = ContinuousClock.now - idleStart

        // GBR reads every release on B; the next round carries one receipt per read back to A.
        let inbox = try await nodeB.releases.inbox(by: readerCaller, cursor: nil, limit: 200)
        var ids = inbox.items.map(\.id)
        var cursor = inbox.next
        while let next = cursor {
            let page = try await nodeB.releases.inbox(by: readerCaller, cursor: next, limit: 200)
            ids += page.items.map(\.id)
            cursor = page.next
        }
        for id in ids { _ = try await nodeB.releases.viewRelease(id: id, by: readerCaller) }
        let receiptsStart = ContinuousClock.now
        let exchanged = try await puller.pull(peer: "USA")
        let receipts = ContinuousClock.now - receiptsStart
        return Figures(releases: count, servingSeconds: serving.seconds, pullSeconds: pull.seconds, idleRoundMilliseconds: idle.seconds * 1000,
                       receiptsSeconds: receipts.seconds, receipts: exchanged.first?.receiptsSent ?? 0)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
