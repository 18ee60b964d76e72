/// Which MISP attribute types name an entity, and which entity. Composite types
/// (`filename|sha256`, `ip-dst|port`, `domain|ip`) give one entity per part that names one.
public enum MISPAttributeTypes {
    /// The entities an attribute names, normalised; a value that is not valid for its kind names none
    /// (it stays in the portion's text).
    public static func entities(type: String, value: String) -> [NormalizedEntity] {
        let types = type.split(separator: "|").map(String.init)
        let values = value.split(separator: "|", maxSplits: max(types.count - 1, 0), omittingEmptySubsequences: false).map(String.init)
        guard types.count == values.count else { return [] }
        var found: [NormalizedEntity] = []
        for (t, v) in zip(types, values) {
            guard let kind = kind(of: t, value: v), let entity = EntityNormalization.normalize(v, as: kind) else { continue }
            if !found.contains(entity) { found.append(entity) }
        }
        return found
    }

    /// The entity kind of one (non-composite) MISP type, or nil when it names none.
    public static func kind(of type: String, value: String) -> EntityKind? {
        switch type {
        case "ip-src", "ip-dst", "ip":
            return value.contains(":") ? .ipv6 : .ipv4
        case "domain", "hostname":
            return .domain
        case "url", "uri", "link":
            return .url
        case "email", "email-src", "email-dst", "email-reply-to", "target-email", "whois-registrant-email", "dns-soa-email":
            return .email
        case "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha512/224", "sha512/256", "sha3-224", "sha3-256", "sha3-384", "sha3-512":
            return .fileHash
        case "phone-number", "whois-registrant-phone":
            return .phone
        case "filename", "mac-address", "btc", "xmr", "mutex", "regkey", "user-agent", "ja3-fingerprint-md5", "cookie":
            return .other(type == "filename" ? "filename" : type)
        case "github-username", "twitter-id", "jabber-id", "target-user", "whois-registrant-name":
            return .account
        case "target-org":
            return .organization
        case "target-location":
            return .location
        case "first-name", "last-name", "full-name", "person-name":
            return .person
        case "AS":
            return .other("as")
        default:
            return nil
        }
    }
}
