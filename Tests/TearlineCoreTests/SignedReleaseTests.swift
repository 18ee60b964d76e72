import Crypto
import Foundation
import PropertyBased
import Testing
import TearlineCore

/// A partner node rebuilds a release from the exact bytes its originator signed; anything that
/// is not those bytes in their one canonical form is refused.
@Suite("Signed releases read back from canonical bytes")
struct SignedReleaseTests {
    let report = Fixture.report(
        titleMarking: "(C//REL TO USA, GBR)",
        portions: [
            Fixture.portion(0, "(S//REL TO USA, GBR)", text: "The courier meets his handler on Tuesdays."),
            Fixture.portion(1, "(S//NF)", sourcesAndMethods: true, text: "The source is a cousin of the courier."),
            Fixture.portion(2, "(U)", text: "Line one.\nLine two | with a bar: and a colon."),
        ],
        entities: [
            EntityMention(type: "person", value: "Ahmed K.", portion: 0),
            EntityMention(type: "person", value: "Secret Cousin", portion: 1),
            EntityMention(type: "url", value: "https://a.example/x|y", portion: 2),
        ])

    func content(included: [Int] = [0, 2, Report.titleIndex]) -> CanonicalContent {
        CanonicalContent.release(id: "rel_1", of: report, to: "GBR", included: PortionSet(included), createdAt: 1_700_000_100_000)
    }

    @Test func aReleaseReadsBackAsWhatWasReleasedAndNothingElse() throws {
        let signed = try CanonicalContent.parseRelease(content().bytes)
        #expect(signed.id == "rel_1" && signed.reportId == report.id && signed.originator == report.originator && signed.recipient == "GBR")
        #expect(signed.title == report.title)
        #expect(signed.titleMarking == report.titleMarking)
        #expect(signed.portions == [report.portions[0], report.portions[2]])
        #expect(signed.entities.map(\.value).sorted() == ["Ahmed K.", "https://a.example/x|y"], "entities of unreleased portions stay home")
        #expect(signed.included == PortionSet([0, 2, Report.titleIndex]))
        #expect(signed.createdAt == 1_700_000_100_000)
        #expect(signed.sourceGrade == report.sourceGrade && signed.topics == report.topics)
        #expect(signed.canonical == content(), "re-encoding gives the signed bytes")
        #expect(signed.banner?.banner == "SECRET//REL TO USA, GBR")
    }

    @Test func withoutTheTitleTheCopyHasNoTitle() throws {
        let signed = try CanonicalContent.parseRelease(content(included: [2]).bytes)
        #expect(signed.title.isEmpty && signed.titleMarking == nil)
        #expect(!signed.included.contains(Report.titleIndex))
        #expect(signed.report(createdBy: "x").titleMarking == .unclassified)
    }

    @Test func theSignatureCoversTheBytesThePartnerReadsBack() throws {
        let key = Curve25519.Signing.PrivateKey()
        let signature = try ContentSignature.sign(content(), with: key)
        let signed = try CanonicalContent.parseRelease(content().bytes)
        #expect(ContentSignature.verify(signature, of: signed.canonical, publicKey: key.publicKey.rawRepresentation))
        // A text changed on the way parses, but no longer verifies.
        let tampered = String(decoding: content().bytes, as: UTF8.self).replacingOccurrences(of: "Tuesdays", with: "Thursday")
        let forged = try CanonicalContent.parseRelease(Array(tampered.utf8))
        #expect(!ContentSignature.verify(signature, of: forged.canonical, publicKey: key.publicKey.rawRepresentation))
        #expect(!ContentSignature.verify(signature, of: signed.canonical, publicKey: Curve25519.Signing.PrivateKey().publicKey.rawRepresentation))
    }

    @Test func anythingButTheCanonicalFormIsRefused() {
        let bytes = content().bytes
        let text = String(decoding: bytes, as: UTF8.self)
        let cases: [(String, [UInt8])] = [
            ("a report, not a release", Array(text.replacingOccurrences(of: "tearline-release-v1", with: "tearline-report-v1").utf8)),
            ("cut short", Array(bytes.dropLast(5))),
            ("a byte after the end", bytes + [0x0A]),
            ("a length that lies", Array(text.replacingOccurrences(of: "id:5:rel_1", with: "id:4:rel_1").utf8)),
            ("a length with a leading zero", Array(text.replacingOccurrences(of: "id:5:rel_1", with: "id:05:rel_1").utf8)),
            ("portions out of order", Array(text.replacingOccurrences(of: "portion-index:1:0", with: "portion-index:1:7").utf8)),
            ("an invalid marking", Array(text.replacingOccurrences(of: "(U)", with: "(Q)").utf8)),
            ("empty", []),
        ]
        for (name, changed) in cases {
            #expect(changed != bytes, "\(name): the case changes something")
            #expect(throws: CanonicalContentError.self, "\(name)") { try CanonicalContent.parseRelease(changed) }
        }
    }

    @Test func everyReleaseOfEveryReportReadsBackExactly() async {
        await propertyCheck(count: 300, input: Generators.report, Generators.portionSet, Generators.organization) { report, included, recipient in
            let bytes = CanonicalContent.release(id: "rel_p", of: report, to: recipient, included: included, createdAt: 42).bytes
            let signed = try CanonicalContent.parseRelease(bytes)
            #expect(signed.canonical.bytes == bytes)
            #expect(signed.portions == report.portions.filter { included.contains($0.index) })
            #expect(signed.recipient == recipient && signed.originator == report.originator)
        }
    }
}
