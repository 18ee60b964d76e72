import Testing
@testable import TearlineCore

@Suite("Observable extraction")
struct ObservableExtractionTests {
    static let sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let md5 = "d41d8cd98f00b204e9800998ecf8427e"

    static func pairs(_ text: String) -> [String] {
        ObservableExtraction.extract(from: text).map { "\($0.kind.rawValue) \($0.key)" }
    }

    @Test("realistic paragraph: one of each observable, decoys ignored, order of appearance")
    func paragraph() {
        let text = """
        At 12:30 on 3 March 2024 the operator (running v2.3.1 of the implant, ratio 3:2) contacted \
        ops.lead@Example.ORG and downloaded https://cdn.evil-update.com/payload/stage2.bin?id=7. \
        The dropper report.pdf and invoice.docx.exe beaconed to 203.0.113.45 and 2001:DB8::7, \
        then dialled +44 20 7946 0958. The file (SHA-256 \(Self.sha256.uppercased())) cost 1,000.50 USD. \
        Infrastructure later moved to staging.badcorp.net.
        """
        let found = ObservableExtraction.extract(from: text)
        #expect(found.map(\.kind) == [.email, .url, .ipv4, .ipv6, .phone, .fileHash, .domain])
        #expect(found.map(\.key) == [
            "ops.lead@example.org",
            "https://cdn.evil-update.com/payload/stage2.bin?id=7",
            "203.0.113.45",
            "2001:db8::7",
            "+442079460958",
            "sha256:" + Self.sha256,
            "staging.badcorp.net",
        ])
        #expect(found.map(\.value) == [
            "ops.lead@Example.ORG",
            "https://cdn.evil-update.com/payload/stage2.bin?id=7",
            "203.0.113.45",
            "2001:DB8::7",
            "+44 20 7946 0958",
            Self.sha256.uppercased(),
            "staging.badcorp.net",
        ])
    }

    @Test("every extracted key is the normalised key of its value")
    func keysAgreeWithNormalization() {
        let text = "Mail ops@Example.com, see HTTP://Example.com:80/x, host 10.0.0.1, fe80::1, +1 202 555 0143, \(Self.md5), evil.example.net"
        let found = ObservableExtraction.extract(from: text)
        #expect(found.count == 7)
        for item in found {
            #expect(EntityNormalization.normalize(item.value, as: item.kind)?.key == item.key, "\(item)")
        }
    }

    @Test("decoys yield nothing", arguments: [
        "Meeting at 12:30, 12:30:45 or 09:15:00.",
        "Upgrade to v2.3.1 or version 10.2 today.",
        "Open report.pdf, notes.txt, photo.JPG, setup.exe and kernel32.dll.",
        "It cost 1,000.50 USD in 2023 and 1999.",
        "Ratios 3:2 and 16:9; e.g. and i.e. and U.S. are fine.",
        "Call 020 7946 0958 or 202-555-0143 locally.",
        "The C++ and Foo::bar code uses std::vector.",
        "MAC 00:1a:2b:3c:4d:5e is not an address.",
        "Invalid 999.1.1.1 and 010.1.1.1 and 1.2.3.4.5 are not IPs.",
        "Hex too short deadbeef, and \(String(repeating: "a", count: 33)) is no hash.",
        "Not a hash: x\(String(repeating: "ab", count: 16)) or \(String(repeating: "ab", count: 16))_tail.",
        "Ticket #00123 and order 0012345678 are internal.",
        "Release v1.2.3.4 or 1.2.3.4.5 or v1.2.3.4-beta.",
        "Path /etc/config.json and C:\\Temp\\evil.html are files.",
        "",
    ])
    func decoys(text: String) {
        #expect(Self.pairs(text) == [])
    }

    @Test("trailing punctuation is not part of a match", arguments: [
        ("Visit example.com.", "domain example.com", "example.com"),
        ("Visit example.com!", "domain example.com", "example.com"),
        ("(see https://example.com/a)", "url https://example.com/a", "https://example.com/a"),
        ("\"https://example.com/a?b=c\",", "url https://example.com/a?b=c", "https://example.com/a?b=c"),
        ("Wiki https://en.wikipedia.org/wiki/Foo_(bar).", "url https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("Mail a@example.com;", "email a@example.com", "a@example.com"),
        ("IP 192.0.2.1:", "ipv4 192.0.2.1", "192.0.2.1"),
        ("IP 2001:db8::1.", "ipv6 2001:db8::1", "2001:db8::1"),
        ("Prefix 2001:db8::, then", "ipv6 2001:db8::", "2001:db8::"),
        ("Host fe80::1: down", "ipv6 fe80::1", "fe80::1"),
        ("Call +1 202 555 0143.", "phone +12025550143", "+1 202 555 0143"),
        ("Call (+1) 202-555-0143!", "phone +12025550143", "(+1) 202-555-0143"),
        ("'0044 20 7946 0958'", "phone +442079460958", "0044 20 7946 0958"),
    ])
    func trailing(text: String, expected: String, value: String) {
        let found = ObservableExtraction.extract(from: text)
        #expect(found.map { "\($0.kind.rawValue) \($0.key)" } == [expected])
        #expect(found.first?.value == value)
    }

    @Test("defanged forms are re-fanged; value as written", arguments: [
        ("C2 at hxxp://evil[.]example[.]com/gate.php now", "url http://evil.example.com/gate.php", "hxxp://evil[.]example[.]com/gate.php"),
        ("C2 at hXXps[:]//evil.example.com", "url https://evil.example.com/", "hXXps[:]//evil.example.com"),
        ("Domain example[.]com.", "domain example.com", "example[.]com"),
        ("Domain example(.)com", "domain example.com", "example(.)com"),
        ("Domain example[dot]com", "domain example.com", "example[dot]com"),
        ("IP 1.2.3[.]4 seen", "ipv4 1.2.3.4", "1.2.3[.]4"),
        ("IP 198[.]51[.]100[.]7", "ipv4 198.51.100.7", "198[.]51[.]100[.]7"),
        ("Mail user[@]example.com", "email user@example.com", "user[@]example.com"),
        ("Mail User[at]Example[.]com", "email user@example.com", "User[at]Example[.]com"),
    ])
    func defanged(text: String, expected: String, value: String) {
        let found = ObservableExtraction.extract(from: text)
        #expect(found.map { "\($0.kind.rawValue) \($0.key)" } == [expected])
        #expect(found.first?.value == value)
    }

    @Test("a domain inside a URL or e-mail is not reported again")
    func noNestedDomains() {
        #expect(Self.pairs("https://www.example.com/a and ops@example.org") ==
                ["url https://www.example.com/a", "email ops@example.org"])
        #expect(Self.pairs("http://192.0.2.1/x") == ["url http://192.0.2.1/x"])
        #expect(Self.pairs("http://[2001:db8::1]:8080/") == ["url http://[2001:db8::1]:8080/"])
        #expect(Self.pairs("https://www.virustotal.com/gui/file/\(Self.sha256)") ==
                ["url https://www.virustotal.com/gui/file/\(Self.sha256)"])
        // A domain mentioned both inside a URL and on its own is reported on its own too.
        #expect(Self.pairs("http://example.com/x then example.com") == ["url http://example.com/x", "domain example.com"])
    }

    @Test("each (kind, key) once, at first appearance")
    func deduplication() {
        let found = ObservableExtraction.extract(from: "EXAMPLE.com, 10.0.0.1, example.com, example[.]com, 10.0.0.1")
        #expect(found.map(\.key) == ["example.com", "10.0.0.1"])
        #expect(found.first?.value == "EXAMPLE.com")
    }

    @Test("hashes of every supported length, standalone only")
    func hashes() {
        let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        let sha512 = String(repeating: "ab", count: 64)
        let text = "md5=\(Self.md5) sha1:\(sha1) [\(sha512)] \(Self.sha256)."
        #expect(Self.pairs(text) == ["file-hash md5:\(Self.md5)", "file-hash sha1:\(sha1)",
                                     "file-hash sha512:\(sha512)", "file-hash sha256:\(Self.sha256)"])
        #expect(Self.pairs(Self.md5 + "0") == [])                       // 33 hex digits
        #expect(Self.pairs("0x" + Self.md5) == [])                      // glued to "x"
    }

    @Test("phones need + or a grouped 00 prefix")
    func phones() {
        #expect(Self.pairs("call 00442079460958 or 0012345678") == [])
        #expect(Self.pairs("call 0044 20 7946 0958 or +442079460958") == ["phone +442079460958"])
        #expect(Self.pairs("call +44 20 7946 0958 2019 onwards") == ["phone +442079460958"])
        #expect(Self.pairs("call +44 20 7946 0958x") == [])
    }

    @Test("IPv4 ranges")
    func ipv4Ranges() {
        #expect(Self.pairs("range 10.0.0.1-10.0.0.5, 192.0.2.7/24") == ["ipv4 10.0.0.1", "ipv4 10.0.0.5", "ipv4 192.0.2.7"])
    }

    @Test("IPv6 in running text")
    func ipv6InText() {
        #expect(Self.pairs("from ::ffff:192.0.2.1 and [2001:0DB8:0:0:1:0:0:1]:443 and ::1") ==
                ["ipv6 ::ffff:192.0.2.1", "ipv6 2001:db8::1:0:0:1", "ipv6 ::1"])
        #expect(Self.pairs("bad 1::2::3 and 12345::1 and gg::1") == [])
    }

    @Test("Unicode domains and e-mail addresses")
    func unicode() {
        #expect(Self.pairs("Visit bücher.de or mail info@bücher.de.") == ["domain bücher.de", "email info@bücher.de"])
    }
}
