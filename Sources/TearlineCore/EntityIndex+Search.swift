/// A holding the asker may read that mentions the entity, with the readable mentioning portions.
public struct EntityHit: Sendable, Hashable {
    public var access: HoldingAccess
    public var originator: String
    public var portions: [Int]
    /// The holding's place in the index: newer holdings have higher slots (the paging cursor).
    public var slot: UInt32
}

/// "Organisation X holds N reports that mention this entity; ask X for access."
public struct EntityPointer: Sendable, Hashable {
    public var holder: String
    public var count: Int

    public init(holder: String, count: Int) {
        self.holder = holder
        self.count = count
    }
}

/// The answer to an entity search: the asker's own hits (newest first, one page) and pointers.
public struct EntitySearchResult: Sendable, Hashable {
    public var hits: [EntityHit] = []
    /// All hits, across pages.
    public var hitCount = 0
    /// Sorted by holder.
    public var pointers: [EntityPointer] = []
    /// The cursor for the next page of hits: the slot to continue below.
    public var nextBefore: UInt32?
}

extension EntityIndex {
    /// Searches one entity for an asker: hits where the asker may read a mentioning portion,
    /// and pointers (per holder, a count of holdings) where the asker may not read but the
    /// holder made the holding discoverable to the asker's organisation. Anything else leaves
    /// no trace: the result is the same as if those holdings did not exist.
    /// `excluding` leaves one report out (a report whose own correlations are being computed).
    public func search(_ entity: UInt64, for asker: Asker, before: UInt32? = nil, limit: Int = 50,
                       excluding: String? = nil) -> EntitySearchResult {
        var result = EntitySearchResult()
        guard let number = entityNumbers[entity] else { return result }
        let excluded = excluding.flatMap { slots[$0] }
        let standing = Standing(asker, in: self)
        var pointerCounts: [UInt32: Int] = [:]
        let list = postings[Int(number)]
        var end = list.count
        // Newest first: walk the postings backwards, one holding (run of equal slots) at a time.
        while end > 0 {
            let slot = UInt32(truncatingIfNeeded: list[end - 1] >> 16)
            var start = end - 1
            while start > 0, UInt32(truncatingIfNeeded: list[start - 1] >> 16) == slot { start -= 1 }
            if slot == excluded { end = start; continue }
            let access = access(slot, standing)
            var readable: [Int] = []
            var via: ReadVia?
            var pointable = false
            for i in start..<end {
                let p = Int(list[i] & 0xFFFF)
                if let through = self.readable(access, p, standing) {
                    readable.append(p)
                    if via == nil { via = through }
                } else if !pointable, self.pointable(access, p, standing) {
                    pointable = true
                }
            }
            if let via {
                result.hitCount += 1
                if before.map({ slot < $0 }) ?? true {
                    if result.hits.count < limit {
                        result.hits.append(EntityHit(access: holdingAccess(access, via), originator: holder(access), portions: readable, slot: slot))
                    } else if result.nextBefore == nil {
                        result.nextBefore = result.hits.last?.slot
                    }
                }
            } else if pointable {
                pointerCounts[originators[Int(slot)], default: 0] += 1
            }
            end = start
        }
        result.pointers = pointerCounts.map { EntityPointer(holder: organizations.values[Int($0.key)], count: $0.value) }
            .sorted { $0.holder < $1.holder }
        return result
    }

    /// The holdings of `holder` that mention the entity and are discoverable to `asker`, but
    /// which the asker cannot read: what an access request through a pointer covers.
    public func pointedHoldings(_ entity: UInt64, holder: String, for asker: Asker) -> [String] {
        guard let number = entityNumbers[entity], let holderNumber = organizations.number(of: holder) else { return [] }
        let standing = Standing(asker, in: self)
        var ids: [String] = []
        forEachHolding(number) { slot, portions in
            guard originators[Int(slot)] == holderNumber else { return }
            let access = access(slot, standing)
            if readsAny(access, portions, standing) { return }
            if portions.contains(where: { pointable(access, $0, standing) }) { ids.append(reportIds[Int(slot)]) }
        }
        return ids
    }

    /// Calls `body` once per holding that mentions the entity, oldest first, with its mentioning portions.
    func forEachHolding(_ number: UInt32, _ body: (UInt32, [Int]) -> Void) {
        let list = postings[Int(number)]
        var start = 0
        while start < list.count {
            let slot = UInt32(truncatingIfNeeded: list[start] >> 16)
            var end = start + 1
            while end < list.count, UInt32(truncatingIfNeeded: list[end] >> 16) == slot { end += 1 }
            body(slot, (start..<end).map { Int(list[$0] & 0xFFFF) })
            start = end
        }
    }
}
