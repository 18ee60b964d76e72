import PropertyBased
import Testing
import TearlineCore

@Suite("STIX markings")
struct STIXMarkingsTests {
    static let secretRel = Fixture.marking("SECRET//REL TO USA, GBR")

    func object(_ refs: [String], granular: [String] = []) -> JSONObject {
        var object: JSONObject = ["type": "indicator", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]
        if !refs.isEmpty { object["object_marking_refs"] = .array(refs.map(JSONValue.string)) }
        if !granular.isEmpty {
            object["granular_markings"] = .array(granular.map { .object(["marking_ref": .string($0), "selectors": ["name"]]) })
        }
        return object
    }

    func envelope(_ markings: [Marking]) -> [String: JSONObject] {
        STIXMarkings.definitions(in: markings.map(STIXMarkings.definition(for:)))
    }

    @Test func tlp2DefinitionsAreTheOfficialObjects() {
        #expect(STIXTLP.markingDefinition(.amberStrict).serialized()
            == #"{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003","created":"2022-10-01T00:00:00.000Z","name":"TLP:AMBER+STRICT","extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":{"extension_type":"property-extension","tlp_2_0":"amber+strict"}}}"#)
        #expect(STIXTLP.markingID(.clear) == "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487")
        #expect(STIXTLP.markingID(.green) == "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb")
        #expect(STIXTLP.markingID(.amber) == "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421")
        #expect(STIXTLP.markingID(.red) == "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1")
    }

    @Test func tearlineDefinitionCarriesTheMarking() {
        let marking = Fixture.marking("TOP SECRET//HCS/SI//ORCON/REL TO USA, GBR//TLP:AMBER")
        let definition = STIXMarkings.definition(for: marking)
        #expect(definition["id"]?.stringValue == STIXMarkings.definitionID(for: marking))
        #expect(definition["name"]?.stringValue == marking.banner)
        #expect(definition["created_by_ref"]?.stringValue == STIXTearline.identityID)
        #expect(definition["definition_type"] == nil)
        let body = definition["extensions"]?.objectValue?[STIXTearline.extensionID]?.objectValue
        #expect(body?["extension_type"] == "property-extension")
        #expect(body?["classification"] == "TOP SECRET")
        #expect(body?["compartments"] == ["HCS", "SI"])
        #expect(body?["rel_to"] == ["GBR", "USA"])
        #expect(body?["noforn"] == false)
        #expect(body?["orcon"] == true)
        #expect(body?["tlp"] == "AMBER")
        #expect(body?["banner"] == "TOP SECRET//HCS/SI//ORCON/REL TO USA, GBR//TLP:AMBER")
        let plain = STIXMarkings.definition(for: .unclassified).extensionsBody
        #expect(plain?["compartments"] == nil && plain?["rel_to"] == nil && plain?["tlp"] == nil)
        #expect(STIXMarkings.markingRefs(for: marking) == [STIXMarkings.definitionID(for: marking), STIXTLP.markingID(.amber)])
    }

    @Test func definitionsRoundTripThroughTheReverseMapping() async {
        await propertyCheck(count: 500, input: Generators.marking) { marking in
            let id = STIXMarkings.definitionID(for: marking)
            let read = try STIXMarkings.marking(of: object([id]), envelopeDefinitions: envelope([marking]), default: nil)
            #expect(read == marking, "\(marking.banner)")
            // Carrying the TLP 2.0 ref as well, as Tearline's own objects do, changes nothing.
            let both = try STIXMarkings.marking(
                of: object(STIXMarkings.markingRefs(for: marking)), envelopeDefinitions: envelope([marking]), default: nil)
            #expect(both == marking)
        }
    }

    @Test(arguments: [
        ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", TLPLevel.clear),
        ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", .green),
        ("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", .amber),
        ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", .red),
        ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", .clear),
        ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", .green),
        ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", .amber),
        ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", .amberStrict),
        ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", .red),
    ])
    func tlpIDsNeedNoDefinition(ref: String, level: TLPLevel) throws {
        let marking = try STIXMarkings.marking(of: object([ref]), envelopeDefinitions: [:], default: nil)
        #expect(marking == Marking(classification: .unclassified, tlp: level))
    }

    @Test func severalRefsCombineToTheMostRestrictive() throws {
        let green = STIXTLP.markingID(.green)
        let red1 = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
        #expect(try STIXMarkings.marking(of: object([green, red1]), envelopeDefinitions: [:], default: nil).tlp == .red)

        let confidential = Fixture.marking("CONFIDENTIAL//REL TO USA, GBR, DEU")
        let marking = try STIXMarkings.marking(
            of: object([STIXMarkings.definitionID(for: confidential), STIXTLP.markingID(.amber)],
                       granular: [STIXMarkings.definitionID(for: Self.secretRel)]),
            envelopeDefinitions: envelope([confidential, Self.secretRel]), default: nil)
        #expect(marking == Fixture.marking("SECRET//REL TO USA, GBR//TLP:AMBER"))
    }

