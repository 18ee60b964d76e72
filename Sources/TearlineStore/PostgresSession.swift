import Foundation
import TearlineCore

/// One transaction on PostgreSQL: the repositories of ``StoreSession`` over one connection, run on
/// one pool thread (see ``PostgresDatabase/transaction(readOnly:_:)``). The statements are the
/// SQLite session's, with the same columns; only the SQL dialect differs where it must.
///
/// Being built repository by repository (issue 14); it conforms to `StoreSession` once complete.
struct PostgresSession: Sendable {
    let link: PostgresLink
    let context: StoreContext
    /// A read session buffers its audit records; the store commits them before `read` returns.
    let readOnly: Bool
    let state = SessionState()
    /// A read session's use of the instance's read memo; `nil` in a write, which reads the database.
    var memoUse: PostgresMemoUse? = nil
}

extension PostgresSession: OrganizationRepository {
    func insertOrganization(_ o: OrganizationRecord) throws {
        try link.execute("INSERT INTO organization (id, name, kind, publicKey, sealedPrivateKey, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                         [.text(o.id), .text(o.name), .text(o.kind.rawValue), .bytes(o.publicKey), .bytes(o.sealedPrivateKey), .int(o.createdAt)])
        try insertOrganizationCollections(organization: o.id, now: o.createdAt)
    }

    func organization(id: String) throws -> OrganizationRecord? {
        try remembered(.organization(id)) { try link.row("SELECT * FROM organization WHERE id = ?", [.text(id)]).map(Self.organization(from:)) }
    }

    func organizations() throws -> [OrganizationRecord] {
        try link.rows("SELECT * FROM organization ORDER BY id").map(Self.organization(from:))
    }

    func insertNodeCredential(tokenHash: Data, createdAt: Int64) throws {
        try link.execute("INSERT INTO nodeCredential (tokenHash, createdAt) VALUES (?, ?)", [.bytes(tokenHash), .int(createdAt)])
    }

    func nodeCredentialExists(tokenHash: Data) throws -> Bool {
        // why only a match is remembered: guessed tokens must not fill the memo.
        try remembered(.nodeCredential(tokenHash: tokenHash), keepAbsent: false) {
            try link.row("SELECT EXISTS (SELECT 1 FROM nodeCredential WHERE tokenHash = ?) AS found", [.bytes(tokenHash)])
                .map { try $0.bool("found") } == true ? true : nil
        } ?? false
    }

    func nodeCredentialCount() throws -> Int {
        Int(try link.row("SELECT COUNT(*) AS n FROM nodeCredential").map { try $0.int("n") } ?? 0)
    }

    /// An organisation's own TAXII collections, as on SQLite.
    func insertOrganizationCollections(organization: String, now: Int64) throws {
        let sql = """
            INSERT INTO taxiiCollection (id, apiRoot, kind, organization, title, description, alias, readers, writers, topics, defaultMarking, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, '', ?, ?)
            """
        try link.execute(sql, [
            .text(TAXIICollectionKind.holdings.collectionId(organization: organization)), .text(MigrationV7.defaultRoot),
            .text(TAXIICollectionKind.holdings.rawValue), .text(organization), .text("Holdings of \(organization)"),
            .text("The reports of \(organization) and the STIX objects its members posted, as each reader may read them."),
            .text(organization), .text(organization), .text("UNCLASSIFIED//TLP:AMBER+STRICT"), .int(now),
        ])
        try link.execute(sql, [
            .text(TAXIICollectionKind.received.collectionId(organization: organization)), .text(MigrationV7.defaultRoot),
            .text(TAXIICollectionKind.received.rawValue), .text(organization), .text("Releases received by \(organization)"),
            .text("The releases partners made to \(organization), as each reader may read them."),
            .text(organization), .text(""), .text("UNCLASSIFIED//TLP:AMBER+STRICT"), .int(now),
        ])
    }

    static func organization(from row: PGRow) throws -> OrganizationRecord {
        guard let kind = OrganizationKind(rawValue: try row.string("kind")) else { throw StoreError.corruptRow("organization.kind") }
        return OrganizationRecord(
            id: try row.string("id"), name: try row.string("name"), kind: kind, publicKey: try row.data("publicKey"),
            sealedPrivateKey: try row.data("sealedPrivateKey"), createdAt: try row.int("createdAt"))
    }
}

extension PostgresSession: MemberRepository {
    func insertMember(_ m: MemberRecord) throws {
        try link.execute("""
            INSERT INTO member (id, organizationId, name, roles, clearance, compartments, topics, tokenHash, status, throttled, secondedTo, createdAt, createdBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(m.id), .text(m.organization), .text(m.name), .text(ListColumn.encode(m.roles.map(\.rawValue))), .int(Int64(m.clearance.rawValue)),
                  .text(ListColumn.encode(m.compartments)), .text(ListColumn.encode(m.topics)), .bytes(m.tokenHash), .text(m.status.rawValue),
                  .int(m.throttled ? 1 : 0), .optional(m.secondedTo), .int(m.createdAt), .optional(m.createdBy)])
    }

    func updateMember(_ m: MemberRecord) throws {
        try link.execute("""
            UPDATE member SET name = ?, roles = ?, clearance = ?, compartments = ?, topics = ?, status = ?, throttled = ?, secondedTo = ?
            WHERE id = ?
            """, [.text(m.name), .text(ListColumn.encode(m.roles.map(\.rawValue))), .int(Int64(m.clearance.rawValue)),
                  .text(ListColumn.encode(m.compartments)), .text(ListColumn.encode(m.topics)), .text(m.status.rawValue),
                  .int(m.throttled ? 1 : 0), .optional(m.secondedTo), .text(m.id)])
    }

    func member(id: String) throws -> MemberRecord? {
        try remembered(.memberById(id)) { try loadMember(id: id) }
    }

    private func loadMember(id: String) throws -> MemberRecord? {
        try link.row("SELECT \(SQLiteSession.memberColumns) FROM member WHERE id = ?", [.text(id)]).map(Self.member(from:))
    }

    func member(tokenHash: Data) throws -> MemberRecord? {
        try remembered(.member(tokenHash: tokenHash), keepAbsent: false) {
            try link.row("SELECT \(SQLiteSession.memberColumns) FROM member WHERE tokenHash = ?", [.bytes(tokenHash)]).map(Self.member(from:))
        }
    }

    func members(organization: String) throws -> [MemberRecord] {
        try link.rows("SELECT \(SQLiteSession.memberColumns) FROM member WHERE organizationId = ? ORDER BY createdAt, id", [.text(organization)])
            .map(Self.member(from:))
    }

    func insertGrant(member: String, report: String, grantedBy: String, createdAt: Int64) throws {
        try link.execute("INSERT INTO needToKnowGrant (memberId, reportId, grantedBy, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                         [.text(member), .text(report), .text(grantedBy), .int(createdAt)])
    }

    func hasGrant(member: String, report: String) throws -> Bool {
        try remembered(.grant(member: member, report: report)) {
            try link.row("SELECT EXISTS (SELECT 1 FROM needToKnowGrant WHERE memberId = ? AND reportId = ?) AS found",
                         [.text(member), .text(report)]).map { try $0.bool("found") }
        } ?? false
    }

    static func member(from row: PGRow) throws -> MemberRecord {
        let roles = try ListColumn.decode(try row.string("roles")).map { text -> Role in
            guard let role = Role(rawValue: text) else { throw StoreError.corruptRow("member.roles") }
            return role
        }
        guard let clearance = Classification(rawValue: Int(try row.int("clearance"))),
              let status = MemberStatus(rawValue: try row.string("status")) else {
            throw StoreError.corruptRow("member")
        }
        return MemberRecord(
            id: try row.string("id"), organization: try row.string("organizationId"), name: try row.string("name"), roles: roles,
            clearance: clearance, compartments: ListColumn.decode(try row.string("compartments")),
            topics: ListColumn.decode(try row.string("topics")), tokenHash: try row.data("tokenHash"), status: status,
            throttled: try row.bool("throttled"), secondedTo: try row.optionalString("secondedTo"),
            createdAt: try row.int("createdAt"), createdBy: try row.optionalString("createdBy"))
    }
}
