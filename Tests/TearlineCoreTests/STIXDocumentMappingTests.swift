import Foundation
import Testing
import TearlineCore

/// Example documents shared by the mapping tests and the example-bundle writer.
enum STIXExamples {
    static let created = STIXTimestamp(parsing: "2026-11-27T01:10:35.123Z")!
    static let modified = STIXTimestamp(parsing: "2026-11-28T09:00:00.5Z")!

    static let portions = [
        Fixture.portion(0, "(S//REL TO USA, GBR)", text: "A tanker loaded at the port."),
        Fixture.portion(1, "(TS//HCS//OC/NF)", sourcesAndMethods: true, text: "Reported by a \"sensitive\" source.\nSecond line."),
        Fixture.portion(2, "(U//TLP:AMBER)", text: "Indicators shared with industry."),
        Fixture.portion(3, "(C//REL TO USA, DEU, GBR)", text: "Payment routed via a front company."),
    ]

    static let entities: [(kind: EntityKind, value: String, portion: Int)] = [
        (.vessel, "MV Example Star", 0),
        (.location, "IR", 0),
        (.location, "26.5, 56.25", 0),
        (.location, "Western Asia", 0),
        (.location, "Bandar Abbas", 0),
        (.person, "Jane Roe", 1),
        (.phone, "+982112345678", 1),
        (.ipv4, "198.51.100.7", 2),
        (.ipv4, "198.51.100.7", 3),
        (.ipv6, "2001:db8::1", 2),
        (.domain, "example.com", 2),
        (.url, "https://example.com/payload", 2),
        (.email, "ops@example.com", 2),
        (.fileHash, "d41d8cd98f00b204e9800998ecf8427e", 2),
        (.fileHash, "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709", 2),
        (.fileHash, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", 2),
        (.fileHash, String(repeating: "cf83e1357eefb8bd", count: 8), 2),
        (.account, "jdoe", 2),
        (.organization, "Example Front Ltd", 3),
        (.other("crypto-wallet"), "bc1qexample", 3),
        (.person, "Hidden Person", 7),
    ]

    static func report(grade: String = "B2") -> STIXDocumentInput {
        STIXDocumentInput(
            id: "R-1", kind: .report, reportId: "R-1", originator: (id: "USA", name: "United States"),
            title: "Tanker activity", titleMarking: Fixture.marking("(U)"),
            banner: Banner.rollUp(portions.map(\.marking))!, portions: portions, entities: entities,
            sourceGrade: try! SourceGrade(code: grade), topics: ["maritime", "proliferation"],
            created: created, modified: modified)
    }

    static func release() -> STIXDocumentInput {
        let readable = [portions[0], portions[3]]
        return STIXDocumentInput(
            id: "REL-9", kind: .release, reportId: "R-1", originator: (id: "USA", name: "United States"), recipient: "GBR",
            title: nil, banner: Banner.rollUp(readable.map(\.marking))!, portions: readable,
            entities: entities, sourceGrade: try! SourceGrade(code: "C3"), topics: [], created: created, modified: created)
    }

    static func bare() -> STIXDocumentInput {
        STIXDocumentInput(
            id: "R-2", kind: .report, reportId: "R-2", originator: (id: "GBR", name: "United Kingdom"),
            title: "Nothing readable", banner: Fixture.marking("TLP:GREEN"), portions: [], entities: [],
            sourceGrade: try! SourceGrade(code: "F6"), topics: [], created: created, modified: created)
    }

    /// Every example: the report, a release, a bare document and one per credibility.
    static func all() -> [(String, STIXDocumentInput)] {
        [("report", report()), ("release", release()), ("bare", bare())]
            + (1...6).map { ("grade-A\($0)", report(grade: "A\($0)")) }
    }
}

@Suite("STIX document mapping")
struct STIXDocumentMappingTests {
    func find(_ objects: [JSONObject], _ id: String) -> JSONObject? {
        objects.first { $0["id"]?.stringValue == id }
    }

    @Test func mappingIsDeterministic() throws {
        for (_, input) in STIXExamples.all() {
            let a = STIXDocumentMapping.objects(for: input).bundle().serialized()
            let b = STIXDocumentMapping.objects(for: input).bundle().serialized()
            #expect(a == b)
            #expect(try JSONValue.parse(a).serialized() == a)
        }
    }

