import Foundation
import Synchronization

/// Rows of authority that this instance read at one position of the node's change log (members
/// by token, grants, partnerships, organisations, releases), reused by later read requests for
/// as long as the log has not moved.
///
/// Every write transaction on every instance appends to the change log (see
/// ``PostgresChangeFollower``), and every request reads the log first. So an entry is used only
/// while no write has committed since it was read: a revocation, a suspension or a trust change
/// on any instance empties the memo of every instance at that instance's next request, and
/// nothing is served from before it. What only reads write (audit entries, throttle counts) is
/// never remembered here.
final class PostgresReadMemo: Sendable {
    /// What a remembered row answers.
    enum Key: Hashable, Sendable {
        case member(tokenHash: Data)
        case memberById(String)
        case nodeCredential(tokenHash: Data)
        case grant(member: String, report: String)
        case partnership(id: String)
        case partnershipBetween(String, String)
        case organization(String)
        case release(String)
    }

    /// A remembered answer: a value, or that there was none.
    enum Entry: Sendable {
        case absent
        case value(any Sendable)
    }

    private struct State {
        var generation: Int64 = -1
        var entries: [Key: Entry] = [:]
    }

    private let state = Mutex(State())
    /// At most this many entries; the memo is emptied when it would hold more (the bound on
    /// memory whatever callers look up).
    let capacity: Int

    init(capacity: Int = 20_000) { self.capacity = capacity }

    /// The answer remembered for `key`, if the memo is at `generation`.
    func entry(_ key: Key, at generation: Int64) -> Entry? {
        state.withLock { $0.generation == generation ? $0.entries[key] : nil }
    }

    /// Remembers `entry`, read in a snapshot at `generation`; ignored when the memo has moved on
    /// (a request that read an older snapshot must not put old rows into a newer memo).
    func remember(_ entry: Entry, for key: Key, at generation: Int64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = entry
        }
    }

    /// Moves the memo to `generation`, the last change-log position this process applied;
    /// forgets everything when it changes.
    func advance(to generation: Int64) {
        state.withLock { state in
            guard state.generation != generation else { return }
            state.generation = generation
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// How many entries the memo holds (for tests and the benchmark).
    var count: Int { state.withLock { $0.entries.count } }
}

/// How one read session uses the memo: the change-log position its reads stand at, which moves
/// when the session opens its transaction (the snapshot may be newer than the request's start).
final class PostgresMemoUse: @unchecked Sendable {
    // why @unchecked: used from the one pool thread that runs the transaction.
    let memo: PostgresReadMemo
    var generation: Int64

    init(memo: PostgresReadMemo, generation: Int64) {
        self.memo = memo
        self.generation = generation
    }
}

extension PostgresSession {
    /// The answer for `key` from the memo when it holds one at this session's position, else
    /// `load()`'s, remembered for the next requests. `keepAbsent: false` does not remember a
    /// missing row (an unknown token: guesses must not fill the memo).
    func remembered<T: Sendable>(_ key: PostgresReadMemo.Key, keepAbsent: Bool = true, _ load: () throws -> T?) throws -> T? {
        guard let use = memoUse else { return try load() }
        switch use.memo.entry(key, at: use.generation) {
        case .absent?: return nil
        case .value(let value)?: if let value = value as? T { return value }
        case nil: break
        }
        let value = try load()
        // why the position after the load: the load may have opened the transaction, whose snapshot is newer.
        if let value {
            use.memo.remember(.value(value), for: key, at: use.generation)
        } else if keepAbsent {
            use.memo.remember(.absent, for: key, at: use.generation)
        }
        return value
    }
}
