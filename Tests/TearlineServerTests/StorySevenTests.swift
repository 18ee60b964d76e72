import Foundation
import HummingbirdTesting
import Hummingbird
import TearlineCore
import Testing

/// Story 7: leak attribution. Every copy of a release's text served to a member carries a
/// canary fingerprint naming member and release; a leaked text is traced back to its recipient.
@Suite struct StorySevenTests {
    /// Two long paragraphs of assessment prose, rich in equivalent forms (the fingerprint's slots):
    /// about 40 each, so that one paragraph alone tells 50 recipients apart with room to spare.
    static let paragraphs = [
        """
        The organisation has reorganised its logistics network over the past year and now prioritises the movement of \
        fuel and ammunition towards the northern border. Analysts assess that the group utilised at least three \
        civilian transport companies, and that its couriers travelled through neighbouring districts whilst avoiding \
        the main checkpoints. Amongst the recovered documents were e-mails between the group's logistics centre and \
        its financial co-ordinators, which characterise the effort as the leadership's first priority. Defence \
        officials recognised the pattern in March, but the organisation realised that its behaviour had been noticed \
        and modernised its communications. Roughly 12,500 litres of diesel were moved in favour of the armoured units, \
        and the leadership authorised payments worth 250,000 dollars to local brokers. Reporting from a well-placed \
        source indicates that the group's counter-intelligence cell has stepped up its surveillance of suspected \
        informants. The cell has analysed travel records, labelled suspected informants by district and emphasised the \
        need to minimise contact with foreign nationals. Its members are sceptical of recruits from the capital and \
        have criticised the leadership for failing to stabilise the southern front. The source judged that the cell \
        co-operates closely with a specialised unit of the border police, which has signalled its willingness to share \
        intelligence amid growing pressure from the capital. Roughly 40 per cent of the cell's members were recruited \
        from organised smuggling networks near the regional centre. This judgement is corroborated by intercepted \
        e-mail traffic, although the second source has not been tested and its reporting should be treated with a \
        degree of scepticism.
        """,
        """
        We assess with moderate confidence that the organisation will attempt to re-establish its presence in the \
        eastern districts within six months. The leadership has prioritised recruitment amongst unemployed young men, \
        and local defence militias have reported a sharp rise in cyber-attacks against their communications. If the \
        organisation succeeds, it would be able to mobilise several hundred fighters and to destabilise the ceasefire. \
        The regional defence council has authorised additional patrols but lacks the armoured vehicles needed to cover \
        some 14,000 square kilometres of difficult terrain. Co-ordination between the council and the national police \
        remains poor, and the council has not yet finalised its request for assistance. Afterwards, the council \
        intends to modernise its radio network and to utilise drones for border surveillance. Comment: the \
        organisation's leadership is unlikely to compromise while it believes that its neighbours will tolerate its \
        activities. Conditions in the border area remain favourable to the organisation. We judge that a rapid \
        collapse is unlikely, but the organisation's finances are vulnerable to sanctions, and a co-ordinated effort \
        to scrutinise its banking channels would minimise the flow of funds towards its fighters and their training \
        centres. Partners should prioritise the exchange of information on travellers moving between the two \
        countries, and should consider whether e-mail intercepts could be utilised to characterise the network more \
        fully. Analysts recognise that this assessment relies heavily on a single source, and we will re-evaluate our \
        judgements if new reporting emerges.
        """,
    ]

