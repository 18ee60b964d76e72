import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TearlineServer
import TearlineStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the API server.")

    @OptionGroup var store: StoreOptions

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8080

    func run() async throws {
        var logger = Logger(label: "tearline")
        logger.logLevel = .info
        let service = try store.open()
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
