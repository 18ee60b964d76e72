import Foundation

/// Where a node keeps its data: the one place a storage backend is chosen. The layers above the
/// store name a location and get ``TearlineStore``, never a backend's own type.
public enum StoreLocation: Sendable, Equatable {
    /// A SQLite file (created if missing), the embedded default.
    case file(String)
    /// A private in-memory SQLite database, gone when the store is (tests, demos).
    case memory
    /// A PostgreSQL database, shared by every instance of the node (`--database-url`).
    case postgres(PostgresURL)

    /// The file that holds the data, when there is one: the master key file sits beside it.
    public var filePath: String? {
        if case .file(let path) = self { return path }
        return nil
    }

    /// Whether the data outlives this process and must be sealed under a key that does too.
    public var isPersistent: Bool {
        if case .memory = self { return false }
        return true
    }

    /// Opens the store at this location under `masterKey`, running its migrations.
    public func open(masterKey: MasterKey, state: StoreProcessState = .local()) async throws -> any TearlineStore {
        switch self {
        case .file(let path): try SQLiteStore(.file(path), masterKey: masterKey, state: state)
        case .memory: try SQLiteStore(.memory, masterKey: masterKey, state: state)
        case .postgres(let url): try await PostgresStore(url: url, masterKey: masterKey, state: state)
        }
    }
}
