import Foundation
import GRDB

extension SQLiteSession: ConsoleSessionRepository {
    func insertConsoleSession(_ c: ConsoleSessionRecord) throws {
        try db.cachedStatement(sql: "INSERT INTO consoleSession (tokenHash, memberId, createdAt, expiresAt, lastSeenAt) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [c.tokenHash, c.member, c.createdAt, c.expiresAt, c.lastSeenAt])
    }

    func consoleSession(tokenHash: Data) throws -> ConsoleSessionRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT tokenHash, memberId, createdAt, expiresAt, lastSeenAt FROM consoleSession WHERE tokenHash = ?"),
                         arguments: [tokenHash]).map { row in
            ConsoleSessionRecord(tokenHash: row["tokenHash"], member: row["memberId"], createdAt: row["createdAt"],
                                 expiresAt: row["expiresAt"], lastSeenAt: row["lastSeenAt"])
        }
    }

    func touchConsoleSession(tokenHash: Data, at: Int64) throws {
        try db.cachedStatement(sql: "UPDATE consoleSession SET lastSeenAt = ? WHERE tokenHash = ?").execute(arguments: [at, tokenHash])
    }

    func deleteConsoleSession(tokenHash: Data) throws {
        try db.cachedStatement(sql: "DELETE FROM consoleSession WHERE tokenHash = ?").execute(arguments: [tokenHash])
    }

    func deleteConsoleSessions(now: Int64, idleBefore: Int64) throws -> Int {
        try db.cachedStatement(sql: "DELETE FROM consoleSession WHERE expiresAt <= ? OR lastSeenAt < ?").execute(arguments: [now, idleBefore])
        return db.changesCount
    }

    func deleteConsoleSessions(member: String) throws {
        try db.cachedStatement(sql: "DELETE FROM consoleSession WHERE memberId = ?").execute(arguments: [member])
    }
}
