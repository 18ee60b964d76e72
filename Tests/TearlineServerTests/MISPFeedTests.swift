import Foundation
import Testing

/// The MISP feed a member reads: its releases, through the rule, audited and fingerprinted.
@Suite struct MISPFeedTests {
    @Test(arguments: TestBackend.allCases) func aMembersFeedHoldsItsReleasesAsMISPEvents(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let report = try await w.createReport(reportBody(title: "Courier network", portions: [
                portion("(S//REL TO USA, GBR)", "Courier phone +44 20 7946 0958 seen at 203.0.113.9."),
                portion("(S//NF)", "Source: a walk-in at the embassy."),
            ]))
            let release = try await w.releaseId(report, to: "GBR")
            let manifest = try await w.get("/misp/feed/manifest.json", as: "gbr-analyst-secret")
            #expect(manifest.code == 200)
            let uuid = try #require(manifest.object.keys.first)
            #expect(manifest.object.count == 1)
            #expect((manifest.object[uuid] as? [String: Any])?["info"] as? String == "Courier network")
            #expect(uuid.replacingOccurrences(of: "-", with: "") == release.dropFirst(4).lowercased(), "the event's UUID is the release's id")

            let event = try await w.get("/misp/feed/\(uuid).json", as: "gbr-analyst-secret")
            #expect(event.code == 200)
            let body = try #require(event.object["Event"] as? [String: Any])
            let attributes = try #require(body["Attribute"] as? [[String: Any]])
            let pairs = attributes.compactMap { a in (a["type"] as? String).map { ($0, a["value"] as? String ?? "") } }
            #expect(pairs.contains { $0 == ("ip-dst", "203.0.113.9") })
            #expect(pairs.contains { $0.0 == "phone-number" })
            #expect(!event.text.contains("walk-in"), "the NOFORN portion is not released, so not in the feed")
            #expect(body["distribution"] as? String == "0")
            // Read like GET /v1/releases/{id}: audited as a release read.
            let reads = try await w.audit(as: "gbr-security", "action=release.read&object=\(release)")
            #expect(!reads.isEmpty)
            // Fingerprinted per member: the text differs from another GBR reader's.
            let other = try await w.get("/misp/feed/\(uuid).json", as: "gbr-analyst-confidential")
            #expect(other.code == 404 || other.text != event.text)

            // Other organisations: an empty feed, and the event does not exist for them.
            #expect(try await w.get("/misp/feed/manifest.json", as: "fra-releaser").object.isEmpty)
            #expect(try await w.get("/misp/feed/\(uuid).json", as: "fra-releaser").code == 404)
            #expect(try await w.get("/misp/feed/\(uuid).json", as: nil).code == 401)
            #expect(try await w.get("/misp/feed/not-a-uuid.json", as: "gbr-analyst-secret").code == 404)

            let hashes = try await w.get("/misp/feed/hashes.csv", as: "gbr-analyst-secret")
            #expect(hashes.code == 200 && hashes.contentType?.hasPrefix("text/csv") == true)
            let lines = hashes.text.split(separator: "\n")
            #expect(lines.count == attributes.count && lines.allSatisfy { $0.hasSuffix("," + uuid) && $0.count == 32 + 1 + 36 })
        }
    }
}
