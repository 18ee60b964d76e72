import Testing
import TearlineCore

@Suite("Audit actions")
struct AuditActionTests {
    @Test func namesAreUniqueAndWellFormed() {
        let names = AuditAction.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(name.allSatisfy { $0.isLowercase || $0 == "." || $0 == "-" }, "\(name)")
        }
    }

    @Test func shippedNamesNeverChange() {
        // A sample of names already in audit logs on disk and in clients' filters.
        #expect(AuditAction.reportRead.rawValue == "report.read")
        #expect(AuditAction.releaseForward.rawValue == "release.forward")
        #expect(AuditAction.partnershipUpdate.rawValue == "partnership.update")
        #expect(AuditAction.taxiiObjectsList.rawValue == "taxii.objects.list")
        #expect(AuditAction.federationRequestRefused.rawValue == "federation.request-refused")
        #expect(AuditAction.servingCopies.map(\.rawValue) == ["report.read", "report.export", "release.read", "release.export"])
    }
}
