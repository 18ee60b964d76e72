import Foundation
import TearlineCore
import TearlineStore

/// The audit chain's state, as a security officer sees it.
public struct ChainState: Codable, Sendable {
    /// Whether this store can be verified in place (not an in-memory one).
    public var available: Bool
    public var intact: Bool
    /// Where the chain first breaks, and why (node administrator only: it names a sequence number of the whole node).
    public var firstBad: Int64?
    public var problem: String?
    /// When the signed head was last signed.
    public var headSignedAt: String?
    /// Entries and checkpoints checked (node administrator only: the node's volume is not an organisation's to know).
    public var entries: Int64?
    public var checkpoints: Int?
    public var checkedAt: String
}

extension AuditService {
    /// Verifies the node's whole audit chain now, as `tearline audit verify` does: every entry,
    /// every signed checkpoint and the signed head. Security members and the node administrator;
    /// the check itself is audited.
    public func verifyChain(by caller: Caller) async throws -> ChainState {
        let now = now()
        if let member = caller.member {
            guard member.may(.investigate) else {
                throw try await store.write { s in
                    try self.refusal(s, caller, at: now, .auditVerify, object: nil, reasons: .roleRequired,
                                     answer: .forbidden("Only security members verify the audit chain.", reasons: .roleRequired))
                }
            }
        }
        let verification = try await store.verifyAuditChain()
        let admin = caller.member == nil
        var state = ChainState(available: verification != nil, intact: verification?.isIntact ?? false, checkedAt: Timestamp.string(now))
        if let verification {
            state.headSignedAt = verification.head.map { Timestamp.string($0.at) }
            if admin {
                state.firstBad = verification.firstBad
                state.problem = verification.problem
                state.entries = verification.entries
                state.checkpoints = verification.checkpoints
            }
        }
        try await store.write { s in
            try s.appendAudit(.by(caller, at: now, action: .auditVerify, object: nil, decision: .allow,
                                  detail: verification.map { "intact=\($0.isIntact)" } ?? "unavailable"))
        }
        return state
    }
}
