import Foundation

/// A signed-in console session. Only the SHA-256 of the session's cookie value is kept, as for
/// API tokens; `member` is `nil` for the node administrator.
public struct ConsoleSessionRecord: Sendable, Hashable {
    public var tokenHash: Data
    public var member: String?
    public var createdAt: Int64
    /// The session ends at this time whatever happens (an absolute lifetime).
    public var expiresAt: Int64
    /// The last request seen on the session, to end an idle one; moved at most once a minute.
    public var lastSeenAt: Int64

    public init(tokenHash: Data, member: String?, createdAt: Int64, expiresAt: Int64, lastSeenAt: Int64) {
        self.tokenHash = tokenHash
        self.member = member
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt
    }
}

/// Console sessions, kept in the store so that every instance of a node knows them and a
/// sign-out holds on all of them at once.
public protocol ConsoleSessionRepository {
    func insertConsoleSession(_ session: ConsoleSessionRecord) throws
    func consoleSession(tokenHash: Data) throws -> ConsoleSessionRecord?
    func touchConsoleSession(tokenHash: Data, at: Int64) throws
    func deleteConsoleSession(tokenHash: Data) throws
    /// Deletes the sessions past their lifetime (`expiresAt <= now`) or idle since `idleBefore`; returns how many.
    @discardableResult func deleteConsoleSessions(now: Int64, idleBefore: Int64) throws -> Int
    /// Ends every session of a member (on suspension, or when its credentials change).
    func deleteConsoleSessions(member: String) throws
}
