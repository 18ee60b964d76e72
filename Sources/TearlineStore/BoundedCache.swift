import Foundation

/// The storage of the report and release caches: at most `capacity` entries and about
/// `maxBytes` of text; when either is reached it starts afresh (no per-entry bookkeeping on the
/// read path). Ids marked destroyed are refused for `tombstoneLife`, long enough for any read that
/// began before the destruction to finish, then forgotten, so that tombstones do not grow without
/// bound either.
struct BoundedCache<Value> {
    let capacity: Int
    let maxBytes: Int
    let tombstoneLife: Duration
    private var entries: [String: (value: Value, bytes: Int)] = [:]
    private(set) var bytes = 0
    private var tombstones: [String: ContinuousClock.Instant] = [:]
    private var oldestTombstone: ContinuousClock.Instant?

    init(capacity: Int, maxBytes: Int, tombstoneLife: Duration = .seconds(300)) {
        self.capacity = capacity
        self.maxBytes = maxBytes
        self.tombstoneLife = tombstoneLife
    }

    var count: Int { entries.count }
    var tombstoneCount: Int { tombstones.count }

    func get(_ id: String) -> Value? { entries[id]?.value }

    mutating func put(_ id: String, _ value: Value, bytes size: Int) {
        if let at = tombstones[id] {
            if ContinuousClock.now - at < tombstoneLife { return }
            tombstones.removeValue(forKey: id)
        }
        if size > maxBytes { return }
        if entries.count >= capacity || bytes + size > maxBytes {
            entries.removeAll(keepingCapacity: true)
            bytes = 0
        }
        if let old = entries.updateValue((value, size), forKey: id) { bytes -= old.bytes }
        bytes += size
    }

    mutating func remove(_ id: String) {
        if let old = entries.removeValue(forKey: id) { bytes -= old.bytes }
        let now = ContinuousClock.now
        tombstones[id] = now
        if let oldest = oldestTombstone, now - oldest > tombstoneLife {
            tombstones = tombstones.filter { now - $0.value < tombstoneLife }
            oldestTombstone = tombstones.values.min()
        } else if oldestTombstone == nil {
            oldestTombstone = now
        }
    }
}
