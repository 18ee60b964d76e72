import Foundation
import GRDB
import TearlineCore
@testable import TearlineStore
import Testing

/// An error a test throws from a transaction body to force a rollback.
struct Boom: Error, Equatable {}

/// Runs `body` with a fresh directory under the system temporary directory, and removes it afterwards.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("tearline-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// The backends the store's contract tests run against: every test of store behaviour takes one
/// (`@Test(arguments: TestBackend.allCases)`) and opens it with ``withStore(_:_:)``. A new backend
/// is one more case here and one more branch in ``withStore(_:_:)``; no test is copied.
enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// SQLiteStore on a file in WAL mode (what a node runs).
    case sqliteFile
    /// SQLiteStore on an in-memory database (one connection, no journal).
    case sqliteMemory
    /// PostgresStore in a schema of its own, when `TEARLINE_TEST_DATABASE_URL` names a server
    /// (`.ci/run` starts a throwaway cluster and sets it).
    case postgres

    var testDescription: String { rawValue }

    static var allCases: [TestBackend] { postgresURL == nil ? [.sqliteFile, .sqliteMemory] : [.sqliteFile, .sqliteMemory, .postgres] }

    static let postgresURL: PostgresURL? = ProcessInfo.processInfo.environment["TEARLINE_TEST_DATABASE_URL"].flatMap { try? PostgresURL($0) }
}

/// Runs `body` with a fresh, empty store of `backend`, and disposes of it afterwards.
func withStore<T>(_ backend: TestBackend, _ body: (any TearlineStore) async throws -> T) async throws -> T {
    switch backend {
    case .sqliteFile:
        return try await withSQLiteFile { store, _ in try await body(store) }
    case .sqliteMemory:
        return try await body(SQLiteStore(.memory, masterKey: testMasterKey))
    case .postgres:
        return try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
            let store = try await PostgresStore(url: url, masterKey: testMasterKey, connections: 3)
            defer { store.shutdown() }
            return try await body(store)
        }
    }
}

/// PostgreSQL only: runs `body` with a migrated database in a scratch schema of its own, for tests
/// of the repositories below the store.
func withMigratedPostgres(_ body: (PostgresDatabase) async throws -> Void) async throws {
    try await PostgresScratchSchema.with(at: try #require(TestBackend.postgresURL)) { url in
        let database = PostgresDatabase(url: url, connections: 2)
        defer { database.shutdown() }
        try await database.migrate()
        try await body(database)
    }
}

/// SQLite-file only: runs `body` with a store on a fresh SQLite file in its own temporary
/// directory, and the file's path. For tests about the file itself (raw SQL on it, its bytes, the
/// WAL, reopening, the audit verifier that reads it), which no other backend has.
func withSQLiteFile<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let path = directory.appendingPathComponent("tearline.db").path
        let store = try SQLiteStore(path: path, masterKey: testMasterKey)
        return try await body(store, path)
    }
}

/// One master key for the whole test run; each test still has its own database file.
let testMasterKey = MasterKey.random()

extension ReleaseContent {
    /// A release copy with no text, for tests about release metadata.
    static let none = ReleaseContent(title: nil, portions: [:], entities: [])
}

/// Runs `body` on a plain GRDB connection to the file, outside the store, and closes it.
func withRawDatabase<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.inDatabase(body)
}

/// Builders for records that satisfy the schema's constraints.
enum Fixture {
    static func organization(_ id: String, kind: OrganizationKind = .state, createdAt: Int64 = 1_700_000_000_000) -> OrganizationRecord {
        OrganizationRecord(
            id: id, name: "Organisation \(id)", kind: kind, publicKey: Data("pk-\(id)".utf8),
            sealedPrivateKey: Data("sealed-\(id)".utf8) + Data([0, 1, 2, 255]), createdAt: createdAt)
    }

    static func member(
        _ id: String, of organization: String, roles: [Role] = [.analyst], token: String? = nil,
        createdAt: Int64 = 1_700_000_000_000
    ) -> MemberRecord {
        MemberRecord(
            id: id, organization: organization, name: "Member \(id)", roles: roles, clearance: .secret,
            compartments: [], topics: ["terrorism"], tokenHash: tokenHash(token ?? "token-\(id)"), createdAt: createdAt)
    }

