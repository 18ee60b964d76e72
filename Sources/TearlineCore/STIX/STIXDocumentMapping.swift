/// Maps a Tearline report or release to STIX 2.1: one `report` object and the objects it
/// refers to. Pure and deterministic: the same input gives byte-identical objects.
public enum STIXDocumentMapping {
    /// The STIX `confidence` of an Admiralty information credibility, per the STIX 2.1
    /// "Admiralty Credibility" confidence scale: 1→90, 2→70, 3→50, 4→30, 5→10, and 6 (truth
    /// cannot be judged) → nil, meaning the property is omitted.
    public static func confidence(forCredibility credibility: Int) -> Int? {
        switch credibility {
        case 1: 90
        case 2: 70
        case 3: 50
        case 4: 30
        case 5: 10
        default: nil
        }
    }

    /// The name used when the reader may not read the title.
    public static let withheldTitle = "[title withheld]"

    /// The STIX id of a document's `report` object.
    public static func reportID(kind: STIXDocumentInput.Kind, id: String) -> String {
        STIXIdentifier.make(type: "report", name: kind.rawValue + ":" + id)
    }

    /// The id of an organisation's identity.
    public static func organizationID(_ id: String) -> String {
        STIXIdentifier.make(type: "identity", name: "org:" + id)
    }

    /// The granular-marking selector of the portion at `position` in the report's portion list.
    public static func portionSelector(_ position: Int) -> String {
        "extensions." + STIXTearline.extensionID + ".portions.[\(position)]"
    }

