import Foundation
import TearlineCore

/// Everything the application does with stored data happens inside one ``StoreSession``:
/// one transaction. The SQLite store implements it with GRDB; a PostgreSQL store implements
/// the same protocols, so no caller changes.
public protocol TearlineStore: Sendable {
    /// Runs `body` in a read-only transaction. Audit records it appends are committed (in a
    /// group commit with other requests' records) before `read` returns; if `body` throws, they are dropped.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> T) async throws -> T
    /// Runs `body` in one write transaction; it commits only if `body` returns, and nothing is
    /// written if it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> T) async throws -> T
    /// Counters every process of the node shares, when several share this store; `nil` when one
    /// process owns it (and counts in its own memory).
    var sharedWindows: (any SharedWindowCounting)? { get }
    /// Whether this process leads `task` for the node now (taking the lead when nobody holds it).
    /// A store one process owns always leads.
    func leads(_ task: NodeTask) async -> Bool
    /// Verifies the whole audit chain, its signed checkpoints and head, as `tearline audit verify`
    /// does; `nil` when this store cannot be verified in place (an in-memory database).
    func verifyAuditChain() async throws -> AuditVerification?
    /// Whether the store can serve now: it answers, its schema is current, no storage fault is outstanding.
    func readiness() async -> StoreReadiness
    /// The storage faults this process has seen and not yet seen mended.
    var storageHealth: StorageHealth { get }
    /// Signs the audit head over the last entry if no signed head covers it yet, and returns the
    /// signed head (nil for an empty log). A node does this as it shuts down.
    func sealAuditHead() async throws -> AuditCheckpoint?
    /// Lets go of the database as the process stops: a file's journal is checkpointed, a
    /// server's connections are closed. Later transactions may fail.
    func close() async
}

public typealias StoreSession = OrganizationRepository & MemberRepository & PartnershipRepository
    & ReportRepository & ReleaseRepository & ConsentRepository & AuditRepository & AlertRepository
    & EntityRepository & AccessRequestRepository & NotificationRepository & FeedbackRepository & TrustRepository & LedgerRepository & TAXIIRepository
    & FederationRepository & ConsoleSessionRepository & AuditWitnessRepository & DiscoveryRepository

public protocol OrganizationRepository {
    func insertOrganization(_ organization: OrganizationRecord) throws
    func organization(id: String) throws -> OrganizationRecord?
    func organizations() throws -> [OrganizationRecord]
    func insertNodeCredential(tokenHash: Data, createdAt: Int64) throws
    func nodeCredentialExists(tokenHash: Data) throws -> Bool
    func nodeCredentialCount() throws -> Int
}

public protocol MemberRepository {
    func insertMember(_ member: MemberRecord) throws
    func member(id: String) throws -> MemberRecord?
    func member(tokenHash: Data) throws -> MemberRecord?
    func members(organization: String) throws -> [MemberRecord]
    func updateMember(_ member: MemberRecord) throws
    func insertGrant(member: String, report: String, grantedBy: String, createdAt: Int64) throws
    func hasGrant(member: String, report: String) throws -> Bool
}

public protocol PartnershipRepository {
    func insertPartnership(_ partnership: PartnershipRecord) throws
    func partnership(id: String) throws -> PartnershipRecord?
    func partnership(between a: String, and b: String) throws -> PartnershipRecord?
    func partnerships(involving organization: String?) throws -> [PartnershipRecord]
    func updatePartnership(_ partnership: PartnershipRecord) throws
}

/// A page of results after an opaque cursor.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?
    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

public protocol ReportRepository {
    /// Stores a report (text sealed) and indexes its entity mentions.
    func insertReport(_ report: StoredReport, discoverability: Discoverability) throws
    func report(id: String) throws -> StoredReport?
    /// Report ids of an originator, newest first, after `cursor`.
    func reportIds(originator: String, after cursor: String?, limit: Int) throws -> Page<String>
}

extension ReportRepository {
    /// Stores a report discoverable to its own organisation (the default).
    public func insertReport(_ report: StoredReport) throws {
        try insertReport(report, discoverability: .default)
    }
}

