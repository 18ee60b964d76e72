import Foundation
import TearlineCore
import TearlineStore

extension Demo {
    /// The throttle limits the demo runs with: low, so that story 5 needs few reports.
    public static let limits = ThrottleLimits(distinctReads: 25, searchResults: 1000, exports: 10, deniedReads: 10, window: 3_600_000)

    mutating func storyFive() async throws {
        say("Story 5 — the insider: a USA analyst scripts bulk reads (the demo throttles at \(Self.limits.distinctReads) distinct documents an hour).")
        var ids: [String] = []
        for i in 0..<60 {
            let report = try await service.reports.createReport(CreateReportRequest(
                title: "Field report \(i)", titleMarking: "(U)", sourceGrade: "C3", topics: ["counter-terrorism"],
                portions: [PortionInput(marking: "(S)", text: "Field report \(i): a courier crossed at the northern checkpoint.")]),
                by: who("usa-releaser"))
            ids.append(report.id)
        }
        var served = 0
        var refused: [ServiceError] = []
        for id in ids {
            if let p = await problem({ try await service.reports.viewReport(id: id, by: who("usa-analyst")) }) { refused.append(p) } else { served += 1 }
        }
        say("  usa-analyst requests all \(ids.count) reports: \(served) served, \(refused.count) refused.")
        expect(served == Self.limits.distinctReads, "no content is served beyond the threshold")
        expect(refused.allSatisfy { $0.kind == .throttled && $0.retryAfter != nil }, "the crossing request and every one after it get 429 with Retry-After")
        let alerts = try await service.audit.alerts(by: who("usa-security"), openOnly: true, limit: 10)
        expect(alerts.count == 1 && alerts.first?.member == memberIds["usa-analyst"], "USA's security officer is alerted")
        let trail = try await service.audit.audit(AuditQuery(actor: memberIds["usa-analyst"], action: AuditAction.reportRead.rawValue, limit: 200), by: who("usa-security"))
        expect(trail.items.count == ids.count, "every attempt is in the audit log (\(trail.items.count) report.read events)")
        _ = try await service.audit.liftThrottle(member: memberIds["usa-analyst"]!, by: who("usa-security"))
        let again = await problem { try await service.reports.viewReport(id: ids[0], by: who("usa-analyst")) }
        expect(again == nil, "after review, the security officer lifts the throttle")
        say("")
    }

    mutating func storySeven() async throws {
        say("Story 7 — leak attribution: a GBR copy of a USA release appears in public, re-typed.")
        let report = try await service.reports.createReport(CreateReportRequest(
            title: "Logistics of the organisation", titleMarking: "(U)", sourceGrade: "B2", topics: ["counter-terrorism"],
            portions: Self.leakProse.map { PortionInput(marking: "(C//REL TO USA, GBR)", text: $0) }), by: who("usa-releaser"))
        let release = try await service.releases.release(reportId: report.id, CreateReleaseRequest(recipient: "GBR"), by: who("usa-releaser"))
        var copies: [String: String] = [:]
        for i in 1...12 {
            let created = try await service.members.createMember(
                in: "GBR", CreateMemberRequest(name: "gbr-reader-\(i)", roles: ["analyst"], clearance: "SECRET", topics: ["counter-terrorism"]),
                by: admin)
            guard let reader = try await service.members.authenticate(token: created.token) else { throw ServiceError.unauthorized() }
            let view = try await service.releases.viewRelease(id: release.id, by: reader)
            copies[created.member.id] = view.portions.map(\.text).joined(separator: "\n\n")
        }
        expect(Set(copies.values).count == copies.count, "each of 12 GBR readers was served a differently fingerprinted copy")
        let (leaker, copy) = copies.sorted { $0.key < $1.key }[6]
        // The leaker re-types the text: invisible characters gone, whitespace collapsed. (One short
        // paragraph alone carries too few marked places to name one of 12 readers beyond 10⁻⁶.)
        let retyped = copy.unicodeScalars.filter { !$0.properties.isDefaultIgnorableCodePoint }
            .split(whereSeparator: { $0.properties.isWhitespace }).map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
        let trace = try await service.reports.trace(text: retyped, by: who("gbr-security"))
        say(String(format: "  GBR security traces the text: %@ (%@), %d of %d slots match, chance among the readers %.1e.",
                   trace.best?.member ?? "nobody", trace.verdict.rawValue, trace.best?.matches ?? 0, trace.best?.observed ?? 0, trace.chance))
        expect(trace.conclusive && trace.best?.member == leaker && trace.best?.document == release.id, "the trace names the member whose copy it was")
        let usa = try await service.reports.trace(text: retyped, by: who("usa-security"))
        expect(usa.best?.organization == "GBR" && usa.best?.member == nil, "USA, GBR's peer, learns the organisation, not the member")
        say("")
    }

    /// Assessment prose with many equivalent forms, the slots that carry a copy's fingerprint.
    static let leakProse = [
        "The organisation has reorganised its logistics network over the past year and now prioritises the movement of fuel "
            + "towards the northern border. Analysts assess that the group utilised at least three civilian transport companies, "
            + "and that its couriers travelled through neighbouring districts whilst avoiding the main checkpoints.",
        "Amongst the recovered documents were e-mails between the group's logistics centre and its financial co-ordinators, "
            + "which characterise the effort as the leadership's first priority. Defence officials recognised the pattern in March, "
            + "but the organisation realised that its behaviour had been noticed and modernised its communications. The cell has "
            + "analysed travel records, labelled suspected informants by district and emphasised the need to minimise contact with "
            + "foreign nationals, and its members have criticised the leadership for failing to stabilise the southern front.",
    ]
}
