import Crypto
import Foundation
import Testing
import TearlineCore

@Suite("Signatures over canonical content")
struct SignatureTests {
    let key = Curve25519.Signing.PrivateKey()
    let report = Fixture.report(
        titleMarking: "(U)",
        portions: [
            Fixture.portion(0, "(S//REL TO USA, GBR)", text: "The courier meets his handler on Tuesdays."),
            Fixture.portion(1, "(S//NF)", text: "The source is a cousin of the courier."),
            Fixture.portion(2, "(U)", text: "The port is busy in winter."),
        ],
        entities: [
            EntityMention(type: "person", value: "Ahmed K.", portion: 0),
            EntityMention(type: "person", value: "Secret Cousin", portion: 1),
        ])

    private func releaseContent(_ report: Report, to recipient: String = "GBR", included: [Int] = [0, 2, Report.titleIndex]) -> CanonicalContent {
        CanonicalContent.release(id: "rel-1", of: report, to: recipient, included: PortionSet(included), createdAt: 1_700_000_100_000)
    }

    private func text(_ content: CanonicalContent) -> String {
        String(decoding: content.bytes, as: UTF8.self)
    }

    @Test func reportSignatureVerifies() throws {
        let content = CanonicalContent.report(report)
        let signature = try ContentSignature.sign(content, with: key)
        #expect(ContentSignature.verify(signature, of: content, publicKey: key.publicKey.rawRepresentation))
    }

    @Test func releaseSignatureVerifies() throws {
        let content = releaseContent(report)
        let signature = try ContentSignature.sign(content, with: key)
        #expect(ContentSignature.verify(signature, of: content, publicKey: key.publicKey.rawRepresentation))
    }

    @Test func tamperedPortionTextFails() throws {
        let signature = try ContentSignature.sign(CanonicalContent.report(report), with: key)
        var tampered = report
        tampered.portions[0].text = "The courier meets his handler on Wednesdays."
        #expect(!ContentSignature.verify(signature, of: CanonicalContent.report(tampered), publicKey: key.publicKey.rawRepresentation))
    }

    @Test func changedMarkingFails() throws {
        let signature = try ContentSignature.sign(CanonicalContent.report(report), with: key)
        var remarked = report
        remarked.portions[0].marking = Fixture.marking("(S//REL TO USA, GBR, DEU)")
        #expect(!ContentSignature.verify(signature, of: CanonicalContent.report(remarked), publicKey: key.publicKey.rawRepresentation))
    }

    @Test func changedSourcesAndMethodsFlagFails() throws {
        let signature = try ContentSignature.sign(CanonicalContent.report(report), with: key)
        var flagged = report
        flagged.portions[2].sourcesAndMethods = true
        #expect(!ContentSignature.verify(signature, of: CanonicalContent.report(flagged), publicKey: key.publicKey.rawRepresentation))
    }

    @Test func differentKeyFails() throws {
        let content = CanonicalContent.report(report)
        let signature = try ContentSignature.sign(content, with: key)
        let other = Curve25519.Signing.PrivateKey()
        #expect(!ContentSignature.verify(signature, of: content, publicKey: other.publicKey.rawRepresentation))
    }

    @Test func malformedPublicKeyFails() throws {
        let content = CanonicalContent.report(report)
        let signature = try ContentSignature.sign(content, with: key)
        #expect(!ContentSignature.verify(signature, of: content, publicKey: Data([1, 2, 3])))
    }

    @Test func corruptedSignatureFails() throws {
        let content = CanonicalContent.report(report)
        var signature = try ContentSignature.sign(content, with: key)
        signature[signature.startIndex] ^= 0x01
        #expect(!ContentSignature.verify(signature, of: content, publicKey: key.publicKey.rawRepresentation))
    }

    @Test func releaseCoversOnlyIncludedPortions() throws {
        let content = releaseContent(report)
        let bytes = text(content)
        #expect(bytes.contains("handler on Tuesdays"))
        #expect(bytes.contains("busy in winter"))
        #expect(!bytes.contains("cousin of the courier"), "a withheld portion's text must not be signed into the release")
        #expect(bytes.contains("Ahmed K."))
        #expect(!bytes.contains("Secret Cousin"), "an entity from a withheld portion must not travel")
        #expect(!bytes.contains("(S//NF)"))

        // Changing a withheld portion does not touch the release; changing an included one does.
        let signature = try ContentSignature.sign(content, with: key)
        var otherWithheld = report
        otherWithheld.portions[1].text = "Something else entirely."
        #expect(releaseContent(otherWithheld) == content)
        #expect(ContentSignature.verify(signature, of: releaseContent(otherWithheld), publicKey: key.publicKey.rawRepresentation))
        var otherIncluded = report
        otherIncluded.portions[2].text = "The port is quiet in winter."
        #expect(!ContentSignature.verify(signature, of: releaseContent(otherIncluded), publicKey: key.publicKey.rawRepresentation))
    }

    @Test func releaseWithoutTheTitleOmitsIt() {
        let withTitle = text(releaseContent(report, included: [0, Report.titleIndex]))
        let withoutTitle = text(releaseContent(report, included: [0]))
        #expect(withTitle.contains("Courier network"))
        #expect(!withoutTitle.contains("Courier network"))
    }

    @Test func releaseIsBoundToItsRecipient() throws {
        let signature = try ContentSignature.sign(releaseContent(report, to: "GBR"), with: key)
        #expect(!ContentSignature.verify(signature, of: releaseContent(report, to: "CAN"), publicKey: key.publicKey.rawRepresentation))
    }

    @Test func releaseAndReportContentDiffer() {
        let all = [0, 1, 2, Report.titleIndex]
        #expect(releaseContent(report, included: all) != CanonicalContent.report(report))
    }

    @Test func fieldsAreLengthPrefixedSoBoundariesCannotShift() {
        var a = report
        a.title = "AB"
        a.portions[0].text = "C"
        var b = report
        b.title = "A"
        b.portions[0].text = "BC"
        #expect(CanonicalContent.report(a) != CanonicalContent.report(b))
        #expect(text(CanonicalContent.report(a)).contains("title:2:AB\n"))
    }

    @Test func digestIsStableHexSHA256() {
        let content = CanonicalContent.report(report)
        #expect(content.digest == CanonicalContent.report(report).digest)
        #expect(content.digest.count == 64)
        #expect(content.digest.allSatisfy { "0123456789abcdef".contains($0) })
        var changed = report
        changed.portions[2].text += "."
        #expect(CanonicalContent.report(changed).digest != content.digest)
    }
}
