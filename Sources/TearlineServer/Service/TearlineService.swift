import Foundation
import TearlineCore
import TearlineStore

/// The application's use cases, shared by the HTTP controllers and the CLI so that both run the
/// same code path: validate, decide with a rule of TearlineCore, store and audit in one transaction.
///
/// The use cases are grouped by area, each a thin service over one shared ``ServiceContext``:
/// `members`, `reports`, `releases`, `entities`, `audit`, `trust`, `taxii` and `federation`.
public final class TearlineService: Sendable {
    public let context: ServiceContext
    /// Organisations and members, credentials, grants and the gate.
    public let members: MemberService
    /// Reports: write, read, verify, export, trace.
    public let reports: ReportService
    /// Releases and consent.
    public let releases: ReleaseService
    /// Entities, correlations and access requests.
    public let entities: EntityService
    /// The audit log, receipts, throttles and alerts.
    public let audit: AuditService
    /// Partnerships, trust, feedback and the ledger.
    public let trust: TrustService
    /// The TAXII 2.1 server and imports.
    public let taxii: TAXIIService
    /// Federation with partner nodes.
    public let federation: FederationService
    /// How this node calls partner nodes for a request (private search); unset, it does not.
    public let nodeDialer = NodeDialer()

    /// `time` and `random` are the node's clock and random source; tests inject their own.
    public init(store: any TearlineStore, masterKey: MasterKey, limits: ThrottleLimits = .standard, clock: (@Sendable () -> Int64)? = nil,
                time: (any TimeSource)? = nil, random: any RandomSource = SystemRandom(), throttleWindows: (any ThrottleWindows)? = nil,
                passwordChecks: PasswordCheckPool = .shared) {
        let context = ServiceContext(
            store: store, masterKey: masterKey, time: time ?? clock.map { FunctionTime($0) } ?? SystemTime(), random: random,
            throttle: throttleWindows ?? store.sharedWindows.map { SharedThrottleWindows(limits: limits, counters: $0) }
                ?? LocalThrottleWindows(limits: limits),
            passwordChecks: passwordChecks)
        self.context = context
        members = MemberService(context: context)
        reports = ReportService(context: context)
        releases = ReleaseService(context: context)
        entities = EntityService(context: context)
        audit = AuditService(context: context)
        trust = TrustService(context: context)
        taxii = TAXIIService(context: context)
        federation = FederationService(context: context)
    }

    /// Opens the SQLite store and its master key file (created with mode 0600 when missing).
    public static func open(databasePath: String, keyFile: String? = nil, limits: ThrottleLimits = .standard,
                            passwordChecks: PasswordCheckPool = .shared) async throws -> TearlineService {
        try await open(.file(databasePath), keyFile: keyFile, limits: limits, passwordChecks: passwordChecks)
    }

    /// Opens the store at `location`. A file's master key comes from `keyFile` (by default beside
    /// the database; created with mode 0600 when missing); an in-memory store without a key file
    /// gets a fresh random key, since nothing it seals outlives it. A PostgreSQL database has no
    /// file to sit beside: its key file must be named (every instance of the node loads the same one).
    public static func open(_ location: StoreLocation, keyFile: String? = nil, limits: ThrottleLimits = .standard,
                            passwordChecks: PasswordCheckPool = .shared) async throws -> TearlineService {
        let key: MasterKey
        if let keyFile {
            key = try MasterKey.loadOrCreate(path: keyFile)
        } else if let path = location.filePath {
            key = try MasterKey.loadOrCreate(path: MasterKey.defaultPath(forDatabase: path))
        } else if !location.isPersistent {
            key = MasterKey.random()
        } else {
            throw MasterKeyRequired()
        }
        return TearlineService(store: try await location.open(masterKey: key), masterKey: key, limits: limits, passwordChecks: passwordChecks)
    }

    /// A database that outlives the process was named without the key file its text is sealed under.
    public struct MasterKeyRequired: Error, CustomStringConvertible {
        public var description: String { "a PostgreSQL database needs --key-file: the node master key every instance shares" }
    }

    /// The store every area works in.
    public var store: any TearlineStore { context.store }

    /// The limits members are throttled at.
    public var limits: ThrottleLimits { context.throttle.limits }
}
