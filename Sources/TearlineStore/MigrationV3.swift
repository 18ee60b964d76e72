import Foundation
import GRDB
import TearlineCore

/// Migration v3: the entity index. Reports get a discoverability; entity mentions move to the
/// `mention` table: one row per report (keyed by the report's row id) holding its mentions as
/// packed (portion, blind entity identifier) pairs — normalised entities, and the observables
/// found in existing text; `entity` keeps each entity's kind and sealed name. Access requests
/// and member notifications get their tables.
enum MigrationV3 {
    static func run(_ db: Database, context: StoreContext) throws {
        try db.execute(sql: """
            ALTER TABLE report ADD COLUMN discoverability TEXT NOT NULL DEFAULT 'own-organisation';
            CREATE TABLE entity (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                sealedName BLOB NOT NULL
            );
            CREATE TABLE mention (
                report INTEGER PRIMARY KEY,
                mentions BLOB NOT NULL
            );
            CREATE TABLE accessRequest (
                id TEXT PRIMARY KEY,
                requester TEXT NOT NULL REFERENCES member(id),
                requesterOrganization TEXT NOT NULL REFERENCES organization(id),
                holder TEXT NOT NULL REFERENCES organization(id),
                entity INTEGER NOT NULL,
                reports TEXT NOT NULL,
                sealedJustification BLOB NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'denied')),
                createdAt INTEGER NOT NULL,
                decidedBy TEXT,
                decidedAt INTEGER,
                outcome TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX accessRequest_holder ON accessRequest(holder, createdAt);
            CREATE INDEX accessRequest_requester ON accessRequest(requesterOrganization, createdAt);
            CREATE TABLE notification (
                id TEXT PRIMARY KEY,
                member TEXT NOT NULL REFERENCES member(id),
                kind TEXT NOT NULL,
                sealedDetail BLOB NOT NULL,
                createdAt INTEGER NOT NULL
            );
            CREATE INDEX notification_member ON notification(member, createdAt);
            """)
        let session = SQLiteSession(db: db, context: context, readOnly: false)
        let rows = try Row.fetchAll(db, sql: "SELECT rowid, id FROM report ORDER BY rowid")
        for row in rows {
            let rowid: Int64 = row[0]
            guard let stored = try session.report(id: row[1]) else { continue }
            // why extracting: reports written before v3 did not have the observables of their text listed.
            try session.indexMentions(of: stored.report, row: rowid, extracting: true)
        }
        try db.execute(sql: "DROP TABLE entityMention")
    }
}
