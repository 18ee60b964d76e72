import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdTLS
import Logging
@testable import TearlineServer
import Testing

/// Node-to-node transport: a real HTTPS server with the TLS configuration `tearline serve` uses,
/// called by `NodeClient`; every way in without the right certificate, CA or pin is refused.
@Suite struct FederationTLSTests {
    @Test(arguments: [false, true])
    func aPartnerWithANodeCertificateGetsHealthzOverMutualTLS(pinned: Bool) async throws {
        let pki = try TestPKI()
        try await withTLSServer(pki, pinned: pinned) { base in
            let client = try pki.client(pki.partner)
            let health = try await client.get(base + "/healthz")
            #expect(health.status == 200)
            #expect(String(decoding: health.body, as: UTF8.self) == #"{"status":"ok","storage":"ok"}"#)
            let post = try await client.post(base + "/v1/organizations", headers: ["Content-Type": "application/json"], body: Array("{}".utf8))
            #expect(post.status == 401, "the transport carries requests; the API still wants a member's token")
        }
    }

    @Test(arguments: [false, true])
    func aClientWithoutACertificateIsRefused(pinned: Bool) async throws {
        let pki = try TestPKI()
        try await withTLSServer(pki, pinned: pinned) { base in
            let anonymous = try NodeClient(identity: nil, trustRoots: pki.caPEM, pins: [pki.server.pin])
            let error = await #expect(throws: (any Error).self) { try await anonymous.get(base + "/healthz") }
            // why either: under TLS 1.3 the client may finish its side of the handshake and write
            // before the server's alert arrives; it then sees the connection closed instead. Both
            // mean the server refused it before any request was served.
            let text = "\(error.map { "\($0)" } ?? "")"
            #expect(text.contains("CERTIFICATE_REQUIRED") || text.contains("closed channel"), "the server's TLS alert, or the connection it closed")
        }
    }

    @Test(arguments: [false, true])
    func aClientWithACertificateFromAnotherCAIsRefused(pinned: Bool) async throws {
        let pki = try TestPKI()
        try await withTLSServer(pki, pinned: pinned) { base in
            let error = await #expect(throws: (any Error).self) { try await pki.client(pki.rogue).get(base + "/healthz") }
            // why two alerts: BoringSSL verifies without pins, our callback with them.
            #expect("\(error.map { "\($0)" } ?? "")".contains(pinned ? "CERTIFICATE_UNKNOWN" : "UNKNOWN_CA"), "the server's TLS alert")
        }
    }

    @Test func aValidClientCertificateWhosePinIsNotListedIsRefused() async throws {
        let pki = try TestPKI()
        try await withTLSServer(pki, pinned: true) { base in
            let error = await #expect(throws: (any Error).self) { try await pki.client(pki.stranger).get(base + "/healthz") }
            #expect("\(error.map { "\($0)" } ?? "")".contains("CERTIFICATE_UNKNOWN"), "the server's TLS alert")
            let listed = try await pki.client(pki.partner).get(base + "/healthz")
            #expect(listed.status == 200)
        }
    }

