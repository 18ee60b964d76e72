import Foundation
import GRDB
import TearlineCore

/// Migration v10: who created each member. `createdBy` is the creating member's id, or
/// `node-admin`; roles, clearance and compartments are given only when a member is created, so
/// the creator is also who gave each of its roles. Members created before this migration take
/// their creator from the audit log's `member.create` record; where there is none, it stays NULL
/// (unknown).
enum MigrationV10 {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE member ADD COLUMN createdBy TEXT;
            UPDATE member SET createdBy = (
                SELECT actor FROM auditEvent
                WHERE action = ? AND decision = 'allow' AND object = member.id
                ORDER BY seq LIMIT 1
            );
            CREATE INDEX member_createdBy ON member(createdBy);
            """, arguments: [AuditAction.memberCreate.rawValue])
    }
}
