import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TearlineServer

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
        if let token = try await service.bootstrapNodeAdmin() {
            // why: the node-admin credential is shown once, through a file only the operator can read.
            let path = store.adminTokenPath
            guard FileManager.default.createFile(atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write \(path)")
            }
            logger.notice("node-admin credential created; read it once with `tearline admin token --db \(store.db)`")
        }
        let app = buildApplication(service: service, host: host, port: port, logger: logger)
        try await app.runService()
    }
}
