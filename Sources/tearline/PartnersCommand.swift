import ArgumentParser
import Foundation
import TearlineServer

struct PartnersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partners",
        abstract: "Print an organisation's partners table: given, received, balance, open terms, track records both ways, trust, breaches.")

    @OptionGroup var store: StoreOptions

    @Option(help: "The organisation whose partners to show.") var org: String
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        let service = try await store.open()
        let rows: [PartnerRow]
        do { rows = try await service.trust.partners(of: org, by: .nodeAdmin) } catch let error as ServiceError {
            throw ValidationError(error.detail)
        }
        if json { return try printJSON(rows) }
        let header = ["partner", "our trust", "their trust", "status", "given", "received", "balance", "terms owed to us/by us", "their record", "our record", "breaches them/us"]
        var lines = [header]
        for r in rows {
            lines.append([
                r.partner, r.trustLevel, r.partnerTrustLevel,
                r.suspendedBy.isEmpty ? r.status : "\(r.status) by \(r.suspendedBy.joined(separator: ", "))", String(format: "%d (%.1f)", r.given.releases, r.given.value),
                String(format: "%d (%.1f)", r.received.releases, r.received.value), String(format: "%+.1f", r.balance),
                "\(r.openTermsOwedToUs)/\(r.openTermsOwedByUs)",
                Self.record(r.partnerTrackRecord), Self.record(r.ourTrackRecordWithPartner), "\(r.breachesByPartner)/\(r.breachesByUs)",
            ])
        }
        let widths = header.indices.map { i in lines.map { $0[i].count }.max() ?? 0 }
        for line in lines {
            print(line.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
    }

    static func record(_ t: TrackRecordView) -> String {
        t.judged == 0 ? "—" : String(format: "%.2f [%.2f–%.2f] n=%d", t.mean, t.low, t.high, t.judged)
    }
}
