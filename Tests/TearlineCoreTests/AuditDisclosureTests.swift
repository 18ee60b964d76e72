import Testing
import TearlineCore

@Suite("What an organisation's trail shows of another organisation's event")
struct AuditDisclosureTests {
    @Test func aRecipientDoesNotReadHowMuchWasWithheldFromIt() {
        let detail = "report=rpt_1 recipient=GBR portions=2 withheld=2"
        #expect(AuditDisclosure.detailForConcerned(action: "release.create", detail: detail) == "recipient=GBR portions=2")
    }

    @Test func anOriginatorDoesNotReadTheRecipientsReaderProfile() {
        #expect(AuditDisclosure.detailForConcerned(action: "release.read", detail: "shown=1 withheld=1 [0:clearance]") == nil)
    }

    @Test func trustChangesAndTheThirdPartyRuleConcernBothSides() {
        #expect(AuditDisclosure.detailForConcerned(action: "partnership.update", detail: "ISR trust in USA high->low") == "ISR trust in USA high->low")
        #expect(AuditDisclosure.detailForConcerned(action: "release.forward", detail: "target=RUS consentRequest=c_1") == "target=RUS consentRequest=c_1")
    }

    @Test func anActionNotListedSharesNothing() {
        #expect(AuditDisclosure.detailForConcerned(action: "report.export", detail: "objects=3") == nil)
        #expect(AuditDisclosure.detailForConcerned(action: "release.create", detail: nil) == nil)
        #expect(AuditDisclosure.detailForConcerned(action: "release.create", detail: "withheld=3") == nil)
    }
}
