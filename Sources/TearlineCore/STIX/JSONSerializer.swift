extension JSONValue {
    /// The compact serialization: no whitespace, keys in stored order, numbers as their lexeme.
    ///
    /// Escaping is minimal (`"`, `\` and control characters); non-ASCII is written as UTF-8 and
    /// `/` is not escaped. This is also the string form of RFC 8785 (JCS), so the same writer
    /// serves ``canonicalSerialized()``.
    public func serialized() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the compact serialization to `bytes`.
    public func write(into bytes: inout [UInt8]) {
        switch self {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let lexeme): bytes.append(contentsOf: lexeme.utf8)
        case .string(let s): JSONValue.writeString(s, into: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            object.write(into: &bytes)
        }
    }

    /// The RFC 8785 (JCS) form: keys sorted by UTF-16 code units at every level.
    ///
    /// why: STIX 2.1 derives a cyber-observable's id from the JCS form of its id-contributing
    /// properties. Numbers are written as their lexeme, which matches JCS for integers in plain
    /// form, the only numbers those properties hold.
    public func canonicalSerialized() -> String {
        String(decoding: canonicalized().serializedBytes(), as: UTF8.self)
    }

    /// The value with every object's keys in JCS order.
    public func canonicalized() -> JSONValue {
        switch self {
        case .array(let elements): return .array(elements.map { $0.canonicalized() })
        case .object(let object):
            let sorted = object.pairs
                .map { ($0.0, $0.1.canonicalized()) }
                .sorted { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }
            return .object(JSONObject(sorted))
        default: return self
        }
    }

    func serializedBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return bytes
    }

    static func writeString(_ s: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            bytes.append(contentsOf: utf8)
        } else {
            for b in utf8 {
                switch b {
                case 0x22: bytes.append(0x5C); bytes.append(0x22)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x08: bytes.append(0x5C); bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(0x5C); bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
                case 0..<0x20:
                    // Lower-case hex, as JCS writes it.
                    let low = b & 0xF
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(0x30 + (b >> 4))
                    bytes.append(low < 10 ? 0x30 + low : 0x61 + low - 10)
                default: bytes.append(b)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONObject {
    /// Appends the compact serialization to `bytes`.
    public func write(into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (i, (key, value)) in pairs.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.writeString(key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            value.write(into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The compact serialization.
    public func serialized() -> String { JSONValue.object(self).serialized() }
}
