import Crypto
import Foundation
import TearlineCore
import TearlineStore

/// Witnessed audit heads: every federation exchange, both ways, carries the sender's signed head;
/// each node keeps the last head it saw of its partner, and tells the partner which of its heads
/// it had seen. A node rolled back to an older copy, or whose log was emptied, no longer holds the
/// entry its partner witnessed: it finds that out from the partner's answer and raises an alert,
/// and the partner raises one too (at once when the presented head is older or forked, otherwise
/// when the rolled-back node reports it on the next exchange).
extension FederationService {
    /// What this node sends `peer`: its signed head, the head of `peer` it last witnessed, and
    /// whether its own log still extends the head `peer` last said it witnessed.
    func outgoingAuditWitness(_ s: any StoreSession, peer: String) throws -> FederationAuditWitness {
        let head = try s.signedAuditHead().map {
            FederationAuditHead(seq: $0.seq, hash: $0.hash.base64EncodedString(), at: $0.at, signature: $0.signature.base64EncodedString(),
                                publicKey: context.masterKey.auditSigningKey.publicKey.rawRepresentation.base64EncodedString())
        }
        let theirs = try s.auditWitness(peer: peer, direction: .theirs)
        let ours = try s.auditWitness(peer: peer, direction: .ours)
        return FederationAuditWitness(head: head, witnessed: theirs.map { FederationWitnessedHead(seq: $0.seq, hash: $0.hash.base64EncodedString()) },
                                      extendsWitnessed: ours.map { !$0.contradicted })
    }

    /// Takes in what `peer` sent: checks our log against the head of ours it witnessed, judges its
    /// head against the one we witnessed before, and raises alerts for `organizations` (ours that
    /// partner `peer`). Returns whether our log extends what `peer` witnessed (nil when it named
    /// nothing), for the reply.
    @discardableResult
    func absorbAuditWitness(_ s: any StoreSession, _ incoming: FederationAuditWitness?, from peer: String, organizations: [String],
                            now: Int64) throws -> Bool? {
        guard let incoming else { return nil }
        if incoming.extendsWitnessed == false {
            try raiseWitnessAlert(s, kind: "partner-audit-rollback", peer: peer, organizations: organizations, now: now,
                                  detail: "\(peer)'s node reports that its audit log no longer holds the head this node witnessed: it was rolled back or rewritten")
        }
        var extends: Bool?
        if let witnessed = incoming.witnessed {
            guard let hash = Data(base64Encoded: witnessed.hash), witnessed.seq >= 0 else {
                throw ServiceError.badRequest("audit.witnessed: hash is not base64.")
            }
            let holds = try s.auditEntryHash(seq: witnessed.seq) == hash
            extends = holds
            try s.saveAuditWitness(AuditWitnessRecord(peer: peer, direction: .ours, seq: witnessed.seq, hash: hash, at: now,
                                                      contradicted: !holds, recordedAt: now))
            if !holds {
                try raiseWitnessAlert(s, kind: "audit-rollback", peer: peer, organizations: organizations, now: now,
                                      detail: "\(peer)'s node witnessed this node's audit head at entry \(witnessed.seq), which this node's log no longer holds: it was rolled back or rewritten")
            }
        }
        if let head = incoming.head {
            try judgeHead(s, head, from: peer, organizations: organizations, now: now)
        }
        return extends
    }

    /// Keeps `head` as the witnessed head of `peer` when it is signed by the node's pinned key and
    /// extends the one witnessed before (not older, not a different entry at the same place).
    private func judgeHead(_ s: any StoreSession, _ head: FederationAuditHead, from peer: String, organizations: [String], now: Int64) throws {
        guard let hash = Data(base64Encoded: head.hash), let signature = Data(base64Encoded: head.signature),
              let keyBytes = Data(base64Encoded: head.publicKey), head.seq >= 1 else {
            throw ServiceError.badRequest("audit.head: hash, signature and publicKey are base64, and seq is at least 1.")
        }
        let previous = try s.auditWitness(peer: peer, direction: .theirs)
        let pinned = previous?.publicKey ?? keyBytes
        let checkpoint = AuditCheckpoint(seq: head.seq, hash: hash, at: head.at, signature: signature)
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: pinned), checkpoint.isValid(for: key) else {
            try raiseWitnessAlert(s, kind: "partner-audit-rollback", peer: peer, organizations: organizations, now: now,
                                  detail: "\(peer)'s node presented an audit head at entry \(head.seq) not signed by the audit key this node pinned for it")
            return
        }
        if let previous, head.seq < previous.seq || (head.seq == previous.seq && hash != previous.hash) {
            var contradicted = previous
            contradicted.contradicted = true
            try s.saveAuditWitness(contradicted)
            try raiseWitnessAlert(s, kind: "partner-audit-rollback", peer: peer, organizations: organizations, now: now,
                                  detail: "\(peer)'s node presented an audit head at entry \(head.seq) that does not extend the head at entry \(previous.seq) this node witnessed: it was rolled back or rewritten")
            return
        }
        try s.saveAuditWitness(AuditWitnessRecord(peer: peer, direction: .theirs, seq: head.seq, hash: hash, at: head.at, signature: signature,
                                                  publicKey: pinned, contradicted: false, recordedAt: now))
    }

    /// One open alert of `kind` about `peer` per organisation: repeated exchanges do not pile them up.
    private func raiseWitnessAlert(_ s: any StoreSession, kind: String, peer: String, organizations: [String], now: Int64, detail: String) throws {
        let subject = Self.remoteMemberId(peer)
        for organization in organizations {
            if try s.alerts(organization: organization, openOnly: true, limit: 1000).contains(where: { $0.kind == kind && $0.subject == subject }) { continue }
            try s.insertAlert(AlertRecord(id: ids.make("alr"), organization: organization, subject: subject, kind: kind, detail: detail, createdAt: now))
        }
    }

    /// This node's organisations that partner `peer`: who hears of a witnessed rollback.
    func localPartners(_ s: any StoreSession, of peer: String) throws -> [String] {
        try s.partnerships(involving: peer).compactMap { partnership in
            let other = partnership.other(than: peer)
            guard let organization = try s.organization(id: other), !organization.isRemote else { return nil }
            return other
        }
    }
}
