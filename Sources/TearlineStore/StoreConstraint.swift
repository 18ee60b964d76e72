import GRDB

/// A database constraint a write broke, the same whatever the backend: the layers above the store
/// see this, never the database's own error type.
public enum StoreConstraint: String, Sendable, Equatable {
    /// A reference to a row that does not exist (or a row still referenced).
    case foreignKey = "foreign-key"
    /// A second row with the same key (primary or unique).
    case unique
    /// A `CHECK` the schema holds (an enumerated value, a range).
    case check
    /// A required value left out.
    case notNull = "not-null"
    /// Any other refusal by the schema (a trigger, for instance, that keeps the audit chain append-only).
    case other
}

extension StoreError {
    /// Runs `body`, giving a SQLite constraint failure as ``StoreError/constraint(_:)``.
    static func translatingSQLite<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw translated(error) }
    }

    /// As ``translatingSQLite(_:)``, for asynchronous work (the group commit of read audit).
    static func translatingSQLite<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw translated(error) }
    }

    private static func translated(_ error: any Error) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_CONSTRAINT: return StoreError.constraint(constraint(error.extendedResultCode))
        case .SQLITE_FULL: return StoreError.storage(.full)
        case .SQLITE_READONLY: return StoreError.storage(.readOnly)
        case .SQLITE_IOERR: return StoreError.storage(.io)
        default: return error
        }
    }

    private static func constraint(_ code: ResultCode) -> StoreConstraint {
        switch code {
        case .SQLITE_CONSTRAINT_FOREIGNKEY: .foreignKey
        case .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_UNIQUE: .unique
        case .SQLITE_CONSTRAINT_CHECK: .check
        case .SQLITE_CONSTRAINT_NOTNULL: .notNull
        default: .other
        }
    }
}
