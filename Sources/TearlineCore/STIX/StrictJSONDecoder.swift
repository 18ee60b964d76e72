/// Reads a `Decodable` from JSON with one strict reading.
///
/// The text is parsed once by ``JSONValue/parse(_:)`` (strict RFC 8259, duplicate keys
/// refused), then the type is decoded from that tree. Every member of every object must be one
/// the type's `Decodable` implementation asks for: the check follows the type's own coding keys,
/// so a field list cannot drift from the struct.
///
/// why: a body read one way here and another way by a gateway (the first of two `marking`
/// members here, the last there) is a body whose marking nobody can vouch for.
public enum StrictJSONDecoder {
    /// Decodes `type` from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(StrictJSONError) -> T {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw StrictJSONError(error) }
        return try decode(type, from: value)
    }

    /// Decodes `type` from a parsed document.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(StrictJSONError) -> T {
        let session = DecodingSession()
        let result: T
        do {
            result = try T(from: ValueDecoder(value: value, codingPath: [], session: session))
        } catch let error as StrictJSONError {
            throw error
        } catch let error as DecodingError {
            throw StrictJSONError(error)
        } catch {
            throw StrictJSONError(.invalidValue, path: "", detail: "could not be decoded (\(type))")
        }
        try session.checkEveryMemberWasRead()
        return result
    }
}

/// The objects one decoding opened, to check afterwards that each member was read.
final class DecodingSession {
    var objects: [ObjectReading] = []

    func checkEveryMemberWasRead() throws(StrictJSONError) {
        for object in objects {
            for (i, read) in object.read.enumerated() where !read {
                let key = object.pairs[i].0
                let path = StrictJSONError.path(object.codingPath)
                throw StrictJSONError(.unknownKey, path: path.isEmpty ? key : "\(path).\(key)")
            }
        }
    }
}

/// One object being decoded, and which of its members the type asked for.
final class ObjectReading {
    let pairs: [(String, JSONValue)]
    let codingPath: [any CodingKey]
    var read: [Bool]

    init(_ object: JSONObject, codingPath: [any CodingKey]) {
        pairs = object.pairs
        self.codingPath = codingPath
        read = Array(repeating: false, count: object.pairs.count)
    }

    /// The value of `key`, marking it read.
    func value(_ key: String) -> JSONValue? {
        for i in pairs.indices where pairs[i].0 == key {
            read[i] = true
            return pairs[i].1
        }
        return nil
    }
}

/// A coding key for an array element or a member name.
struct JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }
    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let session: DecodingSession
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch("an object") }
        let reading = ObjectReading(object, codingPath: codingPath)
        session.objects.append(reading)
        return KeyedDecodingContainer(KeyedReader<Key>(reading: reading, codingPath: codingPath, session: session))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch("an array") }
        return UnkeyedReader(elements: elements, codingPath: codingPath, session: session)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func mismatch(_ expected: String) -> StrictJSONError {
        StrictJSONError(value.isNull ? .null : .wrongType, path: StrictJSONError.path(codingPath), detail: expected)
    }

    /// Decodes a value at this place: scalars directly, anything else through its `Decodable`.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // why: the common scalars skip the generic `init(from:)` round trip (a hot path: report bodies).
        if T.self == String.self {
            guard case .string(let s) = value else { throw mismatch("a string") }
            return s as! T
        }
        if T.self == Bool.self {
            guard case .bool(let b) = value else { throw mismatch("a boolean") }
            return b as! T
        }
        if T.self == Int.self { return try integer(Int.self) as! T }
        return try T(from: self)
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard case .number(let lexeme) = value else { throw mismatch("an integer") }
        // why: 1.5, 1e20 and 2^63 are numbers but not integers this field holds; say so by name.
        guard let n = I(lexeme) else {
            throw StrictJSONError(.invalidValue, path: StrictJSONError.path(codingPath),
                                  detail: "must be an integer from \(I.min) to \(I.max), not \(lexeme)")
        }
        return n
    }

    func number() throws -> Double {
        guard case .number(let lexeme) = value else { throw mismatch("a number") }
        guard let d = Double(lexeme), d.isFinite else {
            throw StrictJSONError(.invalidValue, path: StrictJSONError.path(codingPath), detail: "is out of range (\(lexeme))")
        }
        return d
    }
}

extension ValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch("a boolean") }
        return b
    }
    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw mismatch("a string") }
        return s
    }
    func decode(_ type: Double.Type) throws -> Double { try number() }
    func decode(_ type: Float.Type) throws -> Float { Float(try number()) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
}

struct KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reading: ObjectReading
    let codingPath: [any CodingKey]
    let session: DecodingSession

    var allKeys: [Key] { reading.pairs.compactMap { Key(stringValue: $0.0) } }

    func contains(_ key: Key) -> Bool { reading.value(key.stringValue) != nil }

    func child(_ key: Key) throws -> ValueDecoder {
        guard let value = reading.value(key.stringValue) else {
            throw StrictJSONError(.missingKey, path: StrictJSONError.path(codingPath + [key]))
        }
        return ValueDecoder(value: value, codingPath: codingPath + [key], session: session)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try child(key).value.isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(type) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = reading.value(key.stringValue), !value.isNull else { return nil }
        return try ValueDecoder(value: value, codingPath: codingPath + [key], session: session).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }

    func superDecoder() throws -> any Decoder {
        guard let value = reading.value("super") else { throw StrictJSONError(.missingKey, path: StrictJSONError.path(codingPath + [JSONKey(stringValue: "super")])) }
        return ValueDecoder(value: value, codingPath: codingPath + [JSONKey(stringValue: "super")], session: session)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

struct UnkeyedReader: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let session: DecodingSession
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], session: DecodingSession) {
        self.elements = elements
        self.codingPath = codingPath
        self.session = session
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next() throws -> ValueDecoder {
        let path = codingPath + [JSONKey(intValue: currentIndex)]
        guard !isAtEnd else {
            throw StrictJSONError(.missingKey, path: StrictJSONError.path(path))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: elements[currentIndex], codingPath: path, session: session)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}
