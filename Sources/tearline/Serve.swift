import ArgumentParser
import Foundation
import Hummingbird
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

    func validate() throws {
        for (name, value) in [("--throttle-reads", throttleReads), ("--throttle-search-results", throttleSearchResults),
                              ("--throttle-exports", throttleExports), ("--throttle-denials", throttleDenials),
                              ("--throttle-window", throttleWindow)] where value < 1 {
            throw ValidationError("\(name) must be at least 1.")
        }
    }

    func run() async throws {
        var logger = Logger(label: "tearline")
        logger.logLevel = .info
        let limits = ThrottleLimits(
            distinctReads: throttleReads, searchResults: throttleSearchResults, exports: throttleExports,
            deniedReads: throttleDenials, window: Int64(throttleWindow) * 1000)
        let service = try store.open(limits: limits)
        // why: the node-admin credential is shown once, through a file only the operator can read.
        let path = store.adminTokenPath
        let created = try await service.bootstrapNodeAdmin { token in
            guard SecretFile.create(atPath: path, contents: Data((token + "\n").utf8)) else {
                throw ValidationError("cannot create \(path); remove a stale file there and start again")
            }
        }
        if created != nil {
            logger.notice("node-admin credential created; read it once with `tearline admin token --db \(store.db)`")
        }
        let app = buildApplication(service: service, host: host, port: port, logger: logger)
        try await app.runService()
    }
}
