import Foundation
import GRDB
import TearlineCore

/// One SQLite transaction, seen through the repository protocols.
struct SQLiteSession: @unchecked Sendable {
    // why @unchecked: a session lives only inside GRDB's transaction closure, on its queue.
    let db: Database
    let context: StoreContext
    /// A read session buffers its audit records; the store commits them before `read` returns.
    let readOnly: Bool
    var state = SessionState()
}

/// Per-transaction state of a session.
final class SessionState: @unchecked Sendable {
    // why @unchecked: used only on the transaction's own queue.
    /// Reports inserted in this transaction: they may still roll back, so they are not cached.
    var insertedReports: Set<String> = []
    /// Audit records of a read session, waiting for the group commit.
    var pendingAudit: [AuditRecord] = []
    /// Audit records and alert kinds this write transaction added, counted once it commits.
    var appendedAudit: [AuditRecord] = []
    var insertedAlertKinds: [String] = []
    /// The last audit entry (sequence number and hash) as this transaction sees it, once read.
    var auditHead: (seq: Int64, hash: Data, at: Int64)?
    /// Whether this transaction appended audit entries (and so must re-sign the head).
    var auditAppended = false
    /// Checkpoints that entries appended by this transaction reached.
    var dueCheckpoints: [(seq: Int64, hash: Data, at: Int64)] = []
    /// Releases whose key this transaction destroyed.
    var destroyedReleases: [String] = []
    /// Changes to the entity index, applied when the transaction commits.
    var indexChanges: [EntityIndexChange] = []
    /// The mentions of the report this transaction indexed last, with the entities they came from.
    var lastIndexed: (report: String, entities: [EntityMention], mentions: [IndexedMention])?
}

/// Lists of identifiers are stored comma-joined; the service validates that no identifier holds a comma.
enum ListColumn {
    static func encode(_ values: [String]) -> String { values.joined(separator: ",") }
    static func decode(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}

/// URL-safe base64 without padding (RFC 4648 §5): the text of every opaque token (cursors,
/// TAXII `next`, pointer handles).
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ token: String) -> Data? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    public static func encode(text: String) -> String { encode(Data(text.utf8)) }

    public static func decodeText(_ token: String) -> String? {
        decode(token).flatMap { String(data: $0, encoding: .utf8) }
    }
}

/// An opaque pagination cursor over (createdAt, id).
public enum Cursor {
    public static func encode(createdAt: Int64, id: String) -> String {
        Base64URL.encode(text: "\(createdAt):\(id)")
    }

    public static func decode(_ cursor: String) throws -> (createdAt: Int64, id: String) {
        guard let text = Base64URL.decodeText(cursor), let colon = text.firstIndex(of: ":"), let createdAt = Int64(text[..<colon]) else {
            throw StoreError.invalidCursor
        }
        return (createdAt, String(text[text.index(after: colon)...]))
    }
}

/// Errors the store raises for input it cannot honour.
public enum StoreError: Error, Equatable, Sendable {
    case invalidCursor
    case corruptRow(String)
    /// The store was shut down; nothing was run.
    case closed
    /// The write broke a constraint of the schema; nothing of the transaction was written.
    case constraint(StoreConstraint)
    /// The database could not be reached or could not finish the transaction; nothing of it was
    /// written, and trying again later may succeed.
    case unavailable
    /// The storage under the database failed (full, read-only, I/O); nothing was written.
    case storage(StorageFault)
}
