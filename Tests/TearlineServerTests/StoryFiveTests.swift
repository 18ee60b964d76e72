import Foundation
import TearlineCore
import Testing

/// Story 5: the insider. A USA analyst scripts bulk reads of everything they can reach; the
/// analyst is throttled at a configurable threshold, security is alerted, every attempt is logged.
@Suite struct StoryFiveTests {
    static let hour: Int64 = 3_600_000

    /// Creates `count` SECRET counter-terrorism reports that usa-analyst may read; returns their ids.
    static func seed(_ w: World, count: Int, topic: String = "counter-terrorism") async throws -> [String] {
        var ids: [String] = []
        for i in 0..<count {
            let body = reportBody(title: "Bulk report \(i)", topics: [topic],
                                  portions: [portion("(S)", "BULK-CONTENT-\(i) courier movements near the border crossing.")])
            ids.append(try await w.createReport(body))
        }
        return ids
    }

    /// Every audit event of one member with one action, paged through as a security member.
    static func events(_ w: World, member: String, action: String, as security: String) async throws -> [[String: Any]] {
        var all: [[String: Any]] = []
        var cursor: String?
        repeat {
            var uri = "/v1/audit?member=\(w.id(member))&action=\(action)&limit=200"
            if let cursor { uri += "&cursor=\(cursor)" }
            let reply = try await w.get(uri, as: security)
            try #require(reply.code == 200, "\(reply)")
            all += reply.objects("items")
            cursor = reply.string("next")
        } while cursor != nil
        return all
    }

