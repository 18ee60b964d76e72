import Testing
@testable import TearlineCore

@Suite("Entity kinds")
struct EntityKindTests {
    @Test("raw values round-trip for every known kind")
    func knownRoundTrip() {
        let raws = ["person", "organization", "location", "vessel", "phone", "email",
                    "ipv4", "ipv6", "domain", "url", "file-hash", "account"]
        #expect(EntityKind.known.map(\.rawValue) == raws)
        for kind in EntityKind.known {
            #expect(EntityKind(rawValue: kind.rawValue) == kind)
        }
        #expect(EntityKind(rawValue: "file-hash") == .fileHash)
        #expect(EntityKind(rawValue: "fileHash") == nil)
    }

    @Test("free types", arguments: [
        ("aircraft", true), ("crypto-wallet", true), ("x", true), ("a1-b2", true),
        (String(repeating: "a", count: 32), true), (String(repeating: "a", count: 33), false),
        ("", false), ("Aircraft", false), ("air craft", false), ("air_craft", false), ("flugzeug-ü", false),
    ])
    func freeTypes(raw: String, valid: Bool) {
        let kind = EntityKind(rawValue: raw)
        if valid {
            #expect(kind == .other(raw))
            #expect(kind?.rawValue == raw)
            #expect(kind?.isObservable == false)
        } else {
            #expect(kind == nil)
        }
    }

    @Test("observable kinds")
    func observables() {
        let observable: [EntityKind] = [.phone, .email, .ipv4, .ipv6, .domain, .url, .fileHash]
        for kind in EntityKind.known {
            #expect(kind.isObservable == observable.contains(kind), "\(kind)")
        }
    }
}

@Suite("Entity normalisation")
struct EntityNormalizationTests {
    static func key(_ v: String, _ k: EntityKind) -> String? { EntityNormalization.normalize(v, as: k)?.key }

    // MARK: Names

    @Test("names: valid", arguments: [
        ("Ahmed Al-Rashid", "ahmed al-rashid"),
        ("Ａｈｍｅｄ  AL-Rashid", "ahmed al-rashid"),
        ("  ahmed\t\nal-rashid  ", "ahmed al-rashid"),
        ("Müller", "müller"),
        ("MU\u{0308}LLER", "müller"),          // decomposed → NFKC composed
        ("ﬁnance Ltd", "finance ltd"),         // ligature, compatibility mapping
        ("MV Ever Given", "mv ever given"),
    ])
    func namesValid(input: String, expected: String) {
        for kind in [EntityKind.person, .organization, .location, .vessel, .account, .other("aircraft")] {
            #expect(Self.key(input, kind) == expected, "\(kind)")
        }
    }

    @Test("names: refused", arguments: ["", "   ", "\t\n", "\u{3000}"])
    func namesRefused(input: String) {
        #expect(Self.key(input, .person) == nil)
        #expect(Self.key(input, .other("aircraft")) == nil)
    }

    @Test("names: equivalence classes")
    func nameEquivalence() {
        let a = EntityNormalization.normalize("Ａｈｍｅｄ  AL-Rashid", as: .person)
        let b = EntityNormalization.normalize("ahmed al-rashid", as: .person)
        #expect(a != nil && a == b)
        #expect(Self.key("Müller", .person) != Self.key("Muller", .person))
        #expect(Self.key("José", .person) != Self.key("Jose", .person))
        #expect(EntityNormalization.normalize("x", as: .person) != EntityNormalization.normalize("x", as: .organization))
    }

    // MARK: Phone