    public static func objects(for input: STIXDocumentInput) -> STIXDocumentObjects {
        let scope = input.kind.rawValue + ":" + input.id
        let originatorID = organizationID(input.originator.id)

        // Marking definitions in order of first use; each emitted once.
        var markings: [Marking] = []
        var markingIDs = Set<String>()
        var usesTLP = Set<TLPLevel>()
        func use(_ marking: Marking) -> [String] {
            let refs = STIXMarkings.markingRefs(for: marking)
            if markingIDs.insert(refs[0]).inserted { markings.append(marking) }
            if let tlp = marking.tlp { usesTLP.insert(tlp) }
            return refs
        }

        let reportMarkingRefs = use(input.banner)
        var granular: [JSONValue] = []
        if input.title != nil, let titleMarking = input.titleMarking {
            for ref in use(titleMarking) { granular.append(granularMarking(ref, ["name"])) }
        }
        var portionsJSON: [JSONValue] = []
        var descriptionParts: [String] = []
        var markingByIndex: [Int: Marking] = [:]
        for (position, portion) in input.portions.enumerated() {
            markingByIndex[portion.index] = portion.marking
            for ref in use(portion.marking) { granular.append(granularMarking(ref, [portionSelector(position)])) }
            let mark = portion.marking.portionMark
            portionsJSON.append(.object(JSONObject([
                ("index", .int(portion.index)),
                ("marking", .string(mark)),
                ("sources_and_methods", .bool(portion.sourcesAndMethods)),
                ("text", .string(portion.text)),
            ])))
            descriptionParts.append(mark + " " + portion.text)
        }
        if input.title != nil, let titleMarking = input.titleMarking { markingByIndex[Report.titleIndex] = titleMarking }

        // Entities: merged by STIX id, each marked with the roll-up of the portions naming it.
        var entityOrder: [String] = []
        var entityMentions: [String: (kind: EntityKind, value: String, markings: [Marking])] = [:]
        var unmapped: [JSONValue] = []
        for entity in input.entities {
            // why: an entity of a portion the reader may not see would disclose that portion.
            guard let marking = markingByIndex[entity.portion] else { continue }
            let probe = STIXEntityMapping.Context(scope: scope, createdBy: originatorID, created: input.created, modified: input.modified, markingRefs: [])
            guard let object = STIXEntityMapping.object(kind: entity.kind, value: entity.value, context: probe),
                let id = object["id"]?.stringValue
            else {
                unmapped.append(.object(JSONObject([
                    ("kind", .string(entity.kind.rawValue)), ("value", .string(entity.value)), ("portion", .int(entity.portion)),
                ])))
                continue
            }
            if entityMentions[id] == nil {
                entityOrder.append(id)
                entityMentions[id] = (entity.kind, entity.value, [marking])
            } else {
                entityMentions[id]!.markings.append(marking)
            }
        }
        var entityObjects: [JSONObject] = []
        for id in entityOrder {
            let mention = entityMentions[id]!
            let marking = Banner.rollUp(mention.markings) ?? input.banner
            let context = STIXEntityMapping.Context(
                scope: scope, createdBy: originatorID, created: input.created, modified: input.modified, markingRefs: use(marking))
            if let object = STIXEntityMapping.object(kind: mention.kind, value: mention.value, context: context) {
                entityObjects.append(object)
            }
        }

        var report: [(String, JSONValue)] = [
            ("type", "report"),
            ("spec_version", "2.1"),
            ("id", .string(reportID(kind: input.kind, id: input.id))),
            ("created_by_ref", .string(originatorID)),
            ("created", .string(input.created.stix)),
            ("modified", .string(input.modified.stix)),
            ("name", .string(input.title ?? withheldTitle)),
        ]
        if !descriptionParts.isEmpty { report.append(("description", .string(descriptionParts.joined(separator: "\n\n")))) }
        report.append(("published", .string(input.created.stix)))
        // why the fallback: object_refs must not be empty, and the originator is always known.
        let refs = entityObjects.isEmpty ? [originatorID] : entityOrder
        report.append(("object_refs", .array(refs.map(JSONValue.string))))
        if let confidence = confidence(forCredibility: input.sourceGrade.credibility) { report.append(("confidence", .int(confidence))) }
        report.append(("object_marking_refs", .array(reportMarkingRefs.map(JSONValue.string))))
        if !granular.isEmpty { report.append(("granular_markings", .array(granular))) }

        var ext: [(String, JSONValue)] = [("kind", .string(input.kind.rawValue))]
        if input.kind == .release { ext.append(("report_id", .string(input.reportId))) }
        if let recipient = input.recipient { ext.append(("recipient", .string(recipient))) }
        if input.title == nil { ext.append(("title_withheld", true)) }
        ext.append(("source_grade", .string(input.sourceGrade.code)))
        ext.append(("source_reliability", .string(String(input.sourceGrade.reliability))))
        ext.append(("information_credibility", .int(input.sourceGrade.credibility)))
        // why the omissions: the STIX schema refuses empty lists in extension properties.
        if !input.topics.isEmpty { ext.append(("topics", .array(input.topics.map(JSONValue.string)))) }
        if !portionsJSON.isEmpty { ext.append(("portions", .array(portionsJSON))) }
        if !unmapped.isEmpty { ext.append(("unmapped_entities", .array(unmapped))) }
        report.append(("extensions", STIXTearline.extensionBody(ext)))

        var related: [JSONObject] = [STIXTearline.identity, STIXTearline.extensionDefinition]
        if !usesTLP.isEmpty { related.append(STIXTLP.extensionDefinition) }
        for level in TLPLevel.allCases where usesTLP.contains(level) { related.append(STIXTLP.markingDefinition(level)) }
        for marking in markings { related.append(STIXMarkings.definition(for: marking)) }
        related.append(JSONObject([
            ("type", "identity"),
            ("spec_version", "2.1"),
            ("id", .string(originatorID)),
            ("created", .string(STIXTearline.created.stix)),
            ("modified", .string(STIXTearline.created.stix)),
            ("name", .string(input.originator.name)),
            ("identity_class", "organization"),
        ]))
        related += entityObjects
        return STIXDocumentObjects(report: JSONObject(report), related: related)
    }

    static func granularMarking(_ ref: String, _ selectors: [String]) -> JSONValue {
        .object(JSONObject([("marking_ref", .string(ref)), ("selectors", .array(selectors.map(JSONValue.string)))]))
    }
}
