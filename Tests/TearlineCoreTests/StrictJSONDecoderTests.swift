import Foundation
import TearlineCore
import Testing

@Suite("Strict JSON: one reading of every body")
struct StrictJSONDecoderTests {
    struct Portion: Decodable, Equatable {
        var marking: String
        var text: String
        var sourcesAndMethods: Bool?
    }

    struct Body: Decodable, Equatable {
        var title: String
        var portions: [Portion]
        var count: Int?
        var ratio: Double?
        var tags: [String]?
        var nested: [String: Int]?
    }

    static func decode(_ text: String) throws(StrictJSONError) -> Body {
        try StrictJSONDecoder.decode(Body.self, from: Array(text.utf8))
    }

    static func error(_ text: String) -> StrictJSONError? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func aWellFormedBodyDecodes() throws {
        let body = try Self.decode("""
            {"title":"t","portions":[{"marking":"(U)","text":"a"},{"marking":"(S)","text":"b","sourcesAndMethods":true}],
             "count":-3,"ratio":2.5e1,"tags":["x"],"nested":{"a":1}}
            """)
        #expect(body == Body(title: "t", portions: [Portion(marking: "(U)", text: "a"), Portion(marking: "(S)", text: "b", sourcesAndMethods: true)],
                             count: -3, ratio: 25, tags: ["x"], nested: ["a": 1]))
        // null for an optional member is its absence.
        #expect(try Self.decode(#"{"title":"t","portions":[],"count":null}"#).count == nil)
    }

    @Test func duplicateKeysAreRefusedWithTheirPath() {
        let cases: [(String, String)] = [
            (#"{"title":"a","title":"b","portions":[]}"#, "title"),
            (#"{"title":"a","portions":[{"marking":"(U)","text":"x","marking":"(S//NF)"}]}"#, "portions[0].marking"),
            (#"{"title":"a","portions":[{"marking":"(U)","text":"x"},{"marking":"(U)","text":"x","sourcesAndMethods":false,"sourcesAndMethods":true}]}"#,
             "portions[1].sourcesAndMethods"),
            (#"{"title":"a","portions":[],"nested":{"k":1,"k":2}}"#, "nested.k"),
        ]
        for (text, path) in cases {
            let error = Self.error(text)
            #expect(error?.kind == .duplicateKey, "\(text)")
            #expect(error?.path == path, "\(text)")
            #expect(error?.message(root: "the body") == "Duplicate field \"\(path)\".")
        }
    }

    @Test func theParserNamesThePathOfEveryProblem() {
        let duplicate = #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a":[1,{"b":2,"b":3}]}"#) }
        #expect(duplicate?.path == "a[1].b")
        #expect(duplicate?.duplicateKey == "b")
        #expect(duplicate?.description == "invalid JSON at byte 15: duplicate key \"b\" (at a[1].b)")
        let truncated = #expect(throws: JSONParseError.self) { try JSONValue.parse(#"[{"x":[tru]}]"#) }
        #expect(truncated?.path == "[0].x[0]")
        #expect(truncated?.duplicateKey == nil)
    }

    @Test func unknownMembersAreRefusedByTheTypesOwnKeys() {
        let top = Self.error(#"{"title":"a","portions":[],"classification":"SECRET"}"#)
        #expect(top?.kind == .unknownKey && top?.path == "classification")
        let nested = Self.error(#"{"title":"a","portions":[{"marking":"(U)","text":"x"},{"marking":"(U)","text":"y","classified":true}]}"#)
        #expect(nested?.path == "portions[1].classified")
        #expect(nested?.message() == "Unknown field \"portions[1].classified\".")
    }

    @Test func wrongTypesMissingMembersAndNullsNameThePlace() {
        #expect(Self.error(#"{"title":1,"portions":[]}"#) == StrictJSONError(.wrongType, path: "title", detail: "a string"))
        #expect(Self.error(#"{"title":"a","portions":{}}"#) == StrictJSONError(.wrongType, path: "portions", detail: "an array"))
        #expect(Self.error(#"{"title":"a","portions":[{"marking":"(U)","text":"x","sourcesAndMethods":"yes"}]}"#)
            == StrictJSONError(.wrongType, path: "portions[0].sourcesAndMethods", detail: "a boolean"))
        #expect(Self.error(#"{"portions":[]}"#) == StrictJSONError(.missingKey, path: "title"))
        #expect(Self.error(#"{"title":"a","portions":[{"text":"x"}]}"#)?.message() == "Missing field \"portions[0].marking\".")
        #expect(Self.error(#"{"title":null,"portions":[]}"#) == StrictJSONError(.null, path: "title", detail: "a string"))
        #expect(Self.error("[]")?.message(root: "the body") == "the body has the wrong type; expected an object.")
        #expect(Self.error("{")?.kind == .invalidJSON)
        #expect(Self.error("{")?.message(root: "the body").hasPrefix("The body is not valid JSON: invalid JSON at byte 1") == true)
    }

    @Test func numbersOfTheWrongKindNameTheField() {
        for lexeme in ["1.5", "1e20", "9223372036854775808", "-9223372036854775809", "1E2", "2.0"] {
            let error = Self.error(#"{"title":"a","portions":[],"count":\#(lexeme)}"#)
            #expect(error?.kind == .invalidValue, "\(lexeme)")
            #expect(error?.path == "count")
            #expect(error?.message() == "count must be an integer from \(Int.min) to \(Int.max), not \(lexeme).")
        }
        #expect(Self.error(#"{"title":"a","portions":[],"count":"1"}"#) == StrictJSONError(.wrongType, path: "count", detail: "an integer"))
        #expect(Self.error(#"{"title":"a","portions":[],"ratio":1e999}"#)?.path == "ratio")
        #expect((try? Self.decode(#"{"title":"a","portions":[],"count":9223372036854775807}"#))?.count == Int.max)
    }

    @Test func errorsThatTheTypeThrowsItselfNameThePlace() {
        enum Level: String, Decodable { case low, high }
        struct Input: Decodable { var level: Level }
        #expect(throws: StrictJSONError(.invalidValue, path: "level", detail: "is invalid")) {
            try StrictJSONDecoder.decode(Input.self, from: Array(#"{"level":"medium"}"#.utf8))
        }
    }

    @Test func aLargeObjectWithADuplicateIsRefusedToo() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" } + ["\"k7\":0"]
        struct Anything: Decodable {}
        let error = #expect(throws: StrictJSONError.self) {
            try StrictJSONDecoder.decode(Anything.self, from: Array(("{" + members.joined(separator: ",") + "}").utf8))
        }
        #expect(error?.kind == .duplicateKey && error?.path == "k7")
    }
}
