import Foundation
import Logging
import NIOCore
import NIOSSL
import X509

/// Logs refused TLS handshakes — no client certificate, a certificate from an unknown CA, an
/// unlisted pin, anything else that ends a handshake — with the client's address and, when it
/// presented one, the certificate's subject, issuer and key pin. At most one line per address
/// every `interval`; the next line says how many refusals were left out in between.
public final class RefusedHandshakeLog: @unchecked Sendable {
    // why @unchecked: all mutable state is guarded by `lock`.
    private let lock = NSLock()
    private let logger: Logger
    private let interval: TimeInterval
    private let clock: @Sendable () -> Date
    private var lastLine: [String: Date] = [:]
    private var suppressed: [String: Int] = [:]
    /// Addresses remembered at most (an attacker with many addresses cannot grow the table).
    static let capacity = 4096

    /// `interval`: seconds between two lines about one address.
    public init(logger: Logger, interval: TimeInterval = 60, clock: @escaping @Sendable () -> Date = Date.init) {
        self.logger = logger
        self.interval = interval
        self.clock = clock
    }

    /// Records a refused handshake from `address` and logs it unless a line about that address
    /// went out less than `interval` ago.
    func refused(address: String, certificate: NIOSSLCertificate?, error: any Error) {
        let host = Self.host(of: address)
        let now = clock()
        let skipped: Int? = lock.withLock {
            if let last = lastLine[host], now.timeIntervalSince(last) < interval {
                suppressed[host, default: 0] += 1
                return nil
            }
            if lastLine.count >= Self.capacity {
                lastLine = lastLine.filter { now.timeIntervalSince($0.value) < interval }
                suppressed = suppressed.filter { lastLine[$0.key] != nil }
                if lastLine.count >= Self.capacity { lastLine.removeAll(); suppressed.removeAll() }
            }
            lastLine[host] = now
            return suppressed.removeValue(forKey: host) ?? 0
        }
        guard let skipped else { return }
        let presented = Self.describe(certificate)
        let reason = certificate.flatMap { try? SPKIPin(Certificate(derEncoded: $0.toDERBytes())) }.flatMap { VerifierRejections.shared.reason(for: $0) }
        logger.notice("refused a TLS handshake", metadata: [
            "address": "\(address)",
            "subject": "\(presented.subject)",
            "issuer": "\(presented.issuer)",
            "pin": "\(presented.pin)",
            "error": "\(reason ?? String(describing: error))",
            "suppressed": "\(skipped)",
        ])
    }

    /// The address without its port: one client reconnecting from new ports is one address.
    static func host(of address: String) -> String {
        // `[IPv4]127.0.0.1/127.0.0.1:54321` or `[IPv6]::1/::1:54321`: everything before the last colon.
        guard let colon = address.lastIndex(of: ":") else { return address }
        return String(address[..<colon])
    }

    static func describe(_ certificate: NIOSSLCertificate?) -> (subject: String, issuer: String, pin: String) {
        guard let certificate else { return ("(no certificate)", "-", "-") }
        guard let bytes = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: bytes) else { return ("(unparseable)", "-", "-") }
        return ("\(parsed.subject)", "\(parsed.issuer)", (try? SPKIPin(parsed))?.description ?? "-")
    }
}

/// Why the last certificates with a given key pin were rejected by ``PeerVerifier`` (the TLS
/// verification callback does not know the client's address; the handshake log does).
final class VerifierRejections: @unchecked Sendable {
    // why @unchecked: all mutable state is guarded by `lock`.
    static let shared = VerifierRejections()
    private let lock = NSLock()
    private var reasons: [SPKIPin: String] = [:]

    func record(_ pin: SPKIPin, _ reason: String) {
        lock.withLock {
            if reasons.count >= 1024 { reasons.removeAll() }
            reasons[pin] = reason
        }
    }

    func reason(for pin: SPKIPin) -> String? { lock.withLock { reasons[pin] } }
}
