import Foundation
import GRDB
import TearlineCore
import TearlineStore
import Testing

/// The bytes of a database file and its WAL and shared-memory files, searched as raw bytes.
enum FileBytes {
    static func files(_ path: String) throws -> [(name: String, bytes: Data)] {
        try [path, path + "-wal", path + "-shm"]
            .filter { FileManager.default.fileExists(atPath: $0) }
            .map { ($0, try Data(contentsOf: URL(fileURLWithPath: $0))) }
    }

    /// The files (db, -wal, -shm) whose bytes contain `needle`.
    static func holding(_ needle: Data, in path: String) throws -> [String] {
        precondition(!needle.isEmpty)
        return try files(path).filter { $0.bytes.range(of: needle) != nil }.map { ($0.name as NSString).lastPathComponent }
    }

    static func holding(_ text: String, in path: String) throws -> [String] {
        try holding(Data(text.utf8), in: path)
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }

    /// Copies the WAL into the database file and truncates it, from a connection outside the store.
    static func checkpoint(_ path: String) throws {
        let row = try withRawDatabase(path) { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        #expect(row?[0] == 0, "the checkpoint was not blocked")
        #expect(size(path + "-wal") == 0, "the WAL is truncated")
    }
}

/// A reference type shared between a transaction body and the test.
final class Flag: @unchecked Sendable {
    // why @unchecked: all access goes through `lock`.
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

// why serialized: two tests here hold a read transaction open on a cooperative thread while
// another task commits a revocation; run side by side on a 2-core machine, they could take both
// cooperative threads and leave none to commit, until their deadlines.
@Suite(.serialized) struct SealingTests {
    /// Text only the sealed blobs may hold: distinctive enough to be found nowhere by chance.
    static let title = "ZEBRA-CANARY-7731 convoy routes through the northern pass"
    static let portion0 = "OCELOT-CANARY-4402 the courier meets the handler at the old market"
    static let portion1 = "HERON-CANARY-9925 payments are routed through a shell company"
    static let person = "Vasily KESTREL-CANARY-1188"
    static let place = "Port LYNX-CANARY-5530"
    static let secrets = [title, portion0, portion1, person, place]
    /// Short markers, so a partial leak (a split or truncated copy) is found too.
    static let markers = ["ZEBRA-CANARY-7731", "OCELOT-CANARY-4402", "HERON-CANARY-9925", "KESTREL-CANARY-1188", "LYNX-CANARY-5530"]
    /// Values the schema keeps in the clear: the control that the byte search finds what is there.
    static let plainTopic = "plaintopic-canary-9913"
    static let plainOrganization = "PLAINORG-CANARY-3319"

    static func secretReport(_ id: String = "r-secret") -> StoredReport {
        let report = Report(
            id: id, originator: "USA", title: title, titleMarking: .unclassified, sourceGrade: Fixture.grade,
            topics: [plainTopic], entities: [
                EntityMention(type: "person", value: person, portion: 0),
                EntityMention(type: "place", value: place, portion: 1),
            ],
            portions: [
                Portion(index: 0, marking: .unclassified, text: portion0),
                Portion(index: 1, marking: Fixture.marking("SECRET//REL TO USA, GBR"), text: portion1),
            ],
            createdBy: "m-usa", createdAt: 1_700_000_000_000)
        return StoredReport(report: report, signature: Data("sig-\(id)".utf8))
    }