    @Test func reportCarriesIdsNamesAndTimes() {
        let objects = STIXDocumentMapping.objects(for: STIXExamples.report())
        let report = objects.report
        #expect(report["type"] == "report")
        #expect(report["spec_version"] == "2.1")
        #expect(report["id"]?.stringValue == STIXIdentifier.make(type: "report", name: "report:R-1"))
        #expect(report["created"] == "2026-11-27T01:10:35.123Z")
        #expect(report["modified"] == "2026-11-28T09:00:00.500Z")
        #expect(report["published"] == report["created"])
        #expect(report["name"] == "Tanker activity")
        #expect(report["created_by_ref"]?.stringValue == STIXDocumentMapping.organizationID("USA"))
        let originator = find(objects.related, STIXDocumentMapping.organizationID("USA"))
        #expect(originator?["identity_class"] == "organization")
        #expect(originator?["name"] == "United States")
        #expect(report.keys.prefix(3) == ["type", "spec_version", "id"])
    }

    @Test func releasesGetTheirOwnIdsAndWithheldTitles() {
        let report = STIXDocumentMapping.objects(for: STIXExamples.release()).report
        #expect(report["id"]?.stringValue == STIXIdentifier.make(type: "report", name: "release:REL-9"))
        #expect(report["name"]?.stringValue == STIXDocumentMapping.withheldTitle)
        let ext = report.extensionsBody
        #expect(ext?["kind"] == "release")
        #expect(ext?["report_id"] == "R-1")
        #expect(ext?["recipient"] == "GBR")
        #expect(ext?["title_withheld"] == true)
        #expect(report["granular_markings"]?.arrayValue?.contains { $0.objectValue?["selectors"] == ["name"] } == false)
    }

    @Test func descriptionCarriesPortionMarks() {
        let report = STIXDocumentMapping.objects(for: STIXExamples.report()).report
        let description = report["description"]?.stringValue ?? ""
        #expect(description.hasPrefix("(S//REL TO USA, GBR) A tanker loaded at the port.\n\n(TS//HCS//OC/NF) Reported by"))
        #expect(description.contains("\n\n(U//TLP:AMBER) Indicators shared with industry.\n\n(C//REL TO USA, DEU, GBR) Payment"))
        #expect(STIXDocumentMapping.objects(for: STIXExamples.bare()).report["description"] == nil)
    }

