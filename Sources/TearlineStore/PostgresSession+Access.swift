import Foundation
import TearlineCore

extension PostgresSession: AccessRequestRepository {
    private static let accessRequestColumns = """
        id, requester, requesterOrganization, holder, entity, reports, sealedJustification, status, createdAt, decidedBy, decidedAt, outcome
        """

    func insertAccessRequest(_ r: AccessRequestRecord) throws {
        let sealed = try context.entityKeys.seal(Data(r.justification.utf8), context: "access-request:" + r.id)
        try link.execute("INSERT INTO accessRequest (\(Self.accessRequestColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            .text(r.id), .text(r.requester), .text(r.requesterOrganization), .text(r.holder), .int(Int64(r.entity)),
            .text(ListColumn.encode(r.reports)), .bytes(sealed), .text(r.status.rawValue), .int(r.createdAt), .optional(r.decidedBy),
            .optional(r.decidedAt), .text(ListColumn.encode(r.outcome)),
        ])
    }

    func accessRequest(id: String) throws -> AccessRequestRecord? {
        try link.row("SELECT \(Self.accessRequestColumns) FROM accessRequest WHERE id = ?", [.text(id)]).map(accessRequest(from:))
    }

    func accessRequests(holder: String?, requesterOrganization: String?, limit: Int) throws -> [AccessRequestRecord] {
        let (column, value) = holder.map { ("holder", $0) } ?? ("requesterOrganization", requesterOrganization ?? "")
        return try link.rows("""
            SELECT \(Self.accessRequestColumns) FROM accessRequest WHERE \(column) = ? ORDER BY createdAt DESC, id DESC LIMIT ?
            """, [.text(value), .int(Int64(limit))]).map(accessRequest(from:))
    }

    func updateAccessRequest(_ r: AccessRequestRecord) throws {
        try link.execute("UPDATE accessRequest SET status = ?, decidedBy = ?, decidedAt = ?, outcome = ? WHERE id = ?",
                         [.text(r.status.rawValue), .optional(r.decidedBy), .optional(r.decidedAt), .text(ListColumn.encode(r.outcome)), .text(r.id)])
    }

    private func accessRequest(from row: PGRow) throws -> AccessRequestRecord {
        let id = try row.string("id")
        let box = try row.data("sealedJustification")
        guard let status = AccessRequestStatus(rawValue: try row.string("status")),
              let justification = try? context.entityKeys.open(box, context: "access-request:" + id) else {
            throw StoreError.corruptRow("accessRequest")
        }
        return AccessRequestRecord(
            id: id, requester: try row.string("requester"), requesterOrganization: try row.string("requesterOrganization"),
            holder: try row.string("holder"), entity: UInt64(try row.int("entity")), reports: ListColumn.decode(try row.string("reports")),
            justification: String(decoding: justification, as: UTF8.self), status: status, createdAt: try row.int("createdAt"),
            decidedBy: try row.optionalString("decidedBy"), decidedAt: try row.optionalInt("decidedAt"),
            outcome: ListColumn.decode(try row.string("outcome")))
    }
}

