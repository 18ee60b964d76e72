/// When a partner's discovery set needs a new key, and which entries a refresh writes.
///
/// why a new key on any loss: a partner that kept its old copy of the set could otherwise go on
/// testing new guesses against entries the holder withdrew. Under a new key its old copy matches
/// nothing it evaluates from then on. Growth (a new entry, a higher count) travels under the same key.
public enum DiscoveryRotation {
    /// A key is replaced after a week, whatever changed.
    public static let keyLifetime: Int64 = 7 * 24 * 3600 * 1000

    public enum Reason: String, Sendable, Hashable {
        /// The partner has no key yet.
        case first
        /// The key reached ``keyLifetime``.
        case schedule
        /// An entry went, or a holder's count in it fell.
        case withdrawn
    }

    /// Why the set must be published under a new key, or nil when it keeps its key.
    /// `published` is the set as the partner was last offered it; `desired` the set as the rule gives it now.
    public static func reason(keyCreatedAt: Int64?, now: Int64, published: [UInt64: [EntityPointer]],
                              desired: [UInt64: [EntityPointer]]) -> Reason? {
        guard let keyCreatedAt else { return .first }
        if now - keyCreatedAt >= keyLifetime { return .schedule }
        for (entity, pointers) in published {
            let counts = Dictionary(uniqueKeysWithValues: (desired[entity] ?? []).map { ($0.holder, $0.count) })
            if pointers.contains(where: { (counts[$0.holder] ?? 0) < $0.count }) { return .withdrawn }
        }
        return nil
    }

    /// The entities whose entry a refresh writes: all of the desired set under a new key, otherwise
    /// those new or changed since it was published. Ascending.
    public static func changed(published: [UInt64: [EntityPointer]], desired: [UInt64: [EntityPointer]], rotating: Bool) -> [UInt64] {
        desired.filter { rotating || published[$0.key] != $0.value }.keys.sorted()
    }
}

/// The holders and counts of a set entry as text: `HOLDER:COUNT` pairs, comma-separated, sorted
/// by holder. What a payload seals, and what the holder's node stores beside it.
public enum DiscoveryHolders {
    public static func encode(_ pointers: [EntityPointer]) -> String {
        pointers.sorted { $0.holder < $1.holder }.map { "\($0.holder):\($0.count)" }.joined(separator: ",")
    }

    /// Nil when the text is not such a list (a count that is not a positive number).
    public static func decode(_ text: String) -> [EntityPointer]? {
        var pointers: [EntityPointer] = []
        for pair in text.split(separator: ",") {
            guard let colon = pair.lastIndex(of: ":"), let count = Int(pair[pair.index(after: colon)...]), count > 0 else { return nil }
            pointers.append(EntityPointer(holder: String(pair[..<colon]), count: count))
        }
        return pointers
    }
}
