import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TearlineCore
import TearlineServer
import Testing

let taxiiType = "application/taxii+json;version=2.1"
let tlpIds = [
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
]

extension World {
    /// A TAXII request with the TAXII media type, as a bearer-token member (or `basic` credentials).
    func taxii(_ uri: String, as who: String?, basic: (String, String)? = nil, accept: String = taxiiType) async throws -> Reply {
        try await taxii(.get, uri, as: who, basic: basic, accept: accept)
    }

    func taxii(_ method: HTTPRequest.Method, _ uri: String, as who: String?, objects: [[String: Any]]? = nil,
               basic: (String, String)? = nil, accept: String = taxiiType, contentType: String = taxiiType) async throws -> Reply {
        var headers: HTTPFields = [.accept: accept]
        if let basic { headers[.authorization] = "Basic " + Data("\(basic.0):\(basic.1)".utf8).base64EncodedString() }
        if let objects {
            headers[.contentType] = contentType
            return try await send(method, uri, as: who, json: ["objects": objects], headers: headers, contentType: contentType)
        }
        return try await send(method, uri, as: who, headers: headers)
    }

    /// The id of the collection titled `title` that `who` sees in the default API root.
    func collectionId(_ title: String, as who: String) async throws -> String {
        let reply = try await taxii("/tearline/collections/", as: who)
        let found = reply.objects("collections").first { ($0["title"] as? String) == title }
        return try #require(found?["id"] as? String, "no collection \(title) for \(who): \(reply)")
    }

    func createCommunity(readers: [String], writers: [String], topics: [String] = [], title: String = "CTI sharing") async throws -> String {
        let input = CreateCollectionInput(id: nil, apiRoot: nil, title: title, description: "community", alias: nil, readers: readers, writers: writers,
                                          topics: topics, defaultMarking: "UNCLASSIFIED//TLP:AMBER")
        return try await service.taxii.createCollection(input, by: .nodeAdmin).id
    }
}

func indicator(_ n: Int, tlp: String?, modified: String = "2026-01-01T00:00:00.000Z", extra: [String: Any] = [:]) -> [String: Any] {
    var o: [String: Any] = [
        "type": "indicator", "spec_version": "2.1", "id": String(format: "indicator--00000000-0000-4000-8000-%012d", n),
        "created": "2026-01-01T00:00:00.000Z", "modified": modified, "name": "indicator \(n)",
        "pattern": "[ipv4-addr:value = '198.51.100.\(n % 250)']", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z",
    ]
    if let tlp { o["object_marking_refs"] = [tlpIds[tlp]!] }
    for (k, v) in extra { o[k] = v }
    return o
}

