import Foundation
import GRDB

/// Migration v9: directional trust. Each side of a partnership holds its own trust in the other
/// and its own suspension. Existing partnerships keep their history: both directions start at
/// the level the partnership had. A suspended partnership is suspended by the side whose member
/// last suspended it (from the trust history); where the history does not say (the node
/// administrator, or a status mirrored from a partner node), both sides hold a suspension, so
/// that nothing becomes readable by the migration itself.
enum MigrationV9 {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE partnership ADD COLUMN firstTrust INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE partnership ADD COLUMN secondTrust INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE partnership ADD COLUMN firstSuspended INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE partnership ADD COLUMN secondSuspended INTEGER NOT NULL DEFAULT 0;
            UPDATE partnership SET firstTrust = trust, secondTrust = trust;
            UPDATE partnership SET
                firstSuspended = CASE WHEN (SELECT organization FROM trustChange c WHERE c.partnership = partnership.id AND c.toStatus = 'suspended'
                                            ORDER BY c.at DESC, c.id DESC LIMIT 1) IS second THEN 0 ELSE 1 END,
                secondSuspended = CASE WHEN (SELECT organization FROM trustChange c WHERE c.partnership = partnership.id AND c.toStatus = 'suspended'
                                             ORDER BY c.at DESC, c.id DESC LIMIT 1) IS first THEN 0 ELSE 1 END
            WHERE status = 'suspended';
            ALTER TABLE partnership DROP COLUMN trust;
            """)
    }
}
