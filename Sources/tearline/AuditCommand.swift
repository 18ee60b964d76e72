import ArgumentParser
import Foundation
import TearlineStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the tamper-evident audit log.",
        subcommands: [AuditVerify.self, AuditKey.self, AuditHead.self])
}

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every entry's hash and link, the signed checkpoints, the signed head, and every witnessed head.",
        discussion: """
            Witnessed heads are this node's heads that partner nodes saw at federation exchanges (recorded here), and             those in --witness files written by `tearline audit head`: the log must still hold each one's entry with its             hash, or it was rolled back or rewritten. Exits 0 when the log is intact; otherwise 1, naming the first bad             sequence number.
            """)

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Verify with this node public key (base64, from `tearline audit key`) instead of the key file.")
    var publicKey: String?

    @Option(name: .long, help: "A file of heads written by `tearline audit head` and kept elsewhere; the log must still hold each. Repeatable.")
    var witness: [String] = []

    func run() async throws {
        let start = Date()
        let result: AuditVerification
        do {
            let witnesses = try witness.flatMap { try WitnessedHead.read(file: $0) }
            switch (try store.location, publicKey) {
            case (.postgres(let url), let publicKey?):
                result = try await AuditVerifier.verify(postgres: url, publicKeyBase64: publicKey, witnesses: witnesses)
            case (.postgres(let url), nil):
                result = try await AuditVerifier.verify(postgres: url, masterKey: store.existingMasterKey(), witnesses: witnesses)
            case (_, let publicKey?):
                result = try AuditVerifier.verify(databaseAt: store.databasePath, publicKeyBase64: publicKey, witnesses: witnesses)
            case (_, nil):
                result = try AuditVerifier.verify(databaseAt: store.databasePath, masterKey: store.existingMasterKey(), witnesses: witnesses)
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
        print("audit log intact: \(result.entries) entries, \(result.checkpoints) checkpoints, \(head), \(result.witnesses) witnessed heads held (\(String(format: "%.2f", seconds)) s)")
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

struct AuditHead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Sign the audit head over the last entry and print it as one JSON line, to keep elsewhere.",
        discussion: """
            Append the line to a file on another machine (`tearline audit head ... >> heads.jsonl`); later, \
            `tearline audit verify --witness heads.jsonl` fails if the log no longer holds any of those heads: \
            a rollback to an older copy, or an emptied log, is caught.
            """)

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let service = try await store.open()
        do {
            guard let head = try await service.store.sealAuditHead() else {
                FileHandle.standardErrorWrite("tearline: the audit log is empty; there is no head to witness yet\n")
                throw ExitCode(1)
            }
            let line = WitnessedHead.Line(head, publicKey: try store.existingMasterKey().auditSigningKey.publicKey)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
            await service.store.close()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardErrorWrite("tearline: \(error)\n")
            throw ExitCode(2)
        }
    }
}