    @Test func theClientRefusesAServerWhosePinDiffersBeforeSendingAnything() async throws {
        let pki = try TestPKI()
        let received = Counter()
        let router = Router()
        router.post("/count") { _, _ in await received.increment(); return "counted" }
        router.get("/count") { _, _ in "\(await received.value)" }
        let app = Application(
            router: router, server: try .tls(.http1(), configuration: try pki.serverTLS(pinned: true)),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: quietLogger)
        try await app.test(.live) { test in
            let base = "https://127.0.0.1:\(try #require(test.port))"
            let pinningSomeoneElse = try NodeClient(identity: pki.identity(pki.partner), trustRoots: pki.caPEM, pins: [pki.stranger.pin.description])
            await #expect(throws: FederationError.peerRejected("CN=server for 127.0.0.1 has key pin \(pki.server.pin), which is not listed")) {
                try await pinningSomeoneElse.post(base + "/count", body: Array("secret".utf8))
            }
            let count = try await pki.client(pki.partner).get(base + "/count")
            #expect(String(decoding: count.body, as: UTF8.self) == "0", "the request must not reach an unpinned server")
        }
    }

    @Test func theClientRefusesAPinnedServerFromAnotherCAOrForAnotherHost() async throws {
        let pki = try TestPKI()
        try await withTLSServer(pki, pinned: false) { base in
            let trustingAnotherCA = try NodeClient(identity: pki.identity(pki.partner), trustRoots: pki.otherCAPEM, pins: [pki.server.pin.description])
            await #expect(throws: FederationError.peerRejected("CN=server for 127.0.0.1: no chain to a trusted CA")) {
                try await trustingAnotherCA.get(base + "/healthz")
            }
            // The server's certificate names 127.0.0.1 only, not localhost.
            let byName = base.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let error = await #expect(throws: FederationError.self) { try await pki.client(pki.partner).get(byName + "/healthz") }
            #expect(error.map { "\($0)" }?.contains("localhost") == true, "names the host the certificate does not cover")
        }
    }

    @Test func aClientMustPinAndUseHTTPS() throws {
        let pki = try TestPKI()
        #expect(throws: FederationError.noPins) { try NodeClient(identity: pki.identity(pki.partner), trustRoots: pki.caPEM, pins: []) }
        #expect(throws: FederationError.malformedPin("abc")) { try NodeClient(identity: pki.identity(pki.partner), trustRoots: pki.caPEM, pins: ["abc"]) }
        #expect(throws: FederationError.invalidURL("http://127.0.0.1/healthz")) { try PartnerURL("http://127.0.0.1/healthz") }
        let url = try PartnerURL("https://[::1]:8443/taxii2/?limit=5")
        #expect(url.host == "::1" && url.port == 8443 && url.pathAndQuery == "/taxii2/?limit=5" && url.hostHeader == "[::1]:8443" && url.serverName == nil)
    }

    @Test func pinsWithoutAClientCAAreRefused() throws {
        let pki = try TestPKI()
        #expect(throws: FederationError.pinsNeedClientCA) {
            try NodeTLS.serverConfiguration(certificateChainPEM: pki.server.certificatePEM, privateKeyPEM: pki.server.keyPEM,
                                            peerPins: [pki.partner.pin], logger: quietLogger)
        }
    }
}

/// One CA with a server, a partner (pinned by the server) and a stranger (not pinned), and a rogue from another CA.
struct TestPKI: Sendable {
    struct Party: Sendable {
        let certificatePEM: String
        let keyPEM: String
        let pin: SPKIPin
    }

    let caPEM: String
    let otherCAPEM: String
    let server: Party
    let partner: Party
    let stranger: Party
    let rogue: Party

    init() throws {
        let ca = try NodePKI.makeCA(name: "Test CA")
        let otherCA = try NodePKI.makeCA(name: "Other CA")
        func party(_ name: String, _ issuer: NodePKI.Issued) throws -> Party {
            let issued = try NodePKI.makeNode(name: name, hosts: ["127.0.0.1"], ca: issuer)
            return Party(certificatePEM: try issued.certificatePEM(), keyPEM: issued.privateKeyPEM, pin: try SPKIPin(issued.certificate))
        }
        caPEM = try ca.certificatePEM()
        otherCAPEM = try otherCA.certificatePEM()
        server = try party("server", ca)
        partner = try party("partner", ca)
        stranger = try party("stranger", ca)
        rogue = try party("rogue", otherCA)
    }

    func identity(_ party: Party) throws -> NodeIdentity { try NodeIdentity(certPEM: party.certificatePEM, keyPEM: party.keyPEM) }

    /// A client presenting `party`'s certificate, trusting the CA and pinning the server.
    func client(_ party: Party) throws -> NodeClient {
        var client = try NodeClient(identity: identity(party), trustRoots: caPEM, pins: [server.pin.description])
        client.timeout = .seconds(10)
        return client
    }

    /// Mutual TLS against the CA; `pinned` admits the partner's key only.
    func serverTLS(pinned: Bool) throws -> TLSChannelConfiguration {
        try NodeTLS.serverConfiguration(certificateChainPEM: server.certificatePEM, privateKeyPEM: server.keyPEM, clientCAPEM: caPEM,
                                        peerPins: pinned ? [partner.pin] : [], logger: quietLogger)
    }
}

/// Runs the Tearline application over HTTPS on a free port and passes `https://127.0.0.1:PORT`.
func withTLSServer(_ pki: TestPKI, pinned: Bool, logger: Logger = quietLogger, _ body: @Sendable (String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let service = try await TearlineService.open(databasePath: directory.appendingPathComponent("tls.db").path)
    let app = try buildApplication(service: service, host: "127.0.0.1", port: 0, logger: logger, tls: try pki.serverTLS(pinned: pinned))
    try await app.test(.live) { client in
        try await body("https://127.0.0.1:\(try #require(client.port))")
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "federation-tests")
    logger.logLevel = .critical
    return logger
}()

actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
