import ArgumentParser
import Foundation
import TearlineServer

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bootstrap and manage organisations, members and partnerships, as the node administrator.",
        subcommands: [Token.self, OrgCreate.self, MemberCreate.self, MemberSet.self, MemberPassword.self, PartnershipCreate.self, PartnershipSet.self,
                      PartnershipList.self, CollectionCreate.self, DefaultApiRoot.self])

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token", abstract: "Print the node-admin token that `serve` created, once; the file is then deleted.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let path = store.adminTokenPath
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("no unread node-admin token at \(path): it is created on the first `serve` and can be read once")
            }
            try FileManager.default.removeItem(atPath: path)
            print(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    struct OrgCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "org-create", abstract: "Create an organisation.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Short upper-case id, e.g. USA, USA-FBI.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(help: "state, agency or international.") var kind: String

        func run() async throws {
            let service = try await store.open()
            try printJSON(try await reportingProblems { try await service.members.createOrganization(.init(id: id, name: name, kind: kind), by: .nodeAdmin) })
        }
    }

    struct MemberCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member-create", abstract: "Create a member and print its API token (shown once).")
        @OptionGroup var store: StoreOptions
        @Option(help: "The member's organisation.") var org: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Comma-separated roles: analyst, releaser, security, liaison, admin.") var roles: String
        @Option(help: "UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or TOP SECRET.") var clearance: String
        @Option(help: "Comma-separated compartments.") var compartments: String = ""
        @Option(help: "Comma-separated need-to-know topics.") var topics: String = ""
        @Option(help: "For a liaison: the organisation seconded to.") var secondedTo: String?

        func run() async throws {
            let service = try await store.open()
            let input = CreateMemberRequest(
                name: name, roles: split(roles), clearance: clearance, compartments: split(compartments), topics: split(topics), secondedTo: secondedTo)
            try printJSON(try await reportingProblems { try await service.members.createMember(in: org, input, by: .nodeAdmin) })
        }
    }

    struct MemberSet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "member-set", abstract: "Suspend or reactivate a member.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The member id.") var id: String
        @Option(help: "active or suspended.") var status: String

        func run() async throws {
            let service = try await store.open()
            try printJSON(try await reportingProblems { try await service.members.updateMember(id: id, .init(status: status), by: .nodeAdmin) })
        }
    }

    struct MemberPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member-password",
            abstract: "Give a member a login and password for HTTP Basic (TAXII clients); the password is read from standard input.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The member id.") var member: String
        @Option(help: "The login, e.g. the user name a TAXII client sends.") var login: String

        func run() async throws {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("give the password on standard input (one line)")
            }
            let service = try await store.open()
            try printJSON(try await reportingProblems { try await service.taxii.setPassword(member: member, login: login, password: line, by: .nodeAdmin) })
        }
    }

    struct CollectionCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collection-create",
            abstract: "Create a TAXII community collection whose reader and writer organisations share STIX content through the decision rule.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The collection's title.") var title: String
        @Option(help: "A description.") var description: String?
        @Option(help: "An alias.") var alias: String?
        @Option(help: "Comma-separated organisations that read it.") var readers: String
        @Option(help: "Comma-separated organisations that post to it.") var writers: String
        @Option(help: "Comma-separated need-to-know topics; none: membership is the need to know.") var topics: String = ""
        @Option(help: "The marking of posted objects that carry none.") var defaultMarking: String = "UNCLASSIFIED//TLP:AMBER"
        @Option(help: "The API root.") var apiRoot: String?
        @Option(help: "A UUID to keep (default: a new one).") var id: String?

        func run() async throws {
            let service = try await store.open()
            let input = CreateCollectionInput(id: id, apiRoot: apiRoot, title: title, description: description, alias: alias, readers: split(readers),
                                              writers: split(writers), topics: split(topics), defaultMarking: defaultMarking)
            try printJSON(try await reportingProblems { try await service.taxii.createCollection(input, by: .nodeAdmin) })
        }
    }

    struct DefaultApiRoot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "default-api-root",
            abstract: "Choose the API root TAXII discovery names as the default (tearline: Tearline's own).")
        @OptionGroup var store: StoreOptions
        @Option(help: "The API root's name.") var name: String

        func run() async throws {
            let service = try await store.open()
            try printJSON(try await reportingProblems { ["defaultApiRoot": try await service.taxii.setDefaultApiRoot(name, by: .nodeAdmin)] })
        }
    }

    struct PartnershipCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "partnership-create", abstract: "Create a partnership.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The two organisations, comma-separated, e.g. USA,GBR.") var orgs: String
        @Option(help: "peer or hierarchical.") var kind: String = "peer"
        @Option(help: "For hierarchical: the dominant side.") var dominant: String?
        @Option(help: "none, minimal, limited, low, high or full.") var trust: String

        func run() async throws {
            let service = try await store.open()
            let input = CreatePartnershipRequest(organizations: split(orgs), kind: kind, dominant: dominant, trustLevel: trust)
            try printJSON(try await reportingProblems { try await service.trust.createPartnership(input, by: .nodeAdmin) })
        }
    }

    struct PartnershipSet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "partnership-set", abstract: "Change one side's stance: its trust in the other side, or its own suspension.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The partnership id.") var id: String
        @Option(help: "The side hosted here to act for (required when both sides are hosted here).") var side: String?
        @Option(help: "suspended (the side suspends) or active (the side lifts its own suspension).") var status: String?
        @Option(help: "The side's trust in the other side: none, minimal, limited, low, high or full.") var trust: String?
        @Option(help: "Why; kept in the partnership's trust history.") var reason: String?

        func run() async throws {
            let service = try await store.open()
            try printJSON(try await reportingProblems {
                try await service.trust.updatePartnership(id: id, .init(status: status, trustLevel: trust, reason: reason, side: side), by: .nodeAdmin)
            })
        }
    }

    struct PartnershipList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "partnership-list", abstract: "List partnerships.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let service = try await store.open()
            try printJSON(try await service.trust.partnerships(for: .nodeAdmin))
        }
    }
}

func split(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
