import Foundation
import GRDB

/// Migration v5: trust dynamics — every change of a partnership's trust or status with its
/// reason, breaches recorded against a side, and each organisation's breach response.
enum MigrationV5 {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE organization ADD COLUMN breachResponse TEXT NOT NULL DEFAULT 'recommend' CHECK (breachResponse IN ('recommend', 'automatic'));
            CREATE TABLE trustChange (
                id TEXT PRIMARY KEY,
                partnership TEXT NOT NULL REFERENCES partnership(id),
                changedBy TEXT NOT NULL,
                organization TEXT,
                fromTrust INTEGER NOT NULL,
                toTrust INTEGER NOT NULL,
                fromStatus TEXT NOT NULL,
                toStatus TEXT NOT NULL,
                reason TEXT NOT NULL,
                at INTEGER NOT NULL
            );
            CREATE INDEX trustChange_partnership ON trustChange(partnership, at);
            CREATE TABLE breach (
                id TEXT PRIMARY KEY,
                partnership TEXT NOT NULL REFERENCES partnership(id),
                against TEXT NOT NULL REFERENCES organization(id),
                kind TEXT NOT NULL CHECK (kind IN ('leak-traced', 'refused-forward', 'consent-violation')),
                detail TEXT NOT NULL,
                response TEXT NOT NULL CHECK (response IN ('recommended', 'applied')),
                trust INTEGER NOT NULL,
                at INTEGER NOT NULL
            );
            CREATE INDEX breach_partnership ON breach(partnership, at);
            """)
    }
}
