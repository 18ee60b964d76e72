import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// How long a console session lasts.
public struct ConsoleSessionPolicy: Sendable, Hashable {
    /// The session ends this long after sign-in, however busy it is (milliseconds).
    public var lifetime: Int64
    /// The session ends after this long without a request (milliseconds).
    public var idle: Int64
    /// A request moves the session's last-seen time at most this often (one write, not one per
    /// page): a session idle for `idle` ends between `idle − touchEvery` and `idle` after its last page.
    /// why not every minute: on PostgreSQL every write empties every instance's read memo.
    public var touchEvery: Int64

    public init(lifetime: Int64 = 8 * 3_600_000, idle: Int64 = 30 * 60_000, touchEvery: Int64 = 5 * 60_000) {
        self.lifetime = lifetime
        self.idle = idle
        self.touchEvery = min(touchEvery, idle / 2)
    }

    public static let standard = ConsoleSessionPolicy()
}

/// A console session just opened: the cookie value, shown once and stored only as its hash.
public struct ConsoleSessionGrant: Sendable {
    public let token: String
    public let caller: Caller
    public let expiresAt: Int64
}

/// Console sessions: opened after the caller proved who it is (password or API token), stored
/// as hashes so that every instance knows them, and ended by sign-out, lifetime or idleness.
extension MemberService {
    /// Opens a session for an authenticated caller, audited. A restricted member gets one too: the
    /// gate then shows it why it may do nothing, on every page.
    public func openConsoleSession(for caller: Caller, via method: String, policy: ConsoleSessionPolicy = .standard) async throws -> ConsoleSessionGrant {
        let token = APIToken.generate(prefix: "tls", random: random)
        let now = now()
        let record = ConsoleSessionRecord(tokenHash: APIToken.hash(token), member: caller.member?.id, createdAt: now,
                                          expiresAt: now + policy.lifetime, lastSeenAt: now)
        try await store.write { s in
            // why here: sign-ins are rare, so they sweep the sessions that ended.
            try s.deleteConsoleSessions(now: now, idleBefore: now - policy.idle)
            try s.insertConsoleSession(record)
            try s.appendAudit(.by(caller, at: now, action: .sessionCreate, object: nil, decision: .allow, detail: "via=\(method)"))
        }
        return ConsoleSessionGrant(token: token, caller: caller, expiresAt: record.expiresAt)
    }

    /// The caller of a live session, read afresh (a suspension holds at the next page), or `nil`
    /// when the session is unknown, past its lifetime or idle too long. An ended session is deleted.
    public func consoleCaller(session token: String, policy: ConsoleSessionPolicy = .standard) async throws -> Caller? {
        let hash = APIToken.hash(token)
        let now = now()
        enum Found: Sendable { case live(Caller, touch: Bool), ended, none }
        let found = try await store.read { s -> Found in
            guard let session = try s.consoleSession(tokenHash: hash) else { return .none }
            guard session.expiresAt > now, session.lastSeenAt > now - policy.idle else { return .ended }
            let touch = now - session.lastSeenAt >= policy.touchEvery
            guard let memberId = session.member else { return .live(.nodeAdmin, touch: touch) }
            guard let member = try s.member(id: memberId) else { return .ended }
            return .live(.member(member), touch: touch)
        }
        switch found {
        case .none:
            return nil
        case .ended:
            try await store.write { s in try s.deleteConsoleSession(tokenHash: hash) }
            return nil
        case .live(let caller, let touch):
            if touch { try await store.write { s in try s.touchConsoleSession(tokenHash: hash, at: now) } }
            return caller
        }
    }

    /// Ends a session (sign-out), audited; an unknown session is left alone. With `everywhere`,
    /// every session of the same member ends too (a member who left a browser signed in elsewhere).
    public func closeConsoleSession(_ token: String, everywhere: Bool = false) async throws {
        let hash = APIToken.hash(token)
        let now = now()
        try await store.write { s in
            guard let session = try s.consoleSession(tokenHash: hash) else { return }
            try s.deleteConsoleSession(tokenHash: hash)
            if everywhere, let member = session.member { try s.deleteConsoleSessions(member: member) }
            let caller: Caller? = try session.member.map { id in try s.member(id: id).map(Caller.member) } ?? .nodeAdmin
            if let caller {
                try s.appendAudit(.by(caller, at: now, action: .sessionEnd, object: nil, decision: .allow, detail: everywhere ? "everywhere" : nil))
            }
        }
    }

    /// The CSRF token of a session: bound to it, so that a form posted with another session's
    /// token (or none) is refused, and derivable on any instance without storing it.
    public static func csrfToken(session token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("tearline-console-csrf".utf8), using: SymmetricKey(data: Data(token.utf8)))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
