/// How a Tearline entity becomes a STIX 2.1 object.
///
/// | kind | STIX object |
/// |---|---|
/// | ipv4, ipv6, domain, url, email | `ipv4-addr`, `ipv6-addr`, `domain-name`, `url`, `email-addr` (`value`) |
/// | fileHash | `file` with one hash, keyed by length: MD5, SHA-1, SHA-256, SHA-512 |
/// | account | `user-account` (`account_login`) |
/// | person, organization | `identity` (`individual`, `organization`) |
/// | vessel | `identity` of class `system` (why: STIX has no vehicle object; of the identity classes a ship, a platform carrying systems, is nearest to "system"; the extension says `vessel`) |
/// | phone | `identity` of class `unknown` with `contact_information` `tel:<number>` (why: STIX 2.1 has no phone SCO; a custom `new-sco` fails `stix2.parse(allow_custom=False)` and, not being a known SCO, must take a UUIDv4 under the strict validator, contradicting the SCO id rule; in a report a number stands for whoever uses it) |
/// | location | `location` with `country` (ISO 3166-1 alpha-2 code), `latitude`/`longitude` (`"lat,lon"`) or `region` (a region-ov term); nil otherwise, because STIX requires one of them |
/// | other(kind) | `identity` of class `unknown`, the kind in the description |
///
/// Cyber-observables take the spec's deterministic ids. Domain objects take ids scoped to the
/// document (`scope`), so the same name in two documents gives two objects, each carrying its
/// own document's marking rather than conflicting versions of one object. Every domain object
/// carries the Tearline extension with `entity_kind`, so a Tearline reader recovers the kind.
public enum STIXEntityMapping {
    /// The common properties the caller decides.
    public struct Context: Sendable {
        /// The document the entity belongs to, for example `report:R-1`.
        public var scope: String
        public var createdBy: String?
        public var created: STIXTimestamp
        public var modified: STIXTimestamp
        public var markingRefs: [String]

        public init(scope: String, createdBy: String?, created: STIXTimestamp, modified: STIXTimestamp, markingRefs: [String]) {
            self.scope = scope
            self.createdBy = createdBy
            self.created = created
            self.modified = modified
            self.markingRefs = markingRefs
        }
    }

    /// The STIX object for an entity, or nil when STIX 2.1 has no valid form for the value (a
    /// place with no country, coordinates or region; a hash of no known length).
    public static func object(kind: EntityKind, value: String, context: Context) -> JSONObject? {
        switch kind {
        case .ipv4: return observable("ipv4-addr", [("value", .string(value))], context)
        case .ipv6: return observable("ipv6-addr", [("value", .string(value))], context)
        case .domain: return observable("domain-name", [("value", .string(value))], context)
        case .url: return observable("url", [("value", .string(value))], context)
        case .email: return observable("email-addr", [("value", .string(value))], context)
        case .account: return observable("user-account", [("account_login", .string(value))], context)
        case .fileHash:
            guard let (algorithm, hex) = hash(value) else { return nil }
            return observable("file", [("hashes", .object(JSONObject([(algorithm, .string(hex))])))], context)
        case .person: return identity(kind, value, [("identity_class", "individual")], context)
        case .organization: return identity(kind, value, [("identity_class", "organization")], context)
        case .vessel: return identity(kind, value, [("identity_class", "system")], context)
        case .phone:
            return identity(kind, value, [("identity_class", "unknown"), ("contact_information", .string("tel:" + value))], context)
        case .other(let name):
            return identity(kind, value, [("identity_class", "unknown"), ("description", .string("Tearline entity of kind \(name)"))], context)
        case .location:
            guard let fields = location(value) else { return nil }
            return domainObject("location", kind, value, [("name", .string(value))] + fields, context)
        }
    }

    static func observable(_ type: String, _ contributing: [(String, JSONValue)], _ context: Context) -> JSONObject {
        var pairs: [(String, JSONValue)] = [
            ("type", .string(type)),
            ("spec_version", "2.1"),
            ("id", .string(STIXIdentifier.observable(type: type, contributing: JSONObject(contributing)))),
        ]
        pairs += contributing
        if !context.markingRefs.isEmpty { pairs.append(("object_marking_refs", .array(context.markingRefs.map(JSONValue.string)))) }
        return JSONObject(pairs)
    }

