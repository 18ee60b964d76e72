import Foundation

/// The shape of a JSON request body: which members each object may have. Unknown members are
/// refused, so a misspelt field never silently falls back to a default.
public indirect enum KeySchema: Sendable {
    case object([String: KeySchema])
    case array(KeySchema)
    case value

    /// A flat object whose members are all plain values.
    static func fields(_ names: String...) -> KeySchema {
        .object(Dictionary(uniqueKeysWithValues: names.map { ($0, .value) }))
    }
}

/// A request body with a declared shape.
public protocol StrictDecodable: Decodable, Sendable {
    static var schema: KeySchema { get }
}

enum StrictJSON {
    /// Decodes `data` as `T`, refusing malformed JSON, unknown members and wrong types with a
    /// message that names the place.
    static func decode<T: StrictDecodable>(_ type: T.Type, from data: Data) throws(Problem) -> T {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw .badRequest("The body is not valid JSON.")
        }
        try check(object, against: T.schema, path: "")
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw .badRequest(describe(error))
        } catch {
            throw .badRequest("The body could not be decoded.")
        }
    }

    private static func check(_ value: Any, against schema: KeySchema, path: String) throws(Problem) {
        switch schema {
        case .value:
            return
        case .array(let element):
            guard let array = value as? [Any] else {
                if value is NSNull { return }
                throw .badRequest("\(path.isEmpty ? "the body" : path) must be an array.")
            }
            for (index, item) in array.enumerated() { try check(item, against: element, path: "\(path)[\(index)]") }
        case .object(let members):
            guard let object = value as? [String: Any] else {
                if value is NSNull, !path.isEmpty { return }
                throw .badRequest("\(path.isEmpty ? "the body" : path) must be a JSON object.")
            }
            for key in object.keys.sorted() {
                guard let memberSchema = members[key] else {
                    let place = path.isEmpty ? key : "\(path).\(key)"
                    throw .badRequest("Unknown field \"\(place)\".")
                }
                try check(object[key]!, against: memberSchema, path: path.isEmpty ? key : "\(path).\(key)")
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            let text = path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "the body" : text)
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(place(context.codingPath)) has the wrong type; expected \(typeName(type))."
        case .valueNotFound(let type, let context):
            return "\(place(context.codingPath)) must not be null; expected \(typeName(type))."
        case .keyNotFound(let key, let context):
            return "Missing field \"\(place(context.codingPath + [key]))\"."
        case .dataCorrupted(let context):
            return "\(place(context.codingPath)) is invalid."
        @unknown default:
            return "The body could not be decoded."
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type: "an integer"
        case is [String].Type: "an array of strings"
        default: "\(type)".contains("Array") ? "an array" : "an object"
        }
    }
}
