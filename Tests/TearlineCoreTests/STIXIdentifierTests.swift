import Testing
import TearlineCore

@Suite("STIX identifiers")
struct STIXIdentifierTests {
    @Test func uuid5MatchesRFCExample() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        let dns = STIXIdentifier.uuidBytes("6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(STIXIdentifier.uuid5(namespace: dns, name: "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }

    /// Ground truth from the stix2 Python library (`stix2.IPv4Address(value="1.2.3.4").id` and so on).
    @Test(arguments: [
        ("ipv4-addr", "value", "1.2.3.4", "ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4"),
        ("ipv6-addr", "value", "2001:db8::1", "ipv6-addr--6469e3a9-b053-5e34-a025-9396ae051d26"),
        ("email-addr", "value", "john@example.com", "email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934"),
        ("domain-name", "value", "example.com", "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7"),
        ("domain-name", "value", "bücher.de", "domain-name--be1e2d82-8103-5c95-84ec-7b34162b49c7"),
        ("url", "value", "https://example.com/a?b=1", "url--f0b708c7-0030-504f-a762-2499ab88d483"),
        ("user-account", "account_login", "jdoe", "user-account--bc11eaab-cfd6-5ad8-bf02-2386bf690e12"),
    ])
    func observableIDsMatchTheStix2Library(type: String, property: String, value: String, expected: String) {
        #expect(STIXIdentifier.observable(type: type, contributing: JSONObject([(property, .string(value))])) == expected)
    }

    @Test func fileIDsUseTheHashesObject() {
        let sha256: JSONObject = ["hashes": ["SHA-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]]
        #expect(STIXIdentifier.observable(type: "file", contributing: sha256) == "file--22f8ff52-8f62-5f03-a53a-6f50f54fd74c")
        let md5: JSONObject = ["hashes": ["MD5": "d41d8cd98f00b204e9800998ecf8427e"]]
        #expect(STIXIdentifier.observable(type: "file", contributing: md5) == "file--02fff920-f614-527c-81d1-6353633a6d21")
    }

    @Test func madeIDsAreDeterministicVersion4() {
        let id = STIXIdentifier.make(type: "marking-definition", name: "marking:SECRET//REL TO USA, GBR")
        // Python: SHA-256(namespace bytes + name), first 16 bytes, version 4 and RFC 4122 variant bits set.
        #expect(id == "marking-definition--4174fe67-06ab-4b80-9493-71eddab8058a")
        #expect(STIXIdentifier.make(type: "marking-definition", name: "marking:SECRET//REL TO USA, GBR") == id)
        #expect(STIXIdentifier.make(type: "report", name: "report:R-1") != STIXIdentifier.make(type: "report", name: "report:R-2"))
        for name in ["a", "b", "report:R-1", "ü", ""] {
            let uuid = String(STIXIdentifier.make(type: "x", name: name).dropFirst(3))
            let bytes = STIXIdentifier.uuidBytes(uuid)!
            #expect(bytes[6] >> 4 == 4)
            #expect(bytes[8] >> 6 == 0b10)
            #expect(uuid == uuid.lowercased())
        }
    }

    @Test func uuidTextIsValidated() {
        #expect(STIXIdentifier.uuidBytes("03E5B136-61A4-4038-B4CA-4A38A9259499") == STIXIdentifier.tearlineNamespace)
        #expect(STIXIdentifier.uuidBytes("03e5b13661a44038b4ca4a38a9259499") == nil)
        #expect(STIXIdentifier.uuidBytes("03e5b136-61a4-4038-b4ca-4a38a925949g") == nil)
        #expect(STIXIdentifier.uuidBytes("03e5b136-61a4-4038-b4ca_4a38a9259499") == nil)
    }
}
