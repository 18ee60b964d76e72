import Foundation
import TearlineCore
import TearlineStore

/// Timestamps in the API are RFC 3339 strings with millisecond precision, in UTC.
enum Timestamp {
    /// `2026-11-26T16:29:21.123Z`. Written by hand: it is on every view, and Foundation's
    /// formatter cost more than the rest of the timestamp handling together.
    static func string(_ ms: Int64) -> String {
        let millis = Int(((ms % 1000) + 1000) % 1000)
        let seconds = (ms - Int64(millis)) / 1000
        var days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        // Civil from days (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var out = [UInt8]()
        out.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int) {
            var buffer = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: buffer)
        }
        digits(year, 4); out.append(UInt8(ascii: "-")); digits(month, 2); out.append(UInt8(ascii: "-")); digits(day, 2)
        out.append(UInt8(ascii: "T")); digits(secondOfDay / 3600, 2); out.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2); out.append(UInt8(ascii: ":")); digits(secondOfDay % 60, 2)
        out.append(UInt8(ascii: ".")); digits(millis, 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    static func parse(_ text: String) -> Int64? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon)) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        if let date = try? Date(text, strategy: .iso8601) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        return nil
    }
}

public struct OrganizationResponse: Codable, Sendable {
    public var id: String
    public var name: String
    public var kind: String
    /// The Ed25519 public key, base64, with which its signatures verify.
    public var publicKey: String
    /// A partner hosted on another node: its releases arrive through federation, signed with `publicKey`.
    public var hostedElsewhere: Bool
    public var createdAt: String

    init(_ o: OrganizationRecord) {
        id = o.id
        name = o.name
        kind = o.kind.rawValue
        publicKey = o.publicKey.base64EncodedString()
        hostedElsewhere = o.isRemote
        createdAt = Timestamp.string(o.createdAt)
    }
}

public struct MemberResponse: Codable, Sendable {
    public var id: String
    public var organization: String
    public var name: String
    public var roles: [String]
    public var clearance: String
    public var compartments: [String]
    public var topics: [String]
    public var status: String
    public var throttled: Bool
    public var secondedTo: String?
    public var createdAt: String

    init(_ m: MemberRecord) {
        id = m.id
        organization = m.organization
        name = m.name
        roles = m.roles.map(\.rawValue)
        clearance = m.clearance.bannerName
        compartments = m.compartments
        topics = m.topics
        status = m.status.rawValue
        throttled = m.throttled
        secondedTo = m.secondedTo
        createdAt = Timestamp.string(m.createdAt)
    }
}

/// A new member and its API token. The token is shown here once and never again.
public struct CreatedMemberResponse: Codable, Sendable {
    public var member: MemberResponse
    public var token: String
}

public struct PartnershipResponse: Codable, Sendable {
    public var id: String
    public var organizations: [String]
    public var kind: String
    public var dominant: String?
    /// Each side's trust in the other, by side: `{"GBR": "high", "USA": "low"}` means GBR trusts
    /// USA at `high` (the ceiling of what GBR releases to USA) and USA trusts GBR at `low`.
    public var trust: [String: String]
    /// The caller's organisation's trust in the other side (absent for the node administrator).
    public var trustLevel: String?
    /// The highest classification the caller's organisation releases over it, or `null` when nothing may.
    public var ceiling: String?
    /// The other side's trust in the caller's organisation (absent for the node administrator).
    public var partnerTrustLevel: String?
    /// `active`, or `suspended` while either side's suspension stands.
    public var status: String
    /// The sides whose suspension stands; each lifts only its own.
    public var suspendedBy: [String]
    public var createdAt: String
    public var updatedAt: String