    /// The secret report, one release of its title and first portion to GBR, one of everything to DEU.
    static func insertSecretWorld(_ store: SQLiteStore) async throws -> (StoredReport, [String: ReleaseContent]) {
        try await store.seedWorld()
        let stored = secretReport()
        let partial = PortionSet([0, Report.titleIndex])
        let full = PortionSet([0, 1, Report.titleIndex])
        let contents = [
            "rel-gbr": ReleaseContent(of: stored.report, included: partial),
            "rel-deu": ReleaseContent(of: stored.report, included: full),
        ]
        try await store.write { s in
            var organization = Fixture.organization("ISR")
            organization.name = plainOrganization
            try s.insertOrganization(organization)
            try s.insertReport(stored)
            try s.insertRelease(Fixture.release("rel-gbr", report: stored.report.id, originator: "USA", recipient: "GBR",
                                                createdAt: 1, portions: partial), content: contents["rel-gbr"]!)
            try s.insertRelease(Fixture.release("rel-deu", report: stored.report.id, originator: "USA", recipient: "DEU",
                                                createdAt: 2, portions: full), content: contents["rel-deu"]!)
        }
        return (stored, contents)
    }

    static func expectNoSecrets(in path: String, _ when: String) throws {
        for secret in secrets + markers {
            #expect(try FileBytes.holding(secret, in: path).isEmpty, "\(when): '\(secret)' is in the clear")
            #expect(try FileBytes.holding(secret.lowercased(), in: path).isEmpty, "\(when): '\(secret.lowercased())' is in the clear")
        }
    }

    // MARK: - Text at rest

    @Test func reportAndReleaseTextIsNowhereInTheFilesYetReadsBack() async throws {
        try await withSQLiteFile { store, path in
            let (stored, contents) = try await Self.insertSecretWorld(store)
            // The content really is in the records that were written.
            #expect(contents["rel-gbr"]?.title == Self.title)
            #expect(contents["rel-gbr"]?.portions == [0: Self.portion0])
            #expect(contents["rel-deu"]?.portions.count == 2)

            // Before a checkpoint: the new pages are in the WAL.
            #expect(FileBytes.size(path + "-wal") > 0, "the writes are still in the WAL")
            #expect(try !FileBytes.holding(Self.plainTopic, in: path).isEmpty, "control: a plain column is found")
            #expect(try !FileBytes.holding(Self.plainOrganization, in: path).isEmpty, "control: a plain column is found")
            #expect(try FileBytes.holding(Self.plainOrganization, in: path).contains("tearline.db-wal"),
                    "control: the WAL itself is searched")
            try Self.expectNoSecrets(in: path, "before the checkpoint")

            // After the checkpoint: everything is in the database file.
            try FileBytes.checkpoint(path)
            #expect(try FileBytes.holding(Self.plainTopic, in: path) == ["tearline.db"], "control: the main file is searched")
            #expect(try FileBytes.holding(Self.plainOrganization, in: path) == ["tearline.db"])
            try Self.expectNoSecrets(in: path, "after the checkpoint")

            // The store reads it all back.
            let (report, gbr, deu) = try await store.read { s in
                (try s.report(id: stored.report.id), try s.releaseContent(id: "rel-gbr"), try s.releaseContent(id: "rel-deu"))
            }
            #expect(report == stored)
            #expect(gbr == contents["rel-gbr"])
            #expect(deu == contents["rel-deu"])
            // From the file itself, not from a cache: a second store on the same file.
            let reopened = try SQLiteStore(path: path, masterKey: testMasterKey)
            let (again, deuAgain) = try await reopened.read { s in (try s.report(id: stored.report.id), try s.releaseContent(id: "rel-deu")) }
            #expect(again == stored)
            #expect(deuAgain == contents["rel-deu"])
            try Self.expectNoSecrets(in: path, "after reading")
        }
    }

    // MARK: - Revocation

    static func revoke(_ store: SQLiteStore, _ id: String, at: Int64 = 99) async throws {
        try await store.write { s in
            guard var release = try s.release(id: id) else { throw StoreError.corruptRow("no release \(id)") }
            release.revokedAt = at
            release.revokedBy = "m-usa"
            try s.updateRelease(release)
        }
    }

