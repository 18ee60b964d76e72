/// Why a JSON document could not be read strictly as a type, and where.
public struct StrictJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Not strict RFC 8259 JSON (``detail`` says why).
        case invalidJSON
        /// A key appears twice in one object.
        case duplicateKey
        /// A member the type does not read.
        case unknownKey
        /// A member the type needs is absent.
        case missingKey
        /// A value of another JSON type (``detail`` names the expected one).
        case wrongType
        /// `null` where a value is needed (``detail`` names the expected one).
        case null
        /// A value of the right JSON type that the type refuses (``detail`` says why).
        case invalidValue
    }

    public var kind: Kind
    /// Where, for example `portions[0].marking`; empty for the document itself.
    public var path: String
    public var detail: String

    public init(_ kind: Kind, path: String, detail: String = "") {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// A sentence for a person; `root` names the document (`the body`, `the file`).
    public func message(root: String = "the document") -> String {
        let place = path.isEmpty ? root : path
        switch kind {
        case .invalidJSON: return "\(root.prefix(1).uppercased() + root.dropFirst()) is not valid JSON: \(detail)."
        case .duplicateKey: return "Duplicate field \"\(path)\"."
        case .unknownKey: return "Unknown field \"\(path)\"."
        case .missingKey: return "Missing field \"\(path)\"."
        case .wrongType: return "\(place) has the wrong type; expected \(detail)."
        case .null: return "\(place) must not be null; expected \(detail)."
        case .invalidValue: return "\(place) \(detail)."
        }
    }

    public var description: String { message() }

    /// The error for a document the parser refused.
    public init(_ error: JSONParseError) {
        if let key = error.duplicateKey {
            self.init(.duplicateKey, path: error.path, detail: key)
        } else {
            self.init(.invalidJSON, path: error.path, detail: error.description)
        }
    }

    /// The error for what a `Decodable` implementation threw itself.
    init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            self.init(.wrongType, path: Self.path(context.codingPath), detail: Self.typeName(type))
        case .valueNotFound(let type, let context):
            self.init(.null, path: Self.path(context.codingPath), detail: Self.typeName(type))
        case .keyNotFound(let key, let context):
            self.init(.missingKey, path: Self.path(context.codingPath + [key]))
        case .dataCorrupted(let context):
            self.init(.invalidValue, path: Self.path(context.codingPath), detail: "is invalid")
        @unknown default:
            self.init(.invalidValue, path: "", detail: "could not be decoded")
        }
    }

    /// `portions[0].marking` for a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is any FixedWidthInteger.Type: "an integer"
        case is any BinaryFloatingPoint.Type: "a number"
        case is [String].Type: "an array of strings"
        default: "\(type)".contains("Array") ? "an array" : "an object"
        }
    }
}