    /// The partnership as `viewer` (a side, or nil for the node administrator) sees it.
    init(_ p: PartnershipRecord, viewer: String?) {
        id = p.id
        organizations = [p.first, p.second]
        kind = p.kind.rawValue
        dominant = p.dominant
        trust = [p.first: p.trust(of: p.first).name, p.second: p.trust(of: p.second).name]
        if let viewer, p.involves(viewer) {
            trustLevel = p.trust(of: viewer).name
            ceiling = p.trust(of: viewer).ceiling?.bannerName
            partnerTrustLevel = p.trust(of: p.other(than: viewer)).name
        }
        status = p.status.rawValue
        suspendedBy = p.sides.suspendedBy
        createdAt = Timestamp.string(p.createdAt)
        updatedAt = Timestamp.string(p.updatedAt)
    }
}

public struct PortionView: Codable, Sendable {
    public var index: Int
    public var marking: String
    public var text: String
    /// Only the originator's own members ever see a sources-and-methods portion.
    public var sourcesAndMethods: Bool
}

public struct EntityView: Codable, Sendable {
    public var type: String
    public var value: String
    public var portion: Int
}

/// What one reader may see of a report or a release.
public struct DocumentView: Codable, Sendable {
    public var id: String
    /// `report` or `release`.
    public var kind: String
    public var reportId: String
    public var originator: String
    public var recipient: String?
    /// `null` when the title's marking is not readable.
    public var title: String?
    /// The title's portion mark, when the title is shown.
    public var titleMarking: String?
    /// The banner of what is shown, never of what is withheld.
    public var banner: String
    public var sourceGrade: String
    public var topics: [String]
    public var portions: [PortionView]
    public var entities: [EntityView]
    public var withheldPortions: Int
    public var revoked: Bool?
    public var createdAt: String
    /// On single-document views of documents with entities: how many other originators, known
    /// to the reader, hold reports on its readable entities.
    public var corroboration: CorroborationView?
    /// On release views: the originator's track record, beside the source grade.
    public var trackRecord: TrackRecordView?

    init(report: Report, view: View, release: ReleaseRecord?) {
        id = release?.id ?? report.id
        kind = release == nil ? "report" : "release"
        reportId = report.id
        originator = report.originator
        recipient = release?.recipient
        title = view.titleShown ? report.title : nil
        titleMarking = view.titleShown ? report.titleMarking.portionMark : nil
        banner = view.banner?.banner ?? Marking.unclassified.banner
        sourceGrade = report.sourceGrade.code
        topics = report.topics
        portions = view.shown.map {
            PortionView(index: $0.index, marking: $0.marking.portionMark, text: $0.text, sourcesAndMethods: $0.sourcesAndMethods)
        }
        let shown = Set(view.shown.map(\.index))
        entities = report.entities.filter { shown.contains($0.portion) }
            .map { EntityView(type: $0.type, value: $0.value, portion: $0.portion) }
        withheldPortions = view.withheld.count
        revoked = release.map(\.isRevoked)
        createdAt = Timestamp.string(release?.createdAt ?? report.createdAt)
    }
}

public struct DocumentList: Codable, Sendable {
    public var items: [DocumentView]
    /// Opaque cursor for the next page, or `null` at the end.
    public var next: String?
}

public struct WithheldView: Codable, Sendable, Hashable {
    public var index: Int
    public var reasons: [String]
}

/// The answer to a release request: what went, and what was withheld and why.
public struct ReleaseResult: Codable, Sendable {
    public var id: String
    public var reportId: String
    public var originator: String
    public var recipient: String
    public var banner: String
    public var portions: [Int]
    public var titleIncluded: Bool
    public var withheld: [WithheldView]
    public var signature: String
    public var createdAt: String
    public var consentRequestId: String?
    /// Terms asked in return, when the release carries them.
    public var terms: TermView?

    init(release: ReleaseRecord, withheld: [WithheldPortion]) {
        id = release.id
        reportId = release.reportId
        originator = release.originator
        recipient = release.recipient
        banner = release.banner.banner
        portions = release.portions.indexes.filter { $0 != Report.titleIndex }
        titleIncluded = release.portions.contains(Report.titleIndex)
        self.withheld = withheld.map { WithheldView(index: $0.index, reasons: $0.reasons.codes) }
        signature = release.signature.base64EncodedString()
        createdAt = Timestamp.string(release.createdAt)
        consentRequestId = release.consentRequestId
    }
}

