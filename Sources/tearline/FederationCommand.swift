import ArgumentParser
import Foundation
import TearlineCore
import TearlineServer

/// `tearline federation`: register partner nodes, print an organisation's public key for them, and pull.
struct FederationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "federation",
        abstract: "Share with partner nodes: register a partner, print a key for one, pull releases from one, publish and budget private discovery.",
        subcommands: [Peer.self, Key.self, Pull.self, DiscoveryPublish.self, DiscoveryBudgetCommand.self])

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

    struct DiscoveryPublish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discovery-publish",
            abstract: "Bring the private discovery set a partner organisation's node may search up to date now (it is also refreshed on each of its pulls).")

        @OptionGroup var store: StoreOptions
        @Option(help: "The partner organisation, hosted on another node.") var org: String

        func run() async throws {
            let service = try await store.open()
            let refresh = try await reportingProblems { try await service.federation.refreshDiscoverySet(partner: org) }
            print("{\"partner\":\"\(org)\",\"epoch\":\(refresh.epoch),\"written\":\(refresh.written),\"rotated\":\(refresh.rotated.map { "\"\($0.rawValue)\"" } ?? "null")}")
        }
    }

    struct DiscoveryBudgetCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discovery-budget",
            abstract: "Set how many OPRF evaluations a partner organisation's node may have a day, and when security is alerted.")

        @OptionGroup var store: StoreOptions
        @Option(help: "The partner organisation, hosted on another node.") var org: String
        @Option(help: "Evaluations a day (each tests one guessed value against the set).") var perDay: Int
        @Option(help: "Alert the partnering organisations' security members when a day's count reaches this (default: 80% of --per-day).") var alertAt: Int?

        func run() async throws {
            let service = try await store.open()
            let budget = DiscoveryBudget(perDay: perDay, alertAt: alertAt ?? max(1, perDay * 4 / 5))
            let set = try await reportingProblems { try await service.federation.setDiscoveryBudget(partner: org, budget: budget, by: .nodeAdmin) }
            print("{\"partner\":\"\(org)\",\"perDay\":\(set.perDay),\"alertAt\":\(set.alertAt)}")
        }
    }
}
