import Foundation
import TearlineStore
import Testing

@Suite struct MasterKeyTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? NSNumber).intValue & 0o777
    }

    /// Writes `data` to a fresh file with exactly `mode`, whatever the umask.
    static func write(_ data: Data, to path: String, mode: Int) throws {
        try data.write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
        #expect(try Self.mode(path) == mode)
    }

    @Test func loadOrCreateCreatesA32ByteFileOnlyItsOwnerMayRead() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("tearline.db.key").path
            #expect(!FileManager.default.fileExists(atPath: path))
            _ = try MasterKey.loadOrCreate(path: path)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 32)
            #expect(try Self.mode(path) == 0o600)
        }
    }

    @Test func loadingAgainGivesTheSameKey() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("key").path
            let first = try MasterKey.loadOrCreate(path: path)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let sealed = try first.seal(Data("organisation private key".utf8), context: "org:USA")
            let second = try MasterKey.loadOrCreate(path: path)
            #expect(try second.open(sealed, context: "org:USA") == Data("organisation private key".utf8))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "loading must not rewrite the file")
        }
    }

    @Test func twoCreatedKeysDiffer() async throws {
        try await withTemporaryDirectory { directory in
            let a = directory.appendingPathComponent("a").path
            let b = directory.appendingPathComponent("b").path
            _ = try MasterKey.loadOrCreate(path: a)
            _ = try MasterKey.loadOrCreate(path: b)
            #expect(try Data(contentsOf: URL(fileURLWithPath: a)) != Data(contentsOf: URL(fileURLWithPath: b)))
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o666, 0o700 | 0o007])
    func aKeyFileOthersMayAccessIsRefused(mode: Int) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("key").path
            try Self.write(Data(repeating: 7, count: 32), to: path, mode: mode)
            let error = #expect(throws: MasterKeyError.self) { try MasterKey.loadOrCreate(path: path) }
            guard case .tooOpen(let reportedPath, let reportedMode)? = error else {
                Issue.record("expected tooOpen, got \(String(describing: error))")
                return
            }
            #expect(reportedPath == path)
            #expect(reportedMode & 0o777 == mode)
            #expect(error?.description.contains("chmod 600") == true)
        }
    }

    @Test(arguments: [0o600, 0o400])
    func aKeyFileOnlyItsOwnerMayReadIsAccepted(mode: Int) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("key").path
            try Self.write(Data(repeating: 7, count: 32), to: path, mode: mode)
            let key = try MasterKey.loadOrCreate(path: path)
            let sealed = try key.seal(Data("x".utf8), context: "c")
            // The file's bytes are the key: a copy of them, owner-only, opens what this one sealed.
            let copy = directory.appendingPathComponent("copy").path
            try Self.write(Data(repeating: 7, count: 32), to: copy, mode: 0o600)
            #expect(try MasterKey.loadOrCreate(path: copy).open(sealed, context: "c") == Data("x".utf8))
        }
    }

    @Test(arguments: [0, 16, 31, 33, 64])
    func aKeyFileOfTheWrongSizeIsRefused(size: Int) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("key").path
            try Self.write(Data(repeating: 1, count: size), to: path, mode: 0o600)
            let error = #expect(throws: MasterKeyError.self) { try MasterKey.loadOrCreate(path: path) }
            guard case .malformed(let reportedPath)? = error else {
                Issue.record("expected malformed, got \(String(describing: error))")
                return
            }
            #expect(reportedPath == path)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == size, "a bad key file is never replaced")
        }
    }

    @Test func aKeyFileInAMissingDirectoryCannotBeCreated() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing/key").path
            let error = #expect(throws: MasterKeyError.self) { try MasterKey.loadOrCreate(path: path) }
            guard case .cannotCreate(let reportedPath)? = error else {
                Issue.record("expected cannotCreate, got \(String(describing: error))")
                return
            }
            #expect(reportedPath == path)
        }
    }

    @Test func theDefaultPathSitsBesideTheDatabase() {
        #expect(MasterKey.defaultPath(forDatabase: "/var/lib/tearline/tearline.db") == "/var/lib/tearline/tearline.db.key")
    }

    // MARK: - Sealing

    /// A fresh random key, made through the public API in a directory removed at once.
    static func key() throws -> MasterKey {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tearline-key-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try MasterKey.loadOrCreate(path: directory.appendingPathComponent("key").path)
    }

    @Test(arguments: [Data(), Data("secret".utf8), Data((0..<10_000).map { UInt8($0 % 251) })])
    func sealThenOpenRoundTrips(plaintext: Data) throws {
        let key = try Self.key()
        let sealed = try key.seal(plaintext, context: "org:GBR")
        #expect(sealed.count == plaintext.count + 28, "12-byte nonce, ciphertext, 16-byte tag")
        #expect(try key.open(sealed, context: "org:GBR") == plaintext)
        if !plaintext.isEmpty { #expect(sealed.range(of: plaintext) == nil, "the plaintext does not show in the blob") }
    }

    @Test func sealingTwiceGivesDifferentBlobs() throws {
        let key = try Self.key()
        let plaintext = Data("same".utf8)
        let a = try key.seal(plaintext, context: "c")
        let b = try key.seal(plaintext, context: "c")
        #expect(a != b, "a fresh nonce each time")
        #expect(try key.open(a, context: "c") == plaintext)
        #expect(try key.open(b, context: "c") == plaintext)
    }

    @Test func openingUnderAnotherContextFails() throws {
        let key = try Self.key()
        let sealed = try key.seal(Data("USA signing key".utf8), context: "org:USA")
        #expect(throws: (any Error).self) { try key.open(sealed, context: "org:GBR") }
        #expect(throws: (any Error).self) { try key.open(sealed, context: "") }
    }

    @Test func openingWithAnotherKeyFails() throws {
        let sealed = try Self.key().seal(Data("USA signing key".utf8), context: "org:USA")
        let other = try Self.key()
        #expect(throws: (any Error).self) { try other.open(sealed, context: "org:USA") }
    }

    @Test func aTamperedBlobFails() throws {
        let key = try Self.key()
        let plaintext = Data("USA signing key".utf8)
        let sealed = try key.seal(plaintext, context: "org:USA")
        // The nonce, the ciphertext and the tag are each protected.
        for index in [0, 11, 12, sealed.count - 17, sealed.count - 1] {
            var tampered = sealed
            tampered[tampered.startIndex + index] ^= 0x01
            #expect(throws: (any Error).self, "byte \(index) flipped") { try key.open(tampered, context: "org:USA") }
        }
        #expect(throws: (any Error).self, "truncated") { try key.open(sealed.dropLast(), context: "org:USA") }
        #expect(throws: (any Error).self, "extended") { try key.open(sealed + Data([0]), context: "org:USA") }
        #expect(throws: (any Error).self, "too short to hold a nonce and a tag") { try key.open(Data([1, 2, 3]), context: "org:USA") }
        #expect(try key.open(sealed, context: "org:USA") == plaintext, "the untouched blob still opens")
    }
}
