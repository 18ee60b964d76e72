import Foundation
import GRDB

/// Migration v7: TAXII 2.1 — API roots, collections, posted STIX objects (sealed, one row per
/// version), status resources of POSTs, and members' optional login passwords for HTTP Basic.
enum MigrationV7 {
    /// The API root every node serves; imported medallion roots sit beside it.
    static let defaultRoot = "tearline"
    static let defaultRootDescription = "Releases received, own holdings and community collections, each a view through the decision rule."

    static func run(_ db: Database, now: Int64) throws {
        try db.execute(sql: """
            CREATE TABLE taxiiApiRoot (
                name TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                maxContentLength INTEGER NOT NULL,
                createdAt INTEGER NOT NULL
            );
            CREATE TABLE taxiiCollection (
                id TEXT PRIMARY KEY,
                apiRoot TEXT NOT NULL REFERENCES taxiiApiRoot(name),
                kind TEXT NOT NULL CHECK (kind IN ('community', 'holdings', 'received')),
                organization TEXT REFERENCES organization(id),
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                alias TEXT,
                readers TEXT NOT NULL,
                writers TEXT NOT NULL,
                topics TEXT NOT NULL,
                defaultMarking TEXT NOT NULL,
                createdAt INTEGER NOT NULL
            );
            CREATE INDEX taxiiCollection_root ON taxiiCollection(apiRoot, createdAt);
            CREATE TABLE taxiiObject (
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
                UNIQUE (collection, stixId, version)
            );
            CREATE INDEX taxiiObject_added ON taxiiObject(collection, dateAdded, stixId, version);
            CREATE INDEX taxiiObject_id ON taxiiObject(collection, stixId, version);
            CREATE TABLE taxiiStatus (
                id TEXT PRIMARY KEY,
                apiRoot TEXT NOT NULL REFERENCES taxiiApiRoot(name),
                member TEXT NOT NULL,
                requestTimestamp INTEGER NOT NULL,
                total INTEGER NOT NULL,
                successes TEXT NOT NULL,
                failures TEXT NOT NULL,
                pendings TEXT NOT NULL
            );
            CREATE TABLE memberCredential (
                member TEXT PRIMARY KEY REFERENCES member(id),
                login TEXT NOT NULL UNIQUE,
                passwordHash TEXT NOT NULL,
                updatedAt INTEGER NOT NULL
            );
            """)
        try db.execute(sql: "INSERT INTO taxiiApiRoot (name, title, description, maxContentLength, createdAt) VALUES (?, ?, ?, ?, ?)",
                       arguments: [defaultRoot, "Tearline", defaultRootDescription,
                                   TAXIILimits.maxContentLength, now])
        for org in try String.fetchAll(db, sql: "SELECT id FROM organization") {
            try SQLiteSession.insertOrganizationCollections(db, organization: org, now: now)
        }
    }
}

/// Limits of the TAXII surface.
public enum TAXIILimits {
    /// The largest request body accepted, in bytes (advertised as the API root's max_content_length).
    public static let maxContentLength = 10 * 1024 * 1024
}
