import Foundation

/// A `--database-url`: `postgres://USER[:PASS]@HOST[:PORT]/DB[?sslmode=disable|prefer|require]`.
///
/// Parsed strictly: anything else is refused with a sentence that says what is wrong, and the
/// password never appears in a message or in `description`.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// The schema to work in (tests give each run its own); `nil` for the role's default.
    public var searchPath: String?

    public init(_ text: String) throws(PostgresURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme else {
            throw .init("is not a URL; write postgres://USER[:PASS]@HOST[:PORT]/DB")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw .init("must start with postgres:// (found \(scheme)://)")
        }
        guard let user = components.user, !user.isEmpty else { throw .init("names no user (postgres://USER@HOST/DB)") }
        guard let host = components.host, !host.isEmpty else { throw .init("names no host") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw .init("names no database (…/DB at the end)") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw .init("has a port out of range") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw .init("sslmode must be disable, prefer or require")
                }
                tls = mode
            default:
                throw .init("has an unknown parameter \"\(item.name)\" (only sslmode is read)")
            }
        }
        self.user = user
        self.password = components.password
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    /// The URL without its password.
    public var description: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }
}

/// Why a `--database-url` was refused; the message never carries the password.
public struct PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "--database-url \(reason)." }
}