    @Test func revocationDestroysTheKeyAndTheCopyInTheFileAndTheJournal() async throws {
        try await withSQLiteFile { store, path in
            let (stored, contents) = try await Self.insertSecretWorld(store)
            // Read it first, so a cached copy would show.
            #expect(try await store.read { s in try s.releaseContent(id: "rel-gbr") } == contents["rel-gbr"])

            let (wrappedKey, sealed) = try withRawDatabase(path) { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT dataKey, sealed FROM release WHERE id = 'rel-gbr'"))
                return (try #require(row["dataKey"] as Data?), try #require(row["sealed"] as Data?))
            }
            #expect(wrappedKey.count >= 32 + 28, "a wrapped 256-bit key with nonce and tag")
            #expect(sealed.count > Self.title.utf8.count, "the sealed copy holds at least the title")
            // Control: before the revocation the blobs are found in the files.
            #expect(try !FileBytes.holding(wrappedKey, in: path).isEmpty)
            #expect(try !FileBytes.holding(sealed, in: path).isEmpty)

            try await Self.revoke(store, "rel-gbr")

            // The store: the copy is gone, in read and write sessions alike; the record remains, revoked.
            let (afterRead, record) = try await store.read { s in (try s.releaseContent(id: "rel-gbr"), try s.release(id: "rel-gbr")) }
            #expect(afterRead == nil)
            #expect(try await store.write { s in try s.releaseContent(id: "rel-gbr") } == nil)
            #expect(record?.revokedAt == 99)
            #expect(record?.revokedBy == "m-usa")
            // Only its own copy: the other release of the same report and the report itself still read.
            let (other, report) = try await store.read { s in (try s.releaseContent(id: "rel-deu"), try s.report(id: stored.report.id)) }
            #expect(other == contents["rel-deu"])
            #expect(report == stored)

            // The row: key and copy are NULL.
            let row = try withRawDatabase(path) { db in try Row.fetchOne(db, sql: "SELECT dataKey, sealed, revokedAt FROM release WHERE id = 'rel-gbr'") }
            #expect(row?["dataKey"] == DatabaseValue.null)
            #expect(row?["sealed"] == DatabaseValue.null)
            #expect(row?["revokedAt"] == 99)

            // The files: the store truncated the WAL after the revocation (no reader held a snapshot),
            // and secure_delete zeroed the old cells in the database file.
            #expect(FileBytes.size(path + "-wal") == 0, "the store truncates the WAL after a revocation")
            #expect(try FileBytes.holding(wrappedKey, in: path).isEmpty, "the wrapped key survives in the files")
            #expect(try FileBytes.holding(sealed, in: path).isEmpty, "the sealed copy survives in the files")
            // A 16-byte window of each, so that a partly overwritten copy is found too.
            #expect(try FileBytes.holding(wrappedKey.subdata(in: 12..<28), in: path).isEmpty)
            #expect(try FileBytes.holding(sealed.subdata(in: 20..<36), in: path).isEmpty)

            // A copy of the file, opened with the same master key, cannot give the content back.
            try await withTemporaryDirectory { directory in
                let copy = directory.appendingPathComponent("copy.db").path
                try FileManager.default.copyItem(atPath: path, toPath: copy)
                let copied = try SQLiteStore(path: copy, masterKey: testMasterKey)
                let (content, revoked, other, report) = try await copied.read { s in
                    (try s.releaseContent(id: "rel-gbr"), try s.release(id: "rel-gbr"), try s.releaseContent(id: "rel-deu"),
                     try s.report(id: stored.report.id))
                }
                #expect(content == nil)
                #expect(revoked?.isRevoked == true)
                #expect(other == contents["rel-deu"], "control: the copy is a working database")
                #expect(report == stored)
            }
        }
    }

    @Test func anUpdateThatDoesNotRevokeKeepsTheKey() async throws {
        // The control for the revocation test: only a revocation destroys the key.
        try await withSQLiteFile { store, path in
            let (_, contents) = try await Self.insertSecretWorld(store)
            try await store.write { s in
                guard let release = try s.release(id: "rel-gbr") else { throw StoreError.corruptRow("no release") }
                try s.updateRelease(release)
            }
            #expect(try await store.read { s in try s.releaseContent(id: "rel-gbr") } == contents["rel-gbr"])
            let keyed = try withRawDatabase(path) { db in
                try Bool.fetchOne(db, sql: "SELECT dataKey IS NOT NULL AND sealed IS NOT NULL FROM release WHERE id = 'rel-gbr'")
            }
            #expect(keyed == true)
        }
    }

    @Test func aRevocationDoesNotWaitForALongReaderAndTheJournalIsPurgedAfterwards() async throws {
        // why: the journal purge must not hold the writer lock while a reader keeps an old snapshot;
        // it gives up quickly, stays pending, and is retried (in the background and after later writes).
        try await withSQLiteFile { store, path in
            _ = try await Self.insertSecretWorld(store)
            let wrappedKey = try withRawDatabase(path) { db in
                try #require(try Data.fetchOne(db, sql: "SELECT dataKey FROM release WHERE id = 'rel-gbr'"))
            }
            let snapshotTaken = Flag()
            let release = Flag()
            let finished = DispatchSemaphore(value: 0)
            // why a thread of its own and a connection outside the store: a reader that blocks must not
            // hold one of the two threads of the shared task pool, which the parallel suite needs.
            let reader = Thread {
                defer { finished.signal() }
                try? withRawDatabase(path) { db in
                    try db.inTransaction(.deferred) {
                        _ = try Row.fetchOne(db, sql: "SELECT id FROM release WHERE id = 'rel-gbr'")
                        snapshotTaken.set()
                        let deadline = Date().addingTimeInterval(60)
                        while !release.isSet, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
                        return .commit
                    }
                }
            }
            reader.start()
            while !snapshotTaken.isSet { try await Task.sleep(nanoseconds: 1_000_000) }
            let start = Date()
            try await Self.revoke(store, "rel-gbr")
            #expect(Date().timeIntervalSince(start) < 3, "the revocation returned while the reader still held its snapshot")
            #expect(store.journalPurgePending, "the reader's snapshot blocked the purge")
            #expect(!(try FileBytes.holding(wrappedKey, in: path).isEmpty), "control: the old page with the key is still in the journal")
            release.set()
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async { finished.wait(); done.resume() }
            }
            // No further write is needed: the background retry finishes the purge.
            // why up to 30 s: the whole suite runs in parallel on two cores.
            let deadline = Date().addingTimeInterval(30)
            while store.journalPurgePending, Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
            #expect(!store.journalPurgePending, "the purge is still pending: \(store.journalPurgeLastError ?? "no error")")
            #expect(try FileBytes.holding(wrappedKey, in: path).isEmpty, "the wrapped key survives in the files")
            #expect(try FileBytes.holding(wrappedKey.subdata(in: 12..<28), in: path).isEmpty)
            // A later write does not bring it back.
            try await store.write { s in try s.insertOrganization(Fixture.organization("LATER")) }
            #expect(try FileBytes.holding(wrappedKey, in: path).isEmpty)
        }
    }

