import Foundation
import Logging
import NIOSSL
@testable import TearlineServer
import Testing

/// Every refused TLS handshake leaves one log line (address, subject, issuer, pin), pinned or
/// not, and a client that keeps trying cannot flood the log.
@Suite struct FederationTLSLogTests {
    @Test(arguments: [false, true])
    func aClientWithoutACertificateIsLogged(pinned: Bool) async throws {
        let pki = try TestPKI()
        let captured = CapturedLog()
        try await withTLSServer(pki, pinned: pinned, logger: captured.logger) { base in
            let anonymous = try NodeClient(identity: nil, trustRoots: pki.caPEM, pins: [pki.server.pin])
            _ = try? await anonymous.get(base + "/healthz")
            let lines = try await captured.waitForLines(1)
            let line = try #require(lines.first)
            #expect(line.message == "refused a TLS handshake")
            #expect(line.metadata["address"]?.contains("127.0.0.1") == true, "\(line)")
            #expect(line.metadata["subject"] == "(no certificate)")
            #expect(line.metadata["suppressed"] == "0")
        }
    }

    @Test(arguments: [false, true])
    func aCertificateFromAnUnknownCAIsLoggedWithSubjectIssuerAndPin(pinned: Bool) async throws {
        let pki = try TestPKI()
        let captured = CapturedLog()
        try await withTLSServer(pki, pinned: pinned, logger: captured.logger) { base in
            _ = try? await pki.client(pki.rogue).get(base + "/healthz")
            let line = try #require(try await captured.waitForLines(1).first)
            #expect(line.metadata["subject"]?.contains("rogue") == true, "\(line)")
            #expect(line.metadata["issuer"]?.contains("Other CA") == true, "\(line)")
            #expect(line.metadata["pin"] == pki.rogue.pin.description)
            #expect(line.metadata["address"]?.contains("127.0.0.1") == true)
        }
    }

    @Test func anUnlistedPinIsLoggedWithTheVerifiersReason() async throws {
        let pki = try TestPKI()
        let captured = CapturedLog()
        try await withTLSServer(pki, pinned: true, logger: captured.logger) { base in
            _ = try? await pki.client(pki.stranger).get(base + "/healthz")
            let line = try #require(try await captured.waitForLines(1).first)
            #expect(line.metadata["pin"] == pki.stranger.pin.description)
            #expect(line.metadata["error"]?.contains("not listed") == true, "\(line)")
            // An accepted partner is not a refusal.
            #expect(try await pki.client(pki.partner).get(base + "/healthz").status == 200)
            try await Task.sleep(for: .milliseconds(200))
            #expect(captured.lines.count == 1)
        }
    }

    @Test func refusalsFromOneAddressAreRateLimitedAndCounted() async throws {
        let pki = try TestPKI()
        let captured = CapturedLog()
        try await withTLSServer(pki, pinned: false, logger: captured.logger) { base in
            for _ in 0..<3 { _ = try? await pki.client(pki.rogue).get(base + "/healthz") }
            _ = try await captured.waitForLines(1)
            try await Task.sleep(for: .milliseconds(300))
            #expect(captured.lines.count == 1, "one line per address per interval: \(captured.lines)")
        }
    }

    @Test func theLineAfterTheIntervalSaysHowManyWereLeftOut() {
        let captured = CapturedLog()
        let clock = TestClock()
        let log = RefusedHandshakeLog(logger: captured.logger, interval: 60, clock: { clock.now })
        struct Refused: Error {}
        for port in 1000..<1004 { log.refused(address: "[IPv4]192.0.2.1/192.0.2.1:\(port)", certificate: nil, error: Refused()) }
        log.refused(address: "[IPv4]192.0.2.2/192.0.2.2:1000", certificate: nil, error: Refused())
        #expect(captured.lines.count == 2, "one line per address")
        clock.advance(61)
        log.refused(address: "[IPv4]192.0.2.1/192.0.2.1:2000", certificate: nil, error: Refused())
        #expect(captured.lines.count == 3)
        #expect(captured.lines.last?.metadata["suppressed"] == "3")
        #expect(captured.lines.first?.metadata["suppressed"] == "0")
    }
}

/// A clock the test moves.
final class TestClock: @unchecked Sendable {
    // why @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A swift-log handler that keeps what was logged.
final class CapturedLog: @unchecked Sendable {
    // why @unchecked: guarded by `lock`.
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }
    private let lock = NSLock()
    private var stored: [Line] = []

    var lines: [Line] { lock.withLock { stored } }

    func append(_ line: Line) { lock.withLock { stored.append(line) } }

    var logger: Logger {
        Logger(label: "captured") { _ in Handler(sink: self) }
    }

    /// Waits (up to five seconds) until at least `count` lines about refused handshakes were logged.
    func waitForLines(_ count: Int) async throws -> [Line] {
        for _ in 0..<100 {
            let refused = lines.filter { $0.message == "refused a TLS handshake" }
            if refused.count >= count { return refused }
            try await Task.sleep(for: .milliseconds(50))
        }
        return lines.filter { $0.message == "refused a TLS handshake" }
    }

    struct Handler: LogHandler {
        let sink: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            guard event.message.description == "refused a TLS handshake" else { return }
            sink.append(Line(level: event.level, message: event.message.description, metadata: (event.metadata ?? [:]).mapValues { "\($0)" }))
        }
    }
}
