import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// The application's use cases, shared by the HTTP controllers and the CLI so that both run
/// the same code path: validate, decide with ``DecisionRule``, store and audit in one transaction.
public final class TearlineService: Sendable {
    public let store: any TearlineStore
    let masterKey: MasterKey
    /// The node's clock, random source and identifiers (see ``TimeSource``, ``RandomSource``).
    let time: any TimeSource
    let random: any RandomSource
    let ids: IdentifierSource
    /// Throttle windows: this process's own unless a shared implementation is given.
    let throttle: any ThrottleWindows
    /// Track records by originator, dropped when feedback arrives (only feedback changes them).
    let trackRecords = TrackRecordCache()
    /// The canary secret (see ``canaryKey``), derived once.
    let canaryKeyBytes: Data
    /// The key that seals pointer handles (see ``PointerHandle``), derived once.
    let pointerKeyBytes: Data
    /// Recent successful HTTP Basic logins (see ``BasicLoginCache``).
    let loginCache = BasicLoginCache()
    /// Hands out strictly increasing TAXII `date_added` times.
    let taxiiClock = TAXIIClock()
    /// Where HTTP Basic passwords are checked (see ``PasswordCheckPool``).
    let passwordChecks: PasswordCheckPool

    /// `time` and `random` are the node's clock and random source; tests inject their own.
    public init(store: any TearlineStore, masterKey: MasterKey, limits: ThrottleLimits = .standard, clock: (@Sendable () -> Int64)? = nil,
                time: (any TimeSource)? = nil, random: any RandomSource = SystemRandom(), throttleWindows: (any ThrottleWindows)? = nil,
                passwordChecks: PasswordCheckPool = .shared) {
        self.passwordChecks = passwordChecks
        self.store = store
        self.masterKey = masterKey
        self.throttle = throttleWindows ?? LocalThrottleWindows(limits: limits)
        self.canaryKeyBytes = masterKey.derive("canary-v1").withUnsafeBytes { Data($0) }
        self.pointerKeyBytes = masterKey.derive("pointer-handle-v1").withUnsafeBytes { Data($0) }
        self.time = time ?? clock.map { FunctionTime($0) } ?? SystemTime()
        self.random = random
        self.ids = IdentifierSource(random: random)
    }

    /// Opens the SQLite store and its master key file (created with mode 0600 when missing).
    public static func open(databasePath: String, keyFile: String? = nil, limits: ThrottleLimits = .standard,
                            passwordChecks: PasswordCheckPool = .shared) throws -> TearlineService {
        try open(.file(databasePath), keyFile: keyFile, limits: limits, passwordChecks: passwordChecks)
    }

    /// Opens a SQLite store at `location`. A file's master key comes from `keyFile` (by default
    /// beside the database; created with mode 0600 when missing); an in-memory store without a
    /// key file gets a fresh random key, since nothing it seals outlives it.
    public static func open(_ location: SQLiteStore.Location, keyFile: String? = nil, limits: ThrottleLimits = .standard,
                            passwordChecks: PasswordCheckPool = .shared) throws -> TearlineService {
        let key: MasterKey
        switch (location, keyFile) {
        case (_, let keyFile?): key = try MasterKey.loadOrCreate(path: keyFile)
        case (.file(let path), nil): key = try MasterKey.loadOrCreate(path: MasterKey.defaultPath(forDatabase: path))
        case (.memory, nil): key = MasterKey.random()
        }
        let store = try SQLiteStore(location, masterKey: key)
        return TearlineService(store: store, masterKey: key, limits: limits, passwordChecks: passwordChecks)
    }

    /// The limits members are throttled at.
    public var limits: ThrottleLimits { throttle.limits }

    func now() -> Int64 { time.nowMilliseconds() }