    @Test func aReadThatOverlapsARevocationMustNotLeaveTheCopyInTheCache() async throws {
        // A reader whose snapshot predates the revocation may still see the copy (snapshot isolation),
        // but the copy must not outlive its transaction in the store's cache.
        try await withSQLiteFile { store, path in
            _ = try await Self.insertSecretWorld(store)
            let snapshotTaken = Flag()
            let reader = Task {
                try await store.read { s -> (content: ReleaseContent?, sawRevocation: Bool) in
                    _ = try s.release(id: "rel-gbr")  // takes the read snapshot
                    snapshotTaken.set()
                    // Wait until the revocation is committed, as seen from another connection.
                    // why a long deadline: this blocks a thread of the shared pool, and parallel tests may be slow to run the revocation.
                    let deadline = Date().addingTimeInterval(120)
                    var revoked = false
                    while !revoked, Date() < deadline {
                        revoked = try withRawDatabase(path) { db in
                            try Bool.fetchOne(db, sql: "SELECT revokedAt IS NOT NULL FROM release WHERE id = 'rel-gbr'")
                        } ?? false
                        if !revoked { Thread.sleep(forTimeInterval: 0.005) }
                    }
                    return (try s.releaseContent(id: "rel-gbr"), revoked)
                }
            }
            while !snapshotTaken.isSet { try await Task.sleep(nanoseconds: 1_000_000) }
            try await Self.revoke(store, "rel-gbr")
            let (seenByTheOldSnapshot, sawRevocation) = try await reader.value
            #expect(sawRevocation, "the reader read the copy after the revocation committed")
            #expect(seenByTheOldSnapshot != nil, "the reader's snapshot predates the revocation")

            let row = try withRawDatabase(path) { db in try Bool.fetchOne(db, sql: "SELECT dataKey IS NULL FROM release WHERE id = 'rel-gbr'") }
            #expect(row == true, "the key is destroyed in the file")
            let afterwards = try await store.read { s in try s.releaseContent(id: "rel-gbr") }
            #expect(afterwards == nil, "the revoked copy is still served from the cache")
            #expect(try await store.write { s in try s.releaseContent(id: "rel-gbr") } == nil)
        }
    }

