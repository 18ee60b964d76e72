/// The official TLP marking definitions: TLP 2.0 (defined by the OASIS extension
/// `extension-definition--60a3c5c5-…`, published in oasis-open/cti-stix-common-objects) and the
/// TLP 1.0 objects built into STIX 2.1 §7.2.1.4, which are accepted on input only.
public enum STIXTLP {
    /// The OASIS TLP 2.0 extension definition's id.
    public static let extensionID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

    /// The fixed id of the TLP 2.0 marking definition for `level`.
    public static func markingID(_ level: TLPLevel) -> String {
        switch level {
        case .clear: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
        case .green: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
        case .amber: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
        case .amberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        case .red: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        }
    }

    /// The TLP 1.0 ids, with their TLP 2.0 meaning (WHITE became CLEAR).
    public static let version1IDs: [(id: String, level: TLPLevel)] = [
        ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", .clear),
        ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", .green),
        ("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", .amber),
        ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", .red),
    ]

    /// The TLP level a TLP 1.0 or 2.0 marking-definition id stands for, or nil.
    public static func level(ofMarkingID id: String) -> TLPLevel? {
        if let level = TLPLevel.allCases.first(where: { markingID($0) == id }) { return level }
        return version1IDs.first(where: { $0.id == id })?.level
    }

    /// The official TLP 2.0 marking-definition object for `level`, exactly as published.
    public static func markingDefinition(_ level: TLPLevel) -> JSONObject {
        [
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": .string(markingID(level)),
            "created": "2022-10-01T00:00:00.000Z",
            "name": .string("TLP:" + level.label),
            "extensions": [
                extensionID: [
                    "extension_type": "property-extension",
                    "tlp_2_0": .string(level.label.lowercased()),
                ]
            ],
        ]
    }

    /// The official TLP 2.0 extension-definition object, exactly as published (its creator
    /// identity is OASIS's and is not reproduced).
    public static let extensionDefinition: JSONObject = [
        "id": .string(extensionID),
        "type": "extension-definition",
        "spec_version": "2.1",
        "name": "TLP 2.0",
        "description": "This defines TLP 2.0 as a STIX extension",
        "created": "2022-10-01T00:00:00.000Z",
        "modified": "2022-10-01T00:00:00.000Z",
        "created_by_ref": "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01",
        "schema": "https://github.com/oasis-open/cti-stix-common-objects/tree/master/extension-definition-specifications/tlp-2.0",
        "version": "1.0.0",
        "extension_types": ["property-extension"],
    ]
}
