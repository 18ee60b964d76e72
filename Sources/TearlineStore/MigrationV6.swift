import Foundation
import GRDB

/// Migration v6: the exchange ledger — declared interests, one entry per release, terms
/// (concessions asked in return) and requests for information.
enum MigrationV6 {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE organizationInterest (
                organization TEXT NOT NULL REFERENCES organization(id),
                topic TEXT NOT NULL,
                PRIMARY KEY (organization, topic)
            ) WITHOUT ROWID;
            CREATE TABLE ledgerEntry (
                id TEXT PRIMARY KEY,
                partnership TEXT NOT NULL REFERENCES partnership(id),
                giver TEXT NOT NULL REFERENCES organization(id),
                receiver TEXT NOT NULL REFERENCES organization(id),
                releaseId TEXT NOT NULL REFERENCES release(id),
                value REAL NOT NULL,
                at INTEGER NOT NULL
            );
            CREATE INDEX ledgerEntry_partnership ON ledgerEntry(partnership, at);
            CREATE TABLE rfi (
                id TEXT PRIMARY KEY,
                partnership TEXT NOT NULL REFERENCES partnership(id),
                requester TEXT NOT NULL REFERENCES organization(id),
                responder TEXT NOT NULL REFERENCES organization(id),
                requestedBy TEXT NOT NULL REFERENCES member(id),
                sealedQuestion BLOB NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'declined')),
                answerReleaseId TEXT REFERENCES release(id),
                createdAt INTEGER NOT NULL,
                answeredAt INTEGER
            );
            CREATE INDEX rfi_requester ON rfi(requester, createdAt);
            CREATE INDEX rfi_responder ON rfi(responder, createdAt);
            CREATE TABLE term (
                id TEXT PRIMARY KEY,
                partnership TEXT NOT NULL REFERENCES partnership(id),
                askedBy TEXT NOT NULL REFERENCES organization(id),
                owedBy TEXT NOT NULL REFERENCES organization(id),
                releaseId TEXT REFERENCES release(id),
                rfiId TEXT REFERENCES rfi(id),
                sealedText BLOB NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'met', 'declined')),
                createdAt INTEGER NOT NULL,
                updatedAt INTEGER NOT NULL
            );
            CREATE INDEX term_partnership ON term(partnership, createdAt);
            """)
    }
}
