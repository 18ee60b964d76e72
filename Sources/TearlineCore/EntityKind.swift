/// The type of an entity mentioned in a report. The raw string is the API and storage form.
///
/// `other(_:)` carries a free, user-defined type: lower-case `[a-z0-9-]{1,32}`. Use
/// `init?(rawValue:)` to build values from untrusted input: it maps the well-known names to
/// their dedicated cases (so `"person"` never becomes `.other("person")`) and refuses invalid
/// free types. Constructing `.other` directly with a reserved or invalid name is a programming
/// error that this type does not police.
public enum EntityKind: Hashable, Sendable {
    case person, organization, location, vessel, phone, email, ipv4, ipv6, domain, url, fileHash, account
    case other(String)

    /// Every kind except `.other`, in declaration order.
    public static let known: [EntityKind] = [
        .person, .organization, .location, .vessel, .phone, .email,
        .ipv4, .ipv6, .domain, .url, .fileHash, .account,
    ]

    public init?(rawValue: String) {
        switch rawValue {
        case "person": self = .person
        case "organization": self = .organization
        case "location": self = .location
        case "vessel": self = .vessel
        case "phone": self = .phone
        case "email": self = .email
        case "ipv4": self = .ipv4
        case "ipv6": self = .ipv6
        case "domain": self = .domain
        case "url": self = .url
        case "file-hash": self = .fileHash
        case "account": self = .account
        default:
            guard EntityKind.isValidFreeType(rawValue) else { return nil }
            self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .person: "person"
        case .organization: "organization"
        case .location: "location"
        case .vessel: "vessel"
        case .phone: "phone"
        case .email: "email"
        case .ipv4: "ipv4"
        case .ipv6: "ipv6"
        case .domain: "domain"
        case .url: "url"
        case .fileHash: "file-hash"
        case .account: "account"
        case .other(let name): name
        }
    }

    /// Technical observables (indicators) as opposed to named things.
    public var isObservable: Bool {
        switch self {
        case .phone, .email, .ipv4, .ipv6, .domain, .url, .fileHash: true
        case .person, .organization, .location, .vessel, .account, .other: false
        }
    }

    /// Lower-case `[a-z0-9-]{1,32}`.
    static func isValidFreeType(_ s: String) -> Bool {
        let u = s.utf8
        guard (1...32).contains(u.count) else { return false }
        return u.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}

extension EntityKind: CustomStringConvertible {
    public var description: String { rawValue }
}
