import Foundation

/// Opened release copies, so a release view does not unwrap a key and open a seal every time.
/// A revocation evicts its release; the view path also checks the revocation on the row itself.
public final class ReleaseContentCache: ReleaseContentCaching, @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    private let lock = NSLock()
    private var storage: [String: ReleaseContent] = [:]
    /// Releases revoked while this process ran: a read that began before the revocation must not
    /// put their copy back.
    private var destroyed: Set<String> = []
    private let capacity: Int

    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    public func get(_ id: String) -> ReleaseContent? {
        lock.withLock { storage[id] }
    }

    public func put(_ id: String, _ content: ReleaseContent) {
        lock.withLock {
            guard !destroyed.contains(id) else { return }
            if storage.count >= capacity { storage.removeAll(keepingCapacity: true) }
            storage[id] = content
        }
    }

    /// Forgets a revoked release's copy, for good.
    public func remove(_ id: String) {
        lock.withLock {
            storage.removeValue(forKey: id)
            destroyed.insert(id)
        }
    }
}
