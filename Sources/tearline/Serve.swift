import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import TearlineCore
import TearlineServer
import TearlineStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the API server.")

    @OptionGroup var store: StoreOptions

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8080

    @Option(help: "Throttle a member after this many distinct reports and releases read in the window.")
    var throttleReads: Int = ThrottleLimits.standard.distinctReads

    @Option(help: "Throttle a member after this many search and listing results in the window.")
    var throttleSearchResults: Int = ThrottleLimits.standard.searchResults

    @Option(help: "Throttle a member after this many exports in the window.")
    var throttleExports: Int = ThrottleLimits.standard.exports

    @Option(help: "Throttle a member after this many refused reads in the window (a signal).")
    var throttleDenials: Int = ThrottleLimits.standard.deniedReads

    @Option(help: "The throttle window, in seconds.")
    var throttleWindow: Int = Int(ThrottleLimits.standard.window / 1000)

    @Option(help: "Serve HTTPS with this PEM certificate (chain), e.g. from `tearline pki node`.")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert (mode 0600).")
    var tlsKey: String?

    @Option(help: "Require client certificates that chain to this PEM CA (mutual TLS).")
    var tlsClientCa: String?

    @Option(help: "Admit only client certificates with this key pin (sha256/…, from `tearline pki pin`); repeatable.")
    var peerPin: [String] = []

    @Option(help: "Pull, in the background, from this partner organisation's node (registered with `tearline federation peer --url`); repeatable. Presents --tls-cert as our node certificate.")
    var pullFrom: [String] = []

    @Option(help: "The partner nodes' CA certificate(s), PEM, for --pull-from.")
    var pullCa: String?

    @Option(help: "Seconds between pulls.")
    var pullInterval: Int = 60

    @Option(help: "Seconds a request's header block may take from its first byte, and a body may stall, before the connection is closed.")
    var readTimeout: Int = 30

    @Option(help: "Seconds a connection with no request under way stays open.")
    var idleTimeout: Int = 60

    @Option(help: "Open connections from one client address at most (0: no cap, e.g. behind a proxy that holds one).")
    var maxConnectionsPerClient: Int = HTTPEdgeLimits.standard.connectionsPerClient

    @Option(help: "How log lines are written: text or json (one object per line).")
    var logFormat: String = LogFormat.text.rawValue

    @Option(help: "The lowest level logged: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Flag(inversion: .prefixedNo, help: "Log one line per request (method, route, status, duration; never content).")
    var accessLog: Bool = true

    @Option(help: "Seconds a shutdown (SIGTERM) may take to drain in-flight requests before they are cancelled.")
    var shutdownTimeout: Int = 30

    @Option(help: "Serve Prometheus metrics at /metrics on this port of --metrics-host (plain HTTP; 0: not on a port of its own).")
    var metricsPort: Int = 0

    @Option(help: "The address the metrics port listens on (loopback unless you say otherwise).")
    var metricsHost: String = "127.0.0.1"

    @Option(help: "Also serve /metrics on the API port, to callers that present the token in this file (at least 32 characters) as a bearer token.")
    var metricsTokenFile: String?

    func validate() throws {
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log-format is text or json.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level is one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard (0...65535).contains(metricsPort) else { throw ValidationError("--metrics-port is a port number, or 0 for none.") }
        if metricsPort != 0, metricsPort == port, metricsHost == host { throw ValidationError("--metrics-port must differ from --port.") }
        guard shutdownTimeout >= 1 else { throw ValidationError("--shutdown-timeout must be at least 1 second.") }
        for (name, value) in [("--throttle-reads", throttleReads), ("--throttle-search-results", throttleSearchResults),
                              ("--throttle-exports", throttleExports), ("--throttle-denials", throttleDenials),
                              ("--throttle-window", throttleWindow)] where value < 1 {
            throw ValidationError("\(name) must be at least 1.")
        }
        for (name, value) in [("--read-timeout", readTimeout), ("--idle-timeout", idleTimeout)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 second.")
        }
        if maxConnectionsPerClient < 0 { throw ValidationError("--max-connections-per-client must be 0 (no cap) or more.") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together.") }
        if tlsClientCa != nil, tlsCert == nil { throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key.") }
        if !peerPin.isEmpty, tlsClientCa == nil { throw ValidationError("--peer-pin needs --tls-client-ca.") }
        if !pullFrom.isEmpty {
            guard tlsCert != nil, pullCa != nil else { throw ValidationError("--pull-from needs --tls-cert, --tls-key (our node certificate) and --pull-ca.") }
            guard pullInterval >= 1 else { throw ValidationError("--pull-interval must be at least 1.") }
        }
        for pin in peerPin {
            do { _ = try SPKIPin(pin) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The TLS configuration the options ask for, or nil for plain HTTP.
    func tlsConfiguration(logger: Logger) throws -> TLSChannelConfiguration? {
        guard let tlsCert, let tlsKey else { return nil }
        do {
            return try NodeTLS.serverConfiguration(
                certificatePath: tlsCert, keyPath: tlsKey, clientCAPath: tlsClientCa, peerPins: try peerPin.map { try SPKIPin($0) }, logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LogSetup.bootstrap(format: LogFormat(rawValue: logFormat) ?? .text, level: level)
        var logger = Logger(label: "tearline")
        logger.logLevel = level
        let limits = ThrottleLimits(
            distinctReads: throttleReads, searchResults: throttleSearchResults, exports: throttleExports,
            deniedReads: throttleDenials, window: Int64(throttleWindow) * 1000)
        let tls = try tlsConfiguration(logger: logger)
        // why a lock: `tearline restore` must not replace the file under a running server, nor two servers share one file.
        var serveLock: ServeLock?
        if store.databaseURL == nil, let lock = ServeLock(databasePath: store.databasePath) {
            guard lock.acquire() else {
                FileHandle.standardErrorWrite("tearline: \(store.databasePath) is already served by another process; stop it first\n")
                throw ExitCode(75)
            }
            serveLock = lock
        }
        defer { serveLock?.release() }
        let service = try await store.open(limits: limits)
        // why: the node-admin credential is shown once, through a file only the operator can read.
        let path = store.adminTokenPath
        let created = try await service.members.bootstrapNodeAdmin { token in
            guard SecretFile.create(atPath: path, contents: Data((token + "\n").utf8)) else {
                throw ValidationError("cannot create \(path); remove a stale file there and start again")
            }
        }
        if created != nil {
            logger.notice("node-admin credential created; read it once with `tearline admin token \(store.storeArguments)`")
        }
        if tls != nil {
            let clients = tlsClientCa == nil ? "none" : "required, \(peerPin.isEmpty ? "any from the CA" : "\(peerPin.count) pinned")"
            logger.notice("serving HTTPS; client certificates: \(clients)")
        }
        let edge = HTTPEdgeLimits(readTimeout: .seconds(Int64(readTimeout)), idleTimeout: .seconds(Int64(idleTimeout)),
                                  connectionsPerClient: maxConnectionsPerClient)
        let draining = ShutdownSignal()
        let exporter = MetricsExporter.bootstrap()
        var metricsAccess: MetricsAccess?
        if let metricsTokenFile {
            let token = (try? String(contentsOfFile: metricsTokenFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard let access = MetricsAccess(exporter: exporter, token: token) else {
                throw ValidationError("--metrics-token-file must name a readable file holding a token of at least 32 characters.")
            }
            metricsAccess = access
        }
        let app = try buildApplication(service: service, host: host, port: port, logger: logger, tls: tls, edge: edge,
                                       observer: RequestObserver(accessLog: accessLog), draining: draining, metrics: metricsAccess)
        let metricsListener = metricsPort == 0 ? nil : MetricsListener(exporter: exporter, host: metricsHost, port: metricsPort)
        if metricsListener != nil { logger.notice("metrics at http://\(metricsHost):\(metricsPort)/metrics") }
        if let tlsCert, let tlsKey, let pullCa {
            // why: a member's private search calls the partner nodes with our node certificate, as a pull does.
            do {
                service.nodeDialer.configure(NodeDialer.Credentials(identity: try NodeIdentity(certificatePath: tlsCert, keyPath: tlsKey),
                                                                    trustRoots: try String(contentsOfFile: pullCa, encoding: .utf8)))
            } catch {
                throw ValidationError("\(error)")
            }
        }
        var pulling: (FederationPuller, peers: [String], interval: Duration)?
        if !pullFrom.isEmpty, let tlsCert, let tlsKey, let pullCa {
            do {
                let puller = FederationPuller(service: service, identity: try NodeIdentity(certificatePath: tlsCert, keyPath: tlsKey),
                                              trustRoots: try String(contentsOfFile: pullCa, encoding: .utf8))
                pulling = (puller, pullFrom, .seconds(pullInterval))
            } catch {
                throw ValidationError("\(error)")
            }
            logger.notice("pulling from \(pullFrom.joined(separator: ", ")) every \(pullInterval) s")
        }
        try await NodeRuntime.run(app: app, service: service, puller: pulling, draining: draining,
                                  shutdownTimeout: .seconds(shutdownTimeout), logger: logger, metrics: metricsListener)
    }
}
