import Foundation
import TearlineCore

/// A request body read with the one strict reading of ``StrictJSONDecoder``: duplicate keys,
/// members the type does not read, wrong types and numbers of the wrong kind are refused, each
/// with a message that names the place. The accepted members are the type's own coding keys.
public protocol StrictDecodable: Decodable, Sendable {}

enum StrictJSON {
    /// Decodes `data` as `T`, or throws a 400 problem that names the field.
    static func decode<T: StrictDecodable>(_ type: T.Type, from data: some Collection<UInt8>) throws(Problem) -> T {
        do {
            return try StrictJSONDecoder.decode(type, from: data)
        } catch {
            throw .badRequest(error.message(root: "the body"))
        }
    }
}