    @Test(arguments: TestBackend.allCases) func aBulkReaderIsStoppedAtTheThresholdAlertedAndEveryAttemptLogged(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 100, searchResults: 100_000, exports: 50, deniedReads: 10_000, window: Self.hour)
        try await withWorld(backend, limits: limits) { w in
            let ids = try await Self.seed(w, count: 2000)
            var served: [Int] = []
            var refused = 0
            for (i, id) in ids.enumerated() {
                let reply = try await w.get("/v1/reports/\(id)", as: "usa-analyst")
                if reply.code == 200 {
                    #expect(reply.text.contains("BULK-CONTENT-\(i) "))
                    served.append(i)
                } else {
                    #expect(reply.code == 429, "\(reply)")
                    #expect(reply.problemType == "member-throttled")
                    #expect(reply.reasons == ["member-throttled"])
                    #expect(reply.headers[.retryAfter] == "3600")
                    #expect(!reply.text.contains("BULK-CONTENT"), "a refusal carries no content")
                    refused += 1
                }
            }
            // Exactly the threshold was served: the request that crossed it and all after it were refused.
            #expect(served == Array(0..<100))
            #expect(refused == 1900)

            // Other reads are refused too while the throttle stands.
            #expect(try await w.get("/v1/reports", as: "usa-analyst").code == 429)
            #expect(try await w.get("/v1/releases", as: "usa-analyst").code == 429)
            let me = try await w.get("/v1/me", as: "usa-analyst")
            #expect((me.object["member"] as? [String: Any])?["throttled"] as? Bool == true)

            // The security officer is alerted, once.
            let alerts = try await w.get("/v1/alerts", as: "usa-security")
            #expect(alerts.code == 200)
            #expect(alerts.array.count == 1)
            #expect(alerts.array.first?["member"] as? String == w.id("usa-analyst"))
            #expect(alerts.array.first?["kind"] as? String == "member-throttled")
            #expect((alerts.array.first?["detail"] as? String)?.contains("limit=distinct-reads max=100") == true)
            // Alerts go to security members of that organisation only.
            #expect(try await w.get("/v1/alerts", as: "usa-releaser").code == 403)
            #expect(try await w.get("/v1/alerts", as: "gbr-security").array.isEmpty)

            // Every attempt is in the log: 100 allowed reads, 1,900 refusals for the throttle.
            let reads = try await Self.events(w, member: "usa-analyst", action: "report.read", as: "usa-security")
            #expect(reads.count == 2000)
            #expect(reads.filter { $0["decision"] as? String == "allow" }.count == 100)
            let denied = reads.filter { $0["decision"] as? String == "deny" }
            #expect(denied.count == 1900)
            #expect(denied.allSatisfy { ($0["reasons"] as? [String]) == ["member-throttled"] })
            #expect(Set(reads.compactMap { $0["object"] as? String }) == Set(ids), "each attempt names its report")
            let throttle = try await Self.events(w, member: "usa-analyst", action: "member.throttle", as: "usa-security")
            #expect(throttle.count == 1)
        }
    }

    @Test(arguments: TestBackend.allCases) func concurrentReadsNeverServeMoreThanTheThreshold(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 40, searchResults: 100_000, exports: 50, deniedReads: 10_000, window: Self.hour)
        try await withWorld(backend, limits: limits) { w in
            let ids = try await Self.seed(w, count: 150)
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                for id in ids { group.addTask { try await w.get("/v1/reports/\(id)", as: "usa-analyst").code } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == 200 }.count == 40)
            #expect(codes.filter { $0 == 429 }.count == 110)
        }
    }

    @Test(arguments: TestBackend.allCases) func readingTheSameReportAgainIsNotBulkReading(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 3, searchResults: 100_000, exports: 50, deniedReads: 10_000, window: Self.hour)
        try await withWorld(backend, limits: limits) { w in
            let ids = try await Self.seed(w, count: 4)
            for _ in 0..<50 { #expect(try await w.get("/v1/reports/\(ids[0])", as: "usa-analyst").code == 200) }
            #expect(try await w.get("/v1/reports/\(ids[1])", as: "usa-analyst").code == 200)
            #expect(try await w.get("/v1/reports/\(ids[2])", as: "usa-analyst").code == 200)
            #expect(try await w.get("/v1/reports/\(ids[3])", as: "usa-analyst").code == 429, "the fourth distinct report crosses the limit")
            // Other members keep their own windows.
            #expect(try await w.get("/v1/reports/\(ids[3])", as: "usa-releaser").code == 200)
        }
    }

    @Test(arguments: TestBackend.allCases) func onlyAnotherSecurityMemberOfTheOrganisationLiftsTheThrottle(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 2, searchResults: 100_000, exports: 50, deniedReads: 10_000, window: Self.hour)
        try await withWorld(backend, limits: limits) { w in
            let ids = try await Self.seed(w, count: 4)
            for id in ids.prefix(3) { _ = try await w.get("/v1/reports/\(id)", as: "usa-analyst") }
            #expect(try await w.get("/v1/reports/\(ids[0])", as: "usa-analyst").code == 429)
            let target = "/v1/members/\(w.id("usa-analyst"))/lift-throttle"

            let own = try await w.post(target, as: "usa-analyst")
            #expect(own.code == 429, "a throttled member does nothing, lifting its own throttle least of all")
            #expect(try await w.post(target, as: "usa-senior").code == 403, "an admin is not a security member")
            #expect(try await w.post(target, as: "gbr-security").code == 404, "another organisation's member does not exist for GBR")
            #expect(try await w.get("/v1/reports/\(ids[0])", as: "usa-analyst").code == 429, "refused lifts changed nothing")

            let lifted = try await w.post(target, as: "usa-security")
            #expect(lifted.code == 200, "\(lifted)")
            #expect(lifted.object["throttled"] as? Bool == false)
            #expect(try await w.get("/v1/reports/\(ids[3])", as: "usa-analyst").code == 200, "the window starts afresh")
            #expect(try await w.get("/v1/alerts", as: "usa-security").array.isEmpty, "the alert is resolved")
            let all = try await w.get("/v1/alerts?status=all", as: "usa-security").array
            #expect(all.count == 1)
            #expect(all.first?["resolvedBy"] as? String == w.id("usa-security"))
            #expect(try await w.post(target, as: "usa-security").code == 409, "nothing to lift")
            let audit = try await w.audit(as: "usa-security", "action=member.unthrottle")
            #expect(audit.map { $0["decision"] as? String } == ["deny", "allow"], "the member's own attempt is refused at the gate (request.refused)")
        }
    }

    @Test(arguments: TestBackend.allCases) func readsOutsideNeedToKnowAreDeniedAuditedAndCountedAsASignal(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 1000, searchResults: 100_000, exports: 50, deniedReads: 5, window: Self.hour)
        try await withWorld(backend, limits: limits) { w in
            let ids = try await Self.seed(w, count: 8)
            // usa-analyst-economics has the clearance but not the topic.
            var codes: [Int] = []
            for id in ids { codes.append(try await w.get("/v1/reports/\(id)", as: "usa-analyst-economics").code) }
            #expect(codes == [404, 404, 404, 404, 404, 429, 429, 429])
            let events = try await Self.events(w, member: "usa-analyst-economics", action: "report.read", as: "usa-security")
            // Six reads refused for need-to-know (the sixth crosses the limit and is also logged as the
            // throttle), then two refused because the member is throttled.
            #expect(events.count == 9)
            #expect(events.filter { ($0["reasons"] as? [String])?.contains("need-to-know") == true }.count == 6)
            #expect(events.filter { ($0["reasons"] as? [String]) == ["member-throttled"] }.count == 3)
            #expect(events.allSatisfy { $0["decision"] as? String == "deny" })
            let alerts = try await w.get("/v1/alerts", as: "usa-security").array
            #expect((alerts.first?["detail"] as? String)?.contains("limit=denied-reads") == true)
        }
    }

    @Test(arguments: TestBackend.allCases) func listingMoreResultsThanAllowedIsRefused(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 1000, searchResults: 25, exports: 50, deniedReads: 100, window: Self.hour)
        try await withWorld(backend, limits: limits) { w in
            _ = try await Self.seed(w, count: 30)
            let first = try await w.get("/v1/reports?limit=20", as: "usa-analyst")
            #expect(first.code == 200)
            #expect(first.objects("items").count == 20)
            let second = try await w.get("/v1/reports?limit=20", as: "usa-analyst")
            #expect(second.code == 429, "20 more would pass 25 results in the window")
            #expect(second.objects("items").isEmpty)
        }
    }
}
