import Foundation
import ArgumentParser
import TearlineServer

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the originator's Ed25519 signature on a report or release in the database.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "A report id (rpt_…) or release id (rel_…).")
    var id: String

    func run() async throws {
        let service = try await store.open()
        guard let result = try await service.reports.verifyStored(id: id) else {
            throw ValidationError("no report or release \(id) in \(store.storeName)")
        }
        try printJSON(result)
        if !result.valid {
            FileHandle.standardErrorWrite("tearline: the signature on \(id) does NOT verify\n")
            throw ExitCode(1)
        }
    }
}
