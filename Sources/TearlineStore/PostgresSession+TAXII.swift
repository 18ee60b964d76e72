import Foundation
import TearlineCore

extension PostgresSession: TAXIIRepository {
    func insertApiRoot(_ r: TAXIIApiRootRecord) throws {
        try link.execute("INSERT INTO taxiiApiRoot (name, title, description, maxContentLength, createdAt) VALUES (?, ?, ?, ?, ?)",
                         [.text(r.name), .text(r.title), .text(r.description), .int(Int64(r.maxContentLength)), .int(r.createdAt)])
    }

    func apiRoot(name: String) throws -> TAXIIApiRootRecord? {
        try link.row("SELECT name, title, description, maxContentLength, createdAt FROM taxiiApiRoot WHERE name = ?", [.text(name)])
            .map(Self.apiRoot(from:))
    }

    func apiRoots() throws -> [TAXIIApiRootRecord] {
        try link.rows("SELECT name, title, description, maxContentLength, createdAt FROM taxiiApiRoot ORDER BY createdAt, name").map(Self.apiRoot(from:))
    }

    func defaultApiRoot() throws -> String? {
        try link.row("SELECT name FROM taxiiApiRoot WHERE isDefault = 1 ORDER BY name LIMIT 1").map { try $0.string("name") }
    }

    func setDefaultApiRoot(_ name: String) throws {
        try link.execute("UPDATE taxiiApiRoot SET isDefault = CASE WHEN name = ? THEN 1 ELSE 0 END", [.text(name)])
    }

    static func apiRoot(from row: PGRow) throws -> TAXIIApiRootRecord {
        TAXIIApiRootRecord(name: try row.string("name"), title: try row.string("title"), description: try row.string("description"),
                           maxContentLength: Int(try row.int("maxContentLength")), createdAt: try row.int("createdAt"))
    }

    func insertCollection(_ c: TAXIICollectionRecord) throws {
        try link.execute("""
            INSERT INTO taxiiCollection (id, apiRoot, kind, organization, title, description, alias, readers, writers, topics, defaultMarking, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(c.id), .text(c.apiRoot), .text(c.kind.rawValue), .optional(c.organization), .text(c.title), .text(c.description),
                  .optional(c.alias), .text(ListColumn.encode(c.readers)), .text(ListColumn.encode(c.writers)), .text(ListColumn.encode(c.topics)),
                  .text(c.defaultMarking), .int(c.createdAt)])
    }

    private static let collectionColumns = "id, apiRoot, kind, organization, title, description, alias, readers, writers, topics, defaultMarking, createdAt"

    func collection(id: String) throws -> TAXIICollectionRecord? {
        try link.row("SELECT \(Self.collectionColumns) FROM taxiiCollection WHERE id = ?", [.text(id)]).map(Self.collection(from:))
    }

    func collections(apiRoot: String) throws -> [TAXIICollectionRecord] {
        try link.rows("SELECT \(Self.collectionColumns) FROM taxiiCollection WHERE apiRoot = ? ORDER BY createdAt, id", [.text(apiRoot)])
            .map(Self.collection(from:))
    }

    func collection(kind: TAXIICollectionKind, organization: String) throws -> TAXIICollectionRecord? {
        try link.row("SELECT \(Self.collectionColumns) FROM taxiiCollection WHERE kind = ? AND organization = ?",
                     [.text(kind.rawValue), .text(organization)]).map(Self.collection(from:))
    }

    static func collection(from row: PGRow) throws -> TAXIICollectionRecord {
        guard let kind = TAXIICollectionKind(rawValue: try row.string("kind")) else { throw StoreError.corruptRow("taxiiCollection.kind") }
        return TAXIICollectionRecord(
            id: try row.string("id"), apiRoot: try row.string("apiRoot"), kind: kind, organization: try row.optionalString("organization"),
            title: try row.string("title"), description: try row.string("description"), alias: try row.optionalString("alias"),
            readers: ListColumn.decode(try row.string("readers")), writers: ListColumn.decode(try row.string("writers")),
            topics: ListColumn.decode(try row.string("topics")), defaultMarking: try row.string("defaultMarking"), createdAt: try row.int("createdAt"))
    }

    func insertObject(_ o: TAXIIObjectRecord) throws -> Bool {
        let sealed = try context.entityKeys.seal(
            o.body, context: SQLiteSession.taxiiSealContext(collection: o.collection, stixId: o.stixId, version: o.version, owner: o.owner))
        // why the conflict target: only a repeated (collection, id, version, owner) is "already held".
        return try !link.rows("""
            INSERT INTO taxiiObject (collection, stixId, type, version, specVersion, dateAdded, owner, postedBy, marking, sealedBody)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (collection, stixId, version, owner) DO NOTHING RETURNING seq
            """, [.text(o.collection), .text(o.stixId), .text(o.type), .int(o.version), .text(o.specVersion), .int(o.dateAdded), .text(o.owner),
                  .optional(o.postedBy), .text(o.marking), .bytes(sealed)]).isEmpty
    }

    func objects(_ q: TAXIIObjectQuery) throws -> [TAXIIObjectRecord] {
        // SQLite's `INDEXED BY taxiiObject_id` has no PostgreSQL form; the planner chooses the index.
        var sql = "SELECT collection, stixId, type, version, specVersion, dateAdded, owner, postedBy, marking, sealedBody FROM taxiiObject o WHERE collection = ?"
        var arguments: [SQLValue] = [.text(q.collection)]
        Self.filters(q.ids, q.types, q.specVersions, q.versions, sql: &sql, arguments: &arguments)
        if let owner = q.owner {
            sql += " AND owner = ?"
            arguments.append(.text(owner))
        }
        if let after = q.after {
            sql += " AND (dateAdded, stixId, version) > (?::BIGINT, ?::TEXT, ?::BIGINT)"
            arguments += [.int(after.dateAdded), .text(after.stixId), .int(after.version)]
        }
        if let addedAfter = q.addedAfter {
            sql += " AND dateAdded > ?"
            arguments.append(.int(addedAfter))
        }
        sql += " ORDER BY dateAdded, stixId, version LIMIT ?"
        arguments.append(.int(Int64(q.limit)))
        return try link.rows(sql, arguments).map { row in
            let collection = try row.string("collection"), stixId = try row.string("stixId"), version = try row.int("version")
            let owner = try row.string("owner")
            let body = try context.entityKeys.open(
                try row.data("sealedBody"),
                context: SQLiteSession.taxiiSealContext(collection: collection, stixId: stixId, version: version, owner: owner))
            return TAXIIObjectRecord(collection: collection, stixId: stixId, type: try row.string("type"), version: version,
                                     specVersion: try row.string("specVersion"), dateAdded: try row.int("dateAdded"), owner: owner,
                                     postedBy: try row.optionalString("postedBy"), marking: try row.string("marking"), body: body)
        }
    }

    private static func filters(_ ids: [String], _ types: [String], _ specVersions: [String], _ versions: [TAXIIVersionMatch],
                                latestSpecByDefault: Bool = true, sql: inout String, arguments: inout [SQLValue]) {
        let clauses = TAXIIFilterSQL.clauses(ids: ids, types: types, specVersions: specVersions, versions: versions, latestSpecByDefault: latestSpecByDefault)
        sql += clauses.sql
        arguments += clauses.arguments.map { argument in
            switch argument {
            case .text(let text): .text(text)
            case .int(let n): .int(n)
            }
        }
    }

    func deleteObjects(collection: String, stixId: String, owner: String, versions: [TAXIIVersionMatch], specVersions: [String]) throws -> Int {
        var sql = "DELETE FROM taxiiObject AS o WHERE collection = ? AND owner = ?"
        var arguments: [SQLValue] = [.text(collection), .text(owner)]
        Self.filters([stixId], [], specVersions, versions, latestSpecByDefault: false, sql: &sql, arguments: &arguments)
        return try link.rows(sql + " RETURNING seq", arguments).count
    }

    func insertStatus(_ s: TAXIIStatusRecord) throws {
        try link.execute("""
            INSERT INTO taxiiStatus (id, apiRoot, member, requestTimestamp, total, successes, failures, pendings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(s.id), .text(s.apiRoot), .text(s.member), .int(s.requestTimestamp), .int(Int64(s.total)),
                  .text(Self.jsonList(s.successes)), .text(Self.jsonList(s.failures)), .text(Self.jsonList(s.pendings))])
    }

