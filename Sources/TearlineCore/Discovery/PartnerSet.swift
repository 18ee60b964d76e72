extension EntityIndex {
    /// The set a partner organisation's node may search privately: for each entity, the holders
    /// hosted here that hold a report on it discoverable to `partner`, with a count of such reports.
    ///
    /// `holders` maps each organisation hosted on this node that has a partnership with `partner`
    /// to the terms of that partnership as the holder sets them (``DiscoveryRule/isDiscoverable(_:holder:asker:partnership:)``
    /// needs it active). A holding counts only where the discovery rule opens it to the partner and
    /// a mentioning portion could point across nodes (``DiscoveryRule/mayPointAcross(_:sourcesAndMethods:askerTag:)``):
    /// nothing undiscoverable, sources and methods, NOFORN, TLP:RED, or REL TO that leaves the
    /// partner out. Anything else leaves no trace in the set. Holdings of organisations hosted
    /// elsewhere (received copies) are never offered.
    public func partnerSet(for partner: String, holders: [String: PartnershipTerms]) -> [UInt64: [EntityPointer]] {
        let askerTag = TagTable.shared.id(partner)
        let terms: [PartnershipTerms?] = organizations.values.map { $0 == partner ? nil : holders[$0] }
        // Per (discoverability, originator): 0 unknown, 1 open to the partner, 2 closed.
        var open = [UInt8](repeating: 0, count: max(1, discoverabilities.values.count * organizations.values.count))
        var result: [UInt64: [EntityPointer]] = [:]
        var counts: [UInt32: Int] = [:]
        for number in entityIds.indices {
            counts.removeAll(keepingCapacity: true)
            forEachHolding(UInt32(number)) { slot, portions in
                let i = Int(slot)
                let originator = originators[i]
                guard let holderTerms = terms[Int(originator)] else { return }
                let key = Int(discover[i]) * organizations.values.count + Int(originator)
                if open[key] == 0 {
                    let yes = DiscoveryRule.isDiscoverable(discoverabilities.values[Int(discover[i])], holder: organizations.values[Int(originator)],
                                                           asker: partner, partnership: holderTerms)
                    open[key] = yes ? 1 : 2
                }
                guard open[key] == 1 else { return }
                let pointable = portions.contains { p in
                    guard let portion = portion(slot, p) else { return false }
                    return DiscoveryRule.mayPointAcross(portion.label, sourcesAndMethods: portion.sourcesAndMethods, askerTag: askerTag)
                }
                if pointable { counts[originator, default: 0] += 1 }
            }
            guard !counts.isEmpty else { continue }
            result[entityIds[number]] = counts.map { EntityPointer(holder: organizations.values[Int($0.key)], count: $0.value) }
                .sorted { $0.holder < $1.holder }
        }
        return result
    }

    /// The reports of `holder` on an entity that are in `partner`'s set (see ``partnerSet(for:holders:)``):
    /// what an access request from the partner's node covers.
    public func partnerHoldings(_ entity: UInt64, holder: String, partner: String, terms: PartnershipTerms) -> [String] {
        guard let number = entityNumbers[entity], let holderNumber = organizations.number(of: holder), holder != partner else { return [] }
        let askerTag = TagTable.shared.id(partner)
        var ids: [String] = []
        forEachHolding(number) { slot, portions in
            let i = Int(slot)
            guard originators[i] == holderNumber,
                  DiscoveryRule.isDiscoverable(discoverabilities.values[Int(discover[i])], holder: holder, asker: partner, partnership: terms) else { return }
            let pointable = portions.contains { p in
                guard let portion = portion(slot, p) else { return false }
                return DiscoveryRule.mayPointAcross(portion.label, sourcesAndMethods: portion.sourcesAndMethods, askerTag: askerTag)
            }
            if pointable { ids.append(reportIds[i]) }
        }
        return ids
    }
}
