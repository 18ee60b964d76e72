import Foundation
import TearlineCore

/// The sliding windows that count each member's reads, listed results, exports and refusals
/// against ``ThrottleLimits``. Each `admit…`/`record…` call counts one access and answers the
/// limit it crossed, if any. The throttled flag itself is stored on the member; the windows are
/// process-local state, so a node of several processes substitutes a shared implementation.
public protocol ThrottleWindows: Sendable {
    var limits: ThrottleLimits { get }
    func admitRead(_ member: String, document: String, at now: Int64) -> ThrottleKind?
    func admitResults(_ member: String, count: Int, at now: Int64) -> ThrottleKind?
    func admitExport(_ member: String, at now: Int64) -> ThrottleKind?
    func recordDenial(_ member: String, at now: Int64) -> ThrottleKind?
    /// Forgets a member's window, when its throttle is lifted.
    func reset(_ member: String)
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

/// A member who just crossed a limit: the read that found it is refused, and the service then
/// marks the member throttled and alerts security in a write transaction.
struct ThrottleTrigger: Sendable, Hashable {
    var member: String
    var organization: String
    var kind: ThrottleKind
}
