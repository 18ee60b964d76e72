import Foundation
import GRDB

/// Migration v11: a posted STIX object's versions are kept per organisation. The same id and
/// version posted by two organisations are two rows, each read under its own marking, so that
/// whether a post is new never depends on what another organisation posted. Each body is sealed
/// again, bound to its owner as well.
enum MigrationV11 {
    static func run(_ db: Database, context: StoreContext) throws {
        try db.execute(sql: """
            CREATE TABLE taxiiObjectV11 (
                seq INTEGER PRIMARY KEY,
                collection TEXT NOT NULL REFERENCES taxiiCollection(id),
                stixId TEXT NOT NULL,
                type TEXT NOT NULL,
                version INTEGER NOT NULL,
                specVersion TEXT NOT NULL,
                dateAdded INTEGER NOT NULL,
                owner TEXT NOT NULL REFERENCES organization(id),
                postedBy TEXT,
                marking TEXT NOT NULL,
                sealedBody BLOB NOT NULL,
                UNIQUE (collection, stixId, version, owner)
            );
            """)
        let insert = try db.makeStatement(sql: """
            INSERT INTO taxiiObjectV11 (seq, collection, stixId, type, version, specVersion, dateAdded, owner, postedBy, marking, sealedBody)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT seq, collection, stixId, type, version, specVersion, dateAdded, owner, postedBy, marking, sealedBody FROM taxiiObject ORDER BY seq
            """)
        while let row = try rows.next() {
            let collection: String = row[1], stixId: String = row[2], version: Int64 = row[4], owner: String = row[7]
            let body = try context.entityKeys.open(row[10], context: "taxii-object:\(collection):\(stixId):\(version)")
            let sealed = try context.entityKeys.seal(body, context: SQLiteSession.taxiiSealContext(collection: collection, stixId: stixId, version: version, owner: owner))
            try insert.execute(arguments: [row[0], collection, stixId, row[3], version, row[5], row[6], owner, row[8], row[9], sealed])
        }
        try db.execute(sql: """
            DROP TABLE taxiiObject;
            ALTER TABLE taxiiObjectV11 RENAME TO taxiiObject;
            CREATE INDEX taxiiObject_added ON taxiiObject(collection, dateAdded, stixId, version);
            CREATE INDEX taxiiObject_id ON taxiiObject(collection, stixId, owner, version);
            """)
    }
}