    /// Runs a write transaction whose body may refuse with a problem *after* recording the
    /// refusal in the audit log: the audit row commits, the problem is thrown afterwards.
    func transact<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> Result<T, Problem>) async throws -> T {
        let result = try await store.write(body)
        if case .failure(let problem) = result, let trigger = problem.throttle {
            try await markThrottled(trigger)
        }
        return try result.get()
    }

    /// Runs a read transaction with the same shape as ``transact(_:)``. Its audit records (denials
    /// included) are committed before this returns, and before any problem is thrown.
    ///
    /// A refusal that found a member crossing a throttle limit marks the member throttled, alerts
    /// security and audits it (a write) before the 429 goes out.
    func lookup<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> Result<T, Problem>) async throws -> T {
        let result = try await store.read(body)
        if case .failure(let problem) = result, let trigger = problem.throttle {
            try await markThrottled(trigger)
        }
        return try result.get()
    }

    /// Resolves a bearer token to a caller, or `nil` when no credential matches.
    public func authenticate(token: String) async throws -> Caller? {
        let hash = APIToken.hash(token)
        return try await store.read { s in
            if let member = try s.member(tokenHash: hash) { return .member(member) }
            if try s.nodeCredentialExists(tokenHash: hash) { return .nodeAdmin }
            return nil
        }
    }

    /// Resolves a token hash inside a transaction; an unknown token is audited and gives `nil`.
    func caller(_ s: any StoreSession, tokenHash: Data, now: Int64, path: String) throws -> Caller? {
        if let member = try s.member(tokenHash: tokenHash) { return .member(member) }
        if try s.nodeCredentialExists(tokenHash: tokenHash) { return .nodeAdmin }
        try s.appendAudit(AuditRecord(at: now, actor: nil, organization: nil, action: .authDenied, object: path, decision: "deny", reasons: ["unauthenticated"]))
        return nil
    }

    /// Creates the node-admin credential if the node has none, returning the token to show once.
    public func bootstrapNodeAdmin() async throws -> String? {
        try await bootstrapNodeAdmin(deliver: { _ in })
    }

    /// Creates the node-admin credential if the node has none. `deliver` hands the token to the
    /// operator (for `serve`, a 0600 file) inside the transaction: if it fails, no credential is
    /// stored, so a token can never be created and lost.
    public func bootstrapNodeAdmin(deliver: @escaping @Sendable (String) throws -> Void) async throws -> String? {
        let token = APIToken.generate(prefix: "tln", random: random)
        let hash = APIToken.hash(token)
        let now = now()
        return try await store.write { s in
            guard try s.nodeCredentialCount() == 0 else { return nil }
            try s.insertNodeCredential(tokenHash: hash, createdAt: now)
            try s.appendAudit(AuditRecord(at: now, actor: "node", organization: nil, action: .nodeAdminCreate, object: nil, decision: "allow"))
            try deliver(token)
            return token
        }
    }

    /// Records an authentication failure.
    public func auditUnauthenticated(path: String) async throws {
        let now = now()
        _ = try await store.write { s in
            try s.appendAudit(AuditRecord(at: now, actor: nil, organization: nil, action: .authDenied, object: path, decision: "deny", reasons: ["unauthenticated"]))
        }
    }

    func signingKey(for organization: OrganizationRecord) throws -> Curve25519.Signing.PrivateKey {
        let raw = try masterKey.open(organization.sealedPrivateKey, context: "org-signing-key:\(organization.id)")
        return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }
}

extension AuditRecord {
    /// An audit record for `caller` acting on `object`.
    static func by(
        _ caller: Caller, at: Int64, action: AuditAction, object: String?, concerns: String? = nil,
        decision: Decision, detail: String? = nil
    ) -> AuditRecord {
        AuditRecord(
            at: at, actor: caller.actorId, organization: caller.organization, concerns: concerns, action: action,
            object: object, decision: decision.isAllowed ? "allow" : "deny", reasons: decision.reasons.codes, detail: detail)
    }
}

/// Validation of identifiers that arrive from outside.
enum Validate {
    static func organizationId(_ id: String, field: String) throws(Problem) {
        guard OrganizationID.isValid(id) else {
            throw .badRequest("\(field) \"\(id)\" is not an organisation id: use 1–16 upper-case letters, digits and hyphens, starting with a letter.")
        }
    }

    /// An organisation's id, name and kind, as the node admin gives them for a new or a partner organisation.
    static func organization(id: String, idField: String, name: String, kind: String) throws(Problem) -> OrganizationKind {
        try organizationId(id, field: idField)
        try text(name, field: "name", max: 200)
        guard let parsed = OrganizationKind(rawValue: kind) else {
            throw .badRequest("kind \"\(kind)\" must be one of state, agency, international.")
        }
        return parsed
    }

    /// Topics: lower-case letters, digits, '-', '.', '_', 1–64 characters.
    static func topics(_ topics: [String], field: String) throws(Problem) {
        for topic in topics {
            let ok = !topic.isEmpty && topic.count <= 64 && topic.utf8.allSatisfy { b in
                (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F
            }
            guard ok else { throw .badRequest("\(field) \"\(topic)\" is not a topic: use 1–64 lower-case letters, digits, '-', '.', '_'.") }
        }
    }

    static func compartments(_ values: [String], field: String) throws(Problem) {
        for value in values where !CompartmentID.isValid(value) {
            throw .badRequest("\(field) \"\(value)\" is not a compartment: use upper-case letters, digits and hyphens.")
        }
    }

    static func text(_ value: String, field: String, max: Int) throws(Problem) {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .badRequest("\(field) must not be empty.") }
        guard value.utf8.count <= max else { throw .badRequest("\(field) is longer than \(max) bytes.") }
    }

    static func clearance(_ text: String) throws(Problem) -> Classification {
        guard let level = Classification(anyName: text) else {
            throw .badRequest("clearance \"\(text)\" is not a classification (UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET).")
        }
        return level
    }

    static func marking(_ text: String, field: String) throws(Problem) -> Marking {
        do { return try Marking.parse(text) } catch { throw Problem.invalidMarking(error, at: field) }
    }
}
