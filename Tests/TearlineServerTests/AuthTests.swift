import Foundation
import Hummingbird
import TearlineServer
import Testing

/// Authentication and the boundaries between organisations.
@Suite struct AuthTests {
    /// Every byte SQLite holds for the node: the database, its write-ahead log and shared memory.
    static func storedBytes(_ databasePath: String) -> Data {
        var bytes = Data()
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let data = FileManager.default.contents(atPath: databasePath + suffix) { bytes.append(data) }
        }
        return bytes
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        // SQLite-file only: it searches the bytes of the database file and its journal.
        try await withWorld(.sqliteFile) { w in
            let tokens = [w.adminToken] + people.map { w.token($0.name) }
            #expect(Set(tokens).count == tokens.count, "every token is distinct")
            // Some activity, so the files hold more than the bare world.
            _ = try await w.createReport(reportBody(portions: [portion("(U)", "x")]))
            let bytes = Self.storedBytes(w.databasePath)
            #expect(bytes.count > 0)
            for token in tokens {
                #expect(token.utf8.count >= 40, "a token carries at least 256 bits")
                #expect(bytes.range(of: Data(token.utf8)) == nil, "a plaintext token is stored")
                // The random part alone (after the prefix) does not appear either.
                let secret = token.split(separator: "_", maxSplits: 1).last.map(String.init) ?? token
                #expect(bytes.range(of: Data(secret.utf8)) == nil)
                // What is stored is its SHA-256.
                #expect(bytes.range(of: APIToken.hash(token)) != nil, "the token's hash is stored")
            }
            // The token is shown once: listing members never shows it again.
            let members = try await w.get("/v1/organizations/USA/members", as: "admin")
            #expect(members.code == 200)
            #expect(!members.array.isEmpty)
            for token in tokens { #expect(!members.text.contains(token)) }
            #expect(members.array.allSatisfy { $0["token"] == nil && $0["tokenHash"] == nil })
        }
    }

