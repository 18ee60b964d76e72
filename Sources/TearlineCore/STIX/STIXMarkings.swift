/// Tearline markings as STIX marking definitions.
///
/// A marking maps to a `marking-definition` defined only by the Tearline property extension
/// (STIX 2.1 §7.2.1 allows `definition_type`/`definition` to be omitted when an extension
/// defines the marking; `stix2_validator --strict` and `stix2.parse(allow_custom=False)` accept
/// it). Its id is derived from the banner, so the same marking always has the same definition
/// and a reader can check a definition against its id.
public enum STIXMarkings {
    /// The id of the definition of `marking`.
    public static func definitionID(for marking: Marking) -> String {
        STIXIdentifier.make(type: "marking-definition", name: "marking:" + marking.banner)
    }

    /// The marking definition of `marking`.
    ///
    /// The extension repeats the banner's parts as data for consumers that do not parse
    /// banners; the `banner` property is the authoritative one when reading back.
    public static func definition(for marking: Marking) -> JSONObject {
        var body: [(String, JSONValue)] = [
            ("banner", .string(marking.banner)),
            ("classification", .string(marking.classification.bannerName)),
        ]
        // why omitted when empty: the STIX schema refuses empty lists in extension properties.
        if !marking.compartments.isEmpty { body.append(("compartments", .array(marking.compartments.map(JSONValue.string)))) }
        if let relTo = marking.relTo, !relTo.isEmpty { body.append(("rel_to", .array(relTo.map(JSONValue.string)))) }
        body.append(("noforn", .bool(marking.noforn)))
        body.append(("orcon", .bool(marking.orcon)))
        if let tlp = marking.tlp { body.append(("tlp", .string(tlp.label))) }
        return JSONObject([
            ("type", "marking-definition"),
            ("spec_version", "2.1"),
            ("id", .string(definitionID(for: marking))),
            ("created_by_ref", .string(STIXTearline.identityID)),
            ("created", .string(STIXTearline.created.stix)),
            ("name", .string(marking.banner)),
            ("extensions", STIXTearline.extensionBody(body)),
        ])
    }

    /// The marking refs for an object marked `marking`: its Tearline definition, then the
    /// TLP 2.0 definition when it carries TLP (why: consumers that know only TLP still see it).
    public static func markingRefs(for marking: Marking) -> [String] {
        var refs = [definitionID(for: marking)]
        if let tlp = marking.tlp { refs.append(STIXTLP.markingID(tlp)) }
        return refs
    }
}
