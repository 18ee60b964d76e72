import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TearlineServer
import Testing

/// A medallion 3 memory-backend data file in miniature: two API roots, a readable collection with
/// an object in two versions, an SCO and a TLP-marked object, and a write-only collection.
let medallionData = """
{
  "/discovery": {"title": "Some TAXII Server", "description": "x", "default": "http://localhost:5000/trustgroup1/",
                 "api_roots": ["http://localhost:5000/api1/", "http://localhost:5000/trustgroup1/"]},
  "api1": {"information": {"title": "General STIX 2.1 Collections", "description": "empty root", "versions": ["application/taxii+json;version=2.1"],
           "max_content_length": 9765625}, "status": [], "collections": []},
  "trustgroup1": {
    "information": {"title": "Malware Research Group", "description": "A trust group setup for malware researchers",
                    "versions": ["application/taxii+json;version=2.1"], "max_content_length": 9765625},
    "status": [],
    "collections": [
      {"id": "91a7b528-80eb-42ed-a74d-c6fbd5a26116", "title": "High Value Indicator Collection", "description": "high value IOCs",
       "can_read": true, "can_write": true, "media_types": ["application/stix+json;version=2.1"],
       "objects": [
         {"type": "indicator", "spec_version": "2.1", "id": "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e",
          "created": "2016-11-03T12:30:59.000Z", "modified": "2016-11-03T12:30:59.000Z", "name": "Malicious site",
          "pattern": "[domain-name:value = 'x.example']", "pattern_type": "stix", "valid_from": "2016-11-03T12:30:59.000Z"},
         {"type": "indicator", "spec_version": "2.1", "id": "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e",
          "created": "2016-11-03T12:30:59.000Z", "modified": "2017-01-27T13:49:53.935Z", "name": "Malicious site (updated)",
          "pattern": "[domain-name:value = 'x.example']", "pattern_type": "stix", "valid_from": "2016-11-03T12:30:59.000Z"},
         {"type": "malware", "spec_version": "2.1", "id": "malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec",
          "created": "2017-01-27T13:49:53.997Z", "modified": "2017-01-27T13:49:53.997Z", "name": "Poison Ivy", "is_family": true,
          "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]},
         {"type": "domain-name", "spec_version": "2.1", "id": "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5", "value": "x.example",
          "_date_added": "2017-01-27T13:49:59.000000Z"}
       ],
       "manifest": [
         {"id": "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e", "date_added": "2016-11-01T03:04:05.000000Z",
          "version": "2016-11-03T12:30:59.000Z", "media_type": "application/stix+json;version=2.1"},
         {"id": "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e", "date_added": "2017-01-27T13:49:53.935000Z",
          "version": "2017-01-27T13:49:53.935Z", "media_type": "application/stix+json;version=2.1"},
         {"id": "malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec", "date_added": "2017-01-27T13:49:59.997000Z",
          "version": "2017-01-27T13:49:53.997Z", "media_type": "application/stix+json;version=2.1"},
         {"id": "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5", "date_added": "2017-01-27T13:49:59.000000Z",
          "version": "2017-01-27T13:49:59.000000Z", "media_type": "application/stix+json;version=2.1"}
       ]},
      {"id": "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4", "title": "Write-only drop box", "description": "x", "can_read": false, "can_write": true,
       "media_types": ["application/stix+json;version=2.1"], "objects": [], "manifest": []}
    ]
  }
}
"""
let medallionConfig = """
{"backend": {"module_class": "MemoryBackend", "filename": "default_data.json"},
 "users": {"admin": "Password0", "user1": "Password1"}, "taxii": {"max_page_size": 100}}
"""

@Suite("Imports: STIX bundles and medallion servers")
struct TAXIIImportTests {
    func importMedallion(_ w: World, data: String = medallionData, unmapped: String? = nil) async throws -> MedallionImportResult {
        try await w.service.taxii.importMedallion(config: Array(medallionConfig.utf8), data: Array(data.utf8), organization: "GBR",
                                            clearance: "UNCLASSIFIED", unmappedMarking: unmapped, by: .nodeAdmin)
    }

