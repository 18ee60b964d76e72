import Foundation
import GRDB

/// Migration v12: console sessions. A session is stored as the SHA-256 of its cookie value, with
/// its member (NULL for the node administrator), an absolute end and the last time it was used.
enum MigrationV12 {
    static let sql = """
        CREATE TABLE consoleSession (
            tokenHash BLOB PRIMARY KEY,
            memberId TEXT REFERENCES member(id),
            createdAt INTEGER NOT NULL,
            expiresAt INTEGER NOT NULL,
            lastSeenAt INTEGER NOT NULL
        );
        CREATE INDEX consoleSession_member ON consoleSession(memberId);
        """

    static func run(_ db: Database) throws {
        try db.execute(sql: sql)
    }
}