    // MARK: - Blobs bound to their row and to the key

    @Test func aSealedReportMovedToAnotherRowDoesNotOpen() async throws {
        try await withSQLiteFile { store, path in
            try await store.seedWorld()
            let first = Self.secretReport("r-1")
            let second = Fixture.report("r-2", originator: "USA", createdBy: "m-usa", createdAt: 2, title: "Other")
            try await store.write { s in
                try s.insertReport(first)
                try s.insertReport(second)
            }
            // The sealed text alone, then the text and its wrapped key together.
            for columns in [["sealed"], ["dataKey", "sealed"]] {
                try withRawDatabase(path) { db in
                    try db.execute(sql: "UPDATE report SET dataKey = (SELECT dataKey FROM report WHERE id = 'r-2') WHERE id = 'r-2'")
                    for column in columns {
                        try db.execute(sql: "UPDATE report SET \(column) = (SELECT \(column) FROM report WHERE id = 'r-1') WHERE id = 'r-2'")
                        #expect(db.changesCount == 1)
                    }
                }
                // A fresh store: nothing cached.
                let fresh = try SQLiteStore(path: path, masterKey: testMasterKey)
                await #expect(throws: StoreError.corruptRow("report.sealed"), "\(columns)") {
                    try await fresh.read { s in try s.report(id: "r-2") }
                }
                #expect(try await fresh.read { s in try s.report(id: "r-1") } == first, "control: the original row still opens")
            }
        }
    }