    @Test(arguments: TestBackend.allCases) func aMedallionUserKeepsURLsCredentialsAndObjects(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let result = try await importMedallion(w)
            #expect(result.apiRoots == ["api1", "trustgroup1"])
            #expect(result.collections == 2)
            #expect(result.objects == 4)
            #expect(result.members.map(\.login) == ["admin", "user1"])
            let admin = ("admin", "Password0")
            let discovery = try await w.taxii("/taxii2/", as: nil, basic: admin)
            #expect(discovery.strings("api_roots")?.contains { $0.hasSuffix("/trustgroup1/") } == true)
            let root = try await w.taxii("/trustgroup1/", as: nil, basic: admin)
            #expect(root.string("title") == "Malware Research Group")
            let collections = try await w.taxii("/trustgroup1/collections/", as: nil, basic: admin).objects("collections")
            #expect(collections.map { $0["id"] as? String } == ["91a7b528-80eb-42ed-a74d-c6fbd5a26116", "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4"])
            #expect(collections.map { $0["can_read"] as? Bool } == [true, false])
            let base = "/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/"
            let latest = try await w.taxii(base + "objects/", as: nil, basic: admin)
            #expect(latest.objects("objects").count == 3)
            #expect(latest.objects("objects").first { $0["type"] as? String == "indicator" }?["name"] as? String == "Malicious site (updated)")
            // The hidden medallion field does not come back.
            #expect(!latest.text.contains("_date_added"))
            let versions = try await w.taxii(base + "objects/indicator--6770298f-0fd8-471a-ab8c-1c658a46574e/versions/", as: nil, basic: admin)
            #expect(versions.strings("versions") == ["2016-11-03T12:30:59.000Z", "2017-01-27T13:49:53.935Z"])
            // date_added is kept from medallion's manifest.
            let manifest = try await w.taxii(base + "manifest/?match[version]=all", as: nil, basic: admin).objects("objects")
            #expect(manifest.first?["date_added"] as? String == "2016-11-01T03:04:05.000000Z")
            #expect(try await w.taxii(base + "objects/?added_after=2017-01-01T00:00:00Z", as: nil, basic: admin).objects("objects").count == 3)
            #expect(try await w.taxii(base + "objects/?added_after=2017-01-27T13:49:59.500Z", as: nil, basic: admin).objects("objects").count == 1)
            // A write-only collection takes objects but shows none.
            let drop = "/trustgroup1/collections/472c94ae-3113-4e3e-a4dd-a9f4ac7471d4/objects/"
            #expect(try await w.taxii(drop, as: nil, basic: admin).code == 403)
            // The password is checked; other organisations' members do not see the imported root.
            #expect(try await w.taxii("/trustgroup1/", as: nil, basic: ("admin", "wrong")).code == 401)
            #expect(try await w.taxii("/trustgroup1/", as: "usa-analyst").code == 404)
            #expect(try await w.taxii(base + "objects/", as: "usa-analyst").code == 404)
        }
    }

    @Test(arguments: TestBackend.allCases) func aMedallionImportIsAllOrNothing(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let bad = medallionData.replacingOccurrences(of: "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
                                                         with: "marking-definition--99999999-9999-4999-8999-999999999999")
            await #expect(throws: ServiceError.self) { _ = try await importMedallion(w, data: bad) }
            #expect(try await w.taxii("/trustgroup1/", as: nil, basic: ("admin", "Password0")).code == 401)
            // With a marking for what cannot be mapped, it goes in, kept inside the organisation.
            let result = try await importMedallion(w, data: bad, unmapped: "UNCLASSIFIED//TLP:RED")
            #expect(result.objects == 4)
            // Importing the same server twice is refused.
            await #expect(throws: ServiceError.self) { _ = try await importMedallion(w) }
        }
    }

    @Test(arguments: TestBackend.allCases) func aSTIXBundleBecomesHoldingsOrNothing(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let bundle: [String: Any] = ["type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982",
                                         "objects": [indicator(1, tlp: "GREEN"), indicator(2, tlp: "RED")]]
            let bytes = Array(try JSONSerialization.data(withJSONObject: bundle))
            let result = try await w.service.taxii.importSTIX(bytes, organization: "USA", collection: nil, by: .nodeAdmin)
            #expect(result.stored == 2)
            let holdings = try await w.collectionId("Holdings of USA", as: "usa-analyst")
            let listed = try await w.taxii("/tearline/collections/\(holdings)/objects/?match[type]=indicator", as: "usa-analyst")
            #expect(listed.objects("objects").count == 2)
            // Holdings stay inside the organisation.
            #expect(try await w.taxii("/tearline/collections/\(holdings)/objects/", as: "gbr-analyst-secret").code == 404)
            // A bundle with one object whose marking cannot be mapped stores nothing.
            let bad: [String: Any] = ["type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04983",
                                      "objects": [indicator(3, tlp: "GREEN"),
                                                  indicator(4, tlp: nil, extra: ["object_marking_refs": ["marking-definition--99999999-9999-4999-8999-999999999999"]])]]
            await #expect(throws: ServiceError.self) {
                _ = try await w.service.taxii.importSTIX(Array(try JSONSerialization.data(withJSONObject: bad)), organization: "USA", collection: nil, by: .nodeAdmin)
            }
            #expect(try await w.taxii("/tearline/collections/\(holdings)/objects/?match[type]=indicator", as: "usa-analyst").objects("objects").count == 2)
            await #expect(throws: ServiceError.self) {
                _ = try await w.service.taxii.importSTIX(Array(#"{"objects": 3}"#.utf8), organization: "USA", collection: nil, by: .nodeAdmin)
            }
        }
    }

    /// medallion's own shipped data file and configuration, as a user moving off medallion has them.
    @Test(arguments: TestBackend.allCases) func medallionsShippedDefaultDataImports(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("medallion")
            let config = try Data(contentsOf: directory.appendingPathComponent("config.json"))
            let data = try Data(contentsOf: directory.appendingPathComponent("default_data.json"))
            let result = try await w.service.taxii.importMedallion(config: Array(config), data: Array(data), organization: "GBR", clearance: "UNCLASSIFIED",
                                                             unmappedMarking: nil, by: .nodeAdmin)
            #expect(result.apiRoots == ["api1", "api2", "trustgroup1"])
            #expect(result.members.map(\.login) == ["admin", "user1", "user2"])
            let user = ("user1", "Password1")
            let collections = try await w.taxii("/trustgroup1/collections/", as: nil, basic: user).objects("collections")
            // medallion lists a collection with neither permission too; here it does not exist for the users.
            #expect(collections.compactMap { $0["id"] as? String } == ["472c94ae-3113-4e3e-a4dd-a9f4ac7471d4", "365fed99-08fa-fdcd-a1b3-fb247eb41d01",
                                                                       "91a7b528-80eb-42ed-a74d-c6fbd5a26116", "52892447-4d7e-4f70-b94d-d7f22742ff63"])
            let objects = try await w.taxii("/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/?match[version]=all&match[spec_version]=2.0,2.1",
                                            as: nil, basic: user)
            #expect(objects.code == 200)
            #expect(objects.objects("objects").count == result.objects)
            // Without match[spec_version], the one version in STIX 2.0 is not listed.
            let latestSpecOnly = try await w.taxii("/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/?match[version]=all", as: nil, basic: user)
            #expect(latestSpecOnly.objects("objects").count == result.objects - 1)
            // An object with versions in STIX 2.0 and 2.1 is shown in its latest spec version unless
            // match[spec_version] asks otherwise (TAXII 2.1 §3.4.2; medallion does the same).
            let malware = "/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec/"
            let latestSpec = try await w.taxii(malware, as: nil, basic: user).objects("objects")
            #expect(latestSpec.map { $0["spec_version"] as? String } == ["2.1"])
            #expect(latestSpec.first?["modified"] as? String == "2017-01-27T13:49:53.997Z")
            let older = try await w.taxii(malware + "?match[spec_version]=2.0", as: nil, basic: user).objects("objects")
            #expect(older.count == 1 && older.first?["spec_version"] == nil && older.first?["modified"] as? String == "2018-02-23T18:30:00.000Z")
            let either = try await w.taxii(malware + "?match[spec_version]=2.0,2.1", as: nil, basic: user).objects("objects")
            #expect(either.map { $0["modified"] as? String } == ["2018-02-23T18:30:00.000Z"], "last of the versions in the spec versions asked for")
            // Status resources come over: the organisation's members read them, others do not learn they exist.
            #expect(result.statuses == 2)
            let status = try await w.taxii("/trustgroup1/status/2d086da7-4bdc-4f91-900e-d77486753710/", as: nil, basic: user)
            #expect(status.code == 200)
            #expect(status.string("status") == "pending")
            #expect(status.int("total_count") == 4 && status.int("success_count") == 1 && status.int("failure_count") == 1 && status.int("pending_count") == 2)
            #expect(status.objects("successes").first?["id"] as? String == "indicator--cd981c25-8042-4166-8945-51178443bdac")
            #expect(try await w.taxii("/trustgroup1/status/2d086da7-4bdc-4f91-900e-d77486753710/", as: "usa-analyst").code == 404)
            #expect(try await w.taxii("/api1/status/2d086da7-4bdc-4f91-900e-d77486753710/", as: nil, basic: user).code == 404)
            // Discovery names medallion's default root, so clients configured with it land where they did.
            #expect(result.defaultApiRoot == "trustgroup1")
            #expect(try await w.taxii("/taxii2/", as: nil, basic: user).string("default")?.hasSuffix("/trustgroup1/") == true)
        }
    }

    @Test(arguments: TestBackend.allCases) func theDefaultAPIRootIsTheOperatorsChoice(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let result = try await w.service.taxii.importMedallion(config: Array(medallionConfig.utf8), data: Array(medallionData.utf8), organization: "GBR",
                                                             clearance: "UNCLASSIFIED", unmappedMarking: nil, keepDefault: true, by: .nodeAdmin)
            #expect(result.defaultApiRoot == nil)
            let admin = ("admin", "Password0")
            #expect(try await w.taxii("/taxii2/", as: nil, basic: admin).string("default")?.hasSuffix("/tearline/") == true)
            await #expect(throws: ServiceError.self) { _ = try await w.service.taxii.setDefaultApiRoot("trustgroup1", by: try #require(try await w.service.members.authenticate(token: w.token("gbr-analyst-secret")))) }
            await #expect(throws: ServiceError.self) { _ = try await w.service.taxii.setDefaultApiRoot("nowhere", by: .nodeAdmin) }
            _ = try await w.service.taxii.setDefaultApiRoot("trustgroup1", by: .nodeAdmin)
            let discovery = try await w.taxii("/taxii2/", as: nil, basic: admin)
            #expect(discovery.string("default")?.hasSuffix("/trustgroup1/") == true)
            #expect(discovery.strings("api_roots")?.contains { $0.hasSuffix("/tearline/") } == true)
            // A member with nothing in that root is not told it exists: Tearline's root is its default.
            let outsider = try await w.taxii("/taxii2/", as: "usa-analyst")
            #expect(outsider.string("default")?.hasSuffix("/tearline/") == true)
            #expect(!outsider.text.contains("trustgroup1"))
            _ = try await w.service.taxii.setDefaultApiRoot("tearline", by: .nodeAdmin)
            #expect(try await w.taxii("/taxii2/", as: nil, basic: admin).string("default")?.hasSuffix("/tearline/") == true)
        }
    }

    /// Filters on one object narrow what is shown; a readable object that they exclude is an empty
    /// answer, and an object the caller may not read is still not found.
    @Test(arguments: TestBackend.allCases) func filtersOnOneObjectFilter(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            _ = try await importMedallion(w)
            let admin = ("admin", "Password0")
            let object = "/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/indicator--6770298f-0fd8-471a-ab8c-1c658a46574e/"
            let later = try await w.taxii(object + "versions/?added_after=2017-01-01T00:00:00Z", as: nil, basic: admin)
            #expect(later.code == 200)
            #expect(later.strings("versions") == ["2017-01-27T13:49:53.935Z"])
            let all = try await w.taxii(object + "?added_after=2016-01-01T00:00:00Z&match[version]=all", as: nil, basic: admin)
            #expect(all.objects("objects").count == 2)
            let none = try await w.taxii(object + "?added_after=2100-01-01T00:00:00Z", as: nil, basic: admin)
            #expect(none.code == 200)
            #expect(none.objects("objects").isEmpty)
            #expect(none.object["more"] as? Bool == false)
            let noVersions = try await w.taxii(object + "versions/?added_after=2100-01-01T00:00:00Z", as: nil, basic: admin)
            #expect(noVersions.code == 200 && noVersions.strings("versions") == [])
            #expect(try await w.taxii(object + "?match[spec_version]=2.1", as: nil, basic: admin).objects("objects").count == 1)
            let otherSpec = try await w.taxii(object + "?match[spec_version]=2.0", as: nil, basic: admin)
            #expect(otherSpec.code == 200 && otherSpec.objects("objects").isEmpty)
            #expect(try await w.taxii(object + "versions/?match[spec_version]=2.0", as: nil, basic: admin).strings("versions") == [])
            let both = try await w.taxii(object + "?match[version]=first,last", as: nil, basic: admin)
            #expect(both.objects("objects").compactMap { $0["modified"] as? String } == ["2016-11-03T12:30:59.000Z", "2017-01-27T13:49:53.935Z"])
            // Not found stays not found, with or without filters.
            let unknown = "/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/indicator--00000000-0fd8-471a-ab8c-1c658a46574e/"
            #expect(try await w.taxii(unknown + "?added_after=2000-01-01T00:00:00Z", as: nil, basic: admin).code == 404)
            #expect(try await w.taxii(unknown + "versions/", as: nil, basic: admin).code == 404)
            #expect(try await w.taxii(object + "?added_after=2100-01-01T00:00:00Z", as: "usa-analyst").code == 404)
            // Deleting with a filter that matches no version deletes nothing.
            #expect(try await w.taxii(.delete, object + "?match[spec_version]=2.0", as: nil, basic: admin).code == 404)
            #expect(try await w.taxii(object + "?match[version]=all", as: nil, basic: admin).objects("objects").count == 2)
        }
    }
}
