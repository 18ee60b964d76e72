import Foundation
import GRDB

/// Migration v4: feedback on releases (story 8). Every judgement is a row; the latest per
/// release is the current one.
enum MigrationV4 {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE feedback (
                id TEXT PRIMARY KEY,
                releaseId TEXT NOT NULL REFERENCES release(id),
                originator TEXT NOT NULL REFERENCES organization(id),
                organization TEXT NOT NULL REFERENCES organization(id),
                member TEXT NOT NULL REFERENCES member(id),
                verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'partly-confirmed', 'refuted', 'cannot-judge')),
                sealedNote BLOB,
                createdAt INTEGER NOT NULL
            );
            CREATE INDEX feedback_release ON feedback(releaseId, createdAt);
            CREATE INDEX feedback_originator ON feedback(originator, createdAt);
            """)
    }
}
