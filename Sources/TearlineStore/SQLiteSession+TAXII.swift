import Foundation
import GRDB

extension SQLiteSession: TAXIIRepository {
    /// Every organisation has a holdings and a received collection in the default API root.
    static func insertOrganizationCollections(_ db: Database, organization: String, now: Int64) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO taxiiCollection (id, apiRoot, kind, organization, title, description, alias, readers, writers, topics, defaultMarking, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, '', ?, ?)
            """)
        try insert.execute(arguments: [
            TAXIICollectionKind.holdings.collectionId(organization: organization), MigrationV7.defaultRoot, TAXIICollectionKind.holdings.rawValue, organization,
            "Holdings of \(organization)", "The reports of \(organization) and the STIX objects its members posted, as each reader may read them.",
            organization, organization, "UNCLASSIFIED//TLP:AMBER+STRICT", now,
        ])
        try insert.execute(arguments: [
            TAXIICollectionKind.received.collectionId(organization: organization), MigrationV7.defaultRoot, TAXIICollectionKind.received.rawValue, organization,
            "Releases received by \(organization)", "The releases partners made to \(organization), as each reader may read them.",
            organization, "", "UNCLASSIFIED//TLP:AMBER+STRICT", now,
        ])
    }

    func insertApiRoot(_ r: TAXIIApiRootRecord) throws {
        try db.cachedStatement(sql: "INSERT INTO taxiiApiRoot (name, title, description, maxContentLength, createdAt) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [r.name, r.title, r.description, r.maxContentLength, r.createdAt])
    }

    func apiRoot(name: String) throws -> TAXIIApiRootRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT name, title, description, maxContentLength, createdAt FROM taxiiApiRoot WHERE name = ?"),
                         arguments: [name]).map(Self.apiRoot(from:))
    }

    func apiRoots() throws -> [TAXIIApiRootRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT name, title, description, maxContentLength, createdAt FROM taxiiApiRoot ORDER BY createdAt, name"))
            .map(Self.apiRoot(from:))
    }

    func defaultApiRoot() throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM taxiiApiRoot WHERE isDefault = 1 ORDER BY name LIMIT 1"))
    }

    func setDefaultApiRoot(_ name: String) throws {
        try db.execute(sql: "UPDATE taxiiApiRoot SET isDefault = CASE WHEN name = ? THEN 1 ELSE 0 END", arguments: [name])
    }

    private static func apiRoot(from row: Row) -> TAXIIApiRootRecord {
        TAXIIApiRootRecord(name: row[0], title: row[1], description: row[2], maxContentLength: row[3], createdAt: row[4])
    }

    func insertCollection(_ c: TAXIICollectionRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO taxiiCollection (id, apiRoot, kind, organization, title, description, alias, readers, writers, topics, defaultMarking, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
            c.id, c.apiRoot, c.kind.rawValue, c.organization, c.title, c.description, c.alias, ListColumn.encode(c.readers),
            ListColumn.encode(c.writers), ListColumn.encode(c.topics), c.defaultMarking, c.createdAt,
        ])
    }

    private static let collectionColumns = "id, apiRoot, kind, organization, title, description, alias, readers, writers, topics, defaultMarking, createdAt"

    func collection(id: String) throws -> TAXIICollectionRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.collectionColumns) FROM taxiiCollection WHERE id = ?"), arguments: [id])
            .map(Self.collection(from:))
    }

    func collections(apiRoot: String) throws -> [TAXIICollectionRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.collectionColumns) FROM taxiiCollection WHERE apiRoot = ? ORDER BY createdAt, id"),
                         arguments: [apiRoot]).map(Self.collection(from:))
    }

    func collection(kind: TAXIICollectionKind, organization: String) throws -> TAXIICollectionRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.collectionColumns) FROM taxiiCollection WHERE kind = ? AND organization = ?"),
                         arguments: [kind.rawValue, organization]).map(Self.collection(from:))
    }

    private static func collection(from row: Row) throws -> TAXIICollectionRecord {
        guard let kind = TAXIICollectionKind(rawValue: row[2]) else { throw StoreError.corruptRow("taxiiCollection.kind") }
        return TAXIICollectionRecord(
            id: row[0], apiRoot: row[1], kind: kind, organization: row[3], title: row[4], description: row[5], alias: row[6],
            readers: ListColumn.decode(row[7]), writers: ListColumn.decode(row[8]), topics: ListColumn.decode(row[9]),
            defaultMarking: row[10], createdAt: row[11])
    }

    /// Binds a sealed body to its row: collection, id, version and the organisation whose version it is.
    static func taxiiSealContext(collection: String, stixId: String, version: Int64, owner: String) -> String {
        "taxii-object:\(collection):\(stixId):\(version):\(owner)"
    }

    func insertObject(_ o: TAXIIObjectRecord) throws -> Bool {
        let sealed = try context.entityKeys.seal(o.body, context: Self.taxiiSealContext(collection: o.collection, stixId: o.stixId, version: o.version, owner: o.owner))
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO taxiiObject (collection, stixId, type, version, specVersion, dateAdded, owner, postedBy, marking, sealedBody)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [o.collection, o.stixId, o.type, o.version, o.specVersion, o.dateAdded, o.owner, o.postedBy, o.marking, sealed])
        return db.changesCount > 0
    }

    func objects(_ q: TAXIIObjectQuery) throws -> [TAXIIObjectRecord] {
        // why: a lookup by id must walk the id index, not the date-added one the ORDER BY would suggest.
        let index = q.ids.isEmpty ? "" : " INDEXED BY taxiiObject_id"
        var sql = "SELECT collection, stixId, type, version, specVersion, dateAdded, owner, postedBy, marking, sealedBody FROM taxiiObject o\(index) WHERE collection = ?"
        var arguments: StatementArguments = [q.collection]
        Self.filters(q.ids, q.types, q.specVersions, q.versions, sql: &sql, arguments: &arguments)
        if let owner = q.owner {
            sql += " AND owner = ?"
            _ = arguments.append(contentsOf: [owner])
        }
        if let after = q.after {
            sql += " AND (dateAdded, stixId, version) > (?, ?, ?)"
            _ = arguments.append(contentsOf: [after.dateAdded, after.stixId, after.version])
        }
        if let addedAfter = q.addedAfter {
            sql += " AND dateAdded > ?"
            _ = arguments.append(contentsOf: [addedAfter])
        }
        sql += " ORDER BY dateAdded, stixId, version LIMIT ?"
        _ = arguments.append(contentsOf: [q.limit])
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
            let collection: String = row[0], stixId: String = row[1], version: Int64 = row[3], owner: String = row[6]
            let body = try context.entityKeys.open(row[9], context: Self.taxiiSealContext(collection: collection, stixId: stixId, version: version, owner: owner))
            return TAXIIObjectRecord(collection: collection, stixId: stixId, type: row[2], version: version, specVersion: row[4], dateAdded: row[5],
                                     owner: owner, postedBy: row[7], marking: row[8], body: body)
        }
    }

    private static func filters(_ ids: [String], _ types: [String], _ specVersions: [String], _ versions: [TAXIIVersionMatch],
                                latestSpecByDefault: Bool = true, sql: inout String, arguments: inout StatementArguments) {
        let clauses = TAXIIFilterSQL.clauses(ids: ids, types: types, specVersions: specVersions, versions: versions, latestSpecByDefault: latestSpecByDefault)
        sql += clauses.sql
        for argument in clauses.arguments {
            switch argument {
            case .text(let text): _ = arguments.append(contentsOf: [text])
            case .int(let n): _ = arguments.append(contentsOf: [n])
            }
        }
    }

    func deleteObjects(collection: String, stixId: String, owner: String, versions: [TAXIIVersionMatch], specVersions: [String]) throws -> Int {
        var sql = "DELETE FROM taxiiObject AS o WHERE collection = ? AND owner = ?"
        var arguments: StatementArguments = [collection, owner]
        Self.filters([stixId], [], specVersions, versions, latestSpecByDefault: false, sql: &sql, arguments: &arguments)
        try db.execute(sql: sql, arguments: arguments)
        return db.changesCount
    }

    func insertStatus(_ s: TAXIIStatusRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO taxiiStatus (id, apiRoot, member, requestTimestamp, total, successes, failures, pendings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [s.id, s.apiRoot, s.member, s.requestTimestamp, s.total,
                                     Self.jsonList(s.successes), Self.jsonList(s.failures), Self.jsonList(s.pendings)])
    }

    func status(id: String) throws -> TAXIIStatusRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT id, apiRoot, member, requestTimestamp, total, successes, failures, pendings FROM taxiiStatus WHERE id = ?"),
                         arguments: [id]).map { row in
            TAXIIStatusRecord(id: row[0], apiRoot: row[1], member: row[2], requestTimestamp: row[3], total: row[4],
                              successes: Self.splitList(row[5]), failures: Self.splitList(row[6]), pendings: Self.splitList(row[7]))
        }
    }

    /// Status details are JSON objects; stored one per line (JSON text never holds a raw newline).
    private static func jsonList(_ items: [String]) -> String { items.joined(separator: "\n") }
    private static func splitList(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: "\n").map(String.init) }

    func setCredential(_ c: MemberCredentialRecord) throws {
        try db.cachedStatement(sql: """
            INSERT INTO memberCredential (member, login, passwordHash, updatedAt) VALUES (?, ?, ?, ?)
            ON CONFLICT(member) DO UPDATE SET login = excluded.login, passwordHash = excluded.passwordHash, updatedAt = excluded.updatedAt
            """).execute(arguments: [c.member, c.login, c.passwordHash, c.updatedAt])
    }

    func credential(login: String) throws -> MemberCredentialRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT member, login, passwordHash, updatedAt FROM memberCredential WHERE login = ?"), arguments: [login])
            .map { MemberCredentialRecord(member: $0[0], login: $0[1], passwordHash: $0[2], updatedAt: $0[3]) }
    }

    func credential(member: String) throws -> MemberCredentialRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT member, login, passwordHash, updatedAt FROM memberCredential WHERE member = ?"), arguments: [member])
            .map { MemberCredentialRecord(member: $0[0], login: $0[1], passwordHash: $0[2], updatedAt: $0[3]) }
    }
}
