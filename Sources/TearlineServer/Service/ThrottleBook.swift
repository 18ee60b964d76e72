import Foundation
import TearlineCore

/// Every member's ``AccessWindow``, in memory, behind a lock. The throttled flag itself is stored
/// on the member, so a throttle survives a restart; the windows start afresh.
final class ThrottleBook: @unchecked Sendable {
    // why @unchecked: `windows` is guarded by `lock`.
    let limits: ThrottleLimits
    private let lock = NSLock()
    private var windows: [String: AccessWindow] = [:]

    init(limits: ThrottleLimits) {
        self.limits = limits
    }

    func admitRead(_ member: String, document: String, at now: Int64) -> ThrottleKind? {
        lock.withLock { windows[member, default: AccessWindow()].admitRead(document, at: now, limits: limits) }
    }

    func admitResults(_ member: String, count: Int, at now: Int64) -> ThrottleKind? {
        lock.withLock { windows[member, default: AccessWindow()].admitResults(count, at: now, limits: limits) }
    }

    func admitExport(_ member: String, at now: Int64) -> ThrottleKind? {
        lock.withLock { windows[member, default: AccessWindow()].admitExport(at: now, limits: limits) }
    }

    func recordDenial(_ member: String, at now: Int64) -> ThrottleKind? {
        lock.withLock { windows[member, default: AccessWindow()].recordDenial(at: now, limits: limits) }
    }

    /// Forgets a member's window, when a security member lifts the throttle.
    func reset(_ member: String) {
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

extension Problem {
    /// 429 for a throttled member. `Retry-After` is the window: the throttle itself stays until a
    /// `security` member of the organisation lifts it.
    static func throttled(window: Int64, trigger: ThrottleTrigger? = nil) -> Problem {
        var problem = Problem(
            status: 429, type: "member-throttled", title: "Too many requests",
            detail: "This member is throttled for bulk access; a security member of the organisation must lift it.",
            reasons: DenialReasons.memberThrottled.codes, retryAfter: Int(max(1, window / 1000)))
        problem.throttle = trigger
        return problem
    }
}