@Suite("TAXII 2.1 server")
struct TAXIIServerTests {
    @Test(arguments: TestBackend.allCases) func discoveryNeedsAuthenticationAndListsTheDefaultRoot(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let anonymous = try await w.taxii("/taxii2/", as: nil)
            #expect(anonymous.code == 401)
            #expect(anonymous.contentType == taxiiType)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            #expect(anonymous.string("http_status") == "401")
            let reply = try await w.taxii("/taxii2/", as: "usa-analyst")
            #expect(reply.code == 200)
            #expect(reply.contentType == taxiiType)
            #expect(reply.strings("api_roots")?.contains { $0.hasSuffix("/tearline/") } == true)
            #expect(reply.string("default")?.hasSuffix("/tearline/") == true)
            let root = try await w.taxii("/tearline/", as: "usa-analyst")
            #expect(root.strings("versions") == [taxiiType])
            #expect(root.int("max_content_length") == 10 * 1024 * 1024)
            #expect(try await w.taxii("/nowhere/", as: "usa-analyst").code == 404)
        }
    }

    @Test(arguments: TestBackend.allCases) func mediaTypesAreNegotiated(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            #expect(try await w.taxii("/taxii2/", as: "usa-analyst", accept: "application/json").code == 406)
            #expect(try await w.taxii("/taxii2/", as: "usa-analyst", accept: "application/taxii+json;version=2.0").code == 406)
            #expect(try await w.taxii("/taxii2/", as: "usa-analyst", accept: "application/taxii+json").code == 200)
            #expect(try await w.taxii("/taxii2/", as: "usa-analyst", accept: "*/*").code == 200)
            let id = try await w.createCommunity(readers: ["USA"], writers: ["USA"])
            let wrong = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: [indicator(1, tlp: "GREEN")],
                                          contentType: "application/json")
            #expect(wrong.code == 415)
            #expect(wrong.contentType == taxiiType)
        }
    }

    @Test(arguments: TestBackend.allCases) func membersSeeOnlyTheirCollections(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let community = try await w.createCommunity(readers: ["USA", "GBR"], writers: ["USA"])
            let usa = try await w.taxii("/tearline/collections/", as: "usa-analyst")
            let titles = Set(usa.objects("collections").compactMap { $0["title"] as? String })
            #expect(titles == ["Holdings of USA", "Releases received by USA", "CTI sharing"])
            let gbr = try await w.taxii("/tearline/collections/", as: "gbr-analyst-secret")
            let gbrCollections = gbr.objects("collections")
            #expect(Set(gbrCollections.compactMap { $0["title"] as? String }) == ["Holdings of GBR", "Releases received by GBR", "CTI sharing"])
            #expect(gbrCollections.first { $0["id"] as? String == community }?["can_write"] as? Bool == false)
            // Another organisation's collections do not exist for a member: 404, not 403.
            let usaHoldings = try await w.collectionId("Holdings of USA", as: "usa-analyst")
            #expect(try await w.taxii("/tearline/collections/\(usaHoldings)/", as: "gbr-analyst-secret").code == 404)
            #expect(try await w.taxii("/tearline/collections/\(usaHoldings)/objects/", as: "gbr-analyst-secret").code == 404)
            #expect(try await w.taxii("/tearline/collections/\(community)/", as: "fra-releaser").code == 404)
            // A reader that may not write is refused a POST.
            let post = try await w.taxii(.post, "/tearline/collections/\(community)/objects/", as: "gbr-analyst-secret", objects: [indicator(1, tlp: "GREEN")])
            #expect(post.code == 403)
        }
    }

    @Test(arguments: TestBackend.allCases) func postedObjectsAreSharedByTheirTLP(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA", "GBR", "FRA"], writers: ["USA", "GBR"])
            let objects = [indicator(1, tlp: "CLEAR"), indicator(2, tlp: "GREEN"), indicator(3, tlp: "AMBER"), indicator(4, tlp: "RED"),
                           indicator(5, tlp: nil),
                           indicator(6, tlp: nil, extra: ["object_marking_refs": ["marking-definition--11111111-1111-4111-8111-111111111111"]])]
            let status = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: objects)
            #expect(status.code == 202)
            #expect(status.string("status") == "complete")
            #expect(status.int("total_count") == 6)
            #expect(status.int("success_count") == 5)
            #expect(status.int("failure_count") == 1)
            #expect(status.objects("failures").first?["id"] as? String == (objects[5]["id"] as! String))
            // The status belongs to whoever posted.
            let statusId = try #require(status.string("id"))
            #expect(try await w.taxii("/tearline/status/\(statusId)/", as: "usa-analyst").int("success_count") == 5)
            #expect(try await w.taxii("/tearline/status/\(statusId)/", as: "gbr-analyst-secret").code == 404)

            func ids(_ who: String) async throws -> Set<String> {
                let reply = try await w.taxii("/tearline/collections/\(id)/objects/", as: who)
                #expect(reply.code == 200, "\(who): \(reply)")
                return Set(reply.objects("objects").compactMap { $0["id"] as? String })
            }
            let all = Set(objects.prefix(5).map { $0["id"] as! String })
            let red = objects[3]["id"] as! String
            #expect(try await ids("usa-analyst") == all)
            // GBR reads the TLP:CLEAR/GREEN/AMBER and unmarked (collection default TLP:AMBER) objects, never TLP:RED.
            #expect(try await ids("gbr-analyst-secret") == all.subtracting([red]))
            #expect(try await w.taxii("/tearline/collections/\(id)/objects/\(red)/", as: "gbr-analyst-secret").code == 404)
            #expect(try await w.taxii("/tearline/collections/\(id)/objects/\(red)/", as: "usa-analyst").code == 200)
            // The manifest lists no more than the objects endpoint.
            let manifest = try await w.taxii("/tearline/collections/\(id)/manifest/", as: "gbr-analyst-secret")
            #expect(Set(manifest.objects("objects").compactMap { $0["id"] as? String }) == all.subtracting([red]))
            #expect(manifest.objects("objects").allSatisfy { $0["media_type"] as? String == "application/stix+json;version=2.1" })
            // Every withheld object is audited as such, with the rule's count.
            let audit = try await w.audit(as: "gbr-security", "?action=taxii.objects.list")
            #expect(audit.contains { ($0["detail"] as? String)?.contains("withheld=1") == true })
        }
    }

    @Test(arguments: TestBackend.allCases) func statementMarkingsInTheEnvelopeAreHonoured(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["GBR", "USA"], writers: ["GBR"])
            let definition: [String: Any] = [
                "type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--22222222-2222-4222-8222-222222222222",
                "created": "2026-01-01T00:00:00.000Z", "definition_type": "statement", "definition": ["statement": "Copyright GBR"],
            ]
            let reply = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "gbr-analyst-confidential", objects: [
                definition, indicator(7, tlp: nil, extra: ["object_marking_refs": [definition["id"]!, tlpIds["GREEN"]!]]),
            ])
            #expect(reply.int("success_count") == 2, "\(reply)")
        }
    }

    @Test(arguments: TestBackend.allCases) func pagingFiltersAndHeaders(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA"], writers: ["USA"])
            var objects = (1...9).map { indicator($0, tlp: "GREEN") }
            objects.append(indicator(1, tlp: "GREEN", modified: "2026-02-01T00:00:00.000Z"))
            objects.append(["type": "malware", "spec_version": "2.1", "id": "malware--00000000-0000-4000-8000-000000000001",
                            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "x", "is_family": false])
            #expect(try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: objects).int("success_count") == 11)
            let base = "/tearline/collections/\(id)/objects/"
            // Pages of 4 cover the 10 distinct objects (last versions) once each, in date-added order.
            var seen: [String] = []
            var next: String?
            var pages = 0
            repeat {
                let reply = try await w.taxii(base + "?limit=4" + (next.map { "&next=\($0)" } ?? ""), as: "usa-analyst")
                #expect(reply.code == 200)
                #expect(reply.headers[HTTPField.Name("X-TAXII-Date-Added-First")!] != nil)
                #expect(reply.headers[HTTPField.Name("X-TAXII-Date-Added-Last")!] != nil)
                seen += reply.objects("objects").compactMap { $0["id"] as? String }
                next = (reply.object["more"] as? Bool) == true ? reply.string("next") : nil
                pages += 1
            } while next != nil && pages < 10
            #expect(pages == 3)
            #expect(seen.count == 10 && Set(seen).count == 10)
            let first = indicator(1, tlp: nil)["id"] as! String
            let versions = try await w.taxii(base + "\(first)/versions/", as: "usa-analyst")
            #expect(versions.strings("versions") == ["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"])
            func count(_ query: String) async throws -> Int {
                let reply = try await w.taxii(base + "?" + query, as: "usa-analyst")
                #expect(reply.code == 200, "\(query): \(reply)")
                return reply.objects("objects").count
            }
            #expect(try await count("match[type]=malware") == 1)
            #expect(try await count("match[type]=malware,indicator") == 10)
            #expect(try await count("match[id]=\(first)&match[version]=all") == 2)
            #expect(try await count("match[id]=\(first)&match[version]=first") == 1)
            #expect(try await count("match[id]=\(first)&match[version]=2026-02-01T00:00:00.000Z") == 1)
            #expect(try await count("match[id]=\(first)&match[version]=2025-02-01T00:00:00.000Z") == 0)
            #expect(try await count("match[spec_version]=2.1") == 10)
            #expect(try await count("match[spec_version]=2.0") == 0)
            #expect(try await count("added_after=2099-01-01T00:00:00Z") == 0)
            #expect(try await count("added_after=2000-01-01T00:00:00Z") == 10)
            #expect(try await w.taxii(base + "?match[version]=newest", as: "usa-analyst").code == 400)
            #expect(try await w.taxii(base + "?limit=0", as: "usa-analyst").code == 400)
            #expect(try await w.taxii(base + "?next=forged", as: "usa-analyst").code == 400)
            #expect(try await w.taxii(base + "?colour=red", as: "usa-analyst").code == 400)
        }
    }

    @Test(arguments: TestBackend.allCases) func changingTheFiltersWhilePagingIsRefused(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA"], writers: ["USA"])
            _ = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: (1...6).map { indicator($0, tlp: "GREEN") })
            let base = "/tearline/collections/\(id)/objects/"
            let first = try await w.taxii(base + "?limit=2&match[type]=indicator", as: "usa-analyst")
            let next = try #require(first.string("next"))
            let same = try await w.taxii(base + "?limit=3&match[type]=indicator&next=\(next)", as: "usa-analyst")
            #expect(same.code == 200, "the same filters (another limit) page on: \(same)")
            for changed in ["match[type]=malware", "match[type]=indicator&added_after=2000-01-01T00:00:00Z", "match[type]=indicator&match[version]=all", ""] {
                let reply = try await w.taxii(base + "?limit=2&next=\(next)" + (changed.isEmpty ? "" : "&" + changed), as: "usa-analyst")
                #expect(reply.code == 400, "\(changed): \(reply)")
                #expect(reply.contentType == taxiiType)
                #expect(reply.text.contains("filters changed"), "\(reply)")
            }
        }
    }

    @Test(arguments: TestBackend.allCases) func aBareObjectIsUnprocessable(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA"], writers: ["USA"])
            let url = "/tearline/collections/\(id)/objects/"
            var headers: HTTPFields = [.accept: taxiiType, .contentType: taxiiType]
            headers[.authorization] = "Bearer \(w.token("usa-analyst"))"
            let body = String(decoding: try JSONSerialization.data(withJSONObject: indicator(1, tlp: "GREEN")), as: UTF8.self)
            let reply = try await w.send(.post, url, as: nil, raw: body, headers: headers, contentType: taxiiType)
            #expect(reply.code == 422, "\(reply)")
            #expect(reply.contentType == taxiiType)
            #expect(reply.string("http_status") == "422")
            #expect(reply.text.contains("envelope"))
            #expect(try await w.taxii(url, as: "usa-analyst").objects("objects").isEmpty, "nothing was stored")
            // The same object in an envelope is taken.
            #expect(try await w.taxii(.post, url, as: "usa-analyst", objects: [indicator(1, tlp: "GREEN")]).int("success_count") == 1)
        }
    }

    @Test(arguments: TestBackend.allCases) func onlyThePostingOrganisationDeletes(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA", "GBR"], writers: ["USA", "GBR"])
            let object = indicator(3, tlp: "GREEN")
            let newer = indicator(3, tlp: "GREEN", modified: "2026-03-01T00:00:00.000Z")
            _ = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: [object, newer])
            let url = "/tearline/collections/\(id)/objects/\(object["id"] as! String)/"
            #expect(try await w.taxii(.delete, url, as: "gbr-analyst-secret").code == 403)
            #expect(try await w.taxii(url, as: "gbr-analyst-secret").code == 200)
            // match[version] deletes just those versions; without it, every version goes.
            #expect(try await w.taxii(.delete, url + "?match[version]=first", as: "usa-analyst").code == 200)
            #expect(try await w.taxii(url + "versions/", as: "usa-analyst").strings("versions") == ["2026-03-01T00:00:00.000Z"])
            _ = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: [object])
            #expect(try await w.taxii(.delete, url, as: "usa-analyst").code == 200)
            #expect(try await w.taxii(url, as: "usa-analyst").code == 404)
            #expect(try await w.taxii(url + "versions/", as: "usa-analyst").code == 404)
            #expect(try await w.taxii(.delete, url, as: "usa-analyst").code == 404)
        }
    }

    @Test(arguments: TestBackend.allCases) func basicAuthenticationWithASlowHashedPassword(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            _ = try await w.service.taxii.setPassword(member: w.id("gbr-analyst-secret"), login: "gbr.analyst", password: "correct horse battery", by: .nodeAdmin)
            #expect(try await w.taxii("/taxii2/", as: nil, basic: ("gbr.analyst", "correct horse battery")).code == 200)
            // The cached login is used again, and a wrong password never matches the cache.
            #expect(try await w.taxii("/taxii2/", as: nil, basic: ("gbr.analyst", "correct horse battery")).code == 200)
            #expect(try await w.taxii("/taxii2/", as: nil, basic: ("gbr.analyst", "wrong horse battery")).code == 401)
            #expect(try await w.taxii("/taxii2/", as: nil, basic: ("nobody", "correct horse battery")).code == 401)
            // Taken logins and short passwords are refused; an organisation admin may not set another organisation's.
            await #expect(throws: ServiceError.self) {
                _ = try await w.service.taxii.setPassword(member: w.id("usa-analyst"), login: "gbr.analyst", password: "long enough pw", by: .nodeAdmin)
            }
            await #expect(throws: ServiceError.self) {
                _ = try await w.service.taxii.setPassword(member: w.id("usa-analyst"), login: "usa", password: "short", by: .nodeAdmin)
            }
            let deuAdmin = try #require(try await w.service.members.authenticate(token: w.token("deu-admin")))
            await #expect(throws: ServiceError.self) {
                _ = try await w.service.taxii.setPassword(member: w.id("usa-analyst"), login: "usa.analyst", password: "long enough pw", by: deuAdmin)
            }
        }
    }

    @Test(arguments: TestBackend.allCases) func releasesAppearAsSTIXReportsThroughTheRule(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [
                portion("(S//REL TO USA, GBR)", "The courier crossed at Checkpoint Charlie."),
                portion("(S//NF)", "Our agent in the ministry confirmed it."),
            ]))
            _ = try await w.releaseId(report, to: "GBR")
            let received = try await w.collectionId("Releases received by GBR", as: "gbr-analyst-secret")
            let reply = try await w.taxii("/tearline/collections/\(received)/objects/", as: "gbr-analyst-secret")
            #expect(reply.code == 200)
            let objects = reply.objects("objects")
            let reports = objects.filter { $0["type"] as? String == "report" }
            #expect(reports.count == 1)
            let description = try #require(reports.first?["description"] as? String)
            #expect(description.contains("(S//REL TO USA, GBR)"))
            #expect(description.contains("Checkpoint Charlie"))
            #expect(!reply.text.contains("ministry"))
            #expect(objects.contains { $0["type"] as? String == "identity" })
            #expect(objects.contains { $0["type"] as? String == "marking-definition" })
            // A GBR member without SECRET clearance gets nothing of it.
            let low = try await w.taxii("/tearline/collections/\(received)/objects/", as: "gbr-analyst-confidential")
            #expect(low.objects("objects").filter { $0["type"] as? String == "report" }.isEmpty)
            // The originator's analyst sees the whole report in USA's holdings.
            let holdings = try await w.collectionId("Holdings of USA", as: "usa-releaser")
            let own = try await w.taxii("/tearline/collections/\(holdings)/objects/?match[type]=report", as: "usa-releaser")
            #expect(own.text.contains("ministry"))
            // Reading through TAXII is audited as reading the release.
            let audit = try await w.audit(as: "gbr-security", "?action=release.read")
            #expect(!audit.isEmpty)
            // Generated objects are not deleted over TAXII.
            let reportId = try #require(reports.first?["id"] as? String)
            #expect(try await w.taxii(.delete, "/tearline/collections/\(received)/objects/\(reportId)/", as: "gbr-analyst-secret").code == 403)
        }
    }

    /// Objects marked with Tearline's marking extension carry classification and REL TO across.
    @Test(arguments: TestBackend.allCases) func classifiedObjectsCrossOnlyWhereTheRuleLetsThem(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA", "GBR", "DEU", "FRA"], writers: ["USA", "GBR"])
            let secret = try Marking.parse("SECRET//REL TO USA, GBR")
            let definition = try #require(try JSONSerialization.jsonObject(with: Data(JSONValue.object(STIXMarkings.definition(for: secret)).serialized().utf8)) as? [String: Any])
            let object = indicator(11, tlp: nil, extra: ["object_marking_refs": [STIXMarkings.definitionID(for: secret)]])
            let status = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: [definition, object])
            #expect(status.int("success_count") == 2, "\(status)")
            let url = "/tearline/collections/\(id)/objects/\(object["id"] as! String)/"
            #expect(try await w.taxii(url, as: "usa-analyst").code == 200)
            #expect(try await w.taxii(url, as: "gbr-analyst-secret").code == 200)
            // Below the clearance, outside REL TO (DEU), or without a partnership (FRA): it does not exist.
            #expect(try await w.taxii(url, as: "gbr-analyst-confidential").code == 404)
            #expect(try await w.taxii(url, as: "deu-analyst").code == 404)
            #expect(try await w.taxii(url, as: "fra-releaser").code == 404)
            // Lowering trust below SECRET hides it at once.
            try await w.setPartnership("USA", "GBR", ["trustLevel": "low"], as: "usa-senior")
            #expect(try await w.taxii(url, as: "gbr-analyst-secret").code == 404)
            // Nobody posts above their own clearance.
            let high = indicator(12, tlp: nil, extra: ["object_marking_refs": [STIXMarkings.definitionID(for: secret)]])
            let refused = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "gbr-analyst-confidential", objects: [definition, high])
            #expect(refused.int("failure_count") == 1)
            #expect((refused.objects("failures").first?["message"] as? String)?.contains("above what you may read") == true)
            // A Tearline marking whose definition is not in the envelope is refused: the node cannot read it.
            let orphan = indicator(13, tlp: nil, extra: ["object_marking_refs": [STIXMarkings.definitionID(for: secret)]])
            #expect(try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: [orphan]).int("failure_count") == 1)
        }
    }

    /// TAXII listings count towards the listing throttle: the crossing request gets a TAXII 429 with no objects.
    @Test(arguments: TestBackend.allCases) func bulkListingOverTAXIIIsThrottled(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 300, searchResults: 5, exports: 50, deniedReads: 30, window: 3_600_000)
        try await withWorld(backend, limits: limits) { w in
            let id = try await w.createCommunity(readers: ["USA"], writers: ["USA"])
            _ = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: (1...4).map { indicator($0, tlp: "GREEN") })
            let base = "/tearline/collections/\(id)/objects/"
            #expect(try await w.taxii(base, as: "usa-analyst").objects("objects").count == 4)
            let refused = try await w.taxii(base, as: "usa-analyst")
            #expect(refused.code == 429)
            #expect(refused.contentType == taxiiType)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(!refused.text.contains("indicator--"))
            // Once throttled, even a manifest or a single object is refused.
            #expect(try await w.taxii("/tearline/collections/\(id)/manifest/", as: "usa-analyst").code == 429)
            #expect(try await w.taxii(base + "\(indicator(1, tlp: nil)["id"] as! String)/", as: "usa-analyst").code == 429)
        }
    }

    /// A suspended member posts nothing, and reads nothing, over TAXII.
    @Test(arguments: TestBackend.allCases) func suspendedMembersNeitherPostNorRead(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA"], writers: ["USA"])
            _ = try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-releaser", objects: [indicator(1, tlp: "GREEN")])
            _ = try await w.service.members.updateMember(id: w.id("usa-analyst"), .init(status: "suspended"), by: .nodeAdmin)
            #expect(try await w.taxii(.post, "/tearline/collections/\(id)/objects/", as: "usa-analyst", objects: [indicator(2, tlp: "GREEN")]).code == 403)
            let listed = try await w.taxii("/tearline/collections/\(id)/objects/", as: "usa-analyst")
            #expect(listed.objects("objects").isEmpty, "\(listed)")
        }
    }

    @Test(arguments: TestBackend.allCases) func anOversizedOrMalformedBodyIsRefusedWithoutWriting(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let id = try await w.createCommunity(readers: ["USA"], writers: ["USA"])
            let url = "/tearline/collections/\(id)/objects/"
            let big = String(repeating: "x", count: 10 * 1024 * 1024 + 1)
            var headers: HTTPFields = [.accept: taxiiType, .contentType: taxiiType]
            headers[.authorization] = "Bearer \(w.token("usa-analyst"))"
            #expect(try await w.send(.post, url, as: nil, raw: big, headers: headers, contentType: taxiiType).code == 413)
            let malformed = try await w.send(.post, url, as: nil, raw: "{\"objects\": [", headers: headers, contentType: taxiiType)
            #expect(malformed.code == 400)
            #expect(malformed.contentType == taxiiType)
            #expect(try await w.taxii(url, as: "usa-analyst").objects("objects").isEmpty)
        }
    }
}
