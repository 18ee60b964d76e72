import ArgumentParser
import Foundation
import TearlineServer

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import STIX content, MISP events, or migrate a medallion TAXII server, into this node.",
        subcommands: [STIX.self, Medallion.self, MISP.self])

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
            let progress = ImportProgress("objects", total: 0)
            let result = try await reportingProblems {
                try await service.taxii.importSTIX(Array(data), organization: org, collection: collection, by: .nodeAdmin,
                                                   progress: { progress.update($0, of: $1) })
            }
            progress.finish()
            try printJSON(result)
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
            let progress = ImportProgress("objects", total: 0)
            let result = try await reportingProblems {
                try await service.taxii.importMedallion(config: Array(configData), data: Array(dataData), organization: org, clearance: clearance,
                                                        unmappedMarking: unmappedMarking, keepDefault: keepDefault, by: .nodeAdmin,
                                                        progress: { progress.update($0, of: $1) })
            }
            progress.finish()
            try printJSON(result)
        }
    }

    struct MISP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "misp",
            abstract: "Import MISP events as reports of an organisation, all or nothing.",
            discussion: """
                Each PATH is a MISP JSON file (one event, an array of events, or a REST search answer) or a MISP feed \
                directory (manifest.json and one {uuid}.json per event). Each event becomes a report: its info the title, \
                its attributes and objects portions and entities, its tags and distribution the markings (see the README, \
                "Migrating from MISP"). Prints what was mapped and what was kept as text only.
                """)
        @OptionGroup var store: StoreOptions
        @Option(help: "The organisation (already created) whose reports the events become.") var org: String
        @Option(help: "The classification of every portion.") var classification: String = "UNCLASSIFIED"
        @Option(help: "The TLP of events and attributes without a tlp tag.") var defaultTlp: String = "AMBER"
        @Option(help: "strict: distribution levels become REL TO; tlp-only: TLP tags alone.") var distribution: String = "strict"
        @Option(help: "Comma-separated organisations MISP's \"this community\" and \"connected communities\" mean.") var community: String = ""
        @Option(help: "The distribution level (0-4) of events that give none, as MISP feeds' events do (0: your organisation only).")
        var missingDistribution: Int = 0
        @Option(help: "Comma-separated need-to-know topics of the reports.") var topics: String = "cti"
        @Option(help: "The source grade of the reports (MISP does not grade: F6, cannot be judged).") var sourceGrade: String = "F6"
        @Argument(help: "MISP JSON files or feed directories.") var paths: [String]

        func run() async throws {
            let events = try MISPFiles.read(paths)
            let service = try await store.open()
            let input = MISPImportInput(organization: org, classification: classification, defaultTLP: defaultTlp, community: split(community),
                                        distribution: distribution, missingDistribution: missingDistribution, topics: split(topics),
                                        sourceGrade: sourceGrade)
            let progress = ImportProgress("events", total: events.count)
            let result = try await reportingProblems {
                try await service.reports.importMISP(events, input, by: .nodeAdmin, progress: { progress.update($0) })
            }
            progress.finish()
            try printJSON(result)
        }
    }
}

