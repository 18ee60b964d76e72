import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// A MISP feed of the releases a member may read (`/misp/feed/`), so that an existing MISP
/// instance pulls them with its standard feed feature. An event's UUID is its release's id
/// (`rel_` and 32 hex digits, written as a UUID), so it is found again without a table.
///
/// - `manifest.json` lists the inbox (audited as a listing, counted against the member's results
///   window);
/// - `{uuid}.json` is the release read through the rule portion by portion, fingerprinted and
///   audited as any read (`GET /v1/releases/{id}`);
/// - `hashes.csv` reads every release of the inbox that way: it counts against the member's
///   windows like reading them all, and a member who would cross a window is refused (429).
extension ReleaseService {
    /// At most this many releases in one feed (the inbox's first ones, newest first).
    static let feedLimit = 10_000

    public func mispManifest(by caller: Caller) async throws -> [UInt8] {
        let items = try await feedItems(by: caller)
        var w = JSONWriter(capacity: 256 + items.count * 320)
        w.raw("{")
        for (i, item) in items.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(MISPFeedDocument.uuid(releaseId: item.id))
            w.raw(":")
            MISPFeedDocument.writeHeader(item, into: &w, manifest: true)
            w.raw("}")
        }
        w.raw("}")
        return w.bytes
    }

    public func mispEvent(uuid: String, by caller: Caller) async throws -> [UInt8] {
        guard let id = MISPFeedDocument.releaseId(uuid: uuid) else { throw ServiceError.notFound("event") }
        let view = try await viewRelease(id: id, by: caller)
        return MISPFeedDocument.event(view)
    }

    public func mispHashes(by caller: Caller) async throws -> String {
        var lines: [String] = []
        for item in try await feedItems(by: caller) {
            let view = try await viewRelease(id: item.id, by: caller)
            let uuid = MISPFeedDocument.uuid(releaseId: item.id)
            for attribute in MISPFeedDocument.attributes(view) {
                lines.append(MISPFeedDocument.md5(attribute.value) + "," + uuid)
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    private func feedItems(by caller: Caller) async throws -> [DocumentView] {
        var items: [DocumentView] = []
        var cursor: String?
        repeat {
            let page = try await inbox(by: caller, cursor: cursor, limit: 200)
            items += page.items
            cursor = page.next
        } while cursor != nil && items.count < Self.feedLimit
        return items.filter { $0.revoked != true }
    }
}

/// How a release reads as a MISP event.
///
/// - `info` is the title (or "Release from ORG" when the title is withheld); `Orgc` the originator.
/// - `distribution` is 0 (your organisation only): the recipient's MISP must not pass it on,
///   which is the third-party rule.
/// - Tags: the TLP of the banner (`tlp:…`) and `tearline:banner="…"`.
/// - Each readable portion is a `text` attribute (comment: its index and marking); each entity
///   mentioned in it an attribute of its MISP type, under the portion's TLP.
enum MISPFeedDocument {
    struct Attribute {
        var type: String
        var category: String
        var value: String
        var comment: String
        var toIDS: Bool
        var portion: Int
    }

    /// `rel_0123…` ↔ `01234567-89ab-cdef-0123-456789abcdef`.
    static func uuid(releaseId: String) -> String {
        let hex = Array(releaseId.dropFirst(4))
        guard releaseId.hasPrefix("rel_"), hex.count == 32 else { return derivedUUID("release:" + releaseId) }
        return String(hex[0..<8]) + "-" + String(hex[8..<12]) + "-" + String(hex[12..<16]) + "-" + String(hex[16..<20]) + "-" + String(hex[20..<32])
    }

    static func releaseId(uuid: String) -> String? {
        let hex = uuid.lowercased().replacingOccurrences(of: "-", with: "")
        guard uuid.utf8.count == 36, hex.utf8.count == 32, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return "rel_" + hex
    }

    /// A stable UUID for a name (organisations, attributes), in Tearline's namespace.
    static func derivedUUID(_ name: String) -> String {
        STIXIdentifier.uuid5(namespace: STIXIdentifier.tearlineNamespace, name: "misp:" + name)
    }

    static func md5(_ value: String) -> String {
        Insecure.MD5.hash(data: Data(value.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func tlpTag(_ banner: String) -> String? {
        guard let marking = try? Marking.parse(banner), let tlp = marking.tlp else { return nil }
        return "tlp:" + tlp.label.lowercased()
    }

    static func seconds(_ rfc3339: String) -> Int64 {
        (STIXTimestamp(parsing: rfc3339)?.microseconds ?? 0) / 1_000_000
    }

    /// The event's header members, opened with `{` and left open (the caller closes it).
    static func writeHeader(_ view: DocumentView, into w: inout JSONWriter, manifest: Bool) {
        w.raw("{")
        w.key("info", first: true); w.string(view.title ?? "Release from \(view.originator)")
        w.key("Orgc"); w.raw("{"); w.key("name", first: true); w.string(view.originator)
        w.key("uuid"); w.string(derivedUUID("organization:" + view.originator)); w.raw("}")
        w.key("date"); w.string(String(view.createdAt.prefix(10)))
        w.key("analysis"); w.string("2")
        w.key("threat_level_id"); w.string("4")
        w.key("timestamp"); w.string(String(seconds(view.createdAt)))
        w.key("Tag"); w.raw("[")
        var tags = [#"tearline:banner="\#(view.banner)""#]
        if let tlp = tlpTag(view.banner) { tags.insert(tlp, at: 0) }
        for (i, tag) in tags.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{"); w.key("name", first: true); w.string(tag); w.raw("}")
        }
        w.raw("]")
        if !manifest {
            w.key("uuid"); w.string(uuid(releaseId: view.id))
            w.key("distribution"); w.string("0")
            w.key("published"); w.bool(true)
            w.key("publish_timestamp"); w.string(String(seconds(view.createdAt)))
        }
    }

    static func attributes(_ view: DocumentView) -> [Attribute] {
        var out: [Attribute] = []
        for p in view.portions {
            out.append(Attribute(type: "text", category: "Other", value: p.text, comment: "Portion \(p.index), \(p.marking)", toIDS: false, portion: p.index))
            for e in view.entities where e.portion == p.index {
                guard let (type, category, ids) = mispType(e.type, value: e.value) else { continue }
                let value = e.type == "file-hash" ? (e.value.split(separator: ":").last.map(String.init) ?? e.value) : e.value
                out.append(Attribute(type: type, category: category, value: value, comment: "In portion \(p.index)", toIDS: ids, portion: p.index))
            }
        }
        return out
    }

    static func mispType(_ kind: String, value: String) -> (String, String, Bool)? {
        switch kind {
        case "ipv4", "ipv6": return ("ip-dst", "Network activity", true)
        case "domain": return ("domain", "Network activity", true)
        case "url": return ("url", "Network activity", true)
        case "email": return ("email-src", "Payload delivery", true)
        case "phone": return ("phone-number", "Person", false)
        case "file-hash":
            // why: the normalised key is prefixed by its algorithm ("sha256:…"); MISP types name it.
            let hex = value.split(separator: ":").last.map(String.init) ?? value
            switch hex.count {
            case 32: return ("md5", "Payload delivery", true)
            case 40: return ("sha1", "Payload delivery", true)
            case 64: return ("sha256", "Payload delivery", true)
            case 128: return ("sha512", "Payload delivery", true)
            default: return nil
            }
        case "filename": return ("filename", "Payload delivery", false)
        case "person": return ("full-name", "Person", false)
        case "organization": return ("target-org", "Targeting data", false)
        case "location": return ("target-location", "Targeting data", false)
        case "account": return ("target-user", "Targeting data", false)
        default: return ("other", "Other", false)
        }
    }

    /// `{"Event": {…}}` with its attributes.
    static func event(_ view: DocumentView) -> [UInt8] {
        var w = JSONWriter(capacity: 1024 + view.portions.reduce(0) { $0 + $1.text.utf8.count * 2 })
        w.raw("{"); w.key("Event", first: true)
        writeHeader(view, into: &w, manifest: false)
        let eventUUID = uuid(releaseId: view.id)
        let timestamp = String(seconds(view.createdAt))
        let markings = Dictionary(view.portions.map { ($0.index, $0.marking) }, uniquingKeysWith: { a, _ in a })
        w.key("Attribute"); w.raw("[")
        for (i, a) in attributes(view).enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{")
            w.key("uuid", first: true); w.string(derivedUUID("attribute:\(view.id):\(a.portion):\(a.type):\(a.value)"))
            w.key("event_uuid"); w.string(eventUUID)
            w.key("type"); w.string(a.type)
            w.key("category"); w.string(a.category)
            w.key("value"); w.string(a.value)
            w.key("comment"); w.string(a.comment)
            w.key("to_ids"); w.bool(a.toIDS)
            w.key("distribution"); w.string("5")
            w.key("timestamp"); w.string(timestamp)
            if let banner = markings[a.portion], let tlp = tlpTag(banner) {
                w.key("Tag"); w.raw("[{"); w.key("name", first: true); w.string(tlp); w.raw("}]")
            }
            w.raw("}")
        }
        w.raw("]")
        w.raw("}}")
        return w.bytes
    }
}