    @Test func markingsReferToEmittedDefinitions() throws {
        let input = STIXExamples.report()
        let objects = STIXDocumentMapping.objects(for: input)
        let report = objects.report
        #expect(report["object_marking_refs"] == .array(STIXMarkings.markingRefs(for: input.banner).map(JSONValue.string)))
        let definitions = STIXMarkings.definitions(in: objects.related)
        var refs: [String] = []
        for object in objects.all {
            refs += object["object_marking_refs"]?.arrayValue?.compactMap(\.stringValue) ?? []
            refs += object["granular_markings"]?.arrayValue?.compactMap { $0.objectValue?["marking_ref"]?.stringValue } ?? []
        }
        #expect(!refs.isEmpty)
        for ref in refs { #expect(definitions[ref] != nil, "\(ref) not emitted") }
        // Each emitted marking definition reads back as the marking it was made from.
        for (id, definition) in definitions where STIXTLP.level(ofMarkingID: id) == nil {
            let read = try STIXMarkings.marking(of: ["object_marking_refs": [.string(id)]], envelopeDefinitions: definitions, default: nil)
            #expect(definition["name"]?.stringValue == read.banner)
        }
        #expect(find(objects.related, STIXTLP.extensionID) != nil)
        #expect(find(objects.related, STIXTearline.extensionID) == STIXTearline.extensionDefinition)
        #expect(find(objects.related, STIXTearline.identityID) == STIXTearline.identity)
    }

    @Test func granularSelectorsPointAtPortions() throws {
        let input = STIXExamples.report()
        let report = STIXDocumentMapping.objects(for: input).report
        let portions = try #require(report.extensionsBody?["portions"]?.arrayValue)
        #expect(portions.count == input.portions.count)
        let granular = try #require(report["granular_markings"]?.arrayValue)
        let prefix = "extensions." + STIXTearline.extensionID + ".portions.["
        var marked = Set<Int>()
        for item in granular {
            let marking = try #require(item.objectValue)
            let ref = try #require(marking["marking_ref"]?.stringValue)
            for selector in marking["selectors"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                if selector == "name" {
                    #expect(ref == STIXMarkings.definitionID(for: Fixture.marking("(U)")))
                    continue
                }
                #expect(selector.hasPrefix(prefix) && selector.hasSuffix("]"))
                let position = try #require(Int(selector.dropFirst(prefix.count).dropLast()))
                #expect(portions.indices.contains(position))
                let portion = input.portions[position]
                #expect(STIXMarkings.markingRefs(for: portion.marking).contains(ref))
                #expect(portions[position].objectValue?["marking"]?.stringValue == portion.marking.portionMark)
                marked.insert(position)
            }
        }
        #expect(marked == Set(portions.indices))
        let first = portions[1].objectValue
        #expect(first?["index"] == 1)
        #expect(first?["sources_and_methods"] == true)
        #expect(first?["text"] == "Reported by a \"sensitive\" source.\nSecond line.")
    }

    @Test func reportExtensionCarriesTheGrade() {
        let ext = STIXDocumentMapping.objects(for: STIXExamples.report()).report.extensionsBody
        #expect(ext?["extension_type"] == "property-extension")
        #expect(ext?["kind"] == "report")
        #expect(ext?["source_grade"] == "B2")
        #expect(ext?["source_reliability"] == "B")
        #expect(ext?["information_credibility"] == 2)
        #expect(ext?["topics"] == ["maritime", "proliferation"])
        #expect(ext?["recipient"] == nil)
        #expect(ext?["report_id"] == nil)
    }

    @Test(arguments: [(1, 90), (2, 70), (3, 50), (4, 30), (5, 10)])
    func confidenceFollowsTheAdmiraltyScale(credibility: Int, confidence: Int) {
        #expect(STIXDocumentMapping.confidence(forCredibility: credibility) == confidence)
        let report = STIXDocumentMapping.objects(for: STIXExamples.report(grade: "A\(credibility)")).report
        #expect(report["confidence"]?.intValue == confidence)
    }

    @Test func credibilitySixOmitsConfidence() {
        #expect(STIXDocumentMapping.confidence(forCredibility: 6) == nil)
        #expect(STIXDocumentMapping.objects(for: STIXExamples.report(grade: "C6")).report["confidence"] == nil)
    }

    @Test func objectRefsAreNeverEmpty() {
        let bare = STIXDocumentMapping.objects(for: STIXExamples.bare())
        #expect(bare.report["object_refs"] == [.string(STIXDocumentMapping.organizationID("GBR"))])
        let full = STIXDocumentMapping.objects(for: STIXExamples.report())
        let refs = full.report["object_refs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(!refs.isEmpty)
        #expect(Set(refs).count == refs.count)
        for ref in refs { #expect(find(full.related, ref) != nil) }
    }

    @Test func entitiesMapToTheirStixTypes() throws {
        let objects = STIXDocumentMapping.objects(for: STIXExamples.report())
        let refs = objects.report["object_refs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let entities = refs.compactMap { find(objects.related, $0) }
        func of(_ type: String) -> [JSONObject] { entities.filter { $0["type"]?.stringValue == type } }
        #expect(of("ipv4-addr").count == 1)  // mentioned twice, emitted once
        #expect(of("ipv4-addr").first?["id"]?.stringValue == STIXIdentifier.observable(type: "ipv4-addr", contributing: ["value": "198.51.100.7"]))
        #expect(of("ipv6-addr").count == 1 && of("domain-name").count == 1 && of("url").count == 1 && of("email-addr").count == 1)
        #expect(of("user-account").first?["account_login"] == "jdoe")
        let hashes = of("file").compactMap { $0["hashes"]?.objectValue?.keys.first }
        #expect(hashes == ["MD5", "SHA-1", "SHA-256", "SHA-512"])
        #expect(of("file")[2]["hashes"] == ["SHA-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"])
        #expect(of("file")[1]["hashes"] == ["SHA-1": "da39a3ee5e6b4b0d3255bfef95601890afd80709"])

        let identities = of("identity")
        func identity(_ name: String) -> JSONObject? { identities.first { $0["name"]?.stringValue == name } }
        #expect(identity("Jane Roe")?["identity_class"] == "individual")
        #expect(identity("Example Front Ltd")?["identity_class"] == "organization")
        #expect(identity("MV Example Star")?["identity_class"] == "system")
        #expect(identity("MV Example Star")?.extensionsBody?["entity_kind"] == "vessel")
        #expect(identity("+982112345678")?["contact_information"] == "tel:+982112345678")
        #expect(identity("+982112345678")?.extensionsBody?["entity_kind"] == "phone")
        #expect(identity("bc1qexample")?["identity_class"] == "unknown")
        #expect(identity("bc1qexample")?.extensionsBody?["entity_kind"] == "crypto-wallet")
        #expect(identity("Hidden Person") == nil)  // its portion is not readable

        let locations = of("location")
        #expect(locations.count == 3)
        #expect(locations[0]["country"] == "IR")
        #expect(locations[1]["latitude"] == .number("26.5") && locations[1]["longitude"] == .number("56.25"))
        #expect(locations[2]["region"] == "western-asia")
        let unmapped = objects.report.extensionsBody?["unmapped_entities"]
        #expect(unmapped == [["kind": "location", "value": "Bandar Abbas", "portion": 0]])

        for object in entities {
            #expect(object["spec_version"] == "2.1")
            if ["identity", "location"].contains(object["type"]?.stringValue) {
                #expect(object["created"] != nil && object["modified"] != nil)
                #expect(object["created_by_ref"]?.stringValue == STIXDocumentMapping.organizationID("USA"))
            }
        }
    }

    @Test func entitiesCarryTheirPortionsMarking() throws {
        let input = STIXExamples.report()
        let objects = STIXDocumentMapping.objects(for: input)
        func refs(_ type: String, _ key: String, _ value: String) -> [String]? {
            objects.related.first { $0["type"]?.stringValue == type && $0[key]?.stringValue == value }?["object_marking_refs"]?
                .arrayValue?.compactMap(\.stringValue)
        }
        #expect(refs("identity", "name", "Jane Roe") == STIXMarkings.markingRefs(for: Fixture.marking("(TS//HCS//OC/NF)")))
        #expect(refs("domain-name", "value", "example.com") == STIXMarkings.markingRefs(for: Fixture.marking("(U//TLP:AMBER)")))
        // Named in portions 2 and 3: marked with their roll-up.
        let both = Banner.rollUp([Fixture.marking("(U//TLP:AMBER)"), Fixture.marking("(C//REL TO USA, DEU, GBR)")])!
        #expect(refs("ipv4-addr", "value", "198.51.100.7") == STIXMarkings.markingRefs(for: both))
    }

    @Test func releaseOmitsEntitiesOfWithheldPortions() {
        let objects = STIXDocumentMapping.objects(for: STIXExamples.release())
        let names = objects.related.compactMap { $0["name"]?.stringValue }
        #expect(!names.contains("Jane Roe"))
        #expect(!objects.related.contains { $0["type"] == "ipv6-addr" })
        #expect(objects.related.contains { $0["type"] == "ipv4-addr" })
        // The same entity in the report and in the release is two domain objects.
        let reportObjects = STIXDocumentMapping.objects(for: STIXExamples.report())
        let vesselInReport = reportObjects.related.first { $0["name"] == "MV Example Star" }?["id"]
        let vesselInRelease = objects.related.first { $0["name"] == "MV Example Star" }?["id"]
        #expect(vesselInReport != nil && vesselInRelease != nil && vesselInReport != vesselInRelease)
    }

    @Test func relatedObjectsAreUnique() {
        for (_, input) in STIXExamples.all() {
            let ids = STIXDocumentMapping.objects(for: input).all.compactMap { $0["id"]?.stringValue }
            #expect(Set(ids).count == ids.count)
        }
    }

    @Test func publishedSchemaNamesTheCurrentIds() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/stix/tearline-marking-extension.schema.json")
        let schema = try JSONValue.parse(Array(try Data(contentsOf: url)))
        let text = schema.serialized()
        #expect(text.contains(STIXTearline.extensionID))
        #expect(text.contains(STIXTearline.identityID))
        #expect(schema.objectValue?["$id"]?.stringValue == STIXTearline.schemaURL)
    }

    /// Writes every example as a bundle when `TEARLINE_STIX_EXAMPLES` names a directory, for
    /// checking with `stix2_validator --strict`.
    @Test func writeExampleBundles() throws {
        guard let directory = ProcessInfo.processInfo.environment["TEARLINE_STIX_EXAMPLES"], !directory.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, input) in STIXExamples.all() {
            let json = STIXDocumentMapping.objects(for: input).bundle().serialized()
            try Data(json.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent("\(name).json"))
        }
    }
}
