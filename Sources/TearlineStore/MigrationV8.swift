import Foundation
import GRDB

/// Migration v8: federation. A partner organisation hosted on another node is an organisation
/// here with its public key only (no private key); its peer record says where its node is and
/// which certificate keys that node may present. Cursors say how far each exchange has gone.
enum MigrationV8 {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE federationPeer (
                organization TEXT PRIMARY KEY REFERENCES organization(id),
                url TEXT NOT NULL,
                pins TEXT NOT NULL,
                createdAt INTEGER NOT NULL,
                updatedAt INTEGER NOT NULL
            );
            CREATE TABLE federationCursor (
                peer TEXT NOT NULL REFERENCES federationPeer(organization),
                organization TEXT NOT NULL REFERENCES organization(id),
                pulledAfter TEXT NOT NULL DEFAULT '',
                pushedAuditSeq INTEGER NOT NULL DEFAULT 0,
                pushedFeedbackAt INTEGER NOT NULL DEFAULT 0,
                originatorStatus TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (peer, organization)
            ) WITHOUT ROWID;
            """)
    }
}
