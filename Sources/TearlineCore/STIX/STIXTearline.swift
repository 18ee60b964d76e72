/// Tearline's published STIX objects: the identity that creates its marking definitions, and the
/// property extension (`docs/stix/tearline-marking-extension.schema.json`) that carries
/// security markings on marking definitions and report metadata on reports and entities.
///
/// All of them have fixed ids and a fixed creation time, so they are byte-identical wherever
/// they are emitted.
public enum STIXTearline {
    /// When the published objects were first defined; never changes.
    public static let created = STIXTimestamp(milliseconds: 1_767_225_600_000)  // 2026-01-01T00:00:00.000Z

    public static let identityID = STIXIdentifier.make(type: "identity", name: "tearline:identity")
    public static let extensionID = STIXIdentifier.make(type: "extension-definition", name: "tearline:extension:marking-v1")
    public static let schemaURL = "https://tearline.example/stix/extension/marking-v1.json"

    /// The Tearline system identity, creator of the extension and of every Tearline marking definition.
    public static let identity: JSONObject = [
        "type": "identity",
        "spec_version": "2.1",
        "id": .string(identityID),
        "created": .string(created.stix),
        "modified": .string(created.stix),
        "name": "Tearline",
        "description": "Tearline intelligence-sharing system; creator of Tearline security marking definitions.",
        "identity_class": "system",
    ]

    /// The extension definition. One property extension serves marking definitions (the
    /// marking), reports (grade, topics, portions) and entity objects (the Tearline entity kind):
    /// its schema says which properties go on which object type.
    public static let extensionDefinition: JSONObject = [
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": .string(extensionID),
        "created_by_ref": .string(identityID),
        "created": .string(created.stix),
        "modified": .string(created.stix),
        "name": "Tearline security marking",
        "description": "Security markings (classification, compartments, NOFORN, ORCON, REL TO, TLP) on marking definitions, and portion-marked report content, Admiralty source grade and entity kinds on the objects they mark.",
        "schema": .string(schemaURL),
        "version": "1.0.0",
        "extension_types": ["property-extension"],
    ]

    /// A property-extension body under ``extensionID``.
    static func extensionBody(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject([(extensionID, .object(JSONObject([("extension_type", "property-extension")] + pairs)))]))
    }
}
