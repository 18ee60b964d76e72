import Foundation

/// Opened release copies, so a release view does not unwrap a key and open a seal every time.
/// A revocation evicts its release; the view path also checks the revocation on the row itself.
final class ReleaseContentCache: @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    private let lock = NSLock()
    private var storage: [String: ReleaseContent] = [:]
    /// Releases revoked while this process ran: a read that began before the revocation must not
    /// put their copy back.
    private var destroyed: Set<String> = []
    private let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    func get(_ id: String) -> ReleaseContent? {
        lock.withLock { storage[id] }
    }

    func put(_ id: String, _ content: ReleaseContent) {
        lock.withLock {
            guard !destroyed.contains(id) else { return }
            if storage.count >= capacity { storage.removeAll(keepingCapacity: true) }
            storage[id] = content
        }
    }

    /// Forgets a revoked release's copy, for good.
    func remove(_ id: String) {
        lock.withLock {
            storage.removeValue(forKey: id)
            destroyed.insert(id)
        }
    }
}
