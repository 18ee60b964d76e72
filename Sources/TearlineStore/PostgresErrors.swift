import PostgresNIO

extension StoreError {
    /// Runs `body`, giving PostgreSQL's failures as the store's own errors: a constraint as
    /// ``StoreError/constraint(_:)``; a database that cannot be reached, is shutting down, or
    /// aborted the transaction for a conflict as ``StoreError/unavailable`` (nothing was
    /// written; the caller may try again). Errors a transaction body threw pass unchanged.
    static func translatingPostgres<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw translatingPostgres(error)
        }
    }

    static func translatingPostgres(_ error: any Error) -> any Error {
        if let error = error as? PSQLError {
            guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return StoreError.unavailable }
            switch state {
            case "23503": return StoreError.constraint(.foreignKey)
            case "23505": return StoreError.constraint(.unique)
            case "23514": return StoreError.constraint(.check)
            case "23502": return StoreError.constraint(.notNull)
            default: break
            }
            if state.hasPrefix("23") { return StoreError.constraint(.other) }
            switch state {
            case "53100": return StoreError.storage(.full)
            case "25006": return StoreError.storage(.readOnly)
            case "58030": return StoreError.storage(.io)
            default: break
            }
            // why: 08 connection exceptions, 40 rollbacks (serialization, deadlock), 53 insufficient
            // resources, 57P0x shutdown and recovery: the database's state, not the request's.
            if ["08", "40", "53", "57"].contains(where: state.hasPrefix) { return StoreError.unavailable }
            return error
        }
        return error
    }
}