    static func collapseWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func stripInvisible(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isDefaultIgnorableCodePoint }))
    }

    @Test(arguments: TestBackend.allCases) func fiftyRecipientsOfOneReleaseAreEachTracedFromExactStrippedCollapsedAndParagraphCopies(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reportId = try await w.createReport(reportBody(
                title: "Logistics network of the organisation", titleMarking: "(S//REL TO USA, GBR)",
                portions: Self.paragraphs.map { portion("(S//REL TO USA, GBR)", $0) }))
            let releaseId = try await w.releaseId(reportId, to: "GBR")
            var tokens: [(id: String, token: String)] = []
            for i in 1...50 {
                let reply = try await w.post("/v1/organizations/GBR/members", as: "admin", json: [
                    "name": "gbr-reader-\(i)", "roles": ["analyst"], "clearance": "SECRET", "topics": ["counter-terrorism"]])
                try #require(reply.code == 201)
                tokens.append(((reply.object["member"] as? [String: Any])?["id"] as! String, reply.string("token")!))
            }
            var exports: [String: String] = [:]
            var jsonTexts: Set<String> = []
            for (id, token) in tokens {
                let headers: HTTPFields = [.authorization: "Bearer \(token)"]
                let export = try await w.client.execute(uri: "/v1/releases/\(releaseId)/export", method: .get, headers: headers, body: nil) { r in
                    (r.status.code, r.headers[.contentType], String(buffer: r.body))
                }
                try #require(export.0 == 200, "\(export)")
                #expect(export.1 == "text/plain; charset=utf-8")
                #expect(export.2.hasPrefix("SECRET//REL TO USA, GBR\n"))
                exports[id] = export.2
                let view = try await w.client.execute(uri: "/v1/releases/\(releaseId)", method: .get, headers: headers, body: nil) { r in
                    String(buffer: r.body)
                }
                jsonTexts.insert(view)
            }
            #expect(Set(exports.values).count == 50, "every recipient's copy differs")
            #expect(jsonTexts.count == 50, "the JSON views are fingerprinted too")

            // GBR's security officer traces copies served to GBR's own members, and sees who.
            for (id, copy) in exports {
                var leaks = [
                    ("exact", copy),
                    ("invisible stripped", Self.stripInvisible(copy)),
                    ("whitespace collapsed", Self.collapseWhitespace(copy)),
                ]
                let body = copy.components(separatedBy: "\n\n")
                for paragraph in Self.paragraphs.indices {
                    let text = try #require(body.first { $0.contains(Self.paragraphs[paragraph].prefix(9)) && $0.hasPrefix("(S//") })
                    leaks.append(("paragraph \(paragraph + 1)", text))
                }
                for (kind, leak) in leaks {
                    let reply = try await w.post("/v1/trace", as: "gbr-security", json: ["text": leak])
                    try #require(reply.code == 200, "\(reply)")
                    let best = reply.object["best"] as? [String: Any]
                    #expect(best?["member"] as? String == id, "\(kind) copy of \(id)")
                    #expect(best?["document"] as? String == releaseId)
                    #expect((best?["score"] as? Double) == 1.0, "\(kind)")
                    let runnerUp = reply.object["runnerUp"] as? [String: Any]
                    #expect((runnerUp?["score"] as? Double ?? 0) < 1.0, "\(kind): the margin is clear")
                    #expect((best?["chance"] as? Double ?? 1) < 1e-3, "\(kind)")
                }
            }

            // The operator's `tearline trace` sees the whole node.
            let (someId, someCopy) = exports.first!
            let node = try await w.service.reports.traceAll(text: Self.collapseWhitespace(someCopy))
            #expect(node.best?.member == someId)
            #expect(node.best?.organization == "GBR")

            // USA, the originator, is GBR's peer: it learns which organisation's copy leaked, not which member.
            let usa = try await w.post("/v1/trace", as: "usa-security", json: ["text": someCopy])
            #expect(usa.code == 200)
            let usaBest = usa.object["best"] as? [String: Any]
            #expect(usaBest?["organization"] as? String == "GBR")
            #expect(usaBest?["member"] == nil)
            // A leak traced with confidence to GBR's copy is a breach by GBR in the USA–GBR partnership.
            let history = try await w.get("/v1/partnerships/\(w.partnership("USA", "GBR"))/history", as: "usa-security")
            let breach = history.objects("breaches").first
            #expect(breach?["kind"] as? String == "leak-traced")
            #expect(breach?["against"] as? String == "GBR")
            #expect(breach?["response"] as? String == "recommended")

            // FRA has nothing to do with it, and analysts do not trace.
            #expect((try await w.post("/v1/trace", as: "rus-security", json: ["text": someCopy])).object["best"] == nil)
            #expect(try await w.post("/v1/trace", as: "gbr-analyst-secret", json: ["text": someCopy]).code == 403)
            // Every trace is audited.
            var traced = 0
            var cursor: String?
            repeat {
                let page = try await w.get("/v1/audit?action=trace&limit=200" + (cursor.map { "&cursor=\($0)" } ?? ""), as: "gbr-security")
                traced += page.objects("items").filter { $0["actor"] as? String == w.id("gbr-security") }.count
                cursor = page.string("next")
            } while cursor != nil
            #expect(traced == 50 * 5)
        }
    }

    @Test(arguments: TestBackend.allCases) func aDominantPartnerLearnsWhichMemberLeakedItsRelease(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reportId = try await w.createReport(reportBody(
                titleMarking: "(C//REL TO USA, DEU)", topics: ["soviet-union"],
                portions: Self.paragraphs.map { portion("(C//REL TO USA, DEU)", $0) }))
            let releaseId = try await w.releaseId(reportId, to: "DEU")
            let export = try await w.send(.get, "/v1/releases/\(releaseId)/export", as: "deu-analyst")
            try #require(export.code == 200, "\(export)")
            _ = try await w.send(.get, "/v1/releases/\(releaseId)/export", as: "deu-admin")
            let reply = try await w.post("/v1/trace", as: "usa-security", json: ["text": export.text])
            let best = reply.object["best"] as? [String: Any]
            #expect(best?["member"] as? String == w.id("deu-analyst"))
            #expect(best?["organization"] as? String == "DEU")
        }
    }

    @Test(arguments: TestBackend.allCases) func aTextNoCopyWasServedOfTracesToNobody(backend: TestBackend) async throws {
        try await withWorld(backend) { w in
            let reportId = try await w.createReport(reportBody(portions: Self.paragraphs.map { portion("(S//REL TO USA, GBR)", $0) }))
            _ = try await w.releaseId(reportId, to: "GBR")
            // Nobody read the release yet: there is no served copy to match.
            let reply = try await w.post("/v1/trace", as: "gbr-security", json: ["text": Self.paragraphs[0]])
            #expect(reply.code == 200)
            #expect(reply.object["best"] == nil)
            #expect((reply.int("observed") ?? 0) > 10)
        }
    }

    @Test(arguments: TestBackend.allCases) func exportsAreThrottledLikeReads(backend: TestBackend) async throws {
        let limits = ThrottleLimits(distinctReads: 1000, searchResults: 1000, exports: 2, deniedReads: 100, window: 3_600_000)
        try await withWorld(backend, limits: limits) { w in
            let reportId = try await w.createReport(reportBody(portions: [portion("(S//REL TO USA, GBR)", Self.paragraphs[0])]))
            let releaseId = try await w.releaseId(reportId, to: "GBR")
            #expect(try await w.get("/v1/releases/\(releaseId)/export", as: "gbr-analyst-secret").code == 200)
            #expect(try await w.get("/v1/releases/\(releaseId)/export", as: "gbr-analyst-secret").code == 200)
            let third = try await w.get("/v1/releases/\(releaseId)/export", as: "gbr-analyst-secret")
            #expect(third.code == 429)
            #expect(!third.text.contains("logistics"))
            #expect(try await w.get("/v1/alerts", as: "gbr-security").array.first?["detail"] as? String ?? "" != "")
        }
    }
}
