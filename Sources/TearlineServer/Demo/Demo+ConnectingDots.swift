import Foundation
import TearlineCore
import TearlineStore

extension Demo {
    mutating func storySix() async throws {
        say("Story 6 — connecting the dots: USA-CIA and USA-FBI each hold a report on the same person.")
        for id in ["USA-CIA", "USA-FBI"] {
            _ = try await service.members.createOrganization(CreateOrganizationRequest(id: id, name: id, kind: "agency"), by: admin)
        }
        for (name, org, roles) in [("cia-releaser", "USA-CIA", ["analyst", "releaser"]), ("fbi-analyst", "USA-FBI", ["analyst"])] {
            let created = try await service.members.createMember(
                in: org, CreateMemberRequest(name: name, roles: roles, clearance: "TOP SECRET", topics: ["counter-intelligence"]), by: admin)
            guard let caller = try await service.members.authenticate(token: created.token) else { throw ServiceError.unauthorized() }
            members[name] = caller
            memberIds[name] = created.member.id
        }
        _ = try await service.trust.createPartnership(CreatePartnershipRequest(organizations: ["USA-CIA", "USA-FBI"], kind: "peer", trustLevel: "full"), by: admin)
        let cia = try await service.reports.createReport(CreateReportRequest(
            title: "Courier network at the port", titleMarking: "(S//REL TO USA-CIA, USA-FBI)", sourceGrade: "B2", topics: ["counter-intelligence"],
            portions: [PortionInput(marking: "(S//REL TO USA-CIA, USA-FBI)", text: "Vasily Petrov met the courier at the port on Tuesday."),
                       PortionInput(marking: "(TS)", text: "The source is the port master.", sourcesAndMethods: true)],
            entities: [EntityInput(type: "person", value: "Vasily Petrov", portion: 0)], discoverability: "all-partners"), by: who("cia-releaser"))
        let fbi = try await service.reports.createReport(CreateReportRequest(
            title: "Wire transfers", titleMarking: "(U)", sourceGrade: "C3", topics: ["counter-intelligence"],
            portions: [PortionInput(marking: "(S)", text: "VASILY  PETROV received three transfers from +44 20 7946 0958.")],
            entities: [EntityInput(type: "person", value: "VASILY  PETROV", portion: 0)]), by: who("fbi-analyst"))
        let found = try await service.entities.searchEntity(EntitySearchRequest(kind: "person", value: "vasily petrov"), by: who("fbi-analyst"))
        say("  fbi-analyst searches \"vasily petrov\": \(found.hits.count) own hit, pointers: \(found.pointers.map { "\($0.holder) holds \($0.count)" }.joined(separator: ", ")).")
        expect(found.hits.map(\.id) == [fbi.id], "the analyst sees the FBI's own report, written differently, with its matching portion")
        expect(found.pointers.map(\.holder) == ["USA-CIA"] && found.pointers.first?.count == 1, "and a pointer to the CIA holding")
        let leaked = "\(found.hits.map(\.title)) \(found.pointers)".contains("Courier") || "\(found.pointers)".contains(cia.id)
        expect(!leaked, "the pointer carries no title, text, marking or report id")
        guard let handle = found.pointers.first?.handle else { return }
        let request = try await service.entities.requestAccess(AccessRequestInput(handle: handle, justification: "Petrov is in our case"), by: who("fbi-analyst"))
        let granted = try await service.entities.grantAccessRequest(id: request.id, AccessGrantInput(), by: who("cia-releaser"))
        say("  the FBI analyst requests access; the CIA releaser grants it: release \(granted.releases?.first ?? "none").")
        let told = try await service.entities.notifications(by: who("fbi-analyst"), limit: 10)
        expect(told.contains { $0.kind == "access-request.granted" }, "the analyst is told the outcome")
        if let releaseId = granted.releases?.first {
            let view = try await service.releases.viewRelease(id: releaseId, by: who("fbi-analyst"))
            expect(view.portions.map(\.index) == [0], "the analyst reads the CIA report — without its sources-and-methods portion")
            expect(view.corroboration?.originators == ["USA-FBI"], "the view shows the FBI's own report as corroboration")
        }
        say("")
    }
}