    @Test func aSealedReleaseCopyMovedToAnotherRowDoesNotOpen() async throws {
        try await withSQLiteFile { store, path in
            let (_, contents) = try await Self.insertSecretWorld(store)
            try withRawDatabase(path) { db in
                try db.execute(sql: """
                    UPDATE release SET dataKey = (SELECT dataKey FROM release WHERE id = 'rel-deu'),
                                       sealed = (SELECT sealed FROM release WHERE id = 'rel-deu') WHERE id = 'rel-gbr'
                    """)
                #expect(db.changesCount == 1)
            }
            let fresh = try SQLiteStore(path: path, masterKey: testMasterKey)
            await #expect(throws: StoreError.corruptRow("release.sealed")) {
                try await fresh.read { s in try s.releaseContent(id: "rel-gbr") }
            }
            #expect(try await fresh.read { s in try s.releaseContent(id: "rel-deu") } == contents["rel-deu"])
        }
    }

    @Test func aStoreWithAnotherMasterKeyReadsNoText() async throws {
        try await withSQLiteFile { store, path in
            let (stored, contents) = try await Self.insertSecretWorld(store)
            let stranger = try SQLiteStore(path: path, masterKey: MasterKey.random())
            await #expect(throws: StoreError.corruptRow("report.sealed")) {
                try await stranger.read { s in try s.report(id: stored.report.id) }
            }
            await #expect(throws: StoreError.corruptRow("release.sealed")) {
                try await stranger.read { s in try s.releaseContent(id: "rel-deu") }
            }
            // It is the text that is locked, not the database: plain metadata still reads.
            let (release, organization) = try await stranger.read { s in (try s.release(id: "rel-deu"), try s.organization(id: "ISR")) }
            #expect(release?.recipient == "DEU")
            #expect(organization?.name == Self.plainOrganization)
            // Control: the right key, on a fresh store, reads it.
            let owner = try SQLiteStore(path: path, masterKey: testMasterKey)
            #expect(try await owner.read { s in try s.report(id: stored.report.id) } == stored)
            #expect(try await owner.read { s in try s.releaseContent(id: "rel-deu") } == contents["rel-deu"])
        }
    }

    // MARK: - Entity blind index

    static func report(_ id: String, entities: [EntityMention]) -> StoredReport {
        var stored = Fixture.report(id, originator: "USA", createdBy: "m-usa", createdAt: 1)
        stored.report.entities = entities
        return stored
    }

    @Test func entityValuesAreStoredOnlyAsABlindIndex() async throws {
        let r1 = Self.report("r-1", entities: [
            EntityMention(type: "person", value: "Ivan KESTREL-CANARY-1188 Petrov", portion: 0),
            EntityMention(type: "place", value: "Ivan KESTREL-CANARY-1188 Petrov", portion: 0),
        ])
        let r2 = Self.report("r-2", entities: [
            EntityMention(type: "person", value: "IVAN KESTREL-CANARY-1188 PETROV", portion: 0),
            EntityMention(type: "person", value: "Ivan KESTREL-CANARY-1188 Petrova", portion: 0),
        ])
        /// (reportId, kind, blind identifier) of every stored mention.
        let stored: [(report: String, kind: String, entity: Int64)] = try await withSQLiteFile { store, path in
            try await store.seedWorld()
            try await store.write { s in
                try s.insertReport(r1)
                try s.insertReport(r2)
            }
            let rows = try ["r-1", "r-2"].flatMap { id in
                try storedMentions(path, report: id).map { (report: id, kind: $0.kind, entity: $0.entity) }
            }
            try Self.expectNoSecrets(in: path, "entities")
            // The store gives back the values as written, case and all.
            let back = try await store.read { s in (try s.report(id: "r-1"), try s.report(id: "r-2")) }
            #expect(Set(back.0?.report.entities ?? []) == Set(r1.report.entities))
            #expect(Set(back.1?.report.entities ?? []) == Set(r2.report.entities))
            return rows
        }
        #expect(stored.count == 4)
        let r1Person = try #require(stored.first { $0.report == "r-1" && $0.kind == "person" }?.entity)
        let r1Place = try #require(stored.first { $0.report == "r-1" && $0.kind == "place" }?.entity)
        let r2Values = Set(stored.filter { $0.report == "r-2" }.map(\.entity))
        #expect(r2Values.count == 2, "two different persons in r-2")
        #expect(r2Values.contains(r1Person), "the same person, written in capitals, has the same index")
        #expect(r1Place != r1Person, "the type is part of the index")
        #expect(r2Values.subtracting([r1Person]).count == 1, "a different value has a different index")

        // The index is keyed by the master key: another node's index of the same name differs.
        try await withTemporaryDirectory { directory in
            let other = try SQLiteStore(path: directory.appendingPathComponent("other.db").path, masterKey: MasterKey.random())
            try await other.seedWorld()
            try await other.write { s in try s.insertReport(r1) }
            let values = Set(try storedMentions(directory.appendingPathComponent("other.db").path, report: "r-1").map(\.entity))
            #expect(values.count == 2)
            #expect(values.isDisjoint(with: [r1Person, r1Place]))
        }
    }
}