    func status(id: String) throws -> TAXIIStatusRecord? {
        try link.row("SELECT id, apiRoot, member, requestTimestamp, total, successes, failures, pendings FROM taxiiStatus WHERE id = ?", [.text(id)])
            .map { row in
                TAXIIStatusRecord(id: try row.string("id"), apiRoot: try row.string("apiRoot"), member: try row.string("member"),
                                  requestTimestamp: try row.int("requestTimestamp"), total: Int(try row.int("total")),
                                  successes: Self.splitList(try row.string("successes")), failures: Self.splitList(try row.string("failures")),
                                  pendings: Self.splitList(try row.string("pendings")))
            }
    }

    /// Status details are JSON objects; stored one per line (JSON text never holds a raw newline), as on SQLite.
    private static func jsonList(_ items: [String]) -> String { items.joined(separator: "\n") }
    private static func splitList(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: "\n").map(String.init) }

    func setCredential(_ c: MemberCredentialRecord) throws {
        try link.execute("""
            INSERT INTO memberCredential (member, login, passwordHash, updatedAt) VALUES (?, ?, ?, ?)
            ON CONFLICT (member) DO UPDATE SET login = excluded.login, passwordHash = excluded.passwordHash, updatedAt = excluded.updatedAt
            """, [.text(c.member), .text(c.login), .text(c.passwordHash), .int(c.updatedAt)])
    }

    func credential(login: String) throws -> MemberCredentialRecord? {
        try link.row("SELECT member, login, passwordHash, updatedAt FROM memberCredential WHERE login = ?", [.text(login)]).map(Self.credential(from:))
    }

    func credential(member: String) throws -> MemberCredentialRecord? {
        try link.row("SELECT member, login, passwordHash, updatedAt FROM memberCredential WHERE member = ?", [.text(member)]).map(Self.credential(from:))
    }

    static func credential(from row: PGRow) throws -> MemberCredentialRecord {
        MemberCredentialRecord(member: try row.string("member"), login: try row.string("login"), passwordHash: try row.string("passwordHash"),
                               updatedAt: try row.int("updatedAt"))
    }
}
