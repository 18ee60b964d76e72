import Foundation
import Hummingbird
import HummingbirdTesting
import TearlineCore
@testable import TearlineServer
import Testing

/// Two Tearline nodes on loopback, each with its own CA: node A hosts USA (and FRA), node B hosts
/// GBR. A serves HTTPS with mutual TLS and admits B's pinned node certificate; B knows USA as a
/// partner hosted at A (USA's public key, A's URL, A's pin), A knows GBR likewise. USA–GBR are
/// peers with high trust on both nodes.
struct TwoNodes: Sendable {
    /// Node A's API (USA, FRA) and node B's API (GBR), each through its own router.
    let a: World
    let b: World
    let urlA: String
    let caA: String
    let nodeB: TestNodeCertificate
    let pinA: SPKIPin

    /// A client presenting B's node certificate to A, as B's puller does.
    func clientOfB() throws -> NodeClient {
        var client = try NodeClient(identity: nodeB.identity(), trustRoots: caA, pins: [pinA.description])
        client.timeout = .seconds(10)
        return client
    }

    /// Node B pulls from node A, as `tearline federation pull --peer USA` does.
    func pull(trustingUSAKey: Bool = true) async throws -> FederationPullSummary {
        let puller = FederationPuller(service: b.service, identity: try nodeB.identity(), trustRoots: caA)
        let summaries = try await puller.pull(peer: "USA")
        try #require(summaries.count == 1, "one organisation on B has a partnership with USA")
        return summaries[0]
    }
}

/// A node certificate issued by a test CA.
struct TestNodeCertificate: Sendable {
    let certificatePEM: String
    let keyPEM: String
    let pin: SPKIPin

    init(name: String, ca: NodePKI.Issued) throws {
        let issued = try NodePKI.makeNode(name: name, hosts: ["127.0.0.1"], ca: ca)
        certificatePEM = try issued.certificatePEM()
        keyPEM = issued.privateKeyPEM
        pin = try SPKIPin(issued.certificate)
    }

    func identity() throws -> NodeIdentity { try NodeIdentity(certPEM: certificatePEM, keyPEM: keyPEM) }
}

/// Builds both nodes, runs node A's HTTPS server on a free port, and passes the pair.
/// `usaKeyOnB` replaces the USA public key registered on B (to play a release that does not verify).
func withTwoNodes(usaKeyOnB: String? = nil, backend: TestBackend = .sqliteFile, _ body: @Sendable (TwoNodes) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-nodes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let caIssuedA = try NodePKI.makeCA(name: "Node A CA")
    let caIssuedB = try NodePKI.makeCA(name: "Node B CA")
    let certA = try TestNodeCertificate(name: "node-a", ca: caIssuedA)
    let certB = try TestNodeCertificate(name: "node-b", ca: caIssuedB)
    let caA = try caIssuedA.certificatePEM()
    let caB = try caIssuedB.certificatePEM()

    let directoryA = directory.appendingPathComponent("a"), directoryB = directory.appendingPathComponent("b")
    try FileManager.default.createDirectory(at: directoryA, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: directoryB, withIntermediateDirectories: true)
    // why nested: each node opens on `backend` (on PostgreSQL, a schema of its own) for the length of the test.
    try await backend.withService(in: directoryA, limits: .standard, passwordChecks: .shared) { serviceA, pathA in
    try await backend.withService(in: directoryB, limits: .standard, passwordChecks: .shared) { serviceB, pathB in
    let adminA = try #require(try await serviceA.members.bootstrapNodeAdmin())
    let adminB = try #require(try await serviceB.members.bootstrapNodeAdmin())
    let tls = try NodeTLS.serverConfiguration(certificateChainPEM: certA.certificatePEM, privateKeyPEM: certA.keyPEM, clientCAPEM: caB,
                                              peerPins: [certB.pin], logger: quietLogger)
    let liveA = try buildApplication(service: serviceA, host: "127.0.0.1", port: 0, logger: quietLogger, tls: tls)
    try await liveA.test(.live) { live in
        let urlA = "https://127.0.0.1:\(try #require(live.port))"
        try await Application(router: buildRouter(service: serviceA)).test(.router) { clientA in
            try await Application(router: buildRouter(service: serviceB)).test(.router) { clientB in
                var a = World(client: clientA, service: serviceA, databaseFile: pathA, adminToken: adminA, tokens: [:], memberIds: [:], partnershipIds: [:])
                var b = World(client: clientB, service: serviceB, databaseFile: pathB, adminToken: adminB, tokens: [:], memberIds: [:], partnershipIds: [:])
                a = try await populate(a, organizations: [("USA", "United States"), ("FRA", "France")], people: ["usa-releaser", "usa-security", "fra-releaser"])
                b = try await populate(b, organizations: [("GBR", "United Kingdom")], people: ["gbr-analyst-secret", "gbr-analyst-confidential", "gbr-security"])
                let usaKey = try await a.get("/v1/organizations/USA", as: "admin").string("publicKey")
                let gbrKey = try await b.get("/v1/organizations/GBR", as: "admin").string("publicKey")
                _ = try await serviceA.federation.addPeer(PeerInput(organization: "GBR", name: "United Kingdom", kind: "state", publicKey: try #require(gbrKey),
                                                         url: "", pins: [certB.pin.description]), by: .nodeAdmin)
                _ = try await serviceB.federation.addPeer(PeerInput(organization: "USA", name: "United States", kind: "state",
                                                         publicKey: try usaKeyOnB ?? #require(usaKey), url: urlA, pins: [certA.pin.description]), by: .nodeAdmin)
                a = World(client: clientA, service: serviceA, databaseFile: pathA, adminToken: adminA, tokens: a.tokens, memberIds: a.memberIds,
                          partnershipIds: ["GBR-USA": try await a.createPartnership("USA", "GBR", trust: "high")])
                b = World(client: clientB, service: serviceB, databaseFile: pathB, adminToken: adminB, tokens: b.tokens, memberIds: b.memberIds,
                          partnershipIds: ["GBR-USA": try await b.createPartnership("USA", "GBR", trust: "high")])
                try await body(TwoNodes(a: a, b: b, urlA: urlA, caA: caA, nodeB: certB, pinA: certA.pin))
            }
        }
    }
    }
    }
}

/// Creates organisations and the named people of the test world on one node.
private func populate(_ world: World, organizations: [(String, String)], people names: [String]) async throws -> World {
    for (id, name) in organizations {
        let reply = try await world.post("/v1/organizations", as: "admin", json: ["id": id, "name": name, "kind": "state"])
        try #require(reply.code == 201, "creating \(id) failed: \(reply)")
    }
    var tokens: [String: String] = [:]
    var ids: [String: String] = [:]
    for person in people where names.contains(person.name) {
        let reply = try await world.post("/v1/organizations/\(person.org)/members", as: "admin", json: [
            "name": person.name, "roles": person.roles, "clearance": person.clearance, "compartments": person.compartments, "topics": person.topics,
        ])
        try #require(reply.code == 201, "creating \(person.name) failed: \(reply)")
        let token: String = try #require(reply.string("token"))
        let id: String = try #require((reply.object["member"] as? [String: Any])?["id"] as? String)
        tokens[person.name] = token
        ids[person.name] = id
    }
    return World(client: world.client, service: world.service, databaseFile: world.databaseFile, adminToken: world.adminToken,
                  tokens: tokens, memberIds: ids, partnershipIds: [:])
}
