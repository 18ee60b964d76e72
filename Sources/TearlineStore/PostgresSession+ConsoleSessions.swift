import Foundation

// why no memo: a session is read in every console request's snapshot, so a sign-out on one
// instance holds on the others at their next request.
extension PostgresSession: ConsoleSessionRepository {
    func insertConsoleSession(_ c: ConsoleSessionRecord) throws {
        try link.execute("INSERT INTO consoleSession (tokenHash, memberId, createdAt, expiresAt, lastSeenAt) VALUES (?, ?, ?, ?, ?)",
                         [.bytes(c.tokenHash), .optional(c.member), .int(c.createdAt), .int(c.expiresAt), .int(c.lastSeenAt)])
    }

    func consoleSession(tokenHash: Data) throws -> ConsoleSessionRecord? {
        try link.row("SELECT tokenHash, memberId, createdAt, expiresAt, lastSeenAt FROM consoleSession WHERE tokenHash = ?", [.bytes(tokenHash)])
            .map { row in
                ConsoleSessionRecord(tokenHash: try row.data("tokenHash"), member: try row.optionalString("memberId"), createdAt: try row.int("createdAt"),
                                     expiresAt: try row.int("expiresAt"), lastSeenAt: try row.int("lastSeenAt"))
            }
    }

    func touchConsoleSession(tokenHash: Data, at: Int64) throws {
        try link.execute("UPDATE consoleSession SET lastSeenAt = ? WHERE tokenHash = ?", [.int(at), .bytes(tokenHash)])
    }

    func deleteConsoleSession(tokenHash: Data) throws {
        try link.execute("DELETE FROM consoleSession WHERE tokenHash = ?", [.bytes(tokenHash)])
    }

    func deleteConsoleSessions(now: Int64, idleBefore: Int64) throws -> Int {
        Int(try link.row("WITH gone AS (DELETE FROM consoleSession WHERE expiresAt <= ? OR lastSeenAt < ? RETURNING 1) SELECT COUNT(*) AS n FROM gone",
                         [.int(now), .int(idleBefore)]).map { try $0.int("n") } ?? 0)
    }

    func deleteConsoleSessions(member: String) throws {
        try link.execute("DELETE FROM consoleSession WHERE memberId = ?", [.text(member)])
    }
}
