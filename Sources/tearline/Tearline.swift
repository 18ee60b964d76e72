import ArgumentParser

@main
struct Tearline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tearline",
        abstract: "Tearline: share secret intelligence between partner organisations under rules they can trust.",
        subcommands: [Serve.self, Demo.self, Admin.self, Import.self, Verify.self, AuditCommand.self, TraceCommand.self, PartnersCommand.self, PKICommand.self, FederationCommand.self, DatabaseCommand.self, BackupCommand.self, RestoreCommand.self])
}
