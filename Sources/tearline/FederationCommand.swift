import ArgumentParser
import Foundation
import TearlineServer

/// `tearline federation`: register partner nodes, print an organisation's public key for them, and pull.
struct FederationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "federation",
        abstract: "Share with partner nodes: register a partner, print a key for one, pull releases from one.",
        subcommands: [Peer.self, Key.self, Pull.self])

    struct Peer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a partner organisation hosted on another node (its public key, its node's URL and certificate pins), or update its URL and pins.")

        @OptionGroup var store: StoreOptions
        @Option(help: "The partner organisation's id, e.g. GBR.") var org: String
        @Option(help: "Its name.") var name: String
        @Option(help: "state, agency or international.") var kind: String = "state"
        @Option(help: "Its Ed25519 public key, base64, as `tearline federation key` prints it on its node.") var publicKey: String
        @Option(help: "https://host:port of its node, if this node pulls from it.") var url: String = ""
        @Option(help: "A sha256/… pin of its node's certificate key (`tearline pki pin`); repeat for several.") var pin: [String]

        func run() async throws {
            let service = try await store.open()
            let peer = try await reportingProblems {
                try await service.federation.addPeer(PeerInput(organization: org, name: name, kind: kind, publicKey: publicKey, url: url, pins: pin), by: .nodeAdmin)
            }
            try printJSON(peer)
        }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the Ed25519 public key (base64) of an organisation hosted here, for its partners' nodes.")

        @OptionGroup var store: StoreOptions
        @Option(help: "The organisation.") var org: String

        func run() async throws {
            let service = try await store.open()
            let found = try await reportingProblems { try await service.members.organization(id: org, for: .nodeAdmin) }
            print(found.publicKey)
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull the releases a partner's organisation made to ours from its node, verify them, and send back receipts, feedback, consent requests and refusals.")

        @OptionGroup var store: StoreOptions
        @Option(help: "The partner organisation to pull from.") var peer: String
        @Option(help: "Our node certificate (PEM), presented to the partner.") var tlsCert: String
        @Option(help: "Its private key (PEM, mode 0600).") var tlsKey: String
        @Option(help: "The partner's node CA certificate (PEM).") var peerCa: String

        func run() async throws {
            let service = try await store.open()
            let identity: NodeIdentity
            let roots: String
            do {
                identity = try NodeIdentity(certificatePath: tlsCert, keyPath: tlsKey)
                roots = try String(contentsOfFile: peerCa, encoding: .utf8)
            } catch {
                throw ValidationError("\(error)")
            }
            let summaries: [FederationPullSummary]
            do {
                summaries = try await reportingProblems { try await FederationPuller(service: service, identity: identity, trustRoots: roots).pull(peer: peer) }
            } catch let error as FederationError {
                FileHandle.standardErrorWrite("tearline: \(error.description)\n")
                throw ExitCode(1)
            }
            try printJSON(summaries)
            // why: a refused release is a security event; the operator's script must notice it.
            if summaries.contains(where: { !$0.refused.isEmpty }) { throw ExitCode(3) }
        }
    }
}
