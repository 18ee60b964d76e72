import Foundation
import Hummingbird

/// The fields of a posted HTML form (`application/x-www-form-urlencoded`), in order. A form is
/// small: anything over ``maxBytes`` is refused before it is read whole.
struct ConsoleForm: Sendable {
    static let maxBytes = 1 << 20

    let fields: [(name: String, value: String)]

    init(fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    /// Parses the body; a missing or other content type, a body too large or one that is not
    /// valid percent-encoded UTF-8 throws a ``ServiceError`` (answered 4xx by the console).
    static func read(_ request: Request) async throws -> ConsoleForm {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw ServiceError(.invalidRequest, type: "unsupported-media-type", title: "Unsupported form",
                               detail: "A console form is posted as application/x-www-form-urlencoded.")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBytes) } catch {
            switch BodyReadFailure(error, limit: maxBytes) {
            case .tooLarge: throw ServiceError.tooLarge(maxBytes)
            case .malformed: throw ServiceError.badRequest("The form could not be read: its framing is malformed.")
            }
        }
        return try parse(String(buffer: buffer))
    }

    static func parse(_ body: String) throws(ServiceError) -> ConsoleForm {
        var fields: [(String, String)] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw .badRequest("The form is not valid percent-encoded UTF-8.")
            }
            fields.append((name, value))
        }
        return ConsoleForm(fields: fields)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The first value of a field, or `nil`.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The first value of a field, trimmed, or `nil` when missing or blank.
    func trimmed(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
