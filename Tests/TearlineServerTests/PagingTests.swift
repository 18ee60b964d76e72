import Testing

/// Listings page with an opaque cursor: every item exactly once, newest first.
@Suite struct PagingTests {
    @Test(arguments: TestBackend.allCases) func reportsPageWithoutGapsOrRepeats(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            var created: [String] = []
            for n in 0..<5 { created.append(try await w.createReport(reportBody(title: "Report \(n)", portions: [portion("(U)", "x")]))) }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let reply = try await w.get("/v1/reports?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: "usa-releaser")
                try #require(reply.code == 200, "\(reply)")
                let items = reply.objects("items")
                #expect(items.count <= 2)
                seen += items.compactMap { $0["id"] as? String }
                cursor = reply.string("next")
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen.count == 5)
            #expect(Set(seen) == Set(created))
            #expect(pages == 3)
        }
    }

    @Test(arguments: TestBackend.allCases) func inboxPagesAndAuditPages(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            var releases: [String] = []
            for n in 0..<3 {
                let report = try await w.createReport(reportBody(title: "R\(n)", portions: [portion("(C//REL TO USA, GBR)", "x")]))
                releases.append(try await w.releaseId(report, to: "GBR"))
            }
            let first = try await w.get("/v1/releases?limit=2", as: "gbr-analyst-secret")
            #expect(first.objects("items").count == 2)
            let next = try #require(first.string("next"))
            let second = try await w.get("/v1/releases?limit=2&cursor=\(next)", as: "gbr-analyst-secret")
            let ids = (first.objects("items") + second.objects("items")).compactMap { $0["id"] as? String }
            #expect(ids.sorted() == releases.sorted())
            #expect(second.string("next") == nil)

            let audit = try await w.get("/v1/audit?action=release.create&limit=2", as: "usa-security")
            #expect(audit.objects("items").count == 2)
            let auditNext = try #require(audit.string("next"))
            let rest = try await w.get("/v1/audit?action=release.create&limit=2&cursor=\(auditNext)", as: "usa-security")
            #expect(rest.objects("items").count == 1)
            let objects = (audit.objects("items") + rest.objects("items")).compactMap { $0["object"] as? String }
            #expect(objects.sorted() == releases.sorted())
        }
    }
}
