import Crypto

/// STIX identifiers (`type--uuid`), made deterministically so that mapping the same input twice
/// gives byte-identical objects.
///
/// Two rules, because STIX 2.1 (§2.9) and its validator ask for two:
/// - Cyber-observables (SCOs) use the spec's UUIDv5 rule: namespace
///   ``observableNamespace`` over the JCS form of the type's id-contributing properties, so
///   every producer derives the same id for `1.2.3.4`. See ``observable(type:contributing:)``.
/// - Every other object SHOULD carry a UUIDv4, and `stix2_validator --strict` refuses any other
///   version. ``make(type:name:)`` therefore derives the 122 "random" bits from SHA-256 of
///   ``tearlineNamespace`` and a name (``nameBasedV4(namespace:name:)``): still deterministic,
///   indistinguishable from a random v4 to consumers, and unique to Tearline's namespace.
public enum STIXIdentifier {
    /// Tearline's own namespace, `03e5b136-61a4-4038-b4ca-4a38a9259499`, drawn at random once
    /// and fixed forever: changing it would change every identifier Tearline has published.
    public static let tearlineNamespace: [UInt8] = uuidBytes("03e5b136-61a4-4038-b4ca-4a38a9259499")!

    /// The STIX 2.1 namespace for cyber-observable ids, `00abedb4-aa42-466c-9c01-fed23315a9b7`.
    public static let observableNamespace: [UInt8] = uuidBytes("00abedb4-aa42-466c-9c01-fed23315a9b7")!

    /// An RFC 9562 UUIDv5 (SHA-1, name-based), lower-case.
    public static func uuid5(namespace: [UInt8], name: String) -> String {
        precondition(namespace.count == 16, "a UUID namespace is 16 bytes")
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        hasher.update(data: Array(name.utf8))
        return format(Array(hasher.finalize().prefix(16)), version: 5)
    }

    /// A UUID with version 4 layout whose bits come from SHA-256 of the namespace and name,
    /// lower-case. Deterministic; see the type's documentation for why not UUIDv5.
    public static func nameBasedV4(namespace: [UInt8], name: String) -> String {
        precondition(namespace.count == 16, "a UUID namespace is 16 bytes")
        var hasher = SHA256()
        hasher.update(data: namespace)
        hasher.update(data: Array(name.utf8))
        return format(Array(hasher.finalize().prefix(16)), version: 4)
    }

    /// `type--` followed by ``nameBasedV4(namespace:name:)`` in Tearline's namespace. For
    /// domain, relationship and meta objects; never for cyber-observables.
    public static func make(type: String, name: String) -> String {
        type + "--" + nameBasedV4(namespace: tearlineNamespace, name: name)
    }

    /// A cyber-observable's id per STIX 2.1 §2.9: UUIDv5 in ``observableNamespace`` over the
    /// JCS serialization of its id-contributing properties (for example `{"value":"1.2.3.4"}`
    /// for `ipv4-addr`, `{"hashes":{"SHA-256":"…"}}` for `file` with one hash).
    public static func observable(type: String, contributing: JSONObject) -> String {
        type + "--" + uuid5(namespace: observableNamespace, name: JSONValue.object(contributing).canonicalSerialized())
    }

    /// The 16 bytes of a UUID in its canonical text form (either case), or nil.
    public static func uuidBytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8? = nil
        for (i, c) in utf8.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - 0x61 + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - 0x41 + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    /// Sets the version and RFC 4122 variant bits and writes the canonical lower-case text.
    static func format(_ raw: [UInt8], version: UInt8) -> String {
        var b = raw
        b[6] = (b[6] & 0x0F) | (version << 4)
        b[8] = (b[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, byte) in b.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
