import Testing
import TearlineCore

@Suite("What an organisation's trail shows of another organisation's event")
struct AuditDisclosureTests {
    @Test func aRecipientDoesNotReadHowMuchWasWithheldFromIt() {
        let detail = "report=rpt_1 recipient=GBR portions=2 withheld=2"
        #expect(AuditDisclosure.detailForConcerned(action: "release.create", detail: detail, actingOrganization: "USA") == "recipient=GBR portions=2")
    }

    @Test func anOriginatorDoesNotReadTheRecipientsReaderProfile() {
        #expect(AuditDisclosure.detailForConcerned(action: "release.read", detail: "shown=1 withheld=1 [0:clearance]", actingOrganization: "USA") == nil)
    }

    @Test func trustChangesAndTheThirdPartyRuleConcernBothSides() {
        #expect(AuditDisclosure.detailForConcerned(action: "partnership.update", detail: "ISR trust in USA high->low", actingOrganization: "USA") == "ISR trust in USA high->low")
        #expect(AuditDisclosure.detailForConcerned(action: "release.forward", detail: "target=RUS consentRequest=c_1", actingOrganization: "USA") == "target=RUS consentRequest=c_1")
    }

    @Test func theNodesOwnDealingsWithAnOrganisationAreShownWhole() {
        #expect(AuditDisclosure.detailForConcerned(action: "member.create", detail: "exempt=node-admin", actingOrganization: nil) == "exempt=node-admin")
        #expect(AuditDisclosure.detailForConcerned(action: "member.create", detail: "exempt=node-admin", actingOrganization: "GBR") == nil)
    }

    @Test func anActionNotListedSharesNothing() {
        #expect(AuditDisclosure.detailForConcerned(action: "report.export", detail: "objects=3", actingOrganization: "USA") == nil)
        #expect(AuditDisclosure.detailForConcerned(action: "release.create", detail: nil, actingOrganization: "USA") == nil)
        #expect(AuditDisclosure.detailForConcerned(action: "release.create", detail: "withheld=3", actingOrganization: "USA") == nil)
    }
}