    @Test("phone: valid", arguments: [
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+442079460958", "+442079460958"),
        ("(+1) 202-555-0143", "+12025550143"),
        ("+1.202.555.0143", "+12025550143"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("＋４４ ２０ ７９４６ ０９５８", "+442079460958"),
        ("+49 30 1234", "+49301234"),                  // 8 digits
        ("+123456789012345", "+123456789012345"),     // 15 digits
    ])
    func phoneValid(input: String, expected: String) {
        #expect(Self.key(input, .phone) == expected)
    }

    @Test("phone: refused", arguments: [
        "020 7946 0958",          // no country code: we cannot guess the country
        "2025550143",
        "+4930123",               // 7 digits
        "+1234567890123456",      // 16 digits
        "+0 20 7946 0958",        // country codes do not start with 0
        "000 20 7946 0958",
        "+44 20 7946 0958 ext 1",
        "44+2079460958",
        "++442079460958",
        "+44 20 7946 095a",
        "", "+", "00",
    ])
    func phoneRefused(input: String) {
        #expect(Self.key(input, .phone) == nil)
    }

    // MARK: IPv4

    @Test("ipv4: valid", arguments: [
        ("192.0.2.1", "192.0.2.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("10.0.0.1", "10.0.0.1"), ("1.2.3.4", "1.2.3.4"),
    ])
    func ipv4Valid(input: String, expected: String) {
        #expect(Self.key(input, .ipv4) == expected)
    }

    @Test("ipv4: refused", arguments: [
        "999.1.1.1", "256.0.0.1", "010.1.1.1", "1.01.1.1", "00.1.1.1", "1.2.3", "1.2.3.4.5",
        "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.-4", "+1.2.3.4",
        "1234.1.1.1", "0x7f.0.0.1", "１.２.３.４", "", "::ffff:1.2.3.4",
    ])
    func ipv4Refused(input: String) {
        #expect(Self.key(input, .ipv4) == nil)
    }

    // MARK: IPv6

    /// RFC 5952 section 4 (and the variants of section 2 that must all map to one text form).
    @Test("ipv6: RFC 5952 canonical text", arguments: [
        // 4.1 leading zeros
        ("2001:0db8::0001", "2001:db8::1"),
        ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
        // 4.2.1 shorten as much as possible
        ("2001:db8::0:1", "2001:db8::1"),
        // 4.2.2 a single zero group is not compressed
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        // 4.2.3 longest run compressed; first one on ties
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        // 4.3 lower case
        ("2001:DB8::1", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:2:1", "2001:db8::2:1"),
        // Section 2 variants of one address
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8::1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8::0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0db8::1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8:0:0:1::1", "2001:db8::1:0:0:1"),
        ("2001:db8:0000:0:1::1", "2001:db8::1:0:0:1"),
        ("2001:DB8:0:0:1::1", "2001:db8::1:0:0:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:01", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd::1", "2001:db8:aaaa:bbbb:cccc:dddd:0:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:0:1", "2001:db8:aaaa:bbbb:cccc:dddd:0:1"),
        ("2001:db8:0:0:0::1", "2001:db8::1"),
        ("2001:db8:0:0::1", "2001:db8::1"),
        ("2001:db8:0::1", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:db8::aaaa:0:0:1", "2001:db8::aaaa:0:0:1"),
        ("2001:db8:0:0:aaaa::1", "2001:db8::aaaa:0:0:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:AaAa", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"),
        // Special and edge forms
        ("::", "::"),
        ("0:0:0:0:0:0:0:0", "::"),
        ("::1", "::1"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("1::", "1::"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("fe80::", "fe80::"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("1:0:0:0:2:0:0:3", "1::2:0:0:3"),
        ("0:0:1:0:0:0:0:0", "0:0:1::"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        // Embedded IPv4 (RFC 4291 2.2 form 3; RFC 5952 section 5)
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("::FFFF:c000:0201", "::ffff:192.0.2.1"),
        ("0:0:0:0:0:ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::192.0.2.33"),
        ("::192.0.2.1", "::c000:201"),                   // deprecated IPv4-compatible: plain hex
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
        ("::1.2.3.4", "::102:304"),
    ])
    func ipv6Canonical(input: String, expected: String) {
        #expect(Self.key(input, .ipv6) == expected)
    }

    @Test("ipv6: refused", arguments: [
        "", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "g::1",
        "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::8", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:",
        "1::2:", ":1::2", "::ffff:192.0.2", "::ffff:256.0.2.1", "::ffff:1.2.3.04", "::1.2.3.4:1",
        "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", "[::1]", "12:30", "12:30:45",
        "00:1a:2b:3c:4d:5e", " ::1", "::1 ", "1:2:3:4:5:6:7:８",
    ])
    func ipv6Refused(input: String) {
        #expect(Self.key(input, .ipv6) == nil)
    }

    // MARK: Domain

    @Test("domain: valid", arguments: [
        ("Example.COM", "example.com"), ("example.com.", "example.com"), ("a.b.c.example.org", "a.b.c.example.org"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"), ("Bücher.de", "bücher.de"), ("ＥＸＡＭＰＬＥ．ｃｏｍ", "example.com"),
        ("例え。テスト", "例え.テスト"), ("123.example", "123.example"), ("a-b.co", "a-b.co"),
        (String(repeating: "a", count: 63) + ".com", String(repeating: "a", count: 63) + ".com"),
    ])
    func domainValid(input: String, expected: String) {
        #expect(Self.key(input, .domain) == expected)
    }

    @Test("domain: refused", arguments: [
        "", "com", "localhost", ".com", "example..com", "example.com..", "-example.com", "example-.com",
        "exa mple.com", "exa_mple.com", "1.2.3.4", "example.123", String(repeating: "a", count: 64) + ".com",
        Array(repeating: "abcdefghi", count: 26).joined(separator: ".") + ".com", "example.com/", "user@example.com",
        "exa!mple.com", "ex—ample.com",
    ])
    func domainRefused(input: String) {
        #expect(Self.key(input, .domain) == nil)
    }

    // MARK: E-mail

    @Test("email: valid", arguments: [
        ("User@Example.COM", "user@example.com"), ("first.last+tag@example.co.uk", "first.last+tag@example.co.uk"),
        ("a@b.cd", "a@b.cd"), ("info@Bücher.de.", "info@bücher.de"), ("o'brien@example.ie", "o'brien@example.ie"),
    ])
    func emailValid(input: String, expected: String) {
        #expect(Self.key(input, .email) == expected)
    }

    @Test("email: refused", arguments: [
        "", "user", "user@", "@example.com", "a@b@example.com", "user@localhost", "user@1.2.3.4",
        ".user@example.com", "user.@example.com", "us..er@example.com", "us er@example.com",
        "\"quoted\"@example.com", "user@[192.0.2.1]", String(repeating: "a", count: 65) + "@example.com",
    ])
    func emailRefused(input: String) {
        #expect(Self.key(input, .email) == nil)
    }

    // MARK: URL

    @Test("url: valid", arguments: [
        ("HTTP://Example.COM/Path?Q=1#Frag", "http://example.com/Path?Q=1#Frag"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com:8443", "https://example.com:8443/"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com?x=1", "https://example.com/?x=1"),
        ("ftp://files.example.com:21/pub", "ftp://files.example.com/pub"),
        ("http://192.0.2.1:8080/x", "http://192.0.2.1:8080/x"),
        ("http://[2001:DB8::0001]:80/", "http://[2001:db8::1]/"),
        ("http://User:Pw@Example.com/", "http://User:Pw@example.com/"),
        ("http://example.com.:/", "http://example.com/"),
        ("https://Bücher.DE/x", "https://bücher.de/x"),
    ])
    func urlValid(input: String, expected: String) {
        #expect(Self.key(input, .url) == expected)
    }

    @Test("url: refused", arguments: [
        "", "example.com", "www.example.com/path", "mailto:a@example.com", "javascript:alert(1)", "file:///etc/passwd",
        "hxxp://example.com", "http://", "http:///path", "http://localhost/", "http://999.1.1.1/", "http://example.com:99999/",
        "http://example.com:8o/", "http://[::1/", "http://[zz::1]/", "http://exa mple.com/", "http://example.com/a b",
        "http//example.com", "http://-bad.com/",
    ])
    func urlRefused(input: String) {
        #expect(Self.key(input, .url) == nil)
    }

    // MARK: File hash

    static let md5 = "d41d8cd98f00b204e9800998ecf8427e"
    static let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    static let sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let sha512 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"

    @Test("fileHash: valid")
    func hashValid() {
        #expect(Self.key(Self.md5.uppercased(), .fileHash) == "md5:" + Self.md5)
        #expect(Self.key(Self.sha1, .fileHash) == "sha1:" + Self.sha1)
        #expect(Self.key(" " + Self.sha256.uppercased() + " ", .fileHash) == "sha256:" + Self.sha256)
        #expect(Self.key(Self.sha512, .fileHash) == "sha512:" + Self.sha512)
        #expect(Self.key("SHA256:" + Self.sha256, .fileHash) == "sha256:" + Self.sha256)
    }

    @Test("fileHash: refused", arguments: [
        "", String(Self.md5.dropLast()), Self.md5 + "0", "g" + String(Self.md5.dropFirst()), String(repeating: "a", count: 56),
        "sha1:" + Self.md5, "md5:" + Self.sha256, Self.sha256 + ":", "0x" + Self.md5.dropFirst(2), Self.md5 + " " + Self.md5,
    ])
    func hashRefused(input: String) {
        #expect(Self.key(input, .fileHash) == nil)
    }

    // MARK: Idempotence

    static let samples: [(EntityKind, String)] = [
        (.person, "Ａｈｍｅｄ  AL-Rashid"), (.person, "Müller"), (.organization, "ﬁnance Ltd"), (.vessel, "MV  Ever Given"),
        (.location, "STRAẞE"), (.account, "@Some_Handle"), (.other("aircraft"), "Boeing 737"),
        (.phone, "(+1) 202-555-0143"), (.phone, "0044 20 7946 0958"),
        (.ipv4, "192.0.2.1"), (.ipv6, "2001:DB8:0:0:1:0:0:1"), (.ipv6, "::FFFF:c000:0201"), (.ipv6, "::"),
        (.ipv6, "64:ff9b::c000:221"), (.domain, "ＥＸＡＭＰＬＥ．ｃｏｍ."), (.domain, "Bücher.de"),
        (.email, "User@Example.COM."), (.url, "HTTPS://Example.com:443"), (.url, "http://[::FFFF:1.2.3.4]:80?x"),
        (.fileHash, Self.sha256.uppercased()), (.fileHash, Self.md5),
    ]

    @Test("normalize(normalize(x).key) == normalize(x)")
    func idempotence() throws {
        for (kind, value) in Self.samples {
            let once = try #require(EntityNormalization.normalize(value, as: kind), "\(kind) \(value)")
            #expect(EntityNormalization.normalize(once.key, as: kind) == once, "\(kind) \(value)")
        }
    }
}
