import Foundation
import Hummingbird
import HummingbirdCore
import TearlineCore
import TearlineStore

/// The filters and paging of a TAXII request: `limit`, `next`, `added_after` and `match[…]`.
struct TAXIIFilter: Sendable, Hashable {
    static let defaultLimit = 100
    static let maxLimit = 1000

    var limit = defaultLimit
    var next: TAXIIPosition?
    var addedAfter: Int64?
    var ids: [String] = []
    var types: [String] = []
    var specVersions: [String] = []
    var versions: [TAXIIVersionMatch] = [.last]
    /// The filters the `next` token was given under (nil for a token without them).
    private var nextFilters: String?

    static let objectFilters: Set<String> = ["added_after", "limit", "next", "match[id]", "match[type]", "match[version]", "match[spec_version]"]
    static let objectByIdFilters: Set<String> = ["added_after", "limit", "next", "match[version]", "match[spec_version]"]

    /// No filter: the first page of the latest versions.
    init() {}

    /// Parses the query; which parameters an endpoint takes is the caller's `allowed` list.
    init(_ uri: HummingbirdCore.URI, allowed: Set<String>) throws(TAXIIError) {
        for (rawKey, rawValue) in uri.queryParameters {
            // why: clients percent-encode the brackets of match[…]; the router leaves keys as sent.
            let key = String(rawKey).removingPercentEncoding ?? String(rawKey)
            let value = String(rawValue).removingPercentEncoding ?? String(rawValue)
            guard allowed.contains(key) else { throw .badRequest("This endpoint does not take the query parameter \(key).") }
            switch key {
            case "limit":
                guard let n = Int(value), n > 0 else { throw .badRequest("limit must be a positive integer.") }
                limit = min(n, Self.maxLimit)
            case "next":
                guard let (position, filters) = Self.decode(next: value) else { throw .badRequest("next is not a token this server gave.") }
                next = position
                nextFilters = filters
            case "added_after":
                guard let t = STIXTimestamp(parsing: value) else { throw .badRequest("added_after must be a timestamp such as 2026-01-01T00:00:00.000Z.") }
                addedAfter = t.microseconds
            case "match[id]":
                ids = try Self.list(value, key: key)
                for id in ids where !STIXObjectFacts.isIdentifier(id) { throw .badRequest("match[id] \(id) is not a STIX identifier.") }
            case "match[type]":
                types = try Self.list(value, key: key)
                for type in types where !STIXObjectFacts.isTypeName(type) { throw .badRequest("match[type] \(type) is not a STIX type name.") }
            case "match[spec_version]":
                specVersions = try Self.list(value, key: key)
                for v in specVersions where v != "2.0" && v != "2.1" { throw .badRequest("match[spec_version] takes 2.0 or 2.1.") }
            case "match[version]":
                versions = try Self.list(value, key: key).map { (item: String) throws(TAXIIError) -> TAXIIVersionMatch in
                    switch item {
                    case "first": return .first
                    case "last": return .last
                    case "all": return .all
                    default:
                        guard let t = STIXTimestamp(parsing: item) else { throw .badRequest("match[version] takes first, last, all or a timestamp.") }
                        return .at(t.microseconds)
                    }
                }
            default:
                throw .badRequest("Unknown query parameter \(key).")
            }
        }
        // why: a page token is a position in one filtered listing; under other filters it would skip or repeat objects.
        if let nextFilters, nextFilters != fingerprint {
            throw .badRequest("The filters changed while paging: send the same added_after and match[…] with next, or start again without it.")
        }
    }

    /// The filters that shape the listing (not `limit` or `next`), as a short fingerprint.
    var fingerprint: String {
        var text = "aa=\(addedAfter.map(String.init) ?? "")"
        text += ";id=" + ids.joined(separator: ",") + ";ty=" + types.joined(separator: ",") + ";sv=" + specVersions.joined(separator: ",")
        text += ";v=" + versions.map { match in
            switch match {
            case .first: "first"
            case .last: "last"
            case .all: "all"
            case .at(let t): String(t)
            }
        }.joined(separator: ",")
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(hash, radix: 16)
    }

    /// The `next` token for a page that ends at `p`, bound to these filters.
    func nextToken(after p: TAXIIPosition) -> String {
        Base64URL.encode(text: "\(fingerprint)/\(p.dateAdded):\(p.version):\(p.stixId)")
    }

    private static func list(_ value: String, key: String) throws(TAXIIError) -> [String] {
        let items = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.isEmpty, !items.contains(where: \.isEmpty), items.count <= 100 else { throw .badRequest("\(key) takes a comma-separated list of 1 to 100 values.") }
        return items
    }

    /// `next` tokens are opaque to clients: the filters' fingerprint and the position of the last
    /// object of the page. A token without a fingerprint (from an older server) is still read.
    static func decode(next token: String) -> (TAXIIPosition, String?)? {
        guard token.utf8.count <= 512 else { return nil }
        guard var text = Base64URL.decodeText(token) else { return nil }
        var filters: String?
        if let slash = text.firstIndex(of: "/") {
            filters = String(text[..<slash])
            text = String(text[text.index(after: slash)...])
        }
        let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count == 3, let added = Int64(parts[0]), let version = Int64(parts[1]), STIXObjectFacts.isIdentifier(parts[2]) else { return nil }
        return (TAXIIPosition(dateAdded: added, stixId: parts[2], version: version), filters)
    }

    /// Whether a generated object passes the filters (stored objects are filtered in SQL).
    func admits(_ d: TAXIIDescriptor) -> Bool {
        if let next, !(next < d.position) { return false }
        if let addedAfter, d.dateAdded <= addedAfter { return false }
        if !ids.isEmpty && !ids.contains(d.stixId) { return false }
        if !types.isEmpty && !types.contains(d.type) { return false }
        if !specVersions.isEmpty && !specVersions.contains(d.specVersion) { return false }
        // Generated objects have a single version each: it is both the first and the last.
        return versions.contains { match in
            switch match {
            case .all, .first, .last: true
            case .at(let t): t == d.version
            }
        }
    }
}

/// The facts about an object that listing, manifests and paging need.
struct TAXIIDescriptor: Sendable, Hashable {
    var stixId: String
    var type: String
    var version: Int64
    var specVersion: String
    var dateAdded: Int64
    var position: TAXIIPosition { TAXIIPosition(dateAdded: dateAdded, stixId: stixId, version: version) }
}

/// Checks on the shape of STIX identifiers and type names.
enum STIXObjectFacts {
    /// `type--uuid`, with a lower-case type name of 3–250 characters.
    static func isIdentifier(_ id: String) -> Bool {
        guard let range = id.range(of: "--") else { return false }
        let type = String(id[..<range.lowerBound])
        let uuid = id[range.upperBound...]
        guard isTypeName(type), uuid.utf8.count == 36 else { return false }
        for (i, c) in uuid.utf8.enumerated() {
            if [8, 13, 18, 23].contains(i) { guard c == UInt8(ascii: "-") else { return false }; continue }
            guard (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) else { return false }
        }
        return true
    }

    static func isTypeName(_ type: String) -> Bool {
        let u = type.utf8
        guard (3...250).contains(u.count), u.first != UInt8(ascii: "-"), u.last != UInt8(ascii: "-") else { return false }
        return u.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// A STIX timestamp for a version: milliseconds when that loses nothing, else microseconds.
    static func versionString(_ microseconds: Int64) -> String {
        let t = STIXTimestamp(microseconds: microseconds)
        return microseconds % 1000 == 0 ? t.stix : t.taxii
    }
}