    @Test(arguments: TestBackend.allCases) func eachTokenIdentifiesItsHolder(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let admin = try await w.get("/v1/me", as: "admin")
            #expect(admin.code == 200)
            #expect(admin.object["nodeAdmin"] as? Bool == true)
            let me = try await w.get("/v1/me", as: "gbr-analyst-secret")
            #expect(me.code == 200)
            #expect(me.object["nodeAdmin"] as? Bool == false)
            let member = me.object["member"] as? [String: Any]
            #expect(member?["id"] as? String == w.id("gbr-analyst-secret"))
            #expect(member?["organization"] as? String == "GBR")
            #expect(member?["clearance"] as? String == "SECRET")
            // The node admin token cannot be bootstrapped twice.
            #expect(try await w.service.members.bootstrapNodeAdmin() == nil)
        }
    }

    @Test(arguments: TestBackend.allCases) func nodeAdminOnlyEndpointsRefuseMembers(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            for who in ["usa-senior", "usa-security", "gbr-analyst-secret"] {
                let org = try await w.post("/v1/organizations", as: who, json: ["id": "NLD", "name": "Netherlands", "kind": "state"])
                #expect(org.code == 403)
                #expect(org.isProblem)
                #expect(org.reasons == ["role-required"])
                let partnership = try await w.post("/v1/partnerships", as: who, json: ["organizations": ["GBR", "FRA"], "kind": "peer", "trustLevel": "high"])
                #expect(partnership.code == 403)
                #expect(partnership.reasons == ["role-required"])
            }
            #expect(try await w.get("/v1/organizations/NLD", as: "admin").code == 404)
            let partnerships = try await w.get("/v1/partnerships", as: "admin")
            #expect(partnerships.array.count == 3)
            // Creating members: only the node admin or an admin of that organisation.
            let analyst = try await w.post("/v1/organizations/USA/members", as: "usa-analyst",
                                           json: ["name": "mole", "roles": ["analyst"], "clearance": "TOP SECRET"])
            #expect(analyst.code == 403)
            #expect(analyst.reasons == ["role-required"])
            let foreignAdmin = try await w.post("/v1/organizations/USA/members", as: "deu-admin",
                                                json: ["name": "mole", "roles": ["admin"], "clearance": "TOP SECRET"])
            #expect(foreignAdmin.code == 403)
            #expect(foreignAdmin.reasons == ["role-required"])
            let ownAdmin = try await w.post("/v1/organizations/USA/members", as: "usa-senior",
                                            json: ["name": "new", "roles": ["analyst"], "clearance": "SECRET"])
            #expect(ownAdmin.code == 201)
            let usa = try await w.get("/v1/organizations/USA/members", as: "admin")
            #expect(usa.array.count == people.filter { $0.org == "USA" }.count + 1)
            #expect(!usa.array.contains { $0["name"] as? String == "mole" })
        }
    }

    @Test(arguments: TestBackend.allCases) func membersCannotSeeOtherOrganisationsReports(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(U)", "USA holdings.")]))
            let absent = "rpt_00000000000000000000000000000000"
            for who in ["gbr-analyst-secret", "deu-admin", "isr-releaser", "fra-releaser"] {
                let read = try await w.get("/v1/reports/\(report)", as: who)
                #expect(read.code == 404, "\(who): \(read)")
                #expect(read.problemType == "not-found")
                // 404, exactly as for a report that does not exist — never 403.
                #expect(read.text == (try await w.get("/v1/reports/\(absent)", as: who)).text)
                #expect(try await w.get("/v1/reports/\(report)/verify", as: who).code == 404)
                #expect(try await w.get("/v1/reports/\(report)/releases", as: who).code == 404)
                #expect(try await w.release(report, to: "FRA", as: who).code == 404)
                let list = try await w.get("/v1/reports", as: who)
                #expect(list.code == 200)
                #expect(list.objects("items").isEmpty)
            }
            // The node admin holds no reports either.
            #expect(try await w.get("/v1/reports/\(report)", as: "admin").code == 404)
        }
    }

    @Test(arguments: TestBackend.allCases) func membersCannotSeeReleasesToOtherOrganisations(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(portions: [portion("(C//REL TO USA, GBR, DEU)", "Shared.")]))
            let toGBR = try await w.releaseId(report, to: "GBR")
            for who in ["deu-analyst", "isr-releaser", "rus-analyst"] {
                let read = try await w.get("/v1/releases/\(toGBR)", as: who)
                #expect(read.code == 404)
                #expect(read.problemType == "not-found")
                #expect(try await w.get("/v1/releases/\(toGBR)/verify", as: who).code == 404)
                #expect(try await w.post("/v1/releases/\(toGBR)/revoke", as: who).code == 404)
                #expect(try await w.post("/v1/releases/\(toGBR)/forward", as: who, json: ["recipient": "FRA"]).code == 404)
            }
            // Only the originator revokes; the recipient cannot.
            #expect(try await w.post("/v1/releases/\(toGBR)/revoke", as: "gbr-analyst-secret").code == 404)
            #expect(try await w.get("/v1/releases/\(toGBR)", as: "gbr-analyst-secret").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func organisationsVisibleAreOnlyOwnAndPartners(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let gbr = try await w.get("/v1/organizations", as: "gbr-analyst-secret")
            #expect(gbr.code == 200)
            #expect(Set(gbr.array.compactMap { $0["id"] as? String }) == ["GBR", "USA"])
            #expect(try await w.get("/v1/organizations/ISR", as: "gbr-analyst-secret").code == 404)
            #expect(try await w.get("/v1/organizations/FRA", as: "fra-releaser").code == 200)
            let admin = try await w.get("/v1/organizations", as: "admin")
            #expect(admin.array.count == 6)
            // Members are listed only within one's own organisation.
            #expect(try await w.get("/v1/organizations/USA/members", as: "gbr-security").code == 404)
            let own = try await w.get("/v1/organizations/GBR/members", as: "gbr-security")
            #expect(own.code == 200)
            #expect(own.array.allSatisfy { $0["organization"] as? String == "GBR" })
        }
    }

    @Test(arguments: TestBackend.allCases) func auditIsLimitedToTheOrganisationAndHidesForeignActors(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let release = try await w.releaseId(try await w.createReport(reportBody(portions: [portion("(C//REL TO USA, GBR)", "x")])), to: "GBR")
            #expect(try await w.get("/v1/releases/\(release)", as: "gbr-analyst-secret").code == 200)
            let usa = try await w.audit(as: "usa-security", "action=release.read")
            #expect(usa.count == 1)
            #expect(usa.first?["organization"] as? String == "GBR")
            #expect(usa.first?["actor"] as? String == nil, "USA's trail does not name the GBR reader")
            let gbr = try await w.audit(as: "gbr-security", "action=release.read")
            #expect(gbr.first?["actor"] as? String == w.id("gbr-analyst-secret"))
            // DEU sees nothing of it.
            #expect(try await w.audit(as: "deu-security", "action=release.read").isEmpty)
            #expect(try await w.audit(as: "deu-security", "action=release.create").isEmpty)
        }
    }
}
