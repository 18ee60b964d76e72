import ArgumentParser
import Foundation
import TearlineServer
import TearlineStore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play stories 1 to 8 of the design in a fresh database and check every outcome.")

    @Option(help: "Where to build the demo database (must not exist; default: a new temporary file).")
    var db: String?

    @Option(name: .customLong("database-url"), help: "Play in this PostgreSQL database instead (it must hold no node yet).")
    var databaseURL: String?

    @Option(name: .long, help: "With --database-url: the master key file (default: a new one in a temporary directory).")
    var keyFile: String?

    func validate() throws {
        if db != nil, databaseURL != nil { throw ValidationError("--database-url cannot be combined with --db: name one store") }
        if keyFile != nil, databaseURL == nil { throw ValidationError("--key-file goes with --database-url; a SQLite demo keeps its key beside the file") }
    }

    func run() async throws {
        let service: TearlineService
        let place: String
        if let databaseURL {
            let url: PostgresURL
            do { url = try PostgresURL(databaseURL) } catch { throw ValidationError(error.description) }
            let key = keyFile ?? NSTemporaryDirectory() + "tearline-demo-\(UUID().uuidString).key"
            service = try await TearlineService.open(.postgres(url), keyFile: key, limits: TearlineServer.Demo.limits)
            guard try await service.store.read({ s in try s.organizations().isEmpty }) else {
                throw ValidationError("\(url) already holds a node; the demo builds a fresh one")
            }
            place = "\(url) (master key \(key))"
        } else {
            let path = db ?? NSTemporaryDirectory() + "tearline-demo-\(UUID().uuidString).db"
            guard !FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("\(path) already exists; the demo builds a fresh database")
            }
            service = try await TearlineService.open(databasePath: path, limits: TearlineServer.Demo.limits)
            place = path
        }
        var demo = TearlineServer.Demo(service: service)
        let (lines, failures) = try await demo.run()
        lines.forEach { print($0) }
        print("Database: \(place)")
        if failures.isEmpty {
            print("Every outcome matched the stories.")
        } else {
            print("\(failures.count) outcome(s) differed from the stories:")
            failures.forEach { print("  - \($0)") }
            throw ExitCode(1)
        }
    }
}
