import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// One area of the application's use cases, over the shared ``ServiceContext``. Each area is a
/// value: building one costs nothing, so an area that needs another's use case says so by name
/// (`entities.notifyCorrelations(…)`).
protocol ServiceArea: Sendable {
    var context: ServiceContext { get }
}

extension ServiceArea {
    var store: any TearlineStore { context.store }
    var masterKey: MasterKey { context.masterKey }
    var time: any TimeSource { context.time }
    var random: any RandomSource { context.random }
    var ids: IdentifierSource { context.ids }
    var throttle: any ThrottleWindows { context.throttle }
    var trackRecords: TrackRecordCache { context.trackRecords }
    var canaryKeyBytes: Data { context.canaryKeyBytes }
    var pointerKeyBytes: Data { context.pointerKeyBytes }
    var loginCache: BasicLoginCache { context.loginCache }
    var taxiiClock: TAXIIClock { context.taxiiClock }
    var passwordChecks: PasswordCheckPool { context.passwordChecks }

    func now() -> Int64 { time.nowMilliseconds() }

    /// Runs a write transaction whose body may refuse with a ``ServiceError`` *after* recording the
    /// refusal in the audit log (see ``refuse(_:_:at:_:object:concerns:reasons:detail:countingAgainst:answer:)``):
    /// the audit row commits, the error is thrown afterwards.
    func transact<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> Result<T, ServiceError>) async throws -> T {
        let result = try await store.write(body)
        if case .failure(let error) = result, let trigger = error.throttle {
            try await markThrottled(trigger)
        }
        return try result.get()
    }

    /// Runs a read transaction with the same shape as ``transact(_:)``. Its audit records (denials
    /// included) are committed before this returns, and before any error is thrown.
    ///
    /// A refusal that found a member crossing a throttle limit marks the member throttled, alerts
    /// security and audits it (a write) before the refusal is thrown.
    func lookup<T: Sendable>(_ body: @escaping @Sendable (any StoreSession) throws -> Result<T, ServiceError>) async throws -> T {
        let result = try await store.read(body)
        if case .failure(let error) = result, let trigger = error.throttle {
            try await markThrottled(trigger)
        }
        return try result.get()
    }

    /// Resolves a token hash inside a transaction; an unknown token is audited and gives `nil`.
    func caller(_ s: any StoreSession, tokenHash: Data, now: Int64, path: String) throws -> Caller? {
        if let member = try s.member(tokenHash: tokenHash) { return .member(member) }
        if try s.nodeCredentialExists(tokenHash: tokenHash) { return .nodeAdmin }
        try s.appendAudit(AuditRecord(at: now, actor: nil, organization: nil, action: .authDenied, object: path, decision: "deny", reasons: ["unauthenticated"]))
        return nil
    }

    func signingKey(for organization: OrganizationRecord) throws -> Curve25519.Signing.PrivateKey {
        try context.signingKeys.key(organization: organization.id, sealed: organization.sealedPrivateKey) { sealed in
            let raw = try masterKey.open(sealed, context: "org-signing-key:\(organization.id)")
            return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        }
    }

    // The areas, by name, for a use case that crosses into another area.
    var members: MemberService { MemberService(context: context) }
    var reports: ReportService { ReportService(context: context) }
    var releases: ReleaseService { ReleaseService(context: context) }
    var entities: EntityService { EntityService(context: context) }
    var audit: AuditService { AuditService(context: context) }
    var trust: TrustService { TrustService(context: context) }
    var taxii: TAXIIService { TAXIIService(context: context) }
    var federation: FederationService { FederationService(context: context) }
}

/// Organisations, their members and credentials, member grants, and the gate every member passes.
public struct MemberService: ServiceArea {
    let context: ServiceContext
}

/// Reports: writing, reading, verifying, exporting (fingerprinted) and tracing leaks.
public struct ReportService: ServiceArea {
    let context: ServiceContext
}

/// Releases to partners, their copies and revocation, and consent to forward.
public struct ReleaseService: ServiceArea {
    let context: ServiceContext
}

/// Entities: search, pointers and correlations, and access requests.
public struct EntityService: ServiceArea {
    let context: ServiceContext
}

/// The audit log, access receipts, throttles and alerts.
public struct AuditService: ServiceArea {
    let context: ServiceContext
}

/// Partnerships and trust, feedback and track records, and the exchange ledger.
public struct TrustService: ServiceArea {
    let context: ServiceContext
}

/// The TAXII 2.1 server, its collections and credentials, and STIX and medallion imports.
public struct TAXIIService: ServiceArea {
    let context: ServiceContext
}

/// Federation with partner nodes: serving, receiving, refusals and peers.
public struct FederationService: ServiceArea {
    let context: ServiceContext
}
