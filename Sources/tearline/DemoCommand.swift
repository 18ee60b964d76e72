import ArgumentParser
import Foundation
import TearlineServer

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play stories 1 to 8 of the design in a fresh database and check every outcome.")

    @Option(help: "Where to build the demo database (must not exist; default: a new temporary file).")
    var db: String?

    func run() async throws {
        let path = db ?? NSTemporaryDirectory() + "tearline-demo-\(UUID().uuidString).db"
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) already exists; the demo builds a fresh database")
        }
        let service = try await TearlineService.open(databasePath: path, limits: TearlineServer.Demo.limits)
        var demo = TearlineServer.Demo(service: service)
        let (lines, failures) = try await demo.run()
        lines.forEach { print($0) }
        print("Database: \(path)")
        if failures.isEmpty {
            print("Every outcome matched the stories.")
        } else {
            print("\(failures.count) outcome(s) differed from the stories:")
            failures.forEach { print("  - \($0)") }
            throw ExitCode(1)
        }
    }
}
