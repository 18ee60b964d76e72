import TearlineCore
import TearlineStore

/// One object of a page: its facts, and its JSON once rendered.
struct TAXIIItem: Sendable {
    var descriptor: TAXIIDescriptor
    /// Stored objects carry their JSON; generated ones are rendered per document afterwards.
    var body: [UInt8]?
    /// For generated objects: the report or release it comes from.
    var document: String?
}

/// Walks a collection in order (date added, id, version), merging stored objects with the
/// objects generated from reports and releases, and keeps what the member may read.
struct TAXIIPager {
    let session: any StoreSession
    let decider: SharedReadDecider
    let filter: TAXIIFilter
    let generated: [TAXIIItem]
    let includeStored: Bool

    /// Up to `limit` readable objects after the filter's position, and whether more follow.
    func page(limit: Int) throws -> (items: [TAXIIItem], more: Bool) {
        var items: [TAXIIItem] = []
        var gi = generated.startIndex
        var stored = StoredStream(session: session, filter: filter, collection: decider.collection.id, enabled: includeStored,
                                  batch: min(max(limit + 1, 64), 1000))
        while items.count <= limit {
            let g = gi < generated.endIndex ? generated[gi] : nil
            let st = try stored.peek()
            if let g, st == nil || g.descriptor.position < st!.position {
                items.append(g)
                gi += 1
            } else if let record = st {
                stored.advance()
                guard try decider.decide(owner: record.owner, marking: record.marking).isAllowed else { continue }
                items.append(TAXIIItem(
                    descriptor: TAXIIDescriptor(stixId: record.stixId, type: record.type, version: record.version,
                                                specVersion: record.specVersion, dateAdded: record.dateAdded),
                    body: Array(record.body), document: nil))
            } else {
                break
            }
        }
        let more = items.count > limit
        if more { items.removeLast(items.count - limit) }
        return (items, more)
    }
}

/// Stored objects matching a filter, fetched from the store in batches.
private struct StoredStream {
    let session: any StoreSession
    let filter: TAXIIFilter
    let collection: String
    let enabled: Bool
    let batch: Int
    private var buffer: [TAXIIObjectRecord] = []
    private var index = 0
    private var after: TAXIIPosition?
    private var exhausted: Bool

    init(session: any StoreSession, filter: TAXIIFilter, collection: String, enabled: Bool, batch: Int) {
        self.session = session
        self.filter = filter
        self.collection = collection
        self.enabled = enabled
        self.batch = batch
        self.after = filter.next
        self.exhausted = !enabled
    }

    mutating func peek() throws -> TAXIIObjectRecord? {
        if index < buffer.count { return buffer[index] }
        guard !exhausted else { return nil }
        buffer = try session.objects(TAXIIObjectQuery(
            collection: collection, after: after, addedAfter: filter.addedAfter, ids: filter.ids, types: filter.types,
            specVersions: filter.specVersions, versions: filter.versions, limit: batch))
        index = 0
        if buffer.count < batch { exhausted = true }
        after = buffer.last?.position ?? after
        return buffer.first
    }

    mutating func advance() { index += 1 }
}
