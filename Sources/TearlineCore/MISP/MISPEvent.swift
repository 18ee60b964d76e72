/// A MISP event as MISP's JSON writes it (`/events/view`, a feed's `{uuid}.json`, or pymisp's
/// `MISPEvent.to_json()`), reduced to what an import maps. MISP writes most numbers as strings;
/// both are read.
public struct MISPEvent: Sendable, Hashable {
    public struct Attribute: Sendable, Hashable {
        public var type: String
        /// Within an object, the attribute's role (`ip`, `domain`, `sha256`…).
        public var relation: String?
        public var category: String
        public var value: String
        public var comment: String
        public var toIDS: Bool
        /// 0–5; 5 is "inherit the event's".
        public var distribution: Int
        public var sharingGroup: SharingGroup?
        public var tags: [String]
    }

    public struct Object: Sendable, Hashable {
        public var name: String
        public var comment: String
        public var distribution: Int
        public var sharingGroup: SharingGroup?
        public var attributes: [Attribute]
    }

    /// A sharing group: its name and its member organisations (names and UUIDs as MISP knows them).
    public struct SharingGroup: Sendable, Hashable {
        public var name: String
        public var organizations: [Organization]
    }

    public struct Organization: Sendable, Hashable {
        public var name: String
        public var uuid: String?
    }

    public var uuid: String
    public var info: String
    public var date: String
    public var threatLevel: Int
    public var analysis: Int
    /// nil when the document does not say (a MISP feed leaves it out): the import's policy decides.
    public var distribution: Int?
    public var sharingGroup: SharingGroup?
    public var creator: String?
    public var tags: [String]
    /// Galaxy clusters, as `galaxy: cluster` (for example `Threat Actor: APT 28`).
    public var galaxies: [String]
    public var attributes: [Attribute]
    public var objects: [Object]

    public var attributeCount: Int { attributes.count + objects.reduce(0) { $0 + $1.attributes.count } }
}

/// Why a MISP document could not be read.
public struct MISPFormatError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension MISPEvent {
    /// The events of a MISP JSON document: `{"Event": {…}}`, a bare event, an array of either,
    /// or a REST search answer `{"response": [ … ]}`.
    public static func events(in document: JSONValue) throws(MISPFormatError) -> [MISPEvent] {
        if let list = document.arrayValue {
            var events: [MISPEvent] = []
            for (i, item) in list.enumerated() {
                do { events.append(try event(item)) } catch { throw MISPFormatError("item \(i): \(error.description)") }
            }
            return events
        }
        if let response = document.objectValue?["response"], response.arrayValue != nil { return try events(in: response) }
        return [try event(document)]
    }

    /// One event, `{"Event": {…}}` or the bare event object.
    public static func event(_ value: JSONValue) throws(MISPFormatError) -> MISPEvent {
        guard var object = value.objectValue else { throw MISPFormatError("an event is not a JSON object.") }
        if let inner = object["Event"]?.objectValue { object = inner }
        guard let info = object["info"]?.stringValue else { throw MISPFormatError("the event has no info (its title).") }
        let uuid = object["uuid"]?.stringValue ?? ""
        let where_ = uuid.isEmpty ? "event \"\(info.prefix(60))\"" : "event \(uuid)"
        var attributes: [Attribute] = []
        for (i, a) in (object["Attribute"]?.arrayValue ?? []).enumerated() {
            do { attributes.append(try attribute(a)) } catch { throw MISPFormatError("\(where_), Attribute[\(i)]: \(error.description)") }
        }
        var objects: [Object] = []
        for (i, o) in (object["Object"]?.arrayValue ?? []).enumerated() {
            guard let o = o.objectValue, let name = o["name"]?.stringValue else { throw MISPFormatError("\(where_), Object[\(i)] has no name.") }
            var members: [Attribute] = []
            for (j, a) in (o["Attribute"]?.arrayValue ?? []).enumerated() {
                do { members.append(try attribute(a)) } catch { throw MISPFormatError("\(where_), Object[\(i)].Attribute[\(j)]: \(error.description)") }
            }
            objects.append(Object(name: name, comment: o["comment"]?.stringValue ?? "", distribution: number(o["distribution"]) ?? 5,
                                  sharingGroup: sharingGroup(o["SharingGroup"]), attributes: members))
        }
        var galaxies: [String] = []
        for g in object["Galaxy"]?.arrayValue ?? [] {
            guard let g = g.objectValue else { continue }
            let name = g["name"]?.stringValue ?? g["type"]?.stringValue ?? "galaxy"
            for c in g["GalaxyCluster"]?.arrayValue ?? [] {
                if let value = c.objectValue?["value"]?.stringValue { galaxies.append("\(name): \(value)") }
            }
        }
        return MISPEvent(
            uuid: uuid, info: info, date: object["date"]?.stringValue ?? "", threatLevel: number(object["threat_level_id"]) ?? 4,
            analysis: number(object["analysis"]) ?? 0, distribution: number(object["distribution"]),
            sharingGroup: sharingGroup(object["SharingGroup"]),
            creator: object["Orgc"]?.objectValue?["name"]?.stringValue ?? object["orgc"]?.stringValue,
            tags: tags(object["Tag"]), galaxies: galaxies, attributes: attributes, objects: objects)
    }

    static func attribute(_ value: JSONValue) throws(MISPFormatError) -> Attribute {
        guard let a = value.objectValue else { throw MISPFormatError("not a JSON object.") }
        guard let type = a["type"]?.stringValue, !type.isEmpty else { throw MISPFormatError("no type.") }
        guard let v = a["value"] else { throw MISPFormatError("a \(type) attribute has no value.") }
        let text: String
        switch v {
        case .string(let s): text = s
        case .number(let n): text = n
        default: throw MISPFormatError("the value of a \(type) attribute is not text.")
        }
        let toIDS: Bool
        switch a["to_ids"] {
        case .bool(let b)?: toIDS = b
        case .string(let s)?: toIDS = s == "1" || s == "true"
        case .number(let n)?: toIDS = n != "0"
        default: toIDS = false
        }
        return Attribute(type: type, relation: a["object_relation"]?.stringValue, category: a["category"]?.stringValue ?? "", value: text, comment: a["comment"]?.stringValue ?? "",
                         toIDS: toIDS, distribution: number(a["distribution"]) ?? 5, sharingGroup: sharingGroup(a["SharingGroup"]),
                         tags: tags(a["Tag"]))
    }

    static func number(_ value: JSONValue?) -> Int? {
        switch value {
        case .number(let n)?: Int(n)
        case .string(let s)?: Int(s)
        default: nil
        }
    }

    static func tags(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).compactMap { $0.objectValue?["name"]?.stringValue ?? $0.stringValue }
    }

    static func sharingGroup(_ value: JSONValue?) -> SharingGroup? {
        guard let g = value?.objectValue, !g.keys.isEmpty else { return nil }
        var organizations: [Organization] = []
        for member in g["SharingGroupOrg"]?.arrayValue ?? [] {
            guard let org = member.objectValue?["Organisation"]?.objectValue, let name = org["name"]?.stringValue else { continue }
            organizations.append(Organization(name: name, uuid: org["uuid"]?.stringValue))
        }
        return SharingGroup(name: g["name"]?.stringValue ?? "sharing group", organizations: organizations)
    }
}