extension PostgresSession: FeedbackRepository {
    func insertFeedback(_ f: FeedbackRecord) throws {
        guard let originator = try link.row("SELECT originator FROM release WHERE id = ?", [.text(f.releaseId)]).map({ try $0.string("originator") }) else {
            throw StoreError.corruptRow("feedback on an unknown release")
        }
        let note = try f.note.map { try context.entityKeys.seal(Data($0.utf8), context: "feedback:" + f.id) }
        try link.execute("""
            INSERT INTO feedback (id, releaseId, originator, organization, member, verdict, sealedNote, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(f.id), .text(f.releaseId), .text(originator), .text(f.organization), .text(f.member), .text(f.verdict.rawValue),
                  .optional(note), .int(f.createdAt)])
    }

    func feedback(release: String) throws -> [FeedbackRecord] {
        try link.rows("""
            SELECT id, releaseId, organization, member, verdict, sealedNote, createdAt FROM feedback WHERE releaseId = ? ORDER BY createdAt, id
            """, [.text(release)]).map(feedback(from:))
    }

    func feedbackReceived(originator: String, limit: Int) throws -> [FeedbackRecord] {
        try link.rows("""
            SELECT id, releaseId, organization, member, verdict, sealedNote, createdAt FROM feedback WHERE originator = ?
            ORDER BY createdAt DESC, id DESC LIMIT ?
            """, [.text(originator), .int(Int64(limit))]).map(feedback(from:))
    }

    func currentVerdicts(originator: String) throws -> [CurrentVerdict] {
        // why the latest per release: a recipient may revise its judgement; the history stays, the last one counts.
        try link.rows("""
            SELECT f.releaseId, f.verdict, r.topics, f.organization FROM feedback f
            JOIN release l ON l.id = f.releaseId JOIN report r ON r.id = l.reportId
            WHERE f.originator = ? AND NOT EXISTS (
                SELECT 1 FROM feedback g WHERE g.releaseId = f.releaseId AND (g.createdAt > f.createdAt OR (g.createdAt = f.createdAt AND g.id > f.id)))
            """, [.text(originator)]).map { row in
            guard let verdict = FeedbackVerdict(rawValue: try row.string("verdict")) else { throw StoreError.corruptRow("feedback.verdict") }
            return CurrentVerdict(releaseId: try row.string("releaseId"), verdict: verdict, topics: ListColumn.decode(try row.string("topics")),
                                  organization: try row.string("organization"))
        }
    }

    private func feedback(from row: PGRow) throws -> FeedbackRecord {
        let id = try row.string("id")
        guard let verdict = FeedbackVerdict(rawValue: try row.string("verdict")) else { throw StoreError.corruptRow("feedback.verdict") }
        let note = try row.optionalData("sealedNote").map { box -> String in
            guard let plain = try? context.entityKeys.open(box, context: "feedback:" + id) else { throw StoreError.corruptRow("feedback.note") }
            return String(decoding: plain, as: UTF8.self)
        }
        return FeedbackRecord(id: id, releaseId: try row.string("releaseId"), organization: try row.string("organization"),
                              member: try row.string("member"), verdict: verdict, note: note, createdAt: try row.int("createdAt"))
    }
}

extension PostgresSession: TrustRepository {
    func insertTrustChange(_ c: TrustChangeRecord) throws {
        try link.execute("""
            INSERT INTO trustChange (id, partnership, changedBy, organization, fromTrust, toTrust, fromStatus, toStatus, reason, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(c.id), .text(c.partnership), .text(c.changedBy), .optional(c.organization), .int(Int64(c.fromTrust.rawValue)),
                  .int(Int64(c.toTrust.rawValue)), .text(c.fromStatus.rawValue), .text(c.toStatus.rawValue), .text(c.reason), .int(c.at)])
    }

    func trustChanges(partnership: String) throws -> [TrustChangeRecord] {
        try link.rows("""
            SELECT id, partnership, changedBy, organization, fromTrust, toTrust, fromStatus, toStatus, reason, at FROM trustChange
            WHERE partnership = ? ORDER BY at, id
            """, [.text(partnership)]).map { row in
            guard let from = TrustLevel(rawValue: Int(try row.int("fromTrust"))), let to = TrustLevel(rawValue: Int(try row.int("toTrust"))),
                  let fromStatus = PartnershipStatus(rawValue: try row.string("fromStatus")),
                  let toStatus = PartnershipStatus(rawValue: try row.string("toStatus")) else {
                throw StoreError.corruptRow("trustChange")
            }
            return TrustChangeRecord(id: try row.string("id"), partnership: try row.string("partnership"), changedBy: try row.string("changedBy"),
                                     organization: try row.optionalString("organization"), fromTrust: from, toTrust: to,
                                     fromStatus: fromStatus, toStatus: toStatus, reason: try row.string("reason"), at: try row.int("at"))
        }
    }

    func insertBreach(_ b: BreachRecord) throws {
        try link.execute("""
            INSERT INTO breach (id, partnership, against, kind, detail, response, trust, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(b.id), .text(b.partnership), .text(b.against), .text(b.kind.rawValue), .text(b.detail), .text(b.response),
                  .int(Int64(b.trust.rawValue)), .int(b.at)])
    }

    func breaches(partnership: String) throws -> [BreachRecord] {
        try link.rows("""
            SELECT id, partnership, against, kind, detail, response, trust, at FROM breach WHERE partnership = ? ORDER BY at, id
            """, [.text(partnership)]).map { row in
            guard let kind = BreachKind(rawValue: try row.string("kind")), let trust = TrustLevel(rawValue: Int(try row.int("trust"))) else {
                throw StoreError.corruptRow("breach")
            }
            return BreachRecord(id: try row.string("id"), partnership: try row.string("partnership"), against: try row.string("against"),
                                kind: kind, detail: try row.string("detail"), response: try row.string("response"), trust: trust,
                                at: try row.int("at"))
        }
    }

    func breachResponse(organization: String) throws -> BreachResponse {
        let text = try link.row("SELECT breachResponse FROM organization WHERE id = ?", [.text(organization)]).map { try $0.string("breachResponse") }
        return text.flatMap(BreachResponse.init(rawValue:)) ?? .recommend
    }

    func setBreachResponse(_ response: BreachResponse, organization: String) throws {
        try link.execute("UPDATE organization SET breachResponse = ? WHERE id = ?", [.text(response.rawValue), .text(organization)])
    }
}
