import ArgumentParser
import Foundation
import TearlineServer

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import STIX content, or migrate a medallion TAXII server, into this node.",
        subcommands: [STIX.self, Medallion.self])

    struct STIX: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stix", abstract: "Load a STIX 2.1 bundle as holdings of an organisation (all objects or none).")
        @OptionGroup var store: StoreOptions
        @Option(help: "The organisation whose holdings the objects become.") var org: String
        @Option(help: "A community collection the organisation writes to (default: its holdings collection).") var collection: String?
        @Argument(help: "The bundle file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let service = try await store.open()
            try printJSON(try await reportingProblems {
                try await service.taxii.importSTIX(Array(data), organization: org, collection: collection, by: .nodeAdmin)
            })
        }
    }

    struct Medallion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "medallion",
            abstract: "Migrate a medallion memory-backend TAXII server: API roots, collections (ids kept), objects with versions and date_added, users and passwords.")
        @OptionGroup var store: StoreOptions
        @Option(help: "medallion's configuration file (its users and passwords).") var config: String
        @Option(help: "medallion's memory-backend data file.") var data: String
        @Option(help: "The organisation (already created) whose holdings the objects and whose members the users become.") var org: String
        @Option(help: "The clearance the imported users get.") var clearance: String = "UNCLASSIFIED"
        @Option(help: "A marking for objects whose STIX markings this node cannot map (default: refuse the import).") var unmappedMarking: String?
        @Flag(help: "Keep Tearline's own API root as discovery's default (by default, the root medallion's discovery named becomes it).")
        var keepDefault = false

        func run() async throws {
            guard let configData = FileManager.default.contents(atPath: config) else { throw ValidationError("cannot read \(config)") }
            guard let dataData = FileManager.default.contents(atPath: data) else { throw ValidationError("cannot read \(data)") }
            let service = try await store.open()
            try printJSON(try await reportingProblems {
                try await service.taxii.importMedallion(config: Array(configData), data: Array(dataData), organization: org, clearance: clearance,
                                                  unmappedMarking: unmappedMarking, keepDefault: keepDefault, by: .nodeAdmin)
            })
        }
    }
}
