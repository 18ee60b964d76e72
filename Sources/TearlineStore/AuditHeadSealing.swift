import Foundation
import GRDB

/// Signing the audit head over the last entry, whatever the batches left: what a node does as it
/// shuts down, and what `tearline audit head` prints for anchoring elsewhere.
extension SQLiteStore {
    public func sealAuditHead() async throws -> AuditCheckpoint? {
        let context = context
        return try await context.health.watchingAsync(writes: true) {
            try await StoreError.translatingSQLite {
                try await writer.write { db in try AuditWriter.sealHead(db, key: context.auditKey) }
            }
        }
    }
}

extension SQLiteStore {
    public func close() async {
        try? checkpointJournal()
    }
}

extension PostgresStore {
    public func close() async {
        shutdown()
    }

    public func sealAuditHead() async throws -> AuditCheckpoint? {
        let context = context
        return try await context.health.watchingAsync(writes: true) {
            try await StoreError.translatingPostgres {
                try await database.transaction(readOnly: false) { link in try PostgresAuditWriter.sealHead(link, key: context.auditKey) }
            }
        }
    }
}
