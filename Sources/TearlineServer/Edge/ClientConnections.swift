import Synchronization

/// Counts open connections per client address, so one client cannot hold the server's file
/// descriptors: ``admit(_:)`` refuses a connection over the cap.
public final class ClientConnections: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    public let cap: Int

    /// `cap` connections per address at most; `0` for no cap.
    public init(cap: Int) { self.cap = cap }

    /// Counts a new connection from `address`, or refuses it (returning false, counting nothing)
    /// when the address already holds `cap`.
    func admit(_ address: String) -> Bool {
        counts.withLock { counts in
            let open = counts[address, default: 0]
            if cap > 0, open >= cap { return false }
            counts[address] = open + 1
            return true
        }
    }

    /// Forgets a connection ``admit(_:)`` counted.
    func release(_ address: String) {
        counts.withLock { counts in
            let open = counts[address, default: 0] - 1
            counts[address] = open > 0 ? open : nil
        }
    }

    /// Open connections from `address` now.
    public func open(from address: String) -> Int { counts.withLock { $0[address, default: 0] } }
}