public protocol EntityRepository {
    /// Runs `body` with the committed entity index (shared; do not hold it long).
    func withEntityIndex<T>(_ body: (EntityIndex) throws -> T) rethrows -> T
    /// The blind identifier the index uses for a normalised entity.
    func entityId(of entity: NormalizedEntity) -> UInt64
    /// The mentions the index holds (or will hold) for a report: listed entities and observables found in its text.
    func entityMentions(of report: Report) -> [IndexedMention]
    /// The normalised entity behind a blind identifier, if any holding mentions it.
    func entity(id: UInt64) throws -> NormalizedEntity?
    func setDiscoverability(_ discoverability: Discoverability, report: String) throws
    /// The reports a member holds an explicit need-to-know grant for.
    func grants(member: String) throws -> Set<String>
}

public protocol AccessRequestRepository {
    func insertAccessRequest(_ request: AccessRequestRecord) throws
    func accessRequest(id: String) throws -> AccessRequestRecord?
    /// Requests to `holder` (incoming) or from `requesterOrganization` (outgoing), newest first.
    func accessRequests(holder: String?, requesterOrganization: String?, limit: Int) throws -> [AccessRequestRecord]
    func updateAccessRequest(_ request: AccessRequestRecord) throws
}

public protocol NotificationRepository {
    func insertNotification(_ notification: NotificationRecord) throws
    /// A member's notifications, newest first.
    func notifications(member: String, limit: Int) throws -> [NotificationRecord]
}

public protocol ReleaseRepository {
    /// Stores a release and its own copy of the text, sealed under a key of its own.
    func insertRelease(_ release: ReleaseRecord, content: ReleaseContent) throws
    /// The release's copy of the text; `nil` once revocation destroyed its key.
    func releaseContent(id: String) throws -> ReleaseContent?
    func release(id: String) throws -> ReleaseRecord?
    /// Releases received by `recipient`, newest first, after `cursor`.
    func releases(recipient: String, after cursor: String?, limit: Int) throws -> Page<ReleaseRecord>
    func releases(report: String) throws -> [ReleaseRecord]
    /// Records a revocation. A revoked release's key and copy are destroyed.
    func updateRelease(_ release: ReleaseRecord) throws
    /// Destroys the report a received release was stored under (a partner node's copy): its
    /// key and sealed text, its portions, its index postings, the entities only it mentioned, the
    /// correlation notifications it raised and every cached copy. The report row stays, emptied,
    /// so that the revoked release and requests that name it keep their reference.
    func destroyReceivedCopy(of release: ReleaseRecord) throws
}

public protocol ConsentRepository {
    func insertConsentRequest(_ request: ConsentRequestRecord) throws
    func consentRequest(id: String) throws -> ConsentRequestRecord?
    /// Requests where the organisation is the originator or the holder.
    func consentRequests(involving organization: String) throws -> [ConsentRequestRecord]
    func updateConsentRequest(_ request: ConsentRequestRecord) throws
}

public protocol AuditRepository {
    /// Appends an access event. In a write session it commits with the transaction; in a read
    /// session it is committed before the store's `read` returns.
    func appendAudit(_ event: AuditRecord) throws
    func auditEvents(_ query: AuditQuery) throws -> [AuditRecord]
    /// Every (document, member) pair that was served a copy of a document's text, from the log:
    /// the recipients of fingerprinted copies.
    func servedCopies() throws -> [ServedCopy]
}

/// A member who was served a copy of a report's or a release's text.
public struct ServedCopy: Sendable, Hashable {
    public var document: String
    public var member: String
    public var organization: String
    public init(document: String, member: String, organization: String) {
        self.document = document
        self.member = member
        self.organization = organization
    }
}

public protocol AlertRepository {
    func insertAlert(_ alert: AlertRecord) throws
    /// An organisation's alerts, newest first; only unresolved ones when `openOnly`.
    func alerts(organization: String, openOnly: Bool, limit: Int) throws -> [AlertRecord]
    /// Marks every open alert about `subject` resolved; returns how many.
    func resolveAlerts(subject: String, by resolver: String, at time: Int64) throws -> Int
}
