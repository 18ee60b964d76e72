import Foundation

/// Where a node keeps its data: the one place a storage backend is chosen. The layers above the
/// store name a location and get ``TearlineStore``, never a backend's own type.
public enum StoreLocation: Sendable, Equatable {
    /// A SQLite file (created if missing), the embedded default.
    case file(String)
    /// A private in-memory SQLite database, gone when the store is (tests, demos).
    case memory

    /// The file that holds the data, when there is one: the master key file sits beside it.
    public var filePath: String? {
        if case .file(let path) = self { return path }
        return nil
    }

    /// Opens the store at this location under `masterKey`, running its migrations.
    public func open(masterKey: MasterKey) throws -> any TearlineStore {
        switch self {
        case .file(let path): try SQLiteStore(.file(path), masterKey: masterKey)
        case .memory: try SQLiteStore(.memory, masterKey: masterKey)
        }
    }
}
