/// What the STIX mapping needs of a report, or of a release of one, as its reader may see it.
///
/// The caller has already applied the decision rule: `portions` holds only the readable
/// portions, and `title` is nil when the title is not readable.
public struct STIXDocumentInput: Sendable {
    public enum Kind: String, Sendable {
        case report, release
    }

    /// The Tearline id of the report or of the release.
    public var id: String
    public var kind: Kind
    /// The report's id (equal to `id` for a report).
    public var reportId: String
    public var originator: (id: String, name: String)
    /// The receiving organisation of a release.
    public var recipient: String?
    /// nil when the reader may not read the title.
    public var title: String?
    /// The title's own marking, when the title is readable; marks `name` granularly.
    public var titleMarking: Marking?
    public var banner: Marking
    /// The readable portions only.
    public var portions: [Portion]
    /// `portion` is the Tearline index of the portion the entity came from.
    public var entities: [(kind: EntityKind, value: String, portion: Int)]
    public var sourceGrade: SourceGrade
    public var topics: [String]
    public var created: STIXTimestamp
    public var modified: STIXTimestamp

    public init(
        id: String, kind: Kind, reportId: String, originator: (id: String, name: String), recipient: String? = nil,
        title: String?, titleMarking: Marking? = nil, banner: Marking, portions: [Portion],
        entities: [(kind: EntityKind, value: String, portion: Int)], sourceGrade: SourceGrade, topics: [String],
        created: STIXTimestamp, modified: STIXTimestamp
    ) {
        self.id = id
        self.kind = kind
        self.reportId = reportId
        self.originator = originator
        self.recipient = recipient
        self.title = title
        self.titleMarking = titleMarking
        self.banner = banner
        self.portions = portions
        self.entities = entities
        self.sourceGrade = sourceGrade
        self.topics = topics
        self.created = created
        self.modified = modified
    }
}

/// The STIX objects of one document: the `report` and everything it refers to.
public struct STIXDocumentObjects: Sendable, Hashable {
    public var report: JSONObject
    /// In a fixed order: Tearline's identity and extension definition, the TLP 2.0 extension
    /// definition when TLP is used, the marking definitions, the originator, the entity objects.
    public var related: [JSONObject]

    public init(report: JSONObject, related: [JSONObject]) {
        self.report = report
        self.related = related
    }

    /// `related` followed by `report`.
    public var all: [JSONObject] { related + [report] }

    /// A STIX bundle of ``all``, with an id derived from the report's.
    public func bundle() -> JSONObject {
        let reportID = report["id"]?.stringValue ?? ""
        return JSONObject([
            ("type", "bundle"),
            ("id", .string(STIXIdentifier.make(type: "bundle", name: "bundle:" + reportID))),
            ("objects", .array(all.map(JSONValue.object))),
        ])
    }
}
