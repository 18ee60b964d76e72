import ArgumentParser
import Foundation
import TearlineStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the tamper-evident audit log.",
        subcommands: [AuditVerify.self, AuditKey.self])
}

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every entry's hash and link, the signed checkpoints and the signed head.",
        discussion: "Exits 0 when the log is intact; otherwise 1, naming the first bad sequence number.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Verify with this node public key (base64, from `tearline audit key`) instead of the key file.")
    var publicKey: String?

    func run() async throws {
        let start = Date()
        let result: AuditVerification
        do {
            switch (try store.location, publicKey) {
            case (.postgres(let url), let publicKey?):
                result = try await AuditVerifier.verify(postgres: url, publicKeyBase64: publicKey)
            case (.postgres(let url), nil):
                result = try await AuditVerifier.verify(postgres: url, masterKey: store.existingMasterKey())
            case (_, let publicKey?):
                result = try AuditVerifier.verify(databaseAt: store.databasePath, publicKeyBase64: publicKey)
            case (_, nil):
                result = try AuditVerifier.verify(databaseAt: store.databasePath, masterKey: store.existingMasterKey())
            }
        } catch {
            FileHandle.standardErrorWrite("tearline: cannot verify \(store.storeName): \(error)\n")
            throw ExitCode(2)
        }
        let seconds = Date().timeIntervalSince(start)
        if let bad = result.firstBad {
            FileHandle.standardErrorWrite("tearline: audit log NOT intact: first bad entry \(bad): \(result.problem ?? "")\n")
            throw ExitCode(1)
        }
        let head = result.head.map { "head at entry \($0.seq), hash \($0.hash.map { String(format: "%02x", $0) }.joined())" } ?? "empty log"
        print("audit log intact: \(result.entries) entries, \(result.checkpoints) checkpoints, \(head) (\(String(format: "%.2f", seconds)) s)")
    }
}

struct AuditKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print the node's audit public key (base64), for `audit verify --public-key` elsewhere.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        do {
            print(AuditVerifier.publicKeyBase64(masterKey: try store.existingMasterKey()))
        } catch {
            FileHandle.standardErrorWrite("tearline: \(error)\n")
            throw ExitCode(2)
        }
    }
}