/// A release as its originator lists it.
public struct ReleaseSummary: Codable, Sendable {
    public var id: String
    public var reportId: String
    public var recipient: String
    public var banner: String
    public var portions: [Int]
    public var revoked: Bool
    public var createdAt: String

    init(_ r: ReleaseRecord) {
        id = r.id
        reportId = r.reportId
        recipient = r.recipient
        banner = r.banner.banner
        portions = r.portions.indexes.filter { $0 != Report.titleIndex }
        revoked = r.isRevoked
        createdAt = Timestamp.string(r.createdAt)
    }
}

public struct ConsentRequestResponse: Codable, Sendable {
    public var id: String
    public var releaseId: String
    public var reportId: String
    public var originator: String
    public var holder: String
    public var target: String
    public var requestedBy: String
    public var status: String
    public var createdAt: String
    public var decidedBy: String?
    public var decidedAt: String?
    public var resultingReleaseId: String?

    init(_ c: ConsentRequestRecord) {
        id = c.id
        releaseId = c.releaseId
        reportId = c.reportId
        originator = c.originator
        holder = c.holder
        target = c.target
        requestedBy = c.requestedBy
        status = c.status.rawValue
        createdAt = Timestamp.string(c.createdAt)
        decidedBy = c.decidedBy
        decidedAt = c.decidedAt.map(Timestamp.string)
        resultingReleaseId = c.resultingReleaseId
    }
}

public struct AuditEventResponse: Codable, Sendable {
    public var seq: Int64
    public var at: String
    public var actor: String?
    public var organization: String?
    public var concerns: String?
    public var action: String
    public var object: String?
    public var decision: String
    public var reasons: [String]
    public var detail: String?
    /// The entry's SHA-256 in the hash chain, hex.
    public var hash: String?

    init(_ e: AuditRecord) {
        seq = e.seq ?? 0
        at = Timestamp.string(e.at)
        actor = e.actor
        organization = e.organization
        concerns = e.concerns
        action = e.action
        object = e.object
        decision = e.decision
        reasons = e.reasons
        detail = e.detail
        hash = e.hash.map { $0.map { String(format: "%02x", $0) }.joined() }
    }
}

public struct AuditPage: Codable, Sendable {
    public var items: [AuditEventResponse]
    public var next: String?
}

/// The result of checking an originator's signature.
public struct VerificationResult: Codable, Sendable {
    public var id: String
    public var kind: String
    public var originator: String
    public var valid: Bool
    public var algorithm: String
    public var publicKey: String
    public var signature: String
    /// SHA-256 of the canonical content that was signed.
    public var contentDigest: String
}

public struct GrantResponse: Codable, Sendable {
    public var member: String
    public var report: String
}

public struct IdentityResponse: Codable, Sendable {
    public var nodeAdmin: Bool
    public var member: MemberResponse?
    /// Whether the member is throttled or suspended, so that every other route refuses it.
    public var restricted: Bool
    /// Why, and who can end it; `null` when not restricted.
    public var restriction: String?
}

/// An alert for security members.
public struct AlertResponse: Codable, Sendable {
    public var id: String
    public var organization: String
    /// The member the alert is about.
    public var member: String
    public var kind: String
    public var detail: String
    public var createdAt: String
    public var resolvedBy: String?
    public var resolvedAt: String?

    init(_ a: AlertRecord) {
        id = a.id
        organization = a.organization
        member = a.subject
        kind = a.kind
        detail = a.detail
        createdAt = Timestamp.string(a.createdAt)
        resolvedBy = a.resolvedBy
        resolvedAt = a.resolvedAt.map(Timestamp.string)
    }
}
