import Foundation
import TearlineCore
import TearlineStore

/// Bearer tokens: resolving them, the node administrator's first one, and refusals.
extension MemberService {
    /// Resolves a bearer token to a caller, or `nil` when no credential matches.
    public func authenticate(token: String) async throws -> Caller? {
        let hash = APIToken.hash(token)
        return try await store.read { s in
            if let member = try s.member(tokenHash: hash) { return .member(member) }
            if try s.nodeCredentialExists(tokenHash: hash) { return .nodeAdmin }
            return nil
        }
    }

    /// Creates the node-admin credential if the node has none, returning the token to show once.
    public func bootstrapNodeAdmin() async throws -> String? {
        try await bootstrapNodeAdmin(deliver: { _ in })
    }

    /// Creates the node-admin credential if the node has none. `deliver` hands the token to the
    /// operator (for `serve`, a 0600 file) inside the transaction: if it fails, no credential is
    /// stored, so a token can never be created and lost.
    public func bootstrapNodeAdmin(deliver: @escaping @Sendable (String) throws -> Void) async throws -> String? {
        let token = APIToken.generate(prefix: "tln", random: random)
        let hash = APIToken.hash(token)
        let now = now()
        return try await store.write { s in
            guard try s.nodeCredentialCount() == 0 else { return nil }
            try s.insertNodeCredential(tokenHash: hash, createdAt: now)
            try s.appendAudit(AuditRecord(at: now, actor: "node", organization: nil, action: .nodeAdminCreate, object: nil, decision: "allow"))
            try deliver(token)
            return token
        }
    }

    /// Records an authentication failure.
    public func auditUnauthenticated(path: String) async throws {
        let now = now()
        _ = try await store.write { s in
            try s.appendAudit(AuditRecord(at: now, actor: nil, organization: nil, action: .authDenied, object: path, decision: "deny", reasons: ["unauthenticated"]))
        }
    }
}