    @Test func granularMarkingsAloneMarkTheObject() throws {
        let marking = try STIXMarkings.marking(
            of: object([], granular: [STIXMarkings.definitionID(for: Self.secretRel)]),
            envelopeDefinitions: envelope([Self.secretRel]), default: nil)
        #expect(marking == Self.secretRel)
        var langOnly = object([STIXTLP.markingID(.green)])
        langOnly["granular_markings"] = [["lang": "en", "selectors": ["name"]]]
        #expect(try STIXMarkings.marking(of: langOnly, envelopeDefinitions: [:], default: nil).tlp == .green)
    }

    @Test func unknownRefsAreRefusedByName() {
        let unknown = "marking-definition--11111111-2222-4333-8444-555555555555"
        let error = #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: object([unknown]), envelopeDefinitions: [:], default: .unclassified)
        }
        #expect(error?.ref == unknown)
        #expect(error?.description.contains(unknown) == true)
        // A Tearline id whose definition is not supplied cannot be read either.
        let tearline = STIXMarkings.definitionID(for: Self.secretRel)
        #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: object([tearline]), envelopeDefinitions: [:], default: .unclassified)
        }
        #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: object(["identity--11111111-2222-4333-8444-555555555555"]), envelopeDefinitions: [:], default: nil)
        }
    }

    @Test func statementsAreAllowedOnlyFromTheEnvelope() throws {
        let ref = "marking-definition--a1b2c3d4-0000-4000-8000-000000000001"
        let statement: JSONObject = [
            "type": "marking-definition", "spec_version": "2.1", "id": .string(ref), "created": "2024-01-01T00:00:00.000Z",
            "definition_type": "statement", "definition": ["statement": "Copyright 2024, Example Corp"],
        ]
        let green = STIXTLP.markingID(.green)
        let marking = try STIXMarkings.marking(of: object([ref, green]), envelopeDefinitions: [ref: statement], default: nil)
        #expect(marking == Marking(classification: .unclassified, tlp: .green))
        // A statement alone restricts nothing, so the default applies; without one, refused.
        #expect(try STIXMarkings.marking(of: object([ref]), envelopeDefinitions: [ref: statement], default: Self.secretRel) == Self.secretRel)
        #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: object([ref]), envelopeDefinitions: [ref: statement], default: nil)
        }
        #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: object([ref]), envelopeDefinitions: [:], default: .unclassified)
        }
    }

    @Test func noRefsUseTheDefault() throws {
        #expect(try STIXMarkings.marking(of: object([]), envelopeDefinitions: [:], default: Self.secretRel) == Self.secretRel)
        let error = #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: object([]), envelopeDefinitions: [:], default: nil)
        }
        #expect(error?.ref == nil)
    }

    @Test func editedBannersAreRefused() {
        // The definition of SECRET//REL TO USA, GBR with its banner widened to add DEU.
        var definition = STIXMarkings.definition(for: Self.secretRel)
        let id = definition["id"]!.stringValue!
        var extensions = definition["extensions"]!.objectValue!
        var body = extensions[STIXTearline.extensionID]!.objectValue!
        body["banner"] = "SECRET//REL TO USA, DEU, GBR"
        extensions[STIXTearline.extensionID] = .object(body)
        definition["extensions"] = .object(extensions)
        let error = #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: self.object([id]), envelopeDefinitions: [id: definition], default: nil)
        }
        #expect(error?.problem.contains("does not match") == true)

        body["banner"] = "SECRET//REL TO"
        extensions[STIXTearline.extensionID] = .object(body)
        definition["extensions"] = .object(extensions)
        #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: self.object([id]), envelopeDefinitions: [id: definition], default: nil)
        }
    }

    @Test func unofficialTLPDefinitionsAreRefused() {
        let ref = "marking-definition--a1b2c3d4-0000-4000-8000-000000000002"
        let fake: JSONObject = [
            "type": "marking-definition", "id": .string(ref), "definition_type": "tlp", "definition": ["tlp": "white"],
        ]
        #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: object([ref]), envelopeDefinitions: [ref: fake], default: nil)
        }
        let mislabelled: JSONObject = ["type": "marking-definition", "id": "marking-definition--other", "definition_type": "statement"]
        #expect(throws: STIXMarkingError.self) {
            try STIXMarkings.marking(of: object([ref]), envelopeDefinitions: [ref: mislabelled], default: nil)
        }
    }

    @Test func malformedRefListsAreRefused() {
        var object = object([])
        object["object_marking_refs"] = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
        #expect(throws: STIXMarkingError.self) { try STIXMarkings.marking(of: object, envelopeDefinitions: [:], default: nil) }
        object["object_marking_refs"] = [1]
        #expect(throws: STIXMarkingError.self) { try STIXMarkings.marking(of: object, envelopeDefinitions: [:], default: nil) }
        object["object_marking_refs"] = nil
        object["granular_markings"] = [["marking_ref": 3, "selectors": ["name"]]]
        #expect(throws: STIXMarkingError.self) { try STIXMarkings.marking(of: object, envelopeDefinitions: [:], default: nil) }
    }
}

extension JSONObject {
    /// The Tearline extension body of a STIX object.
    var extensionsBody: JSONObject? { self["extensions"]?.objectValue?[STIXTearline.extensionID]?.objectValue }
}
