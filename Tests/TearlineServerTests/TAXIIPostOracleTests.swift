import Foundation
import HTTPTypes
import TearlineCore
import TearlineServer
import Testing

/// A post to a collection answers the same whether or not another organisation holds an object
/// with that id that the poster may not read; each organisation's version is stored and read
/// under its own marking, and deleted only by its own organisation.
@Suite("TAXII post oracle")
struct TAXIIPostOracleTests {
    static let address = "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"

    static func observable(tlp: String) -> [String: Any] {
        ["type": "ipv4-addr", "spec_version": "2.1", "id": address, "value": "198.51.100.7", "object_marking_refs": [tlpIds[tlp]!]]
    }

    /// The status resource with what is the poster's own (status id, request time, the version
    /// its post was given) replaced by placeholders.
    static func normalized(_ text: String) -> String {
        var result = text
        for pattern in [#""id":"[0-9a-f-]{36}""#, #""request_timestamp":"[^"]*""#, #""version":"[^"]*""#] {
            result = result.replacingOccurrences(of: pattern, with: "<own>", options: .regularExpression)
        }
        return result
    }

    /// GBR posts the observable under TLP:GREEN, after USA posted it under TLP:RED when `hidden`.
    static func gbrPosts(on backend: TestBackend, hidden: Bool, check: @Sendable @escaping (World, String) async throws -> Void = { _, _ in }) async throws -> (code: Int, body: String) {
        let answer = Answer()
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA", "GBR"], writers: ["USA", "GBR"])
            let url = "/tearline/collections/\(id)/objects/"
            if hidden {
                let usa = try await w.taxii(.post, url, as: "usa-analyst", objects: [Self.observable(tlp: "RED")])
                try #require(usa.int("success_count") == 1, "\(usa)")
                try #require(try await w.taxii(url + Self.address + "/", as: "gbr-analyst-secret").code == 404, "GBR cannot read USA's TLP:RED copy")
            }
            let gbr = try await w.taxii(.post, url, as: "gbr-analyst-secret", objects: [Self.observable(tlp: "GREEN")])
            await answer.set(gbr.code, gbr.text)
            try await check(w, id)
        }
        return await answer.value
    }

    @Test(arguments: TestBackend.allCases) func aPostAnswersTheSameWhetherOrNotAnUnreadableObjectHasThatId(backend: TestBackend) async throws {
        let without = try await Self.gbrPosts(on: backend, hidden: false)
        let with = try await Self.gbrPosts(on: backend, hidden: true)
        #expect(without.code == 202 || without.code == 200)
        #expect(with.code == without.code)
        #expect(!with.body.contains("already"), "\(with.body)")
        #expect(Self.normalized(with.body) == Self.normalized(without.body), "with: \(with.body)\nwithout: \(without.body)")
    }

    @Test(arguments: TestBackend.allCases) func bothVersionsAreStoredAndEachOrganisationReadsOnlyWhatItMay(backend: TestBackend) async throws {
        _ = try await Self.gbrPosts(on: backend, hidden: true) { w, id in
            let object = "/tearline/collections/\(id)/objects/\(Self.address)/"
            let all = "?match%5Bversion%5D=all"
            func markings(_ reply: Reply) -> [String] {
                reply.objects("objects").compactMap { ($0["object_marking_refs"] as? [String])?.first }
            }
            // GBR reads its own version only, everywhere.
            let gbr = try await w.taxii(object + all, as: "gbr-analyst-secret")
            #expect(markings(gbr) == [tlpIds["GREEN"]!], "\(gbr)")
            #expect(try await w.taxii("/tearline/collections/\(id)/objects/", as: "gbr-analyst-secret").objects("objects").count == 1)
            #expect(try await w.taxii("/tearline/collections/\(id)/manifest/?match%5Bversion%5D=all", as: "gbr-analyst-secret").objects("objects").count == 1)
            #expect(try await w.taxii(object + "versions/", as: "gbr-analyst-secret").strings("versions")?.count == 1)
            // USA reads both: its own TLP:RED version and GBR's TLP:GREEN one.
            let usa = try await w.taxii(object + all, as: "usa-analyst")
            #expect(Set(markings(usa)) == [tlpIds["RED"]!, tlpIds["GREEN"]!], "\(usa)")
            #expect(try await w.taxii(object, as: "usa-analyst").objects("objects").count == 2, "each organisation's last version")
            // GBR posting it again is told of its own copy.
            let again = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "gbr-analyst-secret", objects: [Self.observable(tlp: "GREEN")])
            #expect(again.text.contains("already in the collection"))
            // GBR's delete removes GBR's version only.
            #expect(try await w.taxii(.delete, object, as: "gbr-analyst-secret").code == 200)
            #expect(try await w.taxii(object, as: "gbr-analyst-secret").code == 404)
            let left = try await w.taxii(object + all, as: "usa-analyst")
            #expect(markings(left) == [tlpIds["RED"]!], "USA's version stays: \(left)")
            // And GBR, holding none of its own any more, cannot delete USA's.
            #expect(try await w.taxii(.delete, object, as: "gbr-analyst-secret").code == 404)
            #expect(try await w.taxii(object, as: "usa-analyst").objects("objects").count == 1)
        }
    }
}

private actor Answer {
    var value: (code: Int, body: String) = (0, "")
    func set(_ code: Int, _ body: String) { value = (code, body) }
}
