import Foundation
import GRDB

/// Why a store could not be opened, in one sentence an operator can act on: what the command
/// line prints instead of the database's own message.
public enum StoreOpenFailure {
    /// The sentence for `error`, raised while opening `store` (a file path or a URL without password).
    public static func sentence(for error: any Error, store: String) -> String {
        if let fault = storageFault(error) {
            switch fault {
            case .readOnly:
                return "cannot open \(store): the database, or the directory that holds it, is read-only; "
                    + "Tearline writes the file and its -wal and -shm journal beside it, so give the server's user write access there."
            case .full:
                return "cannot open \(store): the disk that holds it is full; free space and start again."
            case .io:
                return "cannot open \(store): the storage under it reported an I/O error; check the disk."
            }
        }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
                return "cannot open \(store): the file cannot be opened or created there; check that its directory exists and the server's user may write it."
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return "cannot open \(store): the file is not a Tearline database or it is damaged; restore it from a backup (`tearline restore`)."
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return "cannot open \(store): another process holds the database locked; stop it and start again."
            default:
                break
            }
        }
        if let error = error as? StoreError, error == .unavailable {
            return "cannot open \(store): the database could not be reached; check that it is running and the URL is right."
        }
        let text = "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? "unknown error"
        return "cannot open \(store): \(text)"
    }

    /// The storage fault behind an opening error, if it is one.
    public static func storageFault(_ error: any Error) -> StorageFault? {
        if case .storage(let fault)? = error as? StoreError { return fault }
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_READONLY: return .readOnly
        case .SQLITE_FULL: return .full
        case .SQLITE_IOERR: return .io
        default: return nil
        }
    }
}
