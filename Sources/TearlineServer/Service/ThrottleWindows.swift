import Foundation
import TearlineCore
import TearlineStore

/// The sliding windows that count each member's reads, listed results, exports and refusals
/// against ``ThrottleLimits``. Each `admit…`/`record…` call counts one access and answers the
/// limit it crossed, if any. The throttled flag itself is stored on the member; the windows are
/// process-local state, so a node of several processes substitutes a shared implementation.
public protocol ThrottleWindows: Sendable {
    var limits: ThrottleLimits { get }
    // why throwing: windows a node's instances share live in its database. Every call is made in
    // a transaction body, where a store may wait for its database.
    func admitRead(_ member: String, document: String, at now: Int64) throws -> ThrottleKind?
    func admitResults(_ member: String, count: Int, at now: Int64) throws -> ThrottleKind?
    func admitExport(_ member: String, at now: Int64) throws -> ThrottleKind?
    func recordDenial(_ member: String, at now: Int64) throws -> ThrottleKind?
    /// Forgets a member's window, when its throttle is lifted.
    func reset(_ member: String) throws
}

/// Every member's ``AccessWindow``, in this process's memory, behind a lock. The windows start
/// afresh on a restart (the throttle itself survives: it is stored).
public final class LocalThrottleWindows: ThrottleWindows, @unchecked Sendable {
    // why @unchecked: `windows` is guarded by `lock`.
    public let limits: ThrottleLimits
    private let lock = NSLock()
    private var windows: [String: AccessWindow] = [:]

    public init(limits: ThrottleLimits) {
        self.limits = limits
    }

    public func admitRead(_ member: String, document: String, at now: Int64) -> ThrottleKind? {
        lock.withLock { windows[member, default: AccessWindow()].admitRead(document, at: now, limits: limits) }
    }

    public func admitResults(_ member: String, count: Int, at now: Int64) -> ThrottleKind? {
        lock.withLock { windows[member, default: AccessWindow()].admitResults(count, at: now, limits: limits) }
    }

    public func admitExport(_ member: String, at now: Int64) -> ThrottleKind? {
        lock.withLock { windows[member, default: AccessWindow()].admitExport(at: now, limits: limits) }
    }

    public func recordDenial(_ member: String, at now: Int64) -> ThrottleKind? {
        lock.withLock { windows[member, default: AccessWindow()].recordDenial(at: now, limits: limits) }
    }

    /// Forgets a member's window, when a security member lifts the throttle.
    public func reset(_ member: String) {
        lock.withLock { _ = windows.removeValue(forKey: member) }
    }
}

/// Every member's window in the store's shared counters (see ``SharedWindowCounting``): the
/// windows of a node whose instances share one database, so that reads spread over instances
/// count as on one. The same limits and the same meaning as ``AccessWindow``.
public struct SharedThrottleWindows: ThrottleWindows {
    public let limits: ThrottleLimits
    let counters: any SharedWindowCounting

    public init(limits: ThrottleLimits, counters: any SharedWindowCounting) {
        self.limits = limits
        self.counters = counters
    }

    public func admitRead(_ member: String, document: String, at now: Int64) throws -> ThrottleKind? {
        try admit(member, .distinctReads, key: document, amount: 1, limit: limits.distinctReads, at: now)
    }

    public func admitResults(_ member: String, count: Int, at now: Int64) throws -> ThrottleKind? {
        try admit(member, .searchResults, key: nil, amount: count, limit: limits.searchResults, at: now)
    }

    public func admitExport(_ member: String, at now: Int64) throws -> ThrottleKind? {
        try admit(member, .exports, key: nil, amount: 1, limit: limits.exports, at: now)
    }

    public func recordDenial(_ member: String, at now: Int64) throws -> ThrottleKind? {
        try admit(member, .deniedReads, key: nil, amount: 1, limit: limits.deniedReads, at: now)
    }

    public func reset(_ member: String) throws {
        try counters.reset(member: member)
    }

    private func admit(_ member: String, _ kind: ThrottleKind, key: String?, amount: Int, limit: Int, at now: Int64) throws -> ThrottleKind? {
        try counters.admit(member: member, kind: kind.rawValue, key: key, amount: amount, limit: limit, window: limits.window, now: now) ? nil : kind
    }
}

/// A member who just crossed a limit: the read that found it is refused, and the service then
/// marks the member throttled and alerts security in a write transaction.
struct ThrottleTrigger: Sendable, Hashable {
    var member: String
    var organization: String
    var kind: ThrottleKind
}
