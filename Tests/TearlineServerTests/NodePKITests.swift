import Crypto
import Foundation
import SwiftASN1
import TearlineServer
import Testing
import X509

/// `tearline pki`: the certificates are what federation needs, keys stay private, nothing is overwritten.
@Suite struct NodePKITests {
    @Test func theCAIsASelfSignedTenYearCAForSigningCertificatesOnly() throws {
        try withPKIDirectory { dir in
            try NodePKI.createCA(in: dir, name: "Tearline node CA USA")
            let ca = try Certificate(pemEncoded: try String(contentsOfFile: NodePKI.caCertificatePath(in: dir), encoding: .utf8))
            #expect(ca.subject.description == "CN=Tearline node CA USA")
            #expect(ca.issuer == ca.subject)
            #expect(ca.publicKey.isValidSignature(ca.signature, for: ca))
            #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
            #expect(ca.extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
            #expect(try ca.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
            #expect(try ca.extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: ca.publicKey))
            let years = ca.notValidAfter.timeIntervalSince(ca.notValidBefore) / (365.25 * 24 * 3600)
            #expect(years > 9.9 && years < 10.1)
            #expect(ca.notValidBefore <= Date())
            #expect(ca.serialNumber.bytes.count >= 16 && ca.serialNumber.bytes.count <= 17)
        }
    }

    @Test func theCAKeyIsPKCS8ReadableByItsOwnerOnlyAndMatchesTheCertificate() throws {
        try withPKIDirectory { dir in
            let ca = try NodePKI.createCA(in: dir, name: "CA")
            let keyPath = NodePKI.caKeyPath(in: dir)
            #expect(try mode(keyPath) == 0o600)
            #expect(try mode(dir) == 0o700)
            let pem = try String(contentsOfFile: keyPath, encoding: .utf8)
            #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
            let key = try P256.Signing.PrivateKey(pemRepresentation: pem)
            #expect(Certificate.PublicKey(key.publicKey) == ca.certificate.publicKey)
        }
    }

    @Test func anExistingCAIsNeverOverwritten() throws {
        try withPKIDirectory { dir in
            try NodePKI.createCA(in: dir, name: "First")
            let before = try Data(contentsOf: URL(fileURLWithPath: NodePKI.caKeyPath(in: dir)))
            #expect(throws: FederationError.exists(path: NodePKI.caKeyPath(in: dir))) { try NodePKI.createCA(in: dir, name: "Second") }
            #expect(try Data(contentsOf: URL(fileURLWithPath: NodePKI.caKeyPath(in: dir))) == before)
            // Even a lone certificate left behind is not replaced.
            try FileManager.default.removeItem(atPath: NodePKI.caKeyPath(in: dir))
            #expect(throws: FederationError.exists(path: NodePKI.caCertificatePath(in: dir))) { try NodePKI.createCA(in: dir, name: "Third") }
            #expect(!FileManager.default.fileExists(atPath: NodePKI.caKeyPath(in: dir)))
        }
    }

