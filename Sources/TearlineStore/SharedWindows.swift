import Foundation

/// Counters every instance of a node shares: the throttle windows of members, kept where all
/// instances see them. A store that several processes use offers them (see
/// ``TearlineStore/sharedWindows``); a single process counts in its own memory instead.
///
/// Each call is atomic and immediate (not part of the caller's transaction): a read counts even
/// if the request fails afterwards, as in one process's memory.
public protocol SharedWindowCounting: Sendable {
    /// Admits `amount` of `kind` for `member` at `now` when the total within the `window` ending
    /// at `now` stays within `limit`. With a `key` (a document read), a key already counted in the
    /// window is free and only refreshed; each new key counts 1.
    func admit(member: String, kind: String, key: String?, amount: Int, limit: Int, window: Int64, now: Int64) throws -> Bool
    /// Forgets every window of `member` (its throttle was lifted).
    func reset(member: String) throws
}

extension TearlineStore {
    /// This store's shared throttle windows, if it is one that several processes share.
    public var sharedWindows: (any SharedWindowCounting)? { nil }
    /// One process owns this store: it leads every task.
    public func leads(_ task: NodeTask) async -> Bool { true }
}

/// Background work that runs once per node, not once per process (federation pulls): the process
/// that holds a task's lead does it; the others stand by and take over when it goes away.
public enum NodeTask: String, Sendable {
    case federationPull = "federation-pull"
}
