import Foundation
import Hummingbird
import TearlineCore
import TearlineServer
import Testing

/// A trace names a copy only on conclusive evidence; below the threshold it names nobody,
/// records no breach, and shows a weak candidate only when asked, marked weak.
@Suite struct TraceVerdictTests {
    /// A USA release to GBR, read by five GBR members; returns the release id and the readers' exports.
    static func servedRelease(_ w: World) async throws -> (release: String, exports: [String: String]) {
        let reportId = try await w.createReport(reportBody(
            title: "Logistics network of the organisation", titleMarking: "(S//REL TO USA, GBR)",
            portions: StorySevenTests.paragraphs.map { portion("(S//REL TO USA, GBR)", $0) }))
        let releaseId = try await w.releaseId(reportId, to: "GBR")
        var exports: [String: String] = [:]
        for i in 1...5 {
            let reply = try await w.post("/v1/organizations/GBR/members", as: "admin", json: [
                "name": "gbr-reader-\(i)", "roles": ["analyst"], "clearance": "SECRET", "topics": ["counter-terrorism"]])
            try #require(reply.code == 201)
            let id = (reply.object["member"] as? [String: Any])?["id"] as! String
            let token = reply.string("token")!
            let export = try await w.client.execute(uri: "/v1/releases/\(releaseId)/export", method: .get,
                                                    headers: [.authorization: "Bearer \(token)"], body: nil) { String(buffer: $0.body) }
            exports[id] = export
        }
        return (releaseId, exports)
    }

    @Test(arguments: TestBackend.allCases) func aTextThatWasNeverServedNamesNobodyAndRecordsNoBreach(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (releaseId, _) = try await Self.servedRelease(w)
            // The prose as its author wrote it: no reader was served this text.
            let unserved = StorySevenTests.paragraphs.joined(separator: "\n\n")
            for who in ["gbr-security", "usa-security"] {
                let reply = try await w.post("/v1/trace", as: who, json: ["text": unserved])
                try #require(reply.code == 200, "\(reply)")
                #expect(reply.object["conclusive"] as? Bool == false, "\(who): \(reply)")
                #expect(reply.string("verdict") == "inconclusive")
                #expect(reply.object["best"] == nil, "\(who) is shown nobody")
                #expect(reply.object["runnerUp"] == nil)
                #expect((reply.object["chance"] as? Double ?? 0) > 1e-6)
                #expect(reply.object["threshold"] as? Double == 1e-6)
                #expect(reply.int("scored") ?? 0 > 0, "the text does share the document's contexts")
            }
            let history = try await w.get("/v1/partnerships/\(w.partnership("USA", "GBR"))/history", as: "usa-security")
            #expect(history.objects("breaches").isEmpty, "weak evidence records no breach")

            // Asked for, the best candidate is shown, marked weak.
            let weak = try await w.post("/v1/trace", as: "gbr-security", json: ["text": unserved, "showWeak": true])
            #expect(weak.object["conclusive"] as? Bool == false)
            let best = try #require(weak.object["best"] as? [String: Any])
            #expect(best["weak"] as? Bool == true)
            #expect(best["document"] as? String == releaseId)
            #expect((weak.object["runnerUp"] as? [String: Any])?["weak"] as? Bool == true)
            let node = try await w.service.reports.traceAll(text: unserved)
            #expect(!node.conclusive && node.best == nil)
            #expect(try await w.service.reports.traceAll(text: unserved, showWeak: true).best?.weak == true)
        }
    }

    @Test(arguments: TestBackend.allCases) func aRealLeakIsConclusiveAndIsABreach(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let (releaseId, exports) = try await Self.servedRelease(w)
            let (leaker, copy) = exports.sorted { $0.key < $1.key }[2]
            let own = try await w.post("/v1/trace", as: "gbr-security", json: ["text": copy])
            #expect(own.object["conclusive"] as? Bool == true, "\(own)")
            #expect(own.string("verdict") == "conclusive")
            let best = own.object["best"] as? [String: Any]
            #expect(best?["member"] as? String == leaker)
            #expect(best?["weak"] as? Bool == false)
            let runnerUp = own.object["runnerUp"] as? [String: Any]
            #expect(runnerUp?["weak"] as? Bool == true)
            #expect(runnerUp?["member"] == nil, "the margin names no member unless weak candidates are asked for")
            #expect((own.object["chance"] as? Double ?? 1) <= 1e-6)

            let usa = try await w.post("/v1/trace", as: "usa-security", json: ["text": copy])
            #expect(usa.object["conclusive"] as? Bool == true)
            #expect((usa.object["best"] as? [String: Any])?["document"] as? String == releaseId)
            let history = try await w.get("/v1/partnerships/\(w.partnership("USA", "GBR"))/history", as: "usa-security")
            #expect(history.objects("breaches").first?["kind"] as? String == "leak-traced")
        }
    }
}