    @Test func aNodeCertificateIsSignedByTheCAForServerAndClientUseOfItsHosts() throws {
        try withPKIDirectory { dir in
            let ca = try NodePKI.createCA(in: dir, name: "Tearline node CA USA").certificate
            try NodePKI.createNode(in: dir, node: "usa-1", hosts: ["127.0.0.1", "Node.Example", "::1"])
            let node = try Certificate(pemEncoded: try String(contentsOfFile: NodePKI.certificatePath(in: dir, node: "usa-1"), encoding: .utf8))
            #expect(node.subject.description == "CN=usa-1")
            #expect(node.issuer == ca.subject)
            #expect(ca.publicKey.isValidSignature(node.signature, for: node))
            #expect(try node.extensions.basicConstraints == .notCertificateAuthority)
            #expect(try node.extensions.keyUsage == KeyUsage(digitalSignature: true))
            #expect(try node.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth, .clientAuth]))
            let loopback6 = [UInt8](repeating: 0, count: 15) + [1]
            #expect(try node.extensions.subjectAlternativeNames == SubjectAlternativeNames([
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])), .dnsName("node.example"),
                .ipAddress(ASN1OctetString(contentBytes: loopback6[...])),
            ]))
            #expect(try node.extensions.authorityKeyIdentifier?.keyIdentifier == ca.extensions.subjectKeyIdentifier?.keyIdentifier)
            #expect(try node.extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: node.publicKey))
            let days = node.notValidAfter.timeIntervalSince(node.notValidBefore) / (24 * 3600)
            #expect(days > 364.9 && days < 365.1)
            #expect(node.serialNumber != ca.serialNumber)
            #expect(try mode(NodePKI.keyPath(in: dir, node: "usa-1")) == 0o600)
        }
    }

    @Test func aNodeIsNeverOverwrittenAndNeedsASafeNameAndValidHosts() throws {
        try withPKIDirectory { dir in
            try NodePKI.createCA(in: dir, name: "CA")
            try NodePKI.createNode(in: dir, node: "usa-1", hosts: ["127.0.0.1"])
            #expect(throws: FederationError.exists(path: NodePKI.keyPath(in: dir, node: "usa-1"))) {
                try NodePKI.createNode(in: dir, node: "usa-1", hosts: ["127.0.0.1"])
            }
            for name in ["../escape", "a/b", ".hidden", "", "ca"] {
                #expect(throws: FederationError.invalidName(name)) { try NodePKI.createNode(in: dir, node: name, hosts: ["127.0.0.1"]) }
            }
            #expect(throws: FederationError.noHosts) { try NodePKI.createNode(in: dir, node: "usa-2", hosts: []) }
            #expect(throws: FederationError.invalidHost("bad host")) { try NodePKI.createNode(in: dir, node: "usa-2", hosts: ["bad host"]) }
        }
    }

    @Test func aCAKeyOthersMayReadIsRefused() throws {
        try withPKIDirectory { dir in
            try NodePKI.createCA(in: dir, name: "CA")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: NodePKI.caKeyPath(in: dir))
            #expect(throws: FederationError.tooOpen(path: NodePKI.caKeyPath(in: dir), mode: 0o644)) {
                try NodePKI.createNode(in: dir, node: "usa-1", hosts: ["127.0.0.1"])
            }
        }
    }

    @Test func thePinIsTheBase64SHA256OfTheSubjectPublicKeyInfo() throws {
        let key = P256.Signing.PrivateKey()
        let ca = try NodePKI.makeCA(name: "CA")
        let node = try NodePKI.makeNode(name: "n", hosts: ["127.0.0.1"], ca: ca)
        let expected = "sha256/" + Data(SHA256.hash(data: node.privateKey.publicKey.derRepresentation)).base64EncodedString()
        #expect(try SPKIPin(node.certificate).description == expected)
        #expect(try SPKIPin(certificatePEM: node.certificatePEM()).description == expected)
        #expect(try SPKIPin(expected) == SPKIPin(node.certificate))
        #expect(SPKIPin(subjectPublicKeyInfoDER: key.publicKey.derRepresentation) != (try SPKIPin(node.certificate)))
    }

    @Test(arguments: ["", "sha256/", "sha1/5suDN+jDTO2p8NDu8LFMh7fxvKJF4CHwmWz9PS0eb0c=", "5suDN+jDTO2p8NDu8LFMh7fxvKJF4CHwmWz9PS0eb0c=",
                      "sha256/5suDN+jDTO2p8NDu8LFMh7fxvKJF4CHwmWz9PS0e", "sha256/not base64!"])
    func aMalformedPinIsRefused(_ text: String) {
        #expect(throws: FederationError.malformedPin(text)) { try SPKIPin(text) }
    }
}

/// Runs `body` with a path inside a fresh temporary directory; the PKI directory itself is created by the code under test.
func withPKIDirectory(_ body: (String) throws -> Void) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tearline-pki-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try body(root.appendingPathComponent("pki").path)
}

func mode(_ path: String) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue & 0o777
}
