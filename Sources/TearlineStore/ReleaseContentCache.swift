import Foundation

/// Opened release copies, so a release view does not unwrap a key and open a seal every time.
/// A revocation evicts its release; the view path also checks the revocation on the row itself.
public final class ReleaseContentCache: ReleaseContentCaching, @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    private let lock = NSLock()
    private var cache: BoundedCache<ReleaseContent>

    /// At most `capacity` copies and about `maxBytes` of their text (64 MiB by default).
    public init(capacity: Int = 20_000, maxBytes: Int = 64 << 20) {
        cache = BoundedCache(capacity: capacity, maxBytes: maxBytes)
    }

    public func get(_ id: String) -> ReleaseContent? {
        lock.withLock { cache.get(id) }
    }

    /// A copy revoked while this process ran is not put back by a read that began before the revocation.
    public func put(_ id: String, _ content: ReleaseContent) {
        let size = content.portions.values.reduce((content.title?.utf8.count ?? 0) + 512) { $0 + $1.utf8.count + 64 } + content.entities.count * 96
        lock.withLock { cache.put(id, content, bytes: size) }
    }

    /// Forgets a revoked release's copy, for good.
    public func remove(_ id: String) {
        lock.withLock { cache.remove(id) }
    }

    /// What the cache holds now: copies, and bytes of their text.
    public var usage: (entries: Int, bytes: Int) { lock.withLock { (cache.count, cache.bytes) } }
}
