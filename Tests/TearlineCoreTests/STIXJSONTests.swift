import Testing
import TearlineCore

@Suite("STIX JSON value")
struct STIXJSONTests {
    @Test(arguments: [
        "null", "true", "false", "0", "-0", "12", "-12.5e+3", "1E-7", "0.25", "\"\"", "\"a\\\"b\\\\c\"",
        "[]", "{}", "[1,[2,[3]],{\"a\":null}]", "{\"b\":1,\"a\":2}", "\"caf\u{e9} \u{1F600} \u{4E2D}\"",
        "\"a/b\"", "\"line\\nbreak\\ttab\\u0001\\u001f\"", "{\"x\":{\"y\":[true,false,null,\"z\"]}}",
    ])
    func compactTextRoundTrips(text: String) throws {
        let value = try JSONValue.parse(text)
        #expect(value.serialized() == text)
        #expect(try JSONValue.parse(Array(text.utf8)) == value)
    }

    @Test func whitespaceIsDroppedAndEscapesNormalised() throws {
        let value = try JSONValue.parse(" { \"a\" : [ 1 , 2 ] ,\n\t\"b\\/c\" : \"\\u00e9\\ud83d\\ude00\" } \r\n")
        #expect(value.serialized() == "{\"a\":[1,2],\"b/c\":\"\u{e9}\u{1F600}\"}")
    }

    @Test func keysKeepTheirOrderAndEqualityIsOrderSensitive() throws {
        let ab = try JSONValue.parse("{\"a\":1,\"b\":2}")
        let ba = try JSONValue.parse("{\"b\":2,\"a\":1}")
        #expect(ab != ba)
        #expect(ab.objectValue?.keys == ["a", "b"])
        #expect(ab.canonicalized() == ba.canonicalized())
    }

    @Test func subscriptReplacesAppendsAndRemoves() {
        var object: JSONObject = ["type": "ipv4-addr", "value": "1.2.3.4"]
        object["value"] = "5.6.7.8"
        object["spec_version"] = "2.1"
        #expect(object.serialized() == "{\"type\":\"ipv4-addr\",\"value\":\"5.6.7.8\",\"spec_version\":\"2.1\"}")
        object["type"] = nil
        #expect(object.keys == ["value", "spec_version"])
        #expect(object["missing"] == nil)
    }

    @Test func accessors() throws {
        let value = try JSONValue.parse("{\"s\":\"x\",\"n\":42,\"f\":4.2,\"a\":[1],\"o\":{},\"b\":true}")
        let object = try #require(value.objectValue)
        #expect(object["s"]?.stringValue == "x")
        #expect(object["n"]?.intValue == 42)
        #expect(object["f"]?.intValue == nil)
        #expect(object["a"]?.arrayValue == [1])
        #expect(object["o"]?.objectValue == JSONObject())
        #expect(object["b"]?.boolValue == true)
        #expect(object["s"]?.intValue == nil)
    }

    @Test func canonicalFormSortsByUTF16() throws {
        // RFC 8785 §3.2.3: U+10000 (surrogates D800 DC00) sorts before U+FB33 in UTF-16 order.
        let value = try JSONValue.parse("{\"\u{FB33}\":1,\"\u{10000}\":2,\"b\":{\"z\":1,\"a\":2},\"a\":3}")
        #expect(value.canonicalSerialized() == "{\"a\":3,\"b\":{\"a\":2,\"z\":1},\"\u{10000}\":2,\"\u{FB33}\":1}")
    }

    @Test func controlCharactersAreEscapedOnOutput() {
        let value = JSONValue.string("\u{0}\u{8}\u{C}\n\r\t\u{1B}\u{7F}\"\\/")
        #expect(value.serialized() == "\"\\u0000\\b\\f\\n\\r\\t\\u001b\u{7F}\\\"\\\\/\"")
    }

    @Test(arguments: [
        ("", 0), ("   ", 3), ("nul", 0), ("truex", 4), ("01", 0), ("-01", 1), ("1.", 2), (".5", 0), ("1e", 2), ("-", 1),
        ("+1", 0), ("[1,]", 3), ("[1 2]", 3), ("{\"a\":1,}", 7), ("{\"a\" 1}", 5), ("{a:1}", 1), ("[", 1),
        ("{\"a\":1,\"a\":2}", 7), ("\"abc", 0), ("\"a\u{1}b\"", 2), ("\"\\x\"", 1), ("\"\\u12\"", 3),
        ("\"\\ud800\"", 1), ("\"\\udc00\"", 1), ("\"\\ud800\\u0041\"", 1), ("1 2", 2), ("{} x", 3),
        ("\u{FEFF}1", 0), ("'a'", 0), ("NaN", 0), ("Infinity", 0),
    ])
    func malformedTextIsRefusedWithAnOffset(text: String, offset: Int) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        #expect(error?.offset == offset, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("invalid JSON at byte \(offset): ") == true)
    }

    @Test(arguments: [
        [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate D800
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xFF, 0x22],
        [0x22, 0x80, 0x22],  // lone continuation byte
        [0x22, 0xE2, 0x82, 0x22],  // truncated
        [0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22],  // bad UTF-8 after an escape
    ] as [[UInt8]])
    func invalidUTF8IsRefused(bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
    }

    @Test func validMultiByteUTF8IsAccepted() throws {
        let bytes: [UInt8] = [0x22, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xEF, 0xBF, 0xBF, 0x22]
        #expect(try JSONValue.parse(bytes) == .string("\u{e9}\u{20AC}\u{1F600}\u{FFFF}"))
    }

    @Test func depthIsLimited() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        #expect(error?.offset == 64)
        let deepObjects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deepObjects) }
    }

    @Test func duplicateKeysInLargeObjectsAreRefused() throws {
        let keys = (0..<40).map { "\"k\($0)\":\($0)" }
        #expect(throws: Never.self) { try JSONValue.parse("{" + keys.joined(separator: ",") + "}") }
        let duplicated = keys + ["\"k3\":0"]
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse("{" + duplicated.joined(separator: ",") + "}") }
        #expect(error?.problem == "duplicate key \"k3\"")
    }

    @Test func nonContiguousInputParses() throws {
        let bytes = Array("{\"a\":[1,2]}".utf8)
        #expect(try JSONValue.parse(bytes.lazy.map { $0 }) == ["a": [1, 2]])
    }

    @Test func writeAppends() {
        var bytes = Array("x".utf8)
        JSONValue.array([.null, .int(-3)]).write(into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x[null,-3]")
    }
}