    static func identity(_ kind: EntityKind, _ value: String, _ fields: [(String, JSONValue)], _ context: Context) -> JSONObject {
        domainObject("identity", kind, value, [("name", .string(value))] + fields, context)
    }

    static func domainObject(_ type: String, _ kind: EntityKind, _ value: String, _ fields: [(String, JSONValue)], _ context: Context) -> JSONObject {
        var pairs: [(String, JSONValue)] = [
            ("type", .string(type)),
            ("spec_version", "2.1"),
            ("id", .string(STIXIdentifier.make(type: type, name: "entity:" + context.scope + ":" + kind.rawValue + ":" + value))),
        ]
        if let createdBy = context.createdBy { pairs.append(("created_by_ref", .string(createdBy))) }
        pairs.append(("created", .string(context.created.stix)))
        pairs.append(("modified", .string(context.modified.stix)))
        pairs += fields
        if !context.markingRefs.isEmpty { pairs.append(("object_marking_refs", .array(context.markingRefs.map(JSONValue.string)))) }
        pairs.append(("extensions", STIXTearline.extensionBody([("entity_kind", .string(kind.rawValue))])))
        return JSONObject(pairs)
    }

    /// The STIX hash name and lower-case hex of a hash, optionally prefixed `algorithm:` as
    /// Tearline's normalised keys are (`sha256:…`); the length decides the algorithm.
    static func hash(_ value: String) -> (String, String)? {
        var hex = Substring(value)
        if let colon = hex.firstIndex(of: ":") { hex = hex[hex.index(after: colon)...] }
        var lower: [UInt8] = []
        lower.reserveCapacity(hex.utf8.count)
        for b in hex.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): lower.append(b)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): lower.append(b + 0x20)
            default: return nil
            }
        }
        let algorithm: String
        switch lower.count {
        case 32: algorithm = "MD5"
        case 40: algorithm = "SHA-1"
        case 64: algorithm = "SHA-256"
        case 128: algorithm = "SHA-512"
        default: return nil
        }
        return (algorithm, String(decoding: lower, as: UTF8.self))
    }

    /// The geographic anchor STIX requires of a location, if the value names one.
    static func location(_ value: String) -> [(String, JSONValue)]? {
        let trimmed = value.trimmingSpaces()
        let upper = trimmed.uppercased()
        if upper.utf8.count == 2, countryCodes.contains(upper) { return [("country", .string(upper))] }
        if let coordinates = coordinates(trimmed) { return coordinates }
        let term = String(trimmed.lowercased().map { $0 == " " || $0 == "_" ? "-" : $0 })
        if regions.contains(term) { return [("region", .string(term))] }
        return nil
    }

    /// `"lat,lon"` in decimal degrees, written as JSON numbers.
    static func coordinates(_ value: String) -> [(String, JSONValue)]? {
        let parts = value.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var numbers: [(String, Double)] = []
        for part in parts {
            let text = String(part).trimmingSpaces()
            guard case .number(let lexeme)? = try? JSONValue.parse(text), lexeme == text, let number = Double(lexeme) else { return nil }
            numbers.append((lexeme, number))
        }
        guard abs(numbers[0].1) <= 90, abs(numbers[1].1) <= 180 else { return nil }
        return [("latitude", .number(numbers[0].0)), ("longitude", .number(numbers[1].0))]
    }

    /// ISO 3166-1 alpha-2, officially assigned codes.
    static let countryCodes: Set<String> = Set(
        """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
        BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE \
        EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM \
        HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC \
        LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA \
        NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
        SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO \
        TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
        """.split(separator: " ").map(String.init))

    /// The STIX 2.1 region-ov vocabulary.
    static let regions: Set<String> = [
        "africa", "eastern-africa", "middle-africa", "northern-africa", "southern-africa", "western-africa",
        "americas", "latin-america-caribbean", "south-america", "caribbean", "central-america", "northern-america",
        "asia", "central-asia", "eastern-asia", "southern-asia", "south-eastern-asia", "western-asia",
        "europe", "eastern-europe", "northern-europe", "southern-europe", "western-europe",
        "oceania", "australia-new-zealand", "melanesia", "micronesia", "polynesia", "antarctica",
    ]
}