    /// A stand-in for the SHA-256 of a token: 32 bytes derived from the text.
    static func tokenHash(_ token: String) -> Data {
        var bytes = Array(token.utf8)
        while bytes.count < 32 { bytes.append(UInt8(bytes.count)) }
        return Data(bytes.prefix(32))
    }

    static func marking(_ text: String) -> Marking {
        do {
            return try Marking.parse(text)
        } catch {
            fatalError("fixture marking \(text) does not parse: \(error)")
        }
    }

    static let grade: SourceGrade = {
        do { return try SourceGrade(code: "B2") } catch { fatalError("B2 is a valid grade") }
    }()

    /// A small report with one unclassified portion.
    static func report(_ id: String, originator: String, createdBy: String, createdAt: Int64, title: String = "Courier network") -> StoredReport {
        let report = Report(
            id: id, originator: originator, title: title, titleMarking: .unclassified, sourceGrade: grade,
            topics: ["terrorism"], entities: [], portions: [Portion(index: 0, marking: .unclassified, text: "Text of \(id).")],
            createdBy: createdBy, createdAt: createdAt)
        return StoredReport(report: report, signature: Data("sig-\(id)".utf8))
    }

    static func release(
        _ id: String, report: String, originator: String, recipient: String, createdAt: Int64,
        portions: PortionSet = PortionSet([0, Report.titleIndex])
    ) -> ReleaseRecord {
        ReleaseRecord(
            id: id, reportId: report, originator: originator, recipient: recipient, portions: portions,
            banner: marking("SECRET//REL TO USA, GBR"), orconApproved: false, createdBy: "m-usa", createdAt: createdAt,
            signature: Data("sig-\(id)".utf8))
    }

    static func audit(
        at: Int64, actor: String? = "m-usa", organization: String? = "USA", concerns: String? = nil,
        action: String = "read", object: String? = "r-1", decision: String = "allow"
    ) -> AuditRecord {
        AuditRecord(at: at, actor: actor, organization: organization, concerns: concerns, actionName: action,
                    object: object, decision: decision)
    }
}

extension TearlineStore {
    /// Inserts the organisations USA, GBR and DEU, with one member each (`m-usa`, `m-gbr`, `m-deu`).
    func seedWorld() async throws {
        try await write { s in
            for id in ["USA", "GBR", "DEU"] {
                try s.insertOrganization(Fixture.organization(id))
                try s.insertMember(Fixture.member("m-\(id.lowercased())", of: id))
            }
        }
    }
}

extension AuditRecord {
    /// The record as it was before the store numbered it.
    var withoutSeq: AuditRecord {
        var copy = self
        copy.seq = nil
        copy.hash = nil
        return copy
    }
}

/// The mentions stored for a report, read from the raw file: the packed (portion UInt16, entity
/// UInt64, little-endian) pairs of its `mention` row, with each entity's kind.
func storedMentions(_ path: String, report: String) throws -> [(portion: Int, kind: String, entity: Int64)] {
    try withRawDatabase(path) { db in
        guard let blob = try Data.fetchOne(db, sql: "SELECT m.mentions FROM mention m JOIN report r ON r.rowid = m.report WHERE r.id = ?",
                                           arguments: [report]) else { return [] }
        guard blob.count % 10 == 0 else { throw StoreError.corruptRow("mention blob of \(blob.count) bytes") }
        return try stride(from: 0, to: blob.count, by: 10).map { i in
            let bytes = [UInt8](blob[blob.startIndex + i ..< blob.startIndex + i + 10])
            let portion = Int(bytes[0]) | Int(bytes[1]) << 8
            let entity = bytes[2...].reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
            let kind = try String.fetchOne(db, sql: "SELECT kind FROM entity WHERE id = ?", arguments: [entity]) ?? "?"
            return (portion, kind, entity)
        }
    }
}
