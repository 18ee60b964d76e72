/// An entity that appears beside another in what the asker may read, with the number of holdings.
public struct CoOccurrence: Sendable, Hashable {
    public var entity: UInt64
    public var count: Int
}

/// One step of a chain between two entities.
public struct ChainLink: Sendable, Hashable {
    public enum Via: Sendable, Hashable {
        /// A holding the asker may read, where both entities appear in readable portions.
        case document(HoldingAccess)
        /// A holding the asker may not read, discoverable to the asker: only its holder is named.
        case pointer(holder: String)
    }

    public var from: UInt64
    public var to: UInt64
    public var via: Via
}

/// The shortest chains found between two entities.
public struct ChainSearchResult: Sendable, Hashable {
    public var chains: [[ChainLink]] = []
    /// The number of links in each chain (0 when none was found within the depth).
    public var length = 0
    /// The search stopped at its budget of visited entities before it finished the depth.
    public var truncated = false
}

extension EntityIndex {
    /// The entities that co-occur with `entity` in holdings the asker may read: both mentions
    /// must sit in portions the asker may read. Counts are holdings; most frequent first.
    public func coOccurring(with entity: UInt64, for asker: Asker, limit: Int = 50) -> [CoOccurrence] {
        guard let number = entityNumbers[entity] else { return [] }
        let standing = Standing(asker, in: self)
        var counts: [UInt32: Int] = [:]
        forEachHolding(number) { slot, portions in
            let access = access(slot, standing)
            guard readsAny(access, portions, standing) else { return }
            var seen = Set<UInt32>()
            for m in mentionRange(slot) where mentionEntity[m] != number {
                let other = mentionEntity[m]
                guard !seen.contains(other), readable(access, Int(mentionPortion[m]), standing) != nil else { continue }
                seen.insert(other)
                counts[other, default: 0] += 1
            }
        }
        return counts.map { CoOccurrence(entity: entityIds[Int($0.key)], count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.entity < $1.entity }
            .prefix(limit).map { $0 }
    }

    /// The shortest chains from `a` to `b`, at most `maxDepth` links, over what the asker may
    /// read. A link may run through a discoverable holding the asker cannot read: it is then
    /// named by its holder only, and it only joins entities the asker already knows (the two
    /// ends, or entities in portions the asker may read), so a chain never reveals a new name.
    public func chains(from a: UInt64, to b: UInt64, for asker: Asker, maxDepth: Int = 4, limit: Int = 10,
                       budget: Int = 200_000) -> ChainSearchResult {
        var result = ChainSearchResult()
        guard a != b, let start = entityNumbers[a], let goal = entityNumbers[b] else { return result }
        let standing = Standing(asker, in: self)
        var known: [UInt32: Bool] = [start: true, goal: true]
        func isKnown(_ e: UInt32) -> Bool {
            if let k = known[e] { return k }
            var found = false
            forEachHolding(e) { slot, portions in
                if found { return }
                found = readsAny(access(slot, standing), portions, standing)
            }
            known[e] = found
            return found
        }
        // Shortest-path parents: every parent found in the layer that first reached a node.
        var parents: [UInt32: [(UInt32, ChainLink.Via)]] = [start: []]
        var frontier: [UInt32] = [start]
        var depth = 0
        while depth < maxDepth, !frontier.isEmpty, parents[goal] == nil {
            depth += 1
            var next: [UInt32: [(UInt32, ChainLink.Via)]] = [:]
            for node in frontier {
                forEachHolding(node) { slot, portions in
                    let access = access(slot, standing)
                    let via: ChainLink.Via
                    if let through = portions.lazy.compactMap({ self.readable(access, $0, standing) }).first {
                        via = .document(holdingAccess(access, through))
                    } else if portions.contains(where: { pointable(access, $0, standing) }) {
                        via = .pointer(holder: holder(access))
                    } else {
                        return
                    }
                    for m in mentionRange(slot) {
                        let other = mentionEntity[m]
                        guard other != node, parents[other] == nil else { continue }
                        let p = Int(mentionPortion[m])
                        switch via {
                        case .document:
                            guard readable(access, p, standing) != nil else { continue }
                        case .pointer:
                            guard readable(access, p, standing) == nil, pointable(access, p, standing), isKnown(other) else { continue }
                        }
                        if next[other, default: []].count < 8, !next[other, default: []].contains(where: { $0.0 == node }) {
                            next[other, default: []].append((node, via))
                        }
                    }
                }
                if parents.count + next.count > budget { result.truncated = true; break }
            }
            for (node, list) in next { parents[node] = list }
            frontier = Array(next.keys).sorted()
            if result.truncated { break }
        }
        guard parents[goal] != nil else { return result }
        result.length = depth
        // Walk back from the goal, enumerating up to `limit` chains.
        func walk(_ node: UInt32, _ suffix: [ChainLink]) {
            if result.chains.count >= limit { return }
            if node == start { result.chains.append(suffix); return }
            for (parent, via) in parents[node] ?? [] {
                walk(parent, [ChainLink(from: entityIds[Int(parent)], to: entityIds[Int(node)], via: via)] + suffix)
            }
        }
        walk(goal, [])
        return result
    }

    /// Corroboration of a report for an asker: the other originators holding reports on the
    /// entities the asker may read in it, counting only holdings the asker may read or discover.
    public func corroboration(ofReport reportId: String, for asker: Asker) -> [String] {
        guard let slot = slots[reportId] else { return [] }
        let standing = Standing(asker, in: self)
        let own = access(slot, standing)
        let originator = originators[Int(slot)]
        var entities = Set<UInt32>()
        for m in mentionRange(slot) where readable(own, Int(mentionPortion[m]), standing) != nil { entities.insert(mentionEntity[m]) }
        var others = Set<UInt32>()
        for entity in entities {
            forEachHolding(entity) { other, portions in
                let holder = originators[Int(other)]
                guard holder != originator, !others.contains(holder) else { return }
                let access = access(other, standing)
                if portions.contains(where: { readable(access, $0, standing) != nil || pointable(access, $0, standing) }) { others.insert(holder) }
            }
        }
        return others.map { organizations.values[Int($0)] }.sorted()
    }
}
