/// A JSON object as an ordered list of key/value pairs.
///
/// why ordered: the STIX mapping must produce byte-identical output for the same input, and
/// readers of an emitted object expect `type` and `id` first. Equality and hashing are
/// order-sensitive, matching the serialized form. Keys are unique when the object comes from
/// ``JSONValue/parse(_:)`` or is built through the subscript.
public struct JSONObject: Sendable, Hashable {
    public var pairs: [(String, JSONValue)]

    public init(_ pairs: [(String, JSONValue)] = []) {
        self.pairs = pairs
    }

    public var keys: [String] { pairs.map(\.0) }
    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }

    /// Reads the value of `key`; setting replaces it in place, or appends it when absent.
    /// Setting `nil` removes the key.
    public subscript(key: String) -> JSONValue? {
        get {
            for (k, v) in pairs where k == key { return v }
            return nil
        }
        set {
            if let i = pairs.firstIndex(where: { $0.0 == key }) {
                if let newValue { pairs[i].1 = newValue } else { pairs.remove(at: i) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.pairs.count == rhs.pairs.count else { return false }
        for (l, r) in zip(lhs.pairs, rhs.pairs) where l.0 != r.0 || l.1 != r.1 { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pairs.count)
        for (k, v) in pairs {
            hasher.combine(k)
            hasher.combine(v)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
